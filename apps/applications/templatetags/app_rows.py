"""The rows of the app list, built in Python (issue 14: 20 rows of ten template variables each, with the app's
data center and AppKey read through model instances, were about a third of the app list's CPU; here each row is one
f-string of its escaped values: same HTML)."""

from django import template
from django.utils import timezone

from apps.applications.models import App, app_key
from apps.applications.selectors import plans_by_id
from console.i18n import pick
from console.rowhtml import esc, html_join
from console.urltools import row_url_maker

register = template.Library()


@register.simple_tag
def app_rows(apps, org_name: str) -> str:
    """``apps``: rows of the app list (named: pk, name, product_name, status, created_at, the data center's
    name_zh and name_en, current_plan_id: None for Free) of the org named ``org_name``."""
    plans = plans_by_id()
    plan_cells = {  # the plan badge of each plan id (None: Free), escaped once
        plan_id: f'<span class="badge rounded-pill plan-badge plan-{esc(plan.code)}">{esc(plan.name)}</span>'
        for plan_id, plan in plans.items()
    }
    status_labels = {value: esc(str(label)) for value, label in App.Status.choices}
    detail_url = row_url_maker("applications:app_detail", kwargs={"org_name": org_name}, vary="app_name",
                               placeholder="0app0name0")

    def row(app) -> str:
        name, status = esc(app.name), app.status
        plan = plan_cells.get(app.current_plan_id) or plan_cells[None]
        return (
            f'<tr>\n<td><a class="fw-semibold" href="{esc(detail_url(app.name))}">{name}</a></td>\n'
            f'<td class="mono small">{esc(app_key(org_name, app.name))}</td>\n'
            f'<td>{esc(app.product_name)}</td>\n'
            f'<td>{esc(pick(app.data_center__name_zh, app.data_center__name_en))}</td>\n<td>{plan}</td>\n'
            f'<td><span class="badge rounded-pill app-status-{esc(status)}">'
            f'{status_labels.get(status) or esc(status)}</span></td>\n'
            f'<td class="text-nowrap">{timezone.localtime(app.created_at):%Y-%m-%d}</td>\n</tr>\n'
        )

    return html_join(map(row, apps))
