"""Run web, Celery worker and beat together in the foreground; Ctrl-C stops them all."""

import os
import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand

from console.celery import ensure_broker_folders


class Command(BaseCommand):
    help = "Start the web server and a Celery worker with embedded beat; stop all on Ctrl-C."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default=os.environ.get("CONSOLE_ADDR", "127.0.0.1:8000"))
        parser.add_argument("--concurrency", type=int, default=2)

    def handle(self, *args, addr: str, concurrency: int, **options):
        from django.conf import settings

        ensure_broker_folders()
        python = sys.executable
        commands = {
            "web": [python, "manage.py", "runserver", addr, "--noreload"],
            "worker+beat": [
                python, "-m", "celery", "-A", "console", "worker", "--beat", "--loglevel", "INFO",
                "--concurrency", str(concurrency), "--schedule", settings.CELERY_BEAT_SCHEDULE_FILENAME,
            ],
        }
        processes = {name: subprocess.Popen(cmd, cwd=settings.BASE_DIR) for name, cmd in commands.items()}  # noqa: S603
        self.stdout.write(self.style.SUCCESS(f"Console running at http://{addr}/  (Ctrl-C stops web, worker and beat)"))
        stopping = False

        def stop(*_args):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        exit_code = 0
        try:
            while not stopping:
                for name, proc in processes.items():
                    if proc.poll() is not None:
                        self.stderr.write(f"{name} exited with code {proc.returncode}; stopping the others.")
                        exit_code = proc.returncode or 1
                        stopping = True
                time.sleep(0.5)
        finally:
            for proc in processes.values():
                if proc.poll() is None:
                    proc.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + 15
            for proc in processes.values():
                try:
                    proc.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    proc.kill()
        sys.exit(exit_code)
