"""Run web, Celery worker and Celery beat together in the foreground; Ctrl-C stops them all.

Beat runs as its own process (not ``worker --beat``, whose beat dies unnoticed with the worker's children):
the supervisor starts beat and the worker again whenever they die; /healthz reports a beat that stopped
ticking. The web server ending stops everything."""

import os
import signal
import sys
import time

from django.core.management.base import BaseCommand

from console.celery import ensure_broker_folders
from console.supervise import Supervisor


class Command(BaseCommand):
    help = "Start the web server, a Celery worker and Celery beat; restart a dead worker or beat; stop all on Ctrl-C."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default=os.environ.get("CONSOLE_ADDR") or "127.0.0.1:8000")
        parser.add_argument("--concurrency", type=int, default=2)

    def handle(self, *args, addr: str, concurrency: int, **options):
        from django.conf import settings

        ensure_broker_folders()
        python = sys.executable
        supervisor = Supervisor(cwd=settings.BASE_DIR, log=self.stderr.write)
        supervisor.add("web", [python, "manage.py", "runserver", addr, "--noreload"], restart=False)
        supervisor.add("worker", [python, "-m", "celery", "-A", "console", "worker", "--loglevel", "INFO",
                                  "--concurrency", str(concurrency)], restart=True)
        supervisor.add("beat", [python, "-m", "celery", "-A", "console", "beat", "--loglevel", "INFO",
                                "--schedule", settings.CELERY_BEAT_SCHEDULE_FILENAME], restart=True)
        supervisor.start_all()
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
                code = supervisor.poll()
                if code is not None:
                    exit_code, stopping = code, True
                time.sleep(0.5)
        finally:
            supervisor.stop_all()
        sys.exit(exit_code)
