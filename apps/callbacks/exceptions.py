"""Domain errors of callback rules; views turn them into form errors or messages."""

from django.utils.translation import gettext as _

from console.errors import DomainError


class CallbackRulesFull(DomainError):
    """The app already has ``CatalogSettings.callback_rules_max`` rules; nothing was added."""

    def __init__(self, limit: int):
        self.limit = limit
        self.message = _("An app may have at most %(limit)d callback rules. Delete one to add another.") % {
            "limit": limit
        }
        super().__init__(self.message)


class TestEventTooSoon(DomainError):
    """A test event for the rule was queued less than the interval ago; nothing was queued."""

    def __init__(self, seconds: int):
        self.message = _(
            "A test event for this rule was queued moments ago. Wait %(seconds)d seconds and try again."
        ) % {"seconds": seconds}
        super().__init__(self.message)


class TestEventNotQueued(DomainError):
    """The task queue did not take the test event (broker unreachable); nothing was recorded."""

    def __init__(self):
        self.message = _("The test event could not be queued: the task queue is unreachable. Nothing was sent; "
                         "try again in a moment.")
        super().__init__(self.message)
