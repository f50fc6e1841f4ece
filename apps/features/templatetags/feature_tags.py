from django import template

from apps.features.selectors import feature_state
from apps.plans.models import Feature

register = template.Library()


@register.inclusion_tag("features/_state_note.html", takes_context=True)
def feature_state_note(context, app, code: str, off_text: str) -> dict:
    """The note a settings page shows above its forms: not in the plan (with an Upgrade link for those who
    may buy), or included but off (``off_text``); nothing when the feature is on."""
    return {
        "app": app,
        "code": code,
        "state": feature_state(app=app, code=code),
        "off_text": off_text,
        "feature_name": Feature.Code(code).label,
        "may": context.get("may", {}),
    }
