"""How an alert reads: its message is built from ``kind`` and ``facts`` in the active language when shown."""

from decimal import Decimal

from django.urls import NoReverseMatch, reverse
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from apps.notifications.models import Alert, Kind
from console.money import format_money


def _quota_name(code: str) -> str:
    return {"im_users": _("registered IM users"), "group_members": _("members in one group")}.get(code, code)


def alert_message(alert: Alert) -> str:
    f = alert.facts
    if alert.kind == Kind.ARREARS:
        return _("Your balance is %(balance)s: the organization is in arrears. Top up to keep buying and renewing.") % {
            "balance": format_money(Decimal(f["balance"]))}
    if alert.kind == Kind.LOW_BALANCE:
        return _("Your balance of %(balance)s covers about %(days)s days at this month's rate of %(daily)s a day "
                 "(alert below %(threshold)s days).") % {
            "balance": format_money(Decimal(f["balance"])), "days": f["days_left"],
            "daily": format_money(Decimal(f["daily"])), "threshold": f["threshold"]}
    if alert.kind == Kind.PUSH_CERT_EXPIRY:
        when = date_format(localtime(parse_datetime(f["expires_at"])), "DATE_FORMAT")
        if f["stage"] == "expired":
            return _("Push certificate %(name)s of app %(app)s expired on %(date)s: pushes through it fail. "
                     "Upload a new one.") % {"name": f["certificate"], "app": f["app"], "date": when}
        return _("Push certificate %(name)s of app %(app)s expires on %(date)s. Upload a new one before then.") % {
            "name": f["certificate"], "app": f["app"], "date": when}
    if alert.kind == Kind.CALLBACK_FAILING:
        return _("Callback rule %(rule)s of app %(app)s failed %(failures)s deliveries in a row. Check that its "
                 "URL answers.") % {"rule": f["rule"], "app": f["app"], "failures": f["failures"]}
    if alert.kind == Kind.CALLBACK_DISABLED:
        return _("Callback rule %(rule)s of app %(app)s was switched off after %(failures)s failed deliveries in a "
                 "row. Fix its URL, then open the rule, tick Enabled and save to switch it back on.") % {
            "rule": f["rule"], "app": f["app"], "failures": f["failures"]}
    if alert.kind == Kind.QUOTA and f["code"] == "rest_rate":
        return _("App %(app)s peaked at %(used)s REST API calls in one second today (limit %(limit)s calls/s, "
                 "alert at %(percent)s%%); calls beyond the limit are refused (429). Buy units of the REST API "
                 "rate add-on to lift the limit.") % {
            "app": f["app"], "used": f["used"], "limit": f["limit"], "percent": f["percent"]}
    if alert.kind == Kind.QUOTA:
        return _("App %(app)s has %(used)s %(what)s of its limit of %(limit)s (%(percent)s%%). Upgrade or add an "
                 "add-on to lift the limit.") % {"app": f["app"], "used": f["used"], "what": _quota_name(f["code"]),
                                                 "limit": f["limit"], "percent": f["percent"]}
    return alert.get_kind_display()


def alert_link(alert: Alert, *, org_name: str) -> str:
    """The page that fixes the condition ("" if it no longer exists)."""
    if not alert.url_name:
        return ""
    try:
        url = reverse(alert.url_name, kwargs={"org_name": org_name, **alert.url_kwargs})
    except NoReverseMatch:
        return ""
    return f"{url}?{alert.url_query}" if alert.url_query else url
