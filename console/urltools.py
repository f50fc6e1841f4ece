"""URLs for the rows of a page, reversed once per page (issue 14: a ``{% url %}`` per row was a tenth of the
members page and of the audit log)."""

from collections.abc import Callable

from django.urls import reverse


def row_url_maker(viewname: str, *, kwargs: dict, vary: str, placeholder) -> Callable[[object], str]:
    """Reverse ``viewname`` once with ``placeholder`` as ``kwargs[vary]``; the maker puts a row's value in its place.

    For values that need no quoting in a path (ids, app and org names, order numbers). The placeholder is the
    last of its kind in the path, so the value it stands for follows every fixed part (an org name that happens
    to contain it is left alone)."""
    template = reverse(viewname, kwargs={**kwargs, vary: placeholder})
    head, _sep, tail = template.rpartition(str(placeholder))
    return lambda value: f"{head}{value}{tail}"
