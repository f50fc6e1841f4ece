"""Run web, Celery worker and beat together in the foreground; Ctrl-C stops them all."""

import os
import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand

from console.celery import ensure_broker_folders
from console.localrun import VERBOSE_ENV, port_in_use, split_addr, wait_until_answering


class Command(BaseCommand):
    help = "Start the web server and a Celery worker with embedded beat; stop all on Ctrl-C."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default=os.environ.get("CONSOLE_ADDR", "127.0.0.1:8000"))
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
        commands = {
            "web": [python, "manage.py", "runserver", addr, "--noreload"],
            "worker+beat": [
                python, "-m", "celery", "-A", "console", "worker", "--beat",
                "--loglevel", "INFO" if verbose else "WARNING",
                "--concurrency", str(concurrency), "--schedule", settings.CELERY_BEAT_SCHEDULE_FILENAME,
            ],
        }
        processes = {name: subprocess.Popen(cmd, cwd=settings.BASE_DIR) for name, cmd in commands.items()}  # noqa: S603
        web = processes["web"]
        if wait_until_answering(host, port, alive=lambda: web.poll() is None):
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
