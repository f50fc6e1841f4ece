"""The table rows of the console's IM users, IM groups and usage-of-all-apps pages, each table in one pass, and the
usage page's quota meters (issue 14: as ``{% for %}`` loops, the IM users page's 20 rows were ~10 of its ~20 CPU
ms: six ``{% url %}`` tags a row, none of them in the reverse memo since each names its user, four
``{% csrf_token %}``, eight ``{% translate %}`` and a date filter; the usage of all apps' 20 rows, six ``|intcomma``
each, ~3 ms). The markup is the templates'; every value is escaped (``format_html``, or ``console.rowhtml.esc``
in the IM users' rows)."""

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from apps.im.usage_charts import grouped_int_formatter
from console.rowhtml import esc, html_join
from console.urltools import row_url_maker

register = template.Library()


def _minute(value, zone) -> str:
    """``{{ value|date:"Y-m-d H:i" }}``: an aware datetime in the active time zone."""
    return f"{timezone.localtime(value, zone):%Y-%m-%d %H:%M}"


@register.simple_tag(takes_context=True)
def im_user_rows(context, rows, app):
    """A row per IM user: username, nickname, status, created, and the actions (ban or unban, force logout, get a
    token, reset the password, delete). Each row is an f-string of the constants escaped once here and its own
    values escaped (a ``format_html`` of 14 values a row was ~1 CPU ms of the page's 20 rows)."""
    kwargs = {"org_name": app.organization.name, "app_name": app.name}
    # Usernames are [a-z0-9_.-] (apps.im.services.users.USERNAME): nothing in them to quote in a path.
    url = {name: row_url_maker(f"im_console:user_{name}", kwargs=kwargs, vary="username", placeholder="0user0name0")
           for name in ("ban", "unban", "logout", "token", "password", "delete")}
    csrf = str(CsrfTokenNode().render(context))
    active = f'<span class="badge text-bg-success">{esc(_("Active"))}</span>'
    banned = f'<span class="badge text-bg-secondary">{esc(_("Banned"))}</span>'
    ban = f'{csrf}<button class="btn btn-sm btn-outline-warning">{esc(_("Ban"))}</button></form>'
    unban = f'{csrf}<button class="btn btn-sm btn-outline-success">{esc(_("Unban"))}</button></form>'
    logout, token = esc(_("Force logout")), esc(_("Get token"))
    password, delete = esc(_("Reset password")), esc(_("Delete"))
    zone = timezone.get_current_timezone()

    def row(row) -> str:
        username = row.username
        name = esc(username)
        status, verb, button = (active, "ban", ban) if row.activated else (banned, "unban", unban)
        return (
            f'\n      <tr data-im-user="{name}">\n        <td class="mono">{name}</td><td>{esc(row.nickname)}</td>\n'
            f"        <td>{status}</td>\n        <td>{_minute(row.created, zone)}</td>\n"
            f'        <td class="text-nowrap">\n          <form method="post" class="d-inline" '
            f'action="{esc(url[verb](username))}">{button}\n'
            f'          <form method="post" class="d-inline" action="{esc(url["logout"](username))}">{csrf}'
            f'<button class="btn btn-sm btn-outline-secondary">{logout}</button></form>\n'
            f'          <form method="post" class="d-inline" action="{esc(url["token"](username))}">{csrf}'
            f'<button class="btn btn-sm btn-outline-secondary">{token}</button></form>\n'
            '          <a class="btn btn-sm btn-outline-secondary" '
            f'href="{esc(url["password"](username))}">{password}</a>\n'
            f'          <a class="btn btn-sm btn-outline-danger" href="{esc(url["delete"](username))}">{delete}</a>\n'
            "        </td>\n      </tr>\n    "
        )

    return html_join(map(row, rows))


_GROUP_ROW = """
      <tr data-group="{group_id}"><td class="mono"><a href="{url}">{group_id}</a></td>
        <td>{name}</td><td class="mono">{owner}</td><td>{member_count} / {maxusers}</td><td>{created}</td></tr>
    """


@register.simple_tag
def im_group_rows(rows, app):
    """A row per group (``im_groups_console_page``): its ID linking to the group, name, owner, members, created."""
    # Group IDs are 15-digit decimal strings (apps.im.models._group_id): nothing in them to quote in a path.
    url = row_url_maker("im_console:group_detail", kwargs={"org_name": app.organization.name, "app_name": app.name},
                        vary="group_id", placeholder="0group0id0")
    zone = timezone.get_current_timezone()
    return format_html_join("", _GROUP_ROW, ({
        "group_id": row.group_id, "url": url(row.group_id), "name": row.name, "owner": row.owner.username,
        "member_count": row.member_count, "maxusers": row.maxusers, "created": _minute(row.created, zone),
    } for row in rows))


