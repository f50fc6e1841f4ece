from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaulttags import CsrfTokenNode
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from apps.features.selectors import State, feature_state
from apps.plans.models import Feature
from apps.plans.templatetags.plans import quota_value

register = template.Library()


@register.inclusion_tag("features/_state_note.html", takes_context=True)
def feature_state_note(context, app, code: str, off_text: str, is_on: bool | None = None) -> dict:
    """The note a settings page shows above its forms: not in the plan (with an Upgrade link for those who
    may buy), or included but off (``off_text``); nothing when the feature is on. ``is_on``: the page's own
    ``feature_is_on`` answer, when it has one."""
    return {
        "app": app,
        "code": code,
        "state": feature_state(app=app, code=code, is_on=is_on),
        "off_text": off_text,
        "feature_name": Feature.Code(code).label,
        "may": context.get("may", {}),
    }


# The feature overview's two tables (issue 14): as template loops their ten rows cost ~0.7 ms of CPU per request
# more (a url, several translate tags and a dozen lookups per row); here each row is one format_html call, with
# the labels translated once per request.

def _with_unit(text, value, unit: str):
    """A quota followed by its unit, unless it is unlimited (None) or has no unit."""
    return format_html("{} {}", text, unit) if value is not None and unit else text


def _upgrade_note(may, plans_url: str):
    if not may.get("purchase"):
        return _("An owner or admin can upgrade the plan.")
    if plans_url:
        return format_html('<a href="{}">{}</a>', plans_url, _("see Plans"))
    return _("see Plans")


@register.simple_tag(takes_context=True)
def feature_switch_rows(context, app, rows, checkout_url: str, plans_url: str):
    """The rows of the switches table: status badge and the action (Upgrade, Enable for free, Settings)."""
    may = context.get("may", {})
    kwargs = {"org_name": app.organization.name, "app_name": app.name}
    badges = {
        State.UPGRADE: format_html('<span class="badge feature-badge-upgrade">{}</span>', _("Not in your plan")),
        State.ENABLE: format_html('<span class="badge feature-badge-off">{}</span>', _("Included, off")),
        State.ON: format_html('<span class="badge feature-badge-on">{}</span>', _("On")),
    }
    buy = bool(checkout_url and may.get("purchase"))
    html = []
    for row in rows:
        code = row.feature.code
        if row.state == State.UPGRADE:
            if buy:
                action = format_html('<a class="btn btn-sm btn-warning" href="{}?feature={}">{}</a>',
                                     checkout_url, code, _("Upgrade"))
            else:
                action = format_html('<span class="fw-semibold">{}</span>\n'
                                     '<span class="text-body-secondary small d-block">{}</span>',
                                     _("Upgrade"), _upgrade_note(may, plans_url))
        elif row.state == State.ENABLE:
            if may.get("change_apps"):
                action = format_html(
                    '<form method="post" action="{}" class="d-inline" data-submit-once>{}'
                    '<button type="submit" class="btn btn-sm btn-primary">{}</button></form>',
                    reverse("features:enable", kwargs={**kwargs, "code": code}),
                    CsrfTokenNode().render(context), _("Enable for free"),
                )
            else:
                action = format_html('<button type="button" class="btn btn-sm btn-outline-secondary" disabled>{}'
                                     '</button>', _("Enable for free"))
        else:
            try:
                action = format_html('<a class="btn btn-sm btn-outline-primary" href="{}">{}</a>',
                                     reverse(row.settings_url_name, kwargs=kwargs), _("Settings"))
            except NoReverseMatch:  # a switch without a settings page
                action = badges[State.ON]
        html.append(format_html('<tr id="feature-{}"><th scope="row">{}</th><td>{}</td><td class="text-end">{}</td>'
                                '</tr>', code, row.feature.name, badges[row.state], action))
    return format_html_join("\n", "{}", ((row,) for row in html))


@register.simple_tag(takes_context=True)
def feature_quota_rows(context, rows, checkout_url: str):
    """The rows of the quotas table: effective value, current use with its meter, plan value, Add-ons/Upgrade."""
    may = context.get("may", {})
    buy = bool(checkout_url and may.get("purchase"))
    addons_label, upgrade_label = _("Add-ons"), _("Upgrade")
    highest = format_html('<span class="text-body-secondary small">{}</span>', _("Highest available"))
    html = []
    for row in rows:
        code, name, unit = row.feature.code, row.feature.name, row.feature.unit
        value_text = quota_value(row.value)
        if row.used is None:
            used = format_html('<span class="text-body-secondary">—</span>')
        else:
            used = format_html("{} / {}", intcomma(row.used), format_html("{} {}", value_text, unit) if unit
                               else value_text)
            if row.used_metered:
                percent = row.used_percent
                used = format_html(
                    '{}\n<meter class="usage-meter{}" min="0" max="{}" value="{}" aria-label="{}: {} / {}">{}%</meter>',
                    used, " usage-meter-full" if percent >= 100 else "", row.value, row.used, name, row.used,
                    row.value, percent,
                )
        actions = []
        if row.addons_available:
            actions.append(format_html('<a class="btn btn-sm btn-outline-primary" href="{}?feature={}#addons">{}</a>',
                                       checkout_url, code, addons_label) if buy
                           else format_html('<span class="text-body-secondary small">{}</span>', addons_label))
        if row.upgrade_available:
            actions.append(format_html('<a class="btn btn-sm btn-outline-warning" href="{}?feature={}">{}</a>',
                                       checkout_url, code, upgrade_label) if buy
                           else format_html('<span class="text-body-secondary small">{}</span>', upgrade_label))
        html.append(format_html(
            '<tr id="feature-{}"><th scope="row">{}</th><td>{}</td>'
            '<td class="quota-usage" data-used="{}">{}</td><td class="text-body-secondary">{}</td>'
            '<td class="text-end"><div class="d-inline-flex gap-2 align-items-center">{}</div></td></tr>',
            code, name, _with_unit(format_html("<strong>{}</strong>", value_text), row.value, unit),
            "" if row.used is None else row.used, used, _with_unit(quota_value(row.plan_value), row.plan_value, unit),
            format_html_join("\n", "{}", ((action,) for action in actions)) if actions else highest,
        ))
    return format_html_join("\n", "{}", ((row,) for row in html))
