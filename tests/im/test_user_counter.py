"""The registered-user count the console pages show is the app's counter row, kept by the services that
register and delete IM users: it equals the users in the table after every kind of change, refused ones too."""

import pytest

from apps.im.errors import ImError
from apps.im.models import ImUser, UserCounter
from apps.im.selectors import im_users_registered
from apps.im.services import console as ops
from apps.im.services.users import user_delete, users_register
from tests.applications.factories import AppFactory
from tests.orders.factories import ProAppFactory

pytestmark = pytest.mark.django_db


def _counted(app) -> tuple[int, int]:
    return im_users_registered(app=app), ImUser.objects.filter(app=app).count()


def test_the_counter_follows_registrations_batches_and_deletions():
    app = AppFactory()
    assert _counted(app) == (0, 0)
    users_register(app=app, entries={"username": "alice", "password": "secret1"})
    users_register(app=app, entries=[{"username": f"u{i}", "password": "secret1"} for i in range(5)])
    assert _counted(app) == (6, 6)
    user_delete(app=app, username="u0")
    assert _counted(app) == (5, 5)


def test_a_refused_registration_leaves_the_counter_as_it_was():
    app = AppFactory()
    users_register(app=app, entries={"username": "alice", "password": "secret1"})
    with pytest.raises(ImError):  # a duplicate in the batch: all or nothing
        users_register(app=app, entries=[{"username": "bob", "password": "secret1"},
                                         {"username": "alice", "password": "secret1"}])
    with pytest.raises(ImError):  # the Free cap: 100
        users_register(app=app, entries=[{"username": f"x{i}", "password": "secret1"} for i in range(60)])
        users_register(app=app, entries=[{"username": f"y{i}", "password": "secret1"} for i in range(60)])
    assert _counted(app) == (61, 61)


def test_the_console_create_and_delete_keep_the_count():
    app = ProAppFactory()
    ops.console_user_create(app=app, actor=None, username="alice", password="secret1")
    ops.console_user_create(app=app, actor=None, username="bob", password="secret1")
    ops.console_user_delete(app=app, actor=None, username="alice")
    assert _counted(app) == (1, 1)
    assert UserCounter.objects.get(app=app).registered == 1
