"""How feature codes read in the audit log (several apps' entries carry one)."""

from apps.audit.actions import register_actions
from apps.plans.models import Feature

register_actions(value_labels={"feature": dict(Feature.Code.choices)})
