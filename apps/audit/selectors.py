from django.db.models import Q, QuerySet

from apps.accounts.roles import Action, role_may
from apps.audit.models import AuditEntry

# Entries whose facts are billing facts (order numbers and amounts, top-up amounts, payment references): only
# a role that may see billing reads them in the log.
BILLING_ACTION_PREFIXES = ("order.", "billing.")


def audit_list(*, organization, reader_role: str, app=None) -> QuerySet:
    """The org's audit entries that ``reader_role`` may read, newest first, as rows of the fields the log shows
    (named tuples: action, summary, detail, created_at, app_name, actor_email; who and which app in the same
    query). Issue 14: a whole user and app per entry, then three model instances per row, were most of the rows'
    ORM cost. Billing facts are for roles with VIEW_BILLING (owner, admin, finance), never a developer."""
    qs = AuditEntry.objects.filter(organization=organization).values_list(
        "action", "summary", "detail", "created_at", "app__name", "actor__email", named=True
    )
    if not role_may(reader_role, Action.VIEW_BILLING):
        billing = Q()
        for prefix in BILLING_ACTION_PREFIXES:
            billing |= Q(action__startswith=prefix)
        qs = qs.exclude(billing)
    if app is not None:
        qs = qs.filter(app=app)
    return qs
