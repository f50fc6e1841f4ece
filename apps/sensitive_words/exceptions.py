from django.utils.translation import gettext as _

from console.errors import DomainError


class WordListFull(DomainError):
    """Adding these words would take the app's list over its cap; nothing was saved."""

    def __init__(self, *, limit: int, current: int, new: int) -> None:
        self.limit, self.current, self.new = limit, current, new
        super().__init__(_(
            "The list can hold at most %(limit)s words. It has %(current)s, and %(new)s new ones would make "
            "%(total)s. Nothing was added."
        ) % {"limit": f"{limit:,}", "current": f"{current:,}", "new": f"{new:,}", "total": f"{current + new:,}"})
