"""A callback server that answers one byte a second: every attempt stays within its total deadline, whether
the dribble is in the status line, the headers or the body. The server is a thread on 127.0.0.1 (free port)
that stops on teardown."""

import ipaddress
import socket
import threading
import time

import pytest

from apps.callbacks.guard import Target
from apps.callbacks.sender import Delivery, deliver, post_json

DRIBBLE_SECONDS = 8  # the old sender waited for all of it; the deadline below is 1.5 s


class DribbleServer:
    """Reads the request, then sends ``prefix`` at once and ``dribble`` one byte a second."""

    def __init__(self, prefix: bytes, dribble: bytes):
        self.prefix, self.dribble = prefix, dribble
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.1)
        self.port = self.listener.getsockname()[1]
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while not self.stopping.is_set():
            try:
                conn, _addr = self.listener.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(1)
                try:
                    conn.recv(65536)
                    conn.sendall(self.prefix)
                    for byte in self.dribble[:DRIBBLE_SECONDS]:
                        if self.stopping.wait(1):
                            return
                        conn.sendall(bytes([byte]))
                except OSError:
                    continue

    def stop(self):
        self.stopping.set()
        self.thread.join(timeout=5)
        self.listener.close()

    @property
    def target(self) -> Target:
        return Target(scheme="http", host="127.0.0.1", port=self.port, path="/hook",
                      address=ipaddress.ip_address("127.0.0.1"))


@pytest.fixture
def dribble_server():
    servers = []

    def start(prefix: bytes, dribble: bytes) -> DribbleServer:
        servers.append(DribbleServer(prefix, dribble))
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


HEADERS = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 64\r\n\r\n"


@pytest.mark.parametrize(
    ("prefix", "dribble"),
    [
        (b"", HEADERS),  # the status line itself
        (b"HTTP/1.1 200 OK\r\n", b"X-Slow: " + b"a" * 40),  # a header
        (HEADERS, b"{" + b"x" * 63),  # the body
    ],
    ids=["status-line", "headers", "body"],
)
def test_a_server_sending_one_byte_a_second_is_cut_at_the_deadline(dribble_server, prefix, dribble):
    server = dribble_server(prefix, dribble)
    started = time.monotonic()
    answer = post_json(server.target, body=b"{}", headers={}, timeout=1.5)
    elapsed = time.monotonic() - started
    assert answer.error == "Timed out after 1.5 s"
    assert answer.status_code is None
    assert elapsed < 2.5
    assert 1400 <= answer.latency_ms < 2500


def test_deliver_bounds_the_whole_call_in_milliseconds_of_wait_time(dribble_server, settings):
    settings.CALLBACKS_ALLOW_PRIVATE_TARGETS = True
    server = dribble_server(b"", HEADERS)
    started = time.monotonic()
    result = deliver(f"http://127.0.0.1:{server.port}/pre-send", b'{"msg":"hi"}', {"X-Test": "1"}, 0.3)
    assert time.monotonic() - started < 1.0
    assert isinstance(result, Delivery)
    status, latency_ms, excerpt, error = result
    assert (status, excerpt, error) == (None, "", "Timed out after 0.3 s")
    assert 250 <= latency_ms < 1000


def test_deliver_returns_the_answer_of_a_prompt_server(dribble_server, settings):
    settings.CALLBACKS_ALLOW_PRIVATE_TARGETS = True
    body = b'{"valid":true}'
    server = dribble_server(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body), b"")
    status, latency_ms, excerpt, error = deliver(f"http://127.0.0.1:{server.port}/", b"{}", {}, 2)
    assert (status, excerpt, error) == (200, '{"valid":true}', "")
    assert 0 <= latency_ms < 2000


def test_deliver_refuses_a_private_target_without_connecting(settings):
    settings.CALLBACKS_ALLOW_PRIVATE_TARGETS = False
    status, _latency, excerpt, error = deliver("http://127.0.0.1:9/hook", b"{}", {}, 1)
    assert status is None and excerpt == ""
    assert error.startswith("Refused by the SSRF guard: 127.0.0.1 resolves to 127.0.0.1, a loopback address.")
