"""The embedded runner's supervisor: a killed beat (or worker) comes back; the web server ending stops all.
Real child processes (sleeping Pythons) stand in for the servers."""

import os
import signal
import sys
import time

import pytest

from console import supervise
from console.management.commands import runconsole
from console.supervise import Supervisor

SLEEP = [sys.executable, "-c", "import time; time.sleep(60)"]


@pytest.fixture
def supervisor(tmp_path, monkeypatch):
    monkeypatch.setattr(supervise, "RESTART_PAUSE_SECONDS", (0, 0))
    made = Supervisor(cwd=tmp_path, log=lambda line: None)
    yield made
    made.stop_all(timeout=5)


def _poll_until(supervisor, condition, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        code = supervisor.poll()
        if condition(code):
            return code
        time.sleep(0.05)
    pytest.fail("condition not reached")


def test_a_killed_beat_is_started_again_and_the_others_keep_running(supervisor):
    supervisor.add("web", SLEEP, restart=False)
    supervisor.add("beat", SLEEP, restart=True)
    supervisor.start_all()
    web, beat = supervisor.pid("web"), supervisor.pid("beat")
    os.kill(beat, signal.SIGKILL)
    _poll_until(supervisor, lambda code: supervisor.pid("beat") not in (None, beat))
    assert supervisor.children["beat"].process.poll() is None
    assert supervisor.pid("web") == web and supervisor.children["web"].process.poll() is None
    assert supervisor.children["beat"].restarts == 1


def test_the_web_server_ending_stops_everything_with_its_code(supervisor):
    supervisor.add("web", [sys.executable, "-c", "raise SystemExit(3)"], restart=False)
    supervisor.add("beat", SLEEP, restart=True)
    supervisor.start_all()
    assert _poll_until(supervisor, lambda code: code is not None) == 3


def test_a_child_that_keeps_dying_waits_longer_each_time(tmp_path):
    supervisor = Supervisor(cwd=tmp_path, log=lambda line: None)
    supervisor.add("beat", [sys.executable, "-c", "raise SystemExit(1)"], restart=True)
    supervisor.start_all()
    supervisor.children["beat"].process.wait()
    supervisor.poll()
    first = supervisor.children["beat"].next_start_at
    assert supervisor.children["beat"].process is None
    assert first - time.monotonic() > 0.5  # the first pause is a second, not a spin
    supervisor.stop_all()


def test_runconsole_runs_beat_as_its_own_restarted_child(monkeypatch, tmp_path):
    started = {}

    class Recording(Supervisor):
        def start_all(self):
            started.update({name: (child.argv, child.restart) for name, child in self.children.items()})

        def poll(self):
            return 0

    monkeypatch.setattr(runconsole, "Supervisor", Recording)
    with pytest.raises(SystemExit):
        runconsole.Command().handle(addr="127.0.0.1:0", concurrency=1)
    assert started["beat"][1] is True and started["worker"][1] is True and started["web"][1] is False
    assert "beat" in started["beat"][0] and "--beat" not in started["worker"][0]
