"""The embedded runner's supervisor: child processes by name; those marked ``restart`` (Celery beat and the
worker) are started again when they die, with a growing pause so a child that cannot start does not spin;
any other child ending stops everything (the web server)."""

import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

RESTART_PAUSE_SECONDS = (1, 2, 5, 10, 30)
STABLE_SECONDS = 60  # a child that ran this long starts its restart pauses over


@dataclass
class Child:
    name: str
    argv: list[str]
    restart: bool
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    restarts: int = 0
    next_start_at: float = 0.0


@dataclass
class Supervisor:
    cwd: Path
    log: Callable[[str], None] = print
    children: dict[str, Child] = field(default_factory=dict)

    def add(self, name: str, argv: list[str], *, restart: bool) -> None:
        self.children[name] = Child(name, argv, restart)

    def _start(self, child: Child) -> None:
        child.process = subprocess.Popen(child.argv, cwd=self.cwd)  # noqa: S603 - argv built by runconsole
        child.started_at = time.monotonic()

    def start_all(self) -> None:
        for child in self.children.values():
            self._start(child)

    def poll(self) -> int | None:
        """Restart dead restartable children (when their pause is over); returns an exit code when a
        child that is not restarted has ended, None while everything runs."""
        now = time.monotonic()
        for child in self.children.values():
            if child.process is None:
                if now >= child.next_start_at:
                    self._start(child)
                    self.log(f"{child.name} restarted (restart {child.restarts}).")
                continue
            code = child.process.poll()
            if code is None:
                continue
            if not child.restart:
                self.log(f"{child.name} exited with code {code}; stopping the others.")
                return code or 1
            if now - child.started_at >= STABLE_SECONDS:
                child.restarts = 0
            pause = RESTART_PAUSE_SECONDS[min(child.restarts, len(RESTART_PAUSE_SECONDS) - 1)]
            child.restarts += 1
            child.process, child.next_start_at = None, now + pause
            self.log(f"{child.name} exited with code {code}; restarting in {pause} s.")
        return None

    def stop_all(self, timeout: float = 15) -> None:
        running = [c.process for c in self.children.values() if c.process is not None and c.process.poll() is None]
        for process in running:
            process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for process in running:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def pid(self, name: str) -> int | None:
        process = self.children[name].process
        return process.pid if process is not None else None
