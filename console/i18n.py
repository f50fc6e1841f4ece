from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def pick(zh: str, en: str) -> str:
    """Catalog rows carry both names; show the one of the active language."""
    return zh if (get_language() or "").startswith("zh") and zh else en


class BilingualNamed(models.Model):
    """A catalog row named in both languages; ``name`` (and str()) is the one of the active language."""

    name_zh = models.CharField(_("name (Chinese)"), max_length=64)
    name_en = models.CharField(_("name (English)"), max_length=64)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick(self.name_zh, self.name_en)
