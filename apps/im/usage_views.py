"""The usage pages (SPEC §12): an app's last 30 business days as charts with a table fallback and a CSV export,
its quota meters; the organization's usage summed over its apps.

Who sees what: an app's usage page is for the roles that work on the app's IM service (owner, admin,
developer: Action.CHANGE_APPS, like the IM users and groups pages); the organization's usage page is for every
member who may see the apps (Action.VIEW_APPS), finance included, who follows what the apps consume."""

import csv
from collections.abc import Iterator

from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from apps.accounts.access import org_view
from apps.accounts.roles import Action
from apps.applications.access import app_view
from apps.im import usage_selectors as usage
from apps.im.usage_charts import Series, bar_chart, chart_html
from console.memo import remember

APPS_PER_PAGE = 20


def _n(value: int) -> str:
    return number_format(value, force_grouping=True)


def _call_series() -> list[Series]:
    return [Series("calls_2xx", _("Successful (2xx)"), "s-ok"), Series("calls_4xx", _("Refused (4xx)"), "s-4xx"),
            Series("calls_429", _("Rate-limited (429)"), "s-429"), Series("calls_5xx", _("Failed (5xx)"), "s-5xx")]


def _charts(rows: list, *, prefix: str, dau_title: str) -> SafeString:
    """The three charts' markup, remembered per worker (issue 14: ~270 bars and 90 table cells, a third of the
    usage page's CPU): it is a pure function of the language, the page and the 30 rows, which change only when
    the usage roll-up writes (about once a minute for today's row)."""
    key = (get_language(), prefix, dau_title, tuple(rows))
    html = _charts_memo.get(key)
    if html is None:
        charts = _chart_list(rows, usage.total(rows), prefix=prefix, dau_title=dau_title)
        html = remember(_charts_memo, key, mark_safe("".join(chart_html(chart) for chart in charts)),  # noqa: S308
                        size=CHARTS_MEMO_SIZE)  # each chart_html is safe
    return html


CHARTS_MEMO_SIZE = 128  # an entry is ~90 KB of markup
_charts_memo: dict[tuple, SafeString] = {}


def _chart_list(rows: list, totals, *, prefix: str, dau_title: str) -> list:
    return [
        bar_chart(chart_id=f"{prefix}-calls", title=_("REST API calls per day"),
                  summary=_("Calls per day over the last 30 days, split by result; %(total)s in all.")
                  % {"total": _n(totals.calls)}, rows=rows, series=_call_series()),
        bar_chart(chart_id=f"{prefix}-messages", title=_("Messages sent per day"),
                  summary=_("Messages sent per day over the last 30 days; %(total)s in all.")
                  % {"total": _n(totals.messages)}, rows=rows,
                  series=[Series("messages", _("Messages"), "s-msg")]),
        bar_chart(chart_id=f"{prefix}-dau", title=dau_title,
                  summary=_("Distinct IM users active each day over the last 30 days; the busiest day had %(peak)s.")
                  % {"peak": _n(totals.active_users)}, rows=rows,
                  series=[Series("active_users", _("Daily active users"), "s-dau")]),
    ]


def _meter_rows(meters: dict, use: usage.QuotaUse) -> list[dict]:
    """Each meter with what its number is, in the order of the page."""
    return [
        {"meter": meters[usage.IM_USERS], "label": _("Registered IM users"), "unit": "",
         "note": _("IM users registered now.")},
        {"meter": meters[usage.GROUP_MEMBERS], "label": _("Members per group"), "unit": "",
         "note": _("Members of the largest group, its owner included.")},
        {"meter": meters[usage.USER_GROUPS], "label": _("Groups per user"), "unit": "",
         "note": _("Groups the busiest IM user is in.")},
        {"meter": meters[usage.MESSAGE_STORAGE], "label": _("Message storage"), "unit": _("days"),
         "note": ngettext("Age of the oldest stored message; %(count)s message stored.",
                          "Age of the oldest stored message; %(count)s messages stored.", use.stored_messages)
         % {"count": number_format(use.stored_messages, force_grouping=True)}},
        {"meter": meters[usage.REST_RATE], "label": _("REST API calls / s"), "unit": _("calls/s"),
         "note": _("Today's busiest second against the limit; beyond it calls are refused with 429.")},
    ]


@app_view(Action.CHANGE_APPS)
@require_GET
def app_usage(request, app):
    rows = usage.app_usage_days(app=app)
    today = rows[-1]
    use = usage.app_quota_use(app=app, today=today)
    meters = usage.quota_meters(app=app, use=use)
    totals = usage.total(rows)
    return render(request, "im/usage.html", {
        "app": app,
        "rows": rows,
        "today": today,
        "totals": totals,
        "charts": _charts(rows, prefix="app", dau_title=_("Daily active users (DAU)")),
        "meters": _meter_rows(meters, use),
        "first_day": rows[0].day,
    })


class _Echo:
    def write(self, value: str) -> str:
        return value


@app_view(Action.CHANGE_APPS)
@require_GET
def app_usage_csv(request, app):
    """Every day of the window (missing days as zeros), every column; UTF-8 with a BOM for spreadsheets."""
    rows = usage.app_usage_days(app=app)
    header = [_("Date"), _("REST API calls"), _("Successful (2xx)"), _("Refused (4xx)"), _("Rate-limited (429)"),
              _("Failed (5xx)"), _("Messages"), _("Daily active users"), _("Peak calls/s"),
              _("Registered users")]
    writer = csv.writer(_Echo())

    def stream() -> Iterator[str]:
        yield "\ufeff"
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow([f"{row.day:%Y-%m-%d}", row.calls, row.calls_2xx, row.calls_4xx, row.calls_429,
                                   row.calls_5xx, row.messages, row.active_users, row.peak_calls_per_second,
                                   row.registered_users])

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    filename = (f"{app.organization.name}-{app.name}-usage-{rows[0].day:%Y%m%d}-{rows[-1].day:%Y%m%d}.csv")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@org_view(Action.VIEW_APPS)
@require_GET
def org_usage(request, org_name: str):
    rows = usage.org_usage_days(organization=request.organization)
    totals = usage.total(rows)
    page = Paginator(usage.org_apps_for_usage(organization=request.organization), APPS_PER_PAGE).get_page(
        request.GET.get("page"))
    return render(request, "im/org_usage.html", {
        "rows": rows,
        "today": rows[-1],
        "totals": totals,
        "charts": _charts(rows, prefix="org", dau_title=_("Daily active users (DAU), summed over the apps")),
        "page": page,
        "by_app": usage.org_usage_by_app(apps=list(page)),
        "first_day": rows[0].day,
    })
