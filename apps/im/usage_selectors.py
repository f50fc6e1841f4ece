"""Reads of an app's and an organization's usage (SPEC §12) for the console pages: the last 30 business days
from the metering's ``UsageDay`` rows (a missing day is a day of zeros), today's row, and the quota meters
(current use against the limit the entitlement gate gives).

Every function runs a fixed number of queries whatever the number of rows: one per read, aggregates in SQL.
"""

import datetime as dt
from dataclasses import dataclass, fields

from django.db import connection

from apps.im import gate
from apps.im.models import ImGroup, ImMessage, ImUser, OrgUsageDay, UsageDay, UserCounter
from apps.plans.entitlements import Quota
from console import sqlrows
from console.sqlrows import PagedRows
from console.timeutil import business_date, business_now

USAGE_DAYS = 30
FIGURES = ("calls_2xx", "calls_4xx", "calls_429", "calls_5xx", "messages", "active_users",
           "peak_calls_per_second", "registered_users")
SUMMED = ("calls_2xx", "calls_4xx", "calls_429", "calls_5xx", "messages", "active_users")

# The quota features a meter shows, in the order of the page (the catalog codes of apps.plans).
IM_USERS, GROUP_MEMBERS, USER_GROUPS, MESSAGE_STORAGE, REST_RATE = (
    "im_users", "group_members", "user_groups", "message_storage", "rest_rate")


@dataclass(frozen=True)
class UsageRow:
    """One business day of an app (or the sum over an organization's apps)."""

    day: dt.date
    calls_2xx: int = 0
    calls_4xx: int = 0
    calls_429: int = 0
    calls_5xx: int = 0
    messages: int = 0
    active_users: int = 0
    peak_calls_per_second: int = 0
    registered_users: int = 0

    @property
    def calls(self) -> int:
        return self.calls_2xx + self.calls_4xx + self.calls_429 + self.calls_5xx


def usage_window(*, today: dt.date | None = None, days: int = USAGE_DAYS) -> tuple[dt.date, dt.date]:
    """The first and last business day of the window that ends today (inclusive)."""
    today = today or business_date()
    return today - dt.timedelta(days=days - 1), today


def _fill(found: dict[dt.date, dict], first: dt.date, last: dt.date) -> list[UsageRow]:
    names = {f.name for f in fields(UsageRow)} - {"day"}
    rows, day = [], first
    while day <= last:
        values = found.get(day, {})
        rows.append(UsageRow(day=day, **{name: int(values.get(name) or 0) for name in names}))
        day += dt.timedelta(days=1)
    return rows


# The reads of ``UsageDay`` below, in SQL (issue 14: built with the ORM, each of them, a filter with ``values`` and six
# ``Sum``, cost ~1.5 CPU ms more to build and compile than to run, on pages that make two or three; the SQL is what
# the ORM wrote). ``{usage}`` and ``{org_usage}`` are the tables; the columns are the fields named above; values are
# params.
_APP_DAYS = f"""
    SELECT day, {", ".join(FIGURES)} FROM {{usage}} WHERE app_id = %s AND day BETWEEN %s AND %s
"""  # noqa: S608 -- table and field names only; values are params
_ORG_DAYS = f"""
    SELECT day, {", ".join(SUMMED)} FROM {{org_usage}} WHERE organization_id = %s AND day BETWEEN %s AND %s
"""  # noqa: S608 -- table and field names only; values are params
_APPS_TOTALS = f"""
    SELECT app_id, {", ".join(f"MAX({n})" if n == "active_users" else f"SUM({n})" for n in SUMMED)}
    FROM {{usage}} WHERE app_id IN ({{ids}}) AND day BETWEEN %s AND %s GROUP BY app_id
"""  # noqa: S608 -- table and field names and a %s per id only; values are params


def _usage_rows(sql: str, params: list, **parts) -> list[tuple]:
    return sqlrows.fetch(sql.format(usage=sqlrows.table(UsageDay), org_usage=sqlrows.table(OrgUsageDay), **parts),
                         params)


def app_usage_days(*, app, today: dt.date | None = None, days: int = USAGE_DAYS) -> list[UsageRow]:
    """The app's last ``days`` business days, oldest first, today last; one query."""
    first, last = usage_window(today=today, days=days)
    found = {day: dict(zip(FIGURES, figures, strict=True))
             for day, *figures in _usage_rows(_APP_DAYS, [app.pk, first, last])}
    return _fill(found, first, last)


