"""Helpers of the local run command (``manage.py runconsole``): is the port free, does the server answer,
quiet access logs, emails printed as a framed block. Nothing here runs in production."""

import logging
import os
import socket
import time
from collections.abc import Callable

from django.core.mail.backends.console import EmailBackend as ConsoleEmailBackend

VERBOSE_ENV = "CONSOLE_VERBOSE"


def split_addr(addr: str) -> tuple[str, int]:
    host, _sep, port = addr.rpartition(":")
    return (host or "127.0.0.1").strip("[]"), int(port)


def port_in_use(host: str, port: int) -> bool:
    """True when something already listens on host:port (a bind would fail)."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return True
    return False


def wait_until_answering(host: str, port: int, *, alive: Callable[[], bool], timeout: float = 60.0) -> bool:
    """Poll the port until it accepts a connection; False if ``alive()`` turns false or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and alive():
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.2)
    return False


class QuietAccessLog(logging.Filter):
    """Drops runserver's lines for static files and the favicon, and Celery beat's "Sending due task" ticks,
    so the invitation and password-reset links the console prints stay visible. CONSOLE_VERBOSE=1 keeps all."""

    NOISE = ("GET /static/", "GET /favicon.ico", "Scheduler: Sending due task", "HEAD /static/")

    def filter(self, record: logging.LogRecord) -> bool:
        if os.environ.get(VERBOSE_ENV) == "1":
            return True
        message = record.getMessage()
        return not any(noise in message for noise in self.NOISE)


class FramedEmailBackend(ConsoleEmailBackend):
    """The console email backend, each message inside a frame with its recipients and subject on top."""

    RULE = "=" * 78

    def write_message(self, message):
        self.stream.write(f"\n{self.RULE}\n  EMAIL to {', '.join(message.to)}: {message.subject}\n{self.RULE}\n")
        super().write_message(message)
        self.stream.write(f"{self.RULE}\n\n")
