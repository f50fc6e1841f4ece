"""Domain errors of the IP whitelist; views turn them into form errors."""

from django.utils.translation import gettext_lazy as _

from console.errors import DomainError


class WhitelistError(DomainError):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class WhitelistFull(WhitelistError):
    """Adding would take the app past the catalog's ``ip_whitelist_max``; nothing was added."""

    def __init__(self, *, limit: int, used: int, adding: int):
        self.limit, self.used, self.adding = limit, used, adding
        left = max(limit - used, 0)
        if left == 0:
            message = _(
                "The whitelist is full: an app may have at most %(limit)d entries. Delete one to add another."
            ) % {"limit": limit}
        else:
            message = _(
                "An app may have at most %(limit)d entries: %(used)d are used, so at most %(left)d more can be "
                "added (you entered %(adding)d)."
            ) % {"limit": limit, "used": used, "left": left, "adding": adding}
        super().__init__(message)


class DuplicateEntries(WhitelistError):
    """Some networks are already on the app's list (``networks``, canonical); nothing was added."""

    def __init__(self, networks: list[str]):
        self.networks = networks
        super().__init__(_("Already on the list: %(networks)s.") % {"networks": ", ".join(networks)})
