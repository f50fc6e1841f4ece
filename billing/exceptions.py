"""Billing's domain errors; views and admin actions turn them into messages."""

from console.errors import DomainError


class BillingError(DomainError):
    """Base class: the message is safe to show to the user."""


class MonthNotOver(BillingError):
    """A month is billed only once it has ended (business time), so its charges can no longer change."""


class TopUpAlreadyDecided(BillingError):
    """A top-up request is confirmed or rejected once; a second decision is refused."""


class InvalidAmount(BillingError):
    """An amount that cannot be credited or adjusted (zero, negative for a top-up, more than two places)."""
