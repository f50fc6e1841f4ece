from celery import shared_task

from console.heartbeat import heartbeat_record


@shared_task(name="console.tasks.beat_heartbeat", ignore_result=True, soft_time_limit=10, time_limit=20,
             expires=60)
def beat_heartbeat() -> None:
    """Beat sends this every BEAT_HEARTBEAT_SECONDS; running it records the tick for /healthz."""
    heartbeat_record()
