import hmac

from django.db.models import QuerySet

from apps.applications.models import App, DataCenter
from apps.plans.models import Plan
from apps.plans.selectors import all_plans


def app_list(*, organization, search: str | None = None) -> QuerySet[App]:
    """The org's apps, newest first. The app list reads the columns it shows from it as rows (with the data
    center's name and each app's plan: orders.entitlements), never the Client Secret, which would cost a
    decryption per app."""
    qs = App.objects.filter(organization=organization)
    search = (search or "").strip()
    if search:
        qs = qs.filter(name__icontains=search)
    return qs


def plans_by_id() -> dict[int | None, Plan]:
    """Every plan by id (the cached catalog), with the Free plan also under ``None`` (an app without a plan order)."""
    plans = {plan.pk: plan for plan in all_plans()}
    free = next((plan for plan in plans.values() if plan.code == Plan.Code.FREE), None)
    plans[None] = free
    return plans


def data_centers_open() -> QuerySet[DataCenter]:
    """Data centers a new app may be created in."""
    return DataCenter.objects.filter(is_active=True)


def app_count(*, organization) -> int:
    return App.objects.filter(organization=organization).count()


def app_by_credentials(*, client_id: str, client_secret: str) -> App | None:
    """The active app these client credentials belong to, or None. The secret is compared in constant time;
    it is encrypted at rest, so the row is found by its Client ID."""
    app = App.objects.select_related("organization").filter(client_id=client_id, status=App.Status.ACTIVE).first()
    if app is None or not hmac.compare_digest(app.client_secret.encode(), client_secret.encode()):
        return None
    return app
