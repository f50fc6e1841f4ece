"""Sending one signed callback over HTTP(S), the standard library only.

The connection goes to the address the SSRF guard validated (no second DNS lookup); the Host header and the
TLS server name (SNI, certificate check) carry the host name. Redirects are never followed. Each attempt has
a deadline: connecting, sending and reading the answer together take at most ``timeout`` seconds.
"""

import base64
import hashlib
import hmac
import http.client
import json
import re
import socket
import ssl
import time
from dataclasses import dataclass

from apps.callbacks.guard import Target
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


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, target: Target, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = str(target.address)

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, target: Target, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout, context=ssl.create_default_context())
        self._address = str(target.address)

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


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


def post_json(target: Target, *, body: bytes, headers: dict[str, str], timeout: float = TIMEOUT_SECONDS) -> Answer:
    """POST the body once. Never raises for network trouble: the Answer carries the error."""
    started = time.monotonic()
    deadline = started + timeout

    def remaining() -> float:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError
        return left

    def elapsed_ms() -> int:
        return round((time.monotonic() - started) * 1000)

    connection_class = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(target, timeout=timeout)
    try:
        connection.putrequest("POST", target.path, skip_host=True, skip_accept_encoding=True)
        for name, value in {"Host": target.host_header, "User-Agent": USER_AGENT,
                            "Content-Type": "application/json; charset=utf-8", "Accept": "*/*",
                            "Content-Length": str(len(body)), "Connection": "close", **headers}.items():
            connection.putheader(name, value)
        connection.endheaders(body)
        sock = connection.sock  # getresponse() may drop the connection's reference ("Connection: close")
        sock.settimeout(remaining())
        response = connection.getresponse()
        raw = b""
        while len(raw) < READ_MAX_BYTES:
            sock.settimeout(remaining())
            chunk = response.read1(READ_MAX_BYTES - len(raw))
            if not chunk:
                break
            raw += chunk
        excerpt = safe_excerpt(raw, response.getheader("Content-Type"))
        status = response.status
        if 300 <= status < 400:
            location = CONTROL_CHARS.sub("", response.getheader("Location") or "")[:200]
            return Answer(status, f"Redirect not followed ({location or 'no Location'})", elapsed_ms(), excerpt)
        return Answer(status, "", elapsed_ms(), excerpt)
    except TimeoutError:
        return Answer(None, f"Timed out after {timeout:g} s", elapsed_ms(), "")
    except ssl.SSLError as exc:
        return Answer(None, f"TLS error: {exc.reason or exc}"[:255], elapsed_ms(), "")
    except (OSError, http.client.HTTPException) as exc:
        return Answer(None, f"Connection failed: {type(exc).__name__}: {exc}"[:255], elapsed_ms(), "")
    finally:
        connection.close()


def signed_request(*, payload: dict, secret: str, message_id: str, timestamp: int) -> tuple[bytes, dict[str, str]]:
    """The JSON body (which carries Easemob's ``security``) and the Standard Webhooks headers."""
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    headers = {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": webhook_signature(secret=secret, message_id=message_id, timestamp=timestamp, body=body),
    }
    return body, headers
