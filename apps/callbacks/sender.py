"""Sending one signed callback over HTTP(S), the standard library only.

The connection goes to the address the SSRF guard validated (no second DNS lookup); the Host header and the
TLS server name (SNI, certificate check) carry the host name. Redirects are never followed. Each attempt has
a deadline: connecting, the TLS handshake, sending and reading the answer (status line, headers and body)
together take at most ``timeout`` seconds. Before every socket operation the socket's timeout is set to the
time left, so a server that dribbles one byte a second cannot stretch an attempt past the deadline.

``deliver`` is the whole call for a caller that holds only a URL (the IM service's synchronous pre-send
callback, with the rule's wait time): SSRF guard, then one POST, within one deadline.
"""

import base64
import hashlib
import hmac
import http.client
import io
import json
import re
import socket
import ssl
import time
from dataclasses import dataclass
from typing import NamedTuple

from apps.callbacks.guard import Target, TargetRefused, check_target
from apps.callbacks.models import EXCERPT_MAX_CHARS

TIMEOUT_SECONDS = 5.0
READ_MAX_BYTES = 8192
USER_AGENT = "IMConsole-Callback/1.0"
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def easemob_security(*, call_id: str, secret: str, timestamp: int) -> str:
    """Easemob's body signature: MD5(callId + secret + timestamp), hex."""
    return hashlib.md5(f"{call_id}{secret}{timestamp}".encode(), usedforsecurity=False).hexdigest()


def webhook_signature(*, secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """Standard Webhooks: ``v1,`` + base64(HMAC-SHA256(secret, "{id}.{timestamp}.{body}")). The key is the
    rule's secret as UTF-8 bytes."""
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


@dataclass(frozen=True)
class Answer:
    status_code: int | None
    error: str
    latency_ms: int
    excerpt: str

    @property
    def ok(self) -> bool:
        return self.status_code == 200 and not self.error


class _Deadline:
    def __init__(self, seconds: float):
        self.started = time.monotonic()
        self.at = self.started + seconds

    def left(self) -> float:
        """Seconds left; TimeoutError once the deadline has passed."""
        left = self.at - time.monotonic()
        if left <= 0:
            raise TimeoutError
        return left

    def arm(self, sock: socket.socket) -> None:
        sock.settimeout(self.left())

    def elapsed_ms(self) -> int:
        return round((time.monotonic() - self.started) * 1000)


class _DeadlineReader(io.RawIOBase):
    """What ``http.client`` reads the answer through: each read re-arms the socket with the time left."""

    def __init__(self, sock: socket.socket, deadline: _Deadline):
        super().__init__()
        self._sock, self._deadline = sock, deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        self._deadline.arm(self._sock)
        return self._sock.recv_into(buffer)


class _DeadlineSocket:
    """The connection's socket as ``http.client`` sees it: sends and reads bounded by the deadline. Closing
    it is left to ``post_json``, which owns the real socket (the response may still be read after
    ``http.client`` drops the connection on ``Connection: close``)."""

    def __init__(self, sock: socket.socket, deadline: _Deadline):
        self.real, self._deadline = sock, deadline

    def sendall(self, data) -> None:
        self._deadline.arm(self.real)
        self.real.sendall(data)

    def makefile(self, mode: str = "rb", *_args, **_kwargs):
        return io.BufferedReader(_DeadlineReader(self.real, self._deadline))

    def close(self) -> None:
        pass


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, target: Target, deadline: _Deadline):
        super().__init__(target.host, target.port, timeout=deadline.left())
        self._address = str(target.address)
        self._deadline = deadline
        self.real_sock: socket.socket | None = None

    def _open(self) -> socket.socket:
        return socket.create_connection((self._address, self.port), self._deadline.left())

    def connect(self):
        self.real_sock = self._open()
        self.sock = _DeadlineSocket(self.real_sock, self._deadline)


class _PinnedHTTPSConnection(_PinnedHTTPConnection):
    def __init__(self, target: Target, deadline: _Deadline):
        super().__init__(target, deadline)
        self._context = ssl.create_default_context()

    def _open(self) -> socket.socket:
        sock = super()._open()
        try:
            self._deadline.arm(sock)  # the handshake as a whole is bounded by the socket timeout
            return self._context.wrap_socket(sock, server_hostname=self.host)
        except BaseException:
            sock.close()
            raise


