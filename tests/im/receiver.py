"""A tiny callback receiver on 127.0.0.1 (a free port) for the pre-send and post-send tests.

It records every request and answers as told: a status and a body, optionally after a delay, or trickled
one byte a second (``trickle="body"``: headers at once, then the body; ``trickle="all"``: the status line and
headers too)."""

import socketserver
import threading
import time
from dataclasses import dataclass, field


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Answer:
    status: int = 200
    body: bytes = b'{"valid":true}'
    delay: float = 0.0
    trickle: str = ""  # "", "body" or "all"


@dataclass
class Receiver:
    received: list[Received] = field(default_factory=list)
    answers: list[Answer] = field(default_factory=lambda: [Answer()])
    port: int = 0

    def answer(self, *answers: Answer) -> None:
        """Answers consumed one per request; the last one repeats."""
        self.answers = list(answers)

    def next_answer(self) -> Answer:
        return self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.port}{path}"


def _read_request(rfile) -> Received:
    request_line = rfile.readline().decode("latin-1")
    headers = {}
    while True:
        line = rfile.readline().decode("latin-1")
        if line in ("\r\n", "\n", ""):
            break
        name, _sep, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    body = rfile.read(int(headers.get("content-length") or 0))
    return Received(path=request_line.split(" ")[1] if " " in request_line else "", headers=headers, body=body)


def start_receiver() -> tuple[Receiver, socketserver.ThreadingTCPServer]:
    receiver = Receiver()

    class Handler(socketserver.StreamRequestHandler):
        def handle(self):
            receiver.received.append(_read_request(self.rfile))
            answer = receiver.next_answer()
            if answer.delay:
                time.sleep(answer.delay)
            head = (f"HTTP/1.1 {answer.status} X\r\nContent-Type: application/json\r\n"
                    f"Content-Length: {len(answer.body)}\r\nConnection: close\r\n\r\n").encode()
            try:
                if answer.trickle == "all":
                    self._trickle(head + answer.body)
                elif answer.trickle == "body":
                    self.wfile.write(head)
                    self.wfile.flush()
                    self._trickle(answer.body)
                else:
                    self.wfile.write(head + answer.body)
            except OSError:
                pass  # the client gave up: what the slow-server tests expect

        def _trickle(self, data: bytes):
            for index in range(len(data)):
                self.wfile.write(data[index:index + 1])
                self.wfile.flush()
                time.sleep(1.0)

    class Server(socketserver.ThreadingTCPServer):
        daemon_threads = True
        allow_reuse_address = True

    server = Server(("127.0.0.1", 0), Handler)
    receiver.port = server.server_address[1]
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return receiver, server


def stop_receiver(server) -> None:
    server.shutdown()
    server.server_close()

