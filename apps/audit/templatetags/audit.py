"""The rows of the audit log, built in Python (issue 14: 50 entries a page cost several milliseconds in the
template language, a dozen nodes per row and a date filter each; here each row is one f-string of escaped values,
the labels translated once: same HTML)."""

from django import template
from django.utils import timezone
from django.utils.translation import gettext

from apps.audit.actions import action_label, describe
from console.rowhtml import esc, html_join
from console.urltools import row_url_maker

register = template.Library()


@register.simple_tag
def audit_rows(entries, org_name: str):
    """``entries``: rows of ``audit_list`` (of the org named ``org_name``)."""
    app_url = row_url_maker("applications:app_detail", kwargs={"org_name": org_name}, vary="app_name",
                            placeholder="0app0name0")
    system = f'<span class="text-body-secondary">{esc(gettext("System"))}</span>'
    no_app = '<span class="text-body-secondary">—</span>'
    labels = {}

    def row(entry) -> str:
        action = entry.action
        label = labels.get(action)
        if label is None:
            label = labels[action] = esc(action_label(action))
        app = entry.app__name
        app = no_app if app is None else f'<a href="{esc(app_url(app))}">{esc(app)}</a>'
        return (
            f'<tr>\n<td class="text-nowrap small">{timezone.localtime(entry.created_at):%Y-%m-%d %H:%M:%S}</td>\n'
            f'<td>{system if entry.actor__email is None else esc(entry.actor__email)}</td>\n'
            f'<td class="text-nowrap">{app}</td>\n<td><span class="badge text-bg-light border">{label}</span></td>\n'
            f'<td>{esc(describe(action, entry.detail, entry.summary))}</td>\n</tr>\n'
        )

    return html_join(map(row, entries))