def safe_excerpt(raw: bytes, content_type: str | None) -> str:
    """The start of a response body as text: declared charset or UTF-8, undecodable bytes replaced, control
    characters (NUL included, which PostgreSQL text refuses) dropped, at most EXCERPT_MAX_CHARS."""
    charset = "utf-8"
    match = re.search(r"charset=([\w.:-]+)", content_type or "", re.IGNORECASE)
    if match:
        charset = match.group(1)
    try:
        text = raw.decode(charset, errors="replace")
    except LookupError:
        text = raw.decode("utf-8", errors="replace")
    return CONTROL_CHARS.sub("", text)[:EXCERPT_MAX_CHARS]


def post_json(target: Target, *, body: bytes, headers: dict[str, str], timeout: float = TIMEOUT_SECONDS,
              deadline: _Deadline | None = None) -> Answer:
    """POST the body once, all of it within ``timeout`` seconds (or the caller's deadline). Never raises for
    network trouble: the Answer carries the error."""
    deadline = deadline or _Deadline(timeout)
    connection_class = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    connection = None
    try:
        connection = connection_class(target, deadline)
        connection.putrequest("POST", target.path, skip_host=True, skip_accept_encoding=True)
        for name, value in {"Host": target.host_header, "User-Agent": USER_AGENT,
                            "Content-Type": "application/json; charset=utf-8", "Accept": "*/*",
                            "Content-Length": str(len(body)), "Connection": "close", **headers}.items():
            connection.putheader(name, value)
        connection.endheaders(body)
        response = connection.getresponse()
        raw = b""
        while len(raw) < READ_MAX_BYTES:
            chunk = response.read1(READ_MAX_BYTES - len(raw))
            if not chunk:
                break
            raw += chunk
        excerpt = safe_excerpt(raw, response.getheader("Content-Type"))
        status = response.status
        if 300 <= status < 400:
            location = CONTROL_CHARS.sub("", response.getheader("Location") or "")[:200]
            return Answer(status, f"Redirect not followed ({location or 'no Location'})", deadline.elapsed_ms(),
                          excerpt)
        return Answer(status, "", deadline.elapsed_ms(), excerpt)
    except TimeoutError:
        return Answer(None, f"Timed out after {timeout:g} s", deadline.elapsed_ms(), "")
    except ssl.SSLError as exc:
        return Answer(None, f"TLS error: {exc.reason or exc}"[:255], deadline.elapsed_ms(), "")
    except (OSError, http.client.HTTPException) as exc:
        return Answer(None, f"Connection failed: {type(exc).__name__}: {exc}"[:255], deadline.elapsed_ms(), "")
    finally:
        if connection is not None:
            connection.close()
            if connection.real_sock is not None:
                connection.real_sock.close()


class Delivery(NamedTuple):
    status: int | None
    latency_ms: int
    excerpt: str
    error: str


def deliver(url: str, body: bytes, headers: dict[str, str], timeout_seconds: float) -> Delivery:
    """One guarded POST of ``body`` to ``url`` within ``timeout_seconds`` in total (a pre-send callback's
    wait time is ``wait_ms / 1000``): the SSRF guard, then the call to the address it validated. Returns
    (status, latency_ms, excerpt, error); status is None and error says why when no answer came in time,
    the guard refused the URL or the connection failed. Never raises for the target's behaviour.

    The deadline starts before the guard's DNS lookup and the latency counts it; the lookup itself cannot be
    interrupted, so a resolver slower than the wait time is noticed right after it answers."""
    deadline = _Deadline(timeout_seconds)
    try:
        target = check_target(url)
    except TargetRefused as exc:
        return Delivery(None, deadline.elapsed_ms(), "", f"Refused by the SSRF guard: {exc.message}"[:255])
    try:
        deadline.left()
    except TimeoutError:
        return Delivery(None, deadline.elapsed_ms(), "", f"Timed out after {timeout_seconds:g} s")
    answer = post_json(target, body=body, headers=headers, timeout=timeout_seconds, deadline=deadline)
    return Delivery(answer.status_code, answer.latency_ms, answer.excerpt, answer.error)


def signed_request(*, payload: dict, secret: str, message_id: str, timestamp: int) -> tuple[bytes, dict[str, str]]:
    """The JSON body (which carries Easemob's ``security``) and the Standard Webhooks headers."""
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    headers = {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": webhook_signature(secret=secret, message_id=message_id, timestamp=timestamp, body=body),
    }
    return body, headers
