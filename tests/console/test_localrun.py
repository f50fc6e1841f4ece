"""The local run command's helpers: the port check, waiting for the server, quiet logs, framed emails."""

import io
import logging
import socket
import threading

import pytest
from django.core import mail
from django.core.management import call_command

from console.localrun import FramedEmailBackend, QuietAccessLog, port_in_use, split_addr, wait_until_answering


@pytest.fixture
def listening():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    yield server.getsockname()[1]
    server.close()


def test_split_addr_reads_host_and_port():
    assert split_addr("127.0.0.1:8001") == ("127.0.0.1", 8001)
    assert split_addr("8002") == ("127.0.0.1", 8002)


def test_a_port_someone_listens_on_is_in_use_and_a_free_one_is_not(listening):
    assert port_in_use("127.0.0.1", listening)
    free = socket.socket()
    free.bind(("127.0.0.1", 0))
    port = free.getsockname()[1]
    free.close()
    assert not port_in_use("127.0.0.1", port)


def test_waiting_ends_when_the_port_answers_or_the_server_died(listening):
    assert wait_until_answering("127.0.0.1", listening, alive=lambda: True, timeout=5)
    free = socket.socket()
    free.bind(("127.0.0.1", 0))
    port = free.getsockname()[1]
    free.close()
    assert not wait_until_answering("127.0.0.1", port, alive=lambda: False, timeout=5)


def test_a_port_that_starts_answering_later_is_waited_for():
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]

    def listen_later():
        threading.Event().wait(0.6)
        probe.listen()

    threading.Thread(target=listen_later).start()
    try:
        assert wait_until_answering("127.0.0.1", port, alive=lambda: True, timeout=5)
    finally:
        probe.close()


def test_runconsole_refuses_a_port_in_use_with_a_clear_message(listening):
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("runconsole", addr=f"127.0.0.1:{listening}", stderr=err)
    assert exit_.value.code == 1
    assert f"Port {listening} on 127.0.0.1 is in use" in err.getvalue()
    assert f"--addr 127.0.0.1:{listening + 1}" in err.getvalue()


@pytest.mark.parametrize(("message", "kept"), [
    ('"GET /static/css/console.css HTTP/1.1" 200 1234', False),
    ('"GET /favicon.ico HTTP/1.1" 404 179', False),
    ("Scheduler: Sending due task activate-due-orders (orders.tasks.activate_due_orders)", False),
    ('"GET /o/demo/apps/ HTTP/1.1" 200 5120', True),
])
def test_static_files_and_beat_ticks_are_left_out_of_the_log_unless_verbose(monkeypatch, message, kept):
    record = logging.LogRecord("django.server", logging.INFO, __file__, 1, message, None, None)
    monkeypatch.delenv("CONSOLE_VERBOSE", raising=False)
    assert QuietAccessLog().filter(record) is kept
    monkeypatch.setenv("CONSOLE_VERBOSE", "1")
    assert QuietAccessLog().filter(record) is True


def test_console_emails_are_printed_as_a_framed_block():
    out = io.StringIO()
    backend = FramedEmailBackend(stream=out)
    backend.send_messages([mail.EmailMessage("Join acme", "http://127.0.0.1:8000/accounts/invitations/x/",
                                             "no-reply@localhost", ["new@acme.test"])])
    text = out.getvalue()
    assert "=" * 78 + "\n  EMAIL to new@acme.test: Join acme\n" + "=" * 78 in text
    assert text.rstrip().endswith("=" * 78)
    assert "invitations/x/" in text


def test_local_settings_put_the_quiet_filter_on_runservers_access_log():
    from console.settings import local

    server = local.LOGGING["loggers"]["django.server"]
    assert all("quiet" in local.LOGGING["handlers"][name]["filters"] for name in server["handlers"])
    assert local.EMAIL_BACKEND == "console.localrun.FramedEmailBackend"