_APP_USAGE_ROW = """
      <tr data-app="{name}">
        <th scope="row" class="fw-normal">{app}</th>
        <td class="text-end mono">{calls}</td><td class="text-end mono">{calls_4xx}</td>
        <td class="text-end mono">{calls_429}</td><td class="text-end mono">{calls_5xx}</td>
        <td class="text-end mono">{messages}</td><td class="text-end mono">{active_users}</td>
      </tr>
    """


@register.simple_tag
def usage_by_app_rows(rows, organization, link):
    """A row per app (``org_usage_by_app``) with its totals over the window, grouped as ``|intcomma`` does; the
    name links to the app's usage page when ``link`` (the roles that may open it)."""
    url = row_url_maker("im_console:usage", kwargs={"org_name": organization.name}, vary="app_name",
                        placeholder="0app0name0")
    number = grouped_int_formatter()

    def name(app) -> str:
        return f'<a href="{esc(url(app.name))}">{esc(app.name)}</a>' if link else esc(app.name)

    return html_join(_APP_USAGE_ROW.format(
        name=esc(row.app.name), app=name(row.app), calls=esc(number(row.totals.calls)),
        calls_4xx=esc(number(row.totals.calls_4xx)), calls_429=esc(number(row.totals.calls_429)),
        calls_5xx=esc(number(row.totals.calls_5xx)), messages=esc(number(row.totals.messages)),
        active_users=esc(number(row.totals.active_users)),
    ) for row in rows)


_METER = """<div class="usage-box quota-meter" id="meter-{code}" data-used="{used}" data-limit="{limit}">
  <div class="d-flex justify-content-between align-items-baseline gap-3">
    <span class="stat-label">{label}</span>
    <span class="usage-count">{used_grouped} / {limit_grouped}{unit}</span>
  </div>
  {bar}
</div>
"""


@register.simple_tag
def quota_meters(rows):
    """The usage page's quota meters (``usage_views._meter_rows``): "used / limit" and a bar, or "Unlimited"
    (issue 14: as an included template per meter they were ~0.5 ms of the page)."""
    number = grouped_int_formatter()
    unlimited, at_limit = _("Unlimited"), _("At the limit")

    def bar(meter, label, note):
        if meter.unlimited:
            return format_html('<div class="small text-body-secondary mt-1"><span class="badge feature-badge-on">{}'
                               "</span> {}</div>", unlimited, note)
        return format_html(
            '<meter class="usage-meter{}" min="0" max="{}" value="{}" aria-label="{}: {} / {}">{}%</meter>\n'
            '  <div class="small text-body-secondary mt-1">{}{}</div>',
            " usage-meter-full" if meter.full else "", meter.limit, meter.used, label, meter.used, meter.limit,
            meter.percent, note,
            format_html(' · <strong class="text-warning-emphasis">{}</strong>', at_limit) if meter.full else "")

    return format_html_join("", _METER, ({
        "code": row["meter"].code, "used": row["meter"].used,
        "limit": "unlimited" if row["meter"].unlimited else row["meter"].limit, "label": row["label"],
        "used_grouped": number(row["meter"].used),
        "limit_grouped": unlimited if row["meter"].unlimited else number(row["meter"].limit),
        "unit": format_html(" {}", row["unit"]) if row["unit"] else "",
        "bar": bar(row["meter"], row["label"], row["note"]),
    } for row in rows))


_FIELD_COLUMN = """
      <div class="col-md-{width}">
        <label class="form-label" for="{id}">{label}</label>
        {widget}
        {errors}
      </div>
      """


@register.simple_tag
def form_columns(form, width, **widths):
    """A Bootstrap column per field of ``form``: label, widget, errors; ``width`` columns wide, or the width given
    by the field's name (``{% form_columns message_form 4 text=12 %}``). Issue 14: as a ``{% for %}`` loop the IM
    users page's two forms were ~0.6 CPU ms of template nodes around their widgets."""
    return format_html_join("", _FIELD_COLUMN, ({
        "width": widths.get(field.name, width), "id": field.id_for_label, "label": field.label, "widget": field,
        "errors": format_html_join("", '<div class="invalid-feedback d-block">{}</div>', ((e,) for e in field.errors)),
    } for field in form))