def app_usage_today(*, app, today: dt.date | None = None) -> UsageRow:
    """Today's row of the app (zeros before the first metered call of the day); one query."""
    return app_usage_days(app=app, today=today, days=1)[0]


def org_usage_days(*, organization, today: dt.date | None = None, days: int = USAGE_DAYS) -> list[UsageRow]:
    """The organization's apps summed per business day: the usage roll-up's ``OrgUsageDay`` rows (one read of
    at most ``days`` rows), so the figures are as of the last roll-up (every minute). DAU is the sum of the apps'
    DAU (a user of two apps counts twice: each app is its own IM service); the peak calls/s and registered users
    are per app and not summed, so they stay 0 here."""
    first, last = usage_window(today=today, days=days)
    found = {day: dict(zip(SUMMED, sums, strict=True))
             for day, *sums in _usage_rows(_ORG_DAYS, [organization.pk, first, last])}
    return _fill(found, first, last)


@dataclass(frozen=True)
class UsageApp:
    pk: int
    name: str


class _OrgApps(PagedRows):
    """The organization's apps (id and name) in name order, for a paginator: counted once, a page read in SQL
    (issue 14: the ORM spent ~1 CPU ms a view building the count and the page)."""

    def __init__(self, organization_id: int):
        from apps.applications.models import App

        self.organization_id, self.apps = organization_id, sqlrows.table(App)
        self.count = sqlrows.fetch(f"SELECT COUNT(*) FROM {self.apps} WHERE organization_id = %s",  # noqa: S608
                                   [organization_id])[0][0]

    def page(self, *, offset: int, limit: int) -> list[UsageApp]:
        return [UsageApp(pk, name) for pk, name in sqlrows.fetch(
            f"SELECT id, name FROM {self.apps} WHERE organization_id = %s ORDER BY name LIMIT %s OFFSET %s",  # noqa: S608
            [self.organization_id, limit, offset])]


def org_apps_for_usage(*, organization) -> PagedRows:
    """The organization's apps in name order (the app list's order), for a paginator; a page of them gets its
    totals from ``org_usage_by_app``, so the cost is the page's, not the organization's 1,000 apps'."""
    return _OrgApps(organization.pk)


@dataclass(frozen=True)
class AppUsage:
    app: object
    totals: UsageRow  # the window's sums; active_users is the highest DAU of a day


def org_usage_by_app(*, apps, today: dt.date | None = None, days: int = USAGE_DAYS) -> list[AppUsage]:
    """Each of ``apps`` (a page) with its totals over the window: one GROUP BY over their usage rows (none without
    apps)."""
    first, last = usage_window(today=today, days=days)
    ids = [app.pk for app in apps]
    sums = {app_id: dict(zip(SUMMED, figures, strict=True)) for app_id, *figures in _usage_rows(
        _APPS_TOTALS, [*ids, first, last], ids=", ".join(["%s"] * len(ids)))} if ids else {}
    rows = []
    for app in apps:
        found = sums.get(app.pk, {})
        rows.append(AppUsage(app=app, totals=UsageRow(day=last, **{
            name: int(found.get(name) or 0) for name in SUMMED})))
    return rows


def total(rows: list[UsageRow]) -> UsageRow:
    """The window's totals (DAU: the highest day; the peak: the highest second; registered: the last day)."""
    if not rows:
        return UsageRow(day=business_date())
    return UsageRow(
        day=rows[-1].day,
        **{name: sum(getattr(row, name) for row in rows) for name in SUMMED if name != "active_users"},
        active_users=max(row.active_users for row in rows),
        peak_calls_per_second=max(row.peak_calls_per_second for row in rows),
        registered_users=rows[-1].registered_users,
    )


@dataclass(frozen=True)
class QuotaUse:
    """What the app uses of each quota now (one query for all of them)."""

    registered_users: int
    largest_group: int  # members (the owner included) of the app's largest group
    busiest_user: int  # groups the app's busiest user is in
    stored_messages: int
    oldest_message_days: int  # age in whole days of the oldest stored message (0 without one)
    peak_calls_per_second: int  # today's busiest second

    def by_code(self) -> dict[str, int]:
        """The use counted against each quota feature (message storage: the oldest message's age in days)."""
        return {IM_USERS: self.registered_users, GROUP_MEMBERS: self.largest_group, USER_GROUPS: self.busiest_user,
                MESSAGE_STORAGE: self.oldest_message_days, REST_RATE: self.peak_calls_per_second}


