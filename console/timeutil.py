"""Business time: days and months are counted in settings.BUSINESS_TIME_ZONE (Asia/Shanghai)."""

import calendar
import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone


def business_tz() -> ZoneInfo:
    return ZoneInfo(settings.BUSINESS_TIME_ZONE)


def business_now(now: dt.datetime | None = None) -> dt.datetime:
    return (now or timezone.now()).astimezone(business_tz())


def business_date(now: dt.datetime | None = None) -> dt.date:
    return business_now(now).date()


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month_start(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def previous_month_start(day: dt.date) -> dt.date:
    return month_start(month_start(day) - dt.timedelta(days=1))


def days_in_month(day: dt.date) -> int:
    return calendar.monthrange(day.year, day.month)[1]


def business_midnight(day: dt.date) -> dt.datetime:
    """The aware datetime at which a business day starts."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=business_tz())
