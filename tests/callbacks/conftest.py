"""A real HTTP server on 127.0.0.1 for delivery tests: it records every request and answers as told."""

import http.server
import threading
import time
from dataclasses import dataclass, field

import pytest


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Behaviour:
    """What the server answers: a list of (status, body, headers, delay) consumed per request; the last one
    repeats."""

    answers: list = field(default_factory=lambda: [(200, b'{"valid":true}', {}, 0.0)])

    def next(self):
        return self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]


class CallbackServer:
    def __init__(self):
        self.received: list[Received] = []
        self.behaviour = Behaviour()
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the stdlib's name
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                server.received.append(Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                status, content, headers, delay = server.behaviour.next()
                if delay:
                    time.sleep(delay)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)

    def answer(self, *answers):
        """answer((status, body, headers, delay), ...)"""
        self.behaviour = Behaviour(list(answers))

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.port}{path}"


@pytest.fixture
def callback_server():
    server = CallbackServer()
    server.thread.start()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


@pytest.fixture
def private_targets(settings):
    settings.CALLBACKS_ALLOW_PRIVATE_TARGETS = True
    return settings


def _point_broker_at(monkeypatch, url: str, options: dict) -> None:
    from console.celery import app as celery_app

    # Celery reads CELERY_BROKER_URL from the environment before its configuration: both are pointed there.
    monkeypatch.setenv("CELERY_BROKER_URL", url)
    monkeypatch.setitem(celery_app.conf, "broker_url", url)
    monkeypatch.setitem(celery_app.conf, "broker_transport_options", options)


@pytest.fixture
def memory_broker(monkeypatch):
    """An in-process broker; returns a function counting the messages waiting in the default queue."""
    from kombu.transport.memory import Channel

    Channel.queues.clear()
    _point_broker_at(monkeypatch, "memory://", {})
    yield lambda: Channel.queues["celery"].qsize() if "celery" in Channel.queues else 0
    Channel.queues.clear()


@pytest.fixture
def broker_down(monkeypatch):
    """A broker URL pointing at a closed port on this machine."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    _point_broker_at(monkeypatch, f"redis://127.0.0.1:{port}/0", {"socket_connect_timeout": 1})
