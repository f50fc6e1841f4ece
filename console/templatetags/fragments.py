"""``{% remembered key… %}…{% endremembered %}``: a fragment's markup remembered per worker (issue 14).

Some parts of a page are a pure function of a few values and the language (the empty forms of a settings page:
dozens of ``{% translate %}``, ``{% url %}`` and field lookups, about a CPU millisecond through the template
engine). The tag renders its body once per (fragment, language, key values) and serves the markup from then on,
with each request's own CSRF token put in. The key values must name everything the body shows; the body is
rendered afresh, not remembered, on any request but a GET (a refused form comes back bound, with its errors).
"""

import secrets

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from console.memo import remember

register = template.Library()

_CSRF_MARK = f"csrf-{secrets.token_hex(16)}"  # random per process: no shown value can contain it
_fragments: dict[tuple, str] = {}


class RememberedNode(template.Node):
    def __init__(self, nodelist, keys):
        self.nodelist, self.keys = nodelist, keys

    def render(self, context) -> str:
        request = context.get("request")
        if request is None or request.method != "GET":
            return self.nodelist.render(context)
        key = (id(self), get_language(), *(value.resolve(context) for value in self.keys))
        html = _fragments.get(key)
        if html is None:
            with context.push(csrf_token=_CSRF_MARK):
                html = remember(_fragments, key, self.nodelist.render(context))
        # The token is letters and digits (Django's alphabet): it needs no escaping.
        return mark_safe(html.replace(_CSRF_MARK, str(context.get("csrf_token", ""))))  # noqa: S308


@register.tag
def remembered(parser, token):
    keys = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    nodelist = parser.parse(("endremembered",))
    parser.delete_first_token()
    return RememberedNode(nodelist, keys)
