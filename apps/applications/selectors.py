from django.db.models import QuerySet

from apps.applications.models import App


def app_list(*, organization, search: str | None = None) -> QuerySet[App]:
    qs = App.objects.filter(organization=organization).select_related("organization", "data_center")
    if search:
        qs = qs.filter(name__icontains=search.strip())
    return qs
