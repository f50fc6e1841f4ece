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
from console.localrun import VERBOSE_ENV, port_in_use, split_addr, wait_until_answering
from console.supervise import Supervisor


class Command(BaseCommand):
    help = "Start the web server, a Celery worker and Celery beat; restart a dead worker or beat; stop all on Ctrl-C."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default=os.environ.get("CONSOLE_ADDR") or "127.0.0.1:8000")
        parser.add_argument("--concurrency", type=int, default=2)
        parser.add_argument("--verbose", action="store_true",
                            help="Log every request (static files too), beat ticks and worker INFO lines.")
        parser.add_argument("--debug", action="store_true",
                            help="DEBUG on (Django's debug pages instead of the console's 404/500 pages).")

    def handle(self, *args, addr: str, concurrency: int, verbose: bool = False, debug: bool = False, **options):
        from django.conf import settings

        host, port = split_addr(addr)
        if port_in_use(host, port):
            self.stderr.write(self.style.ERROR(
                f"Port {port} on {host} is in use (another console or server?). Stop it, or choose another port: "
                f"scripts/run --addr {host}:{port + 1}"))
            sys.exit(1)
        # Children inherit: DEBUG off unless asked (the styled 404/500 pages; WhiteNoise serves static files),
        # and the quiet log filter of console.localrun unless --verbose.
        os.environ.setdefault("DJANGO_DEBUG", "true" if debug else "false")
        os.environ[VERBOSE_ENV] = "1" if verbose else "0"
        ensure_broker_folders()
        python = sys.executable
        loglevel = "INFO" if verbose else "WARNING"
        supervisor = Supervisor(cwd=settings.BASE_DIR, log=self.stderr.write)
        supervisor.add("web", [python, "manage.py", "runserver", addr, "--noreload"], restart=False)
        supervisor.add("worker", [python, "-m", "celery", "-A", "console", "worker", "--loglevel", loglevel,
                                  "--concurrency", str(concurrency)], restart=True)
        supervisor.add("beat", [python, "-m", "celery", "-A", "console", "beat", "--loglevel", loglevel,
                                "--schedule", settings.CELERY_BEAT_SCHEDULE_FILENAME], restart=True)
        supervisor.start_all()
        web = supervisor.children["web"]
        if wait_until_answering(host, port, alive=lambda: web.process is not None and web.process.poll() is None):
            self.stdout.write(self.style.SUCCESS(
                f"Console running at http://{addr}/  (Ctrl-C stops web, worker and beat)"))
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
