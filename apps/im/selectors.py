"""Reads of the IM REST service."""

from apps.im.models import ImUser, ServiceSettings, UserCounter
from console.prepared import PreparedQuery


def service_settings_for(*, app) -> ServiceSettings:
    """The app's IM service settings; an app that never saved any has the defaults (not stored)."""
    return ServiceSettings.objects.filter(app=app).first() or ServiceSettings(app=app)


CONSOLE_PAGE_SIZE = 20


def _user_rows(app_id):
    return (ImUser.objects.filter(app_id=app_id).order_by("username")
            .only("id", "username", "nickname", "activated", "created", "tokens_valid_after"))


# The first page and the next pages of the console's list (console.prepared; a prefix search goes through the ORM:
# LIKE's escaping changes the value).
_first_users = PreparedQuery(lambda app_id: _user_rows(app_id)[: CONSOLE_PAGE_SIZE + 1], app_id=int)
_next_users = PreparedQuery(
    lambda app_id, after: _user_rows(app_id).filter(username__gt=after)[: CONSOLE_PAGE_SIZE + 1],
    app_id=int, after=str,
)
_registered = PreparedQuery(
    lambda app_id: UserCounter.objects.filter(app_id=app_id).only("registered")[:1],
    app_id=int,
)


def im_users_console_page(*, app, prefix: str = "", after: str = "", size: int = CONSOLE_PAGE_SIZE):
    """A page of the app's IM users in username order, from the first username after ``after`` (keyset on the
    (app, username) unique index: no OFFSET), optionally only those starting with ``prefix``. Returns
    (users, next_after) where next_after is None on the last page."""
    prefix = (prefix or "").strip().lower()
    if not prefix and size == CONSOLE_PAGE_SIZE:  # the list as most views see it: compiled once per process
        page = (_next_users(app_id=app.pk, after=after.lower()) if after else _first_users(app_id=app.pk))
    else:
        rows = _user_rows(app.pk).filter(username__startswith=prefix) if prefix else _user_rows(app.pk)
        if after:
            rows = rows.filter(username__gt=after.lower())
        page = list(rows[: size + 1])
    more = len(page) > size
    page = page[:size]
    return page, (page[-1].username if more else None)


def im_users_registered(*, app) -> int:
    """How many IM users the app has: its counter row, kept by the register and delete services (no count over
    the app's users on a page view)."""
    found = _registered(app_id=app.pk)
    return found[0].registered if found else 0


def im_user_deletion_impact(*, user) -> dict[str, int]:
    """What deleting the IM user takes with it: its memberships, the groups it owns (with their members), and
    how many stored messages it sent or received (those stay until the retention job purges them)."""
    from django.db.models import Q

    from apps.im.models import ImGroup, ImGroupMember, ImMessage

    owned = ImGroup.objects.filter(owner=user)
    return {
        "memberships": ImGroupMember.objects.filter(user=user).exclude(group__owner=user).count(),
        "owned_groups": owned.count(),
        "owned_group_members": ImGroupMember.objects.filter(group__in=owned).exclude(user=user).count(),
        "messages": ImMessage.objects.filter(app_id=user.app_id, chat_type=ImMessage.ChatType.CHAT)
        .filter(Q(from_user=user.username) | Q(to=user.username)).count(),
    }


def im_groups_console_page(*, app, query: str = "", after: int | None = None, size: int = CONSOLE_PAGE_SIZE):
    """A page of the app's groups, newest last (keyset on id), searched by group ID (exact) or name prefix,
    each with its owner and member count (the group's counter). Returns (groups, next_after)."""
    from django.db.models import Q

    from apps.im.models import ImGroup

    rows = ImGroup.objects.filter(app=app).select_related("owner").order_by("id")
    query = (query or "").strip()
    if query:
        rows = rows.filter(Q(group_id=query) | Q(name__istartswith=query))
    if after:
        rows = rows.filter(id__gt=after)
    page = list(rows[: size + 1])
    more = len(page) > size
    page = page[:size]
    return page, (page[-1].pk if more else None)


def im_group_members_console_page(*, group, after: int | None = None, size: int = 50):
    """A page of a group's members (the owner first, then by join order; keyset on the membership id)."""
    from apps.im.models import ImGroupMember

    rows = ImGroupMember.objects.filter(group=group).select_related("user").order_by("id")
    if after:
        rows = rows.filter(id__gt=after)
    page = list(rows[: size + 1])
    more = len(page) > size
    page = page[:size]
    return page, (page[-1].pk if more else None)


def usage_peaks_on(*, day) -> dict[int, int]:
    """{app id: peak REST calls in one second} of every app that made a REST call on the business day ``day``
    (the usage roll-up's UsageDay rows; one query)."""
    from apps.im.models import UsageDay

    return dict(UsageDay.objects.filter(day=day, peak_calls_per_second__gt=0)
                .values_list("app_id", "peak_calls_per_second"))
