"""URLs for the rows of a page, reversed once per page (issue 14: a ``{% url %}`` per row was a tenth of the
members page and of the audit log); and ``reverse`` remembered per process, behind every ``{% url %}`` tag
(console.templatetags.urlcache, a template builtin) and the left navigation."""

from collections.abc import Callable
from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.safestring import SafeString
from django.utils.translation import get_language


def row_url_maker(viewname: str, *, kwargs: dict, vary: str, placeholder) -> Callable[[object], str]:
    """Reverse ``viewname`` once with ``placeholder`` as ``kwargs[vary]``; the maker puts a row's value in its place.

    For values that need no quoting in a path (ids, app and org names, order numbers). The placeholder is the
    last of its kind in the path, so the value it stands for follows every fixed part (an org name that happens
    to contain it is left alone)."""
    template = reverse(viewname, kwargs={**kwargs, vary: placeholder})
    head, _sep, tail = template.rpartition(str(placeholder))
    return lambda value: f"{head}{value}{tail}"


def reverse_cached(viewname, *, args=(), kwargs=None, current_app=None) -> str:
    """``reverse``, remembered per process (issue 14: the top bar, the left navigation and the page's own links are
    the same few dozen URLs on every request, and each ``reverse`` cost as much as rendering a table row).

    The answer is a pure function of its arguments, the script prefix, the URLconf and the language, which are all
    in the key; only plain ``str``/``int`` arguments are remembered (anything else is reversed as usual), and a
    NoReverseMatch is raised again each time, never remembered."""
    kwargs = kwargs or {}
    if type(viewname) in _PLAIN_STR and all(type(a) in _PLAIN for a in args) and all(
        type(v) in _PLAIN for v in kwargs.values()
    ):
        return _reverse_remembered(str(viewname), tuple(map(_plain, args)),
                                   tuple(sorted((k, _plain(v)) for k, v in kwargs.items())), current_app,
                                   get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF, get_language())
    return reverse(viewname, args=args, kwargs=kwargs, current_app=current_app)


# A template's string literals ({% url 'app:view' %}) and escaped values are SafeStrings: the same text, remembered
# as plain str (before, every {% url %} tag missed the memo and reversed: issue 14).
_PLAIN_STR = (str, SafeString)
_PLAIN = (str, SafeString, int)


def _plain(value):
    return str(value) if type(value) is SafeString else value


@lru_cache(maxsize=8192)
def _reverse_remembered(viewname, args, kwargs, current_app, _prefix, _urlconf, _root, _language) -> str:
    return reverse(viewname, args=list(args), kwargs=dict(kwargs), current_app=current_app)