def _quota_use_sql() -> str:
    """The scalar subqueries of ``app_quota_use``, the app's id their one parameter (five times)."""
    counter, group, user, message = (connection.ops.quote_name(model._meta.db_table)
                                     for model in (UserCounter, ImGroup, ImUser, ImMessage))
    return f"""
        SELECT COALESCE((SELECT registered FROM {counter} WHERE app_id = %s LIMIT 1), 0),
               COALESCE((SELECT MAX(member_count) FROM {group} WHERE app_id = %s), 0),
               COALESCE((SELECT MAX(group_count) FROM {user} WHERE app_id = %s), 0),
               (SELECT COUNT(*) FROM {message} WHERE app_id = %s),
               (SELECT MIN(sent_at) FROM {message} WHERE app_id = %s)
    """  # noqa: S608 -- table names only; the app's id is a param


def app_quota_use(*, app, today: UsageRow, now: dt.datetime | None = None) -> QuotaUse:
    """The current use of every quota of the app, in one query of scalar subqueries: the IM users from the
    app's counter row (exact, kept by the register/delete services; the metering's registered_users is the
    day's peak and may lag a minute), the largest group and the busiest user from the groups' and users'
    counters (kept by the group services; a backwards read of the (app, member_count) and (app, group_count)
    indexes), and the stored messages with the oldest one. The calls/s peak is today's ``UsageDay`` row.

    The stored messages are counted here, exactly, on each view: an index-only scan of the app's messages
    (~1 ms for the bench's 10,000; the retention job keeps them to the plan's few days), and the oldest is one
    read of the (app, sent_at) index. A counter kept by the send service would add a database write to every
    REST send (the REST path does none it can avoid), and the metering's messages per day count deliveries, not
    what the retention job leaves stored, so neither replaces the count.

    Written in SQL (issue 14: built with the ORM, five ``Subquery`` expressions, this query cost ~3 CPU ms to
    build and compile on each usage page, a sixth of the page; the SQL is what the ORM wrote)."""
    with connection.cursor() as cursor:
        cursor.execute(_quota_use_sql(), [app.pk] * 5)
        registered, largest, busiest, stored, oldest = cursor.fetchone()
    if oldest is not None:  # as the ORM reads a DateTimeField (SQLite answers text, PostgreSQL a datetime)
        column = ImMessage._meta.get_field("sent_at").cached_col
        for convert in connection.ops.get_db_converters(column) + column.get_db_converters(connection):
            oldest = convert(oldest, column, connection)
    now = business_now(now)
    return QuotaUse(
        registered_users=registered, largest_group=largest, busiest_user=busiest, stored_messages=stored,
        oldest_message_days=max(0, (now - oldest).days) if oldest else 0,
        peak_calls_per_second=today.peak_calls_per_second,
    )


@dataclass(frozen=True)
class Meter:
    """A quota meter: ``used`` against the app's effective ``quota`` (the gate's ``Quota``, which alone knows
    what "unlimited" is). ``percent`` is for the bar (0 when unlimited); ``full`` once one more would not fit."""

    code: str
    used: int
    quota: Quota

    @property
    def unlimited(self) -> bool:
        return self.quota.unlimited

    @property
    def limit(self) -> int | None:
        return self.quota.value

    @property
    def full(self) -> bool:
        return not self.quota.allows(self.used + 1)

    @property
    def percent(self) -> int:
        return self.quota.percent_used(self.used)


def quota_meters(*, app, use: QuotaUse) -> dict[str, Meter]:
    """Each quota's current use against the app's effective limit from the entitlement gate, by code."""
    entitlements = gate.entitlements(app=app)
    return {code: Meter(code=code, used=value, quota=entitlements.quota(code))
            for code, value in use.by_code().items()}


def quota_usage_for_overview(*, app) -> dict[str, int]:
    """Current use by quota code, for the feature overview's quota rows (registered with apps.features): two
    queries, the limits being the overview's own."""
    today = app_usage_today(app=app)
    return app_quota_use(app=app, today=today).by_code()
