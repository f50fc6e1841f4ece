"""``{% related_alerts "push_cert_expiry" app=app %}``: a feature page shows its open alerts in place."""

from django import template

from apps.notifications.kinds import alert_link, alert_message
from apps.notifications.selectors import open_alert_count, open_alerts_for

register = template.Library()


@register.inclusion_tag("notifications/_related_alerts.html", takes_context=True)
def related_alerts(context, *kinds, app=None):
    request = context.get("request")
    membership = getattr(request, "membership", None)
    if membership is None:
        return {"rows": []}
    count = context.get("open_alert_count")  # the bell's, read once per request (console.context_processors)
    if not (count if count is not None else open_alert_count(membership=membership)):  # quiet org: no query
        return {"rows": []}
    alerts = open_alerts_for(membership=membership, kinds=kinds, app=app)
    org_name = membership.organization.name
    return {"rows": [(a, alert_message(a), alert_link(a, org_name=org_name)) for a in alerts],
            "org_name": org_name}
