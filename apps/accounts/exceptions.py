"""Domain errors of organizations and members; views turn them into form errors or messages."""

from console.errors import DomainError


class AccountError(DomainError):
    """Base class: ``str(error)`` is a sentence a user can read."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


class OrgNameTaken(AccountError):
    pass


class EmailTaken(AccountError):
    pass


class RoleNotAllowed(AccountError):
    """The acting member's role may not grant, change or remove this role (an admin and an owner)."""


class LastOwner(AccountError):
    """The organization would be left without an owner."""


class AlreadyMember(AccountError):
    pass


class InvitationNotUsable(AccountError):
    """Expired, or already accepted."""


class InvitationWrongAccount(AccountError):
    """Signed in with another email than the one invited."""


class RecheckLocked(AccountError):
    """Too many wrong passwords or codes at a re-check: refused for a while, like the login lockout."""
