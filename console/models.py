from django.db import models


class BeatHeartbeat(models.Model):
    """One row: when the beat schedule last fired the heartbeat task (written by the worker that ran it).
    /healthz reads its age; older than two intervals means beat (or every worker) is gone."""

    ticked_at = models.DateTimeField()

    class Meta:
        verbose_name = "beat heartbeat"

    def __str__(self) -> str:
        return f"beat tick at {self.ticked_at:%Y-%m-%d %H:%M:%S}"
