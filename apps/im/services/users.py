"""IM users: register (one or a batch, all-or-nothing, under the registered-user cap), password, ban, logout."""

import base64
import re
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from apps.im import gate
from apps.im.errors import DuplicateUsername, IllegalArgument, NotFound, ResourceLimited
from apps.im.models import ImUser, UserCounter
from apps.im.passwords import password_hash
from apps.im.services.groups import user_groups_leave

USERNAME = re.compile(r"^[a-z0-9_.-]{1,64}$")
PASSWORD_MAX = 64
NICKNAME_MAX = 100
BATCH_MAX = 60
LIST_LIMIT_MAX = 100
LIST_LIMIT_DEFAULT = 10
IM_USERS = "im_users"


@dataclass(frozen=True)
class NewUser:
    username: str
    password: str
    nickname: str


def _checked(entry) -> NewUser:
    if not isinstance(entry, dict):
        raise IllegalArgument("this is an invalid request.")
    username = entry.get("username")
    if username is None or username == "":
        raise IllegalArgument("Entity user requires a property named username")
    if not isinstance(username, str):
        raise IllegalArgument("username is not legal")
    username = username.lower()  # Easemob user ids are case-insensitive, stored lower-case
    if not USERNAME.fullmatch(username):
        raise IllegalArgument("username is not legal")
    password = entry.get("password")
    if not isinstance(password, str) or password == "":
        raise IllegalArgument("password or pin must provided")
    if len(password) > PASSWORD_MAX:
        raise IllegalArgument(f"password is too long: at most {PASSWORD_MAX} characters")
    nickname = entry.get("nickname") or ""
    if not isinstance(nickname, str) or len(nickname) > NICKNAME_MAX:
        raise IllegalArgument(f"nickname is not legal: a string of at most {NICKNAME_MAX} characters")
    return NewUser(username=username, password=password, nickname=nickname)


def _duplicate(app, username: str) -> DuplicateUsername:
    return DuplicateUsername(
        f"Application {app.name} Entity user requires that property named username be unique, "
        f"value of {username} exists"
    )


def users_register(*, app, entries) -> list[ImUser]:
    """Register one user (a dict) or a batch (a list of ≤60): every entry is valid and new, and all fit under
    the app's registered-user cap, or nothing is written. The app's counter row is locked so that concurrent
    registrations are counted one after the other."""
    batch = entries if isinstance(entries, list) else [entries]
    if not batch:
        raise IllegalArgument("this is an invalid request.")
    if len(batch) > BATCH_MAX:
        raise IllegalArgument(f"at most {BATCH_MAX} users can be registered at once")
    users = [_checked(entry) for entry in batch]
    seen = set()
    for user in users:
        if user.username in seen:
            raise _duplicate(app, user.username)
        seen.add(user.username)
    hashed = [password_hash(user.password) for user in users]  # outside the lock: hashing is the slow part
    with transaction.atomic():
        UserCounter.objects.bulk_create([UserCounter(app=app)], ignore_conflicts=True)
        UserCounter.objects.select_for_update().get(app=app)
        taken = ImUser.objects.filter(app=app, username__in=seen).values_list("username", flat=True).first()
        if taken:
            raise _duplicate(app, taken)
        used = ImUser.objects.filter(app=app).count()
        if not gate.quota_allows(app=app, code=IM_USERS, used=used, adding=len(users)):
            raise ResourceLimited(
                "You have exceeded the limit of the Free edition. Please upgrade to higher edition."
            )
        now = timezone.now()
        rows = [
            ImUser(app=app, username=user.username, password=password, nickname=user.nickname, created=now,
                   modified=now)
            for user, password in zip(users, hashed, strict=True)
        ]
        try:
            with transaction.atomic():
                ImUser.objects.bulk_create(rows)
        except IntegrityError:
            raise _duplicate(app, users[0].username) from None
        UserCounter.objects.filter(app=app).update(registered=F("registered") + len(rows))
    return rows


def user_get(*, app, username: str) -> ImUser:
    user = ImUser.objects.filter(app=app, username=username.lower()).first()
    if user is None:
        raise NotFound("Service resource not found")
    return user


def _cursor_id(cursor: str) -> int:
    try:
        return int(base64.urlsafe_b64decode(cursor.encode() + b"=" * (-len(cursor) % 4)).decode())
    except (ValueError, UnicodeDecodeError):
        raise IllegalArgument("cursor is not legal") from None


def _cursor_for(pk: int) -> str:
    return base64.urlsafe_b64encode(str(pk).encode()).decode().rstrip("=")


def users_page(*, app, limit=None, cursor=None) -> tuple[list[ImUser], str | None]:
    """A page of users in registration order (keyset on id) and the cursor of the next page (None: last)."""
    if limit in (None, ""):
        size = LIST_LIMIT_DEFAULT
    else:
        try:
            size = int(limit)
        except (TypeError, ValueError):
            raise IllegalArgument("limit must be a number") from None
        if not 1 <= size <= LIST_LIMIT_MAX:
            raise IllegalArgument(f"limit must be from 1 to {LIST_LIMIT_MAX}")
    rows = ImUser.objects.filter(app=app).order_by("id")
    if cursor:
        rows = rows.filter(id__gt=_cursor_id(cursor))
    page = list(rows[: size + 1])
    more = len(page) > size
    page = page[:size]
    return page, (_cursor_for(page[-1].pk) if more else None)


@transaction.atomic
def user_delete(*, app, username: str) -> ImUser:
    """Delete the user with its memberships and the groups it owns, keeping the registered count and the
    group counters. Read after the counter's lock: two deletions of one user count it once."""
    UserCounter.objects.bulk_create([UserCounter(app=app)], ignore_conflicts=True)
    UserCounter.objects.select_for_update().get(app=app)
    user = user_get(app=app, username=username)
    user_groups_leave(user=user)
    user.delete()
    UserCounter.objects.filter(app=app, registered__gt=0).update(registered=F("registered") - 1)
    return user


def user_password_change(*, app, username: str, newpassword) -> ImUser:
    if not isinstance(newpassword, str) or newpassword == "":
        raise IllegalArgument("newpassword is required")
    if len(newpassword) > PASSWORD_MAX:
        raise IllegalArgument(f"password is too long: at most {PASSWORD_MAX} characters")
    user = user_get(app=app, username=username)
    user.password = password_hash(newpassword)
    user.modified = timezone.now()
    user.save(update_fields=["password", "modified"])
    return user


def user_set_activated(*, app, username: str, activated: bool) -> ImUser:
    """Ban (False) or unban (True). A banned user's tokens stop working and it gets no new one."""
    user = user_get(app=app, username=username)
    if user.activated != activated:
        user.activated = activated
        user.modified = timezone.now()
        user.save(update_fields=["activated", "modified"])
    return user


def user_disconnect(*, app, username: str) -> ImUser:
    """Force logout: every user token issued before now is refused."""
    user = user_get(app=app, username=username)
    user.tokens_valid_after = timezone.now()
    user.save(update_fields=["tokens_valid_after"])
    return user
