"""Domain errors of orders. Views turn them into form errors or messages; ``message`` is user-facing."""

from console.errors import DomainError


class OrderError(DomainError):
    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


class PurchaseNotAllowed(OrderError):
    """The purchase breaks a rule of SPEC §6 (or the org may not buy now); nothing was created."""


class InvalidOrderTransition(OrderError):
    """A status move that TRANSITIONS does not allow."""
