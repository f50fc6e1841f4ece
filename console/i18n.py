from django.utils.translation import get_language


def pick(zh: str, en: str) -> str:
    """Catalog rows carry both names; show the one of the active language."""
    return zh if (get_language() or "").startswith("zh") and zh else en
