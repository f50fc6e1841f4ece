"""Domain errors of apps; views turn them into form errors or messages."""

from django.utils.translation import gettext_lazy as _

from console.errors import DomainError


class AppError(DomainError):
    message = _("The app could not be saved.")

    def __init__(self, message=None):
        super().__init__(message or self.message)
        self.message = message or self.message


class AppLimitReached(AppError):
    def __init__(self, limit: int):
        self.limit = limit
        super().__init__(
            _("Your organization already has %(limit)d apps, the most it may have. Contact support to raise the limit.")
            % {"limit": limit}
        )


class AppNameTaken(AppError):
    message = _("An app with this AppName already exists in your organization.")


class AppFieldImmutable(AppError):
    def __init__(self, field: str):
        self.field = field
        super().__init__(_("%(field)s cannot be changed after the app is created.") % {"field": field})
