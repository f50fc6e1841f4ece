"""Reads of the IM REST service."""

from apps.im.models import ServiceSettings


def service_settings_for(*, app) -> ServiceSettings:
    """The app's IM service settings; an app that never saved any has the defaults (not stored)."""
    return ServiceSettings.objects.filter(app=app).first() or ServiceSettings(app=app)
