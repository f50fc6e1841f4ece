from django import template
from django.utils import timezone
from django.utils.translation import gettext

from console.rowhtml import esc, html_join

register = template.Library()


@register.simple_tag
def word_rows(words, may_change: bool) -> str:
    """The rows of the word list (a page of ``SensitiveWordRows``).

    Issue 14: as a template loop the 50 rows cost ~8 ms more CPU per request (two blocktranslate, a date filter
    and a dozen variable lookups per row); as one ``format_html`` a row, escaping every value with Django's lazy
    wrapper, still ~2 ms. Here the two translated sentences are looked up once per request and each row is an
    f-string of its escaped values."""
    select, confirm = gettext("Select “%(word)s”"), gettext("Delete “%(word)s” from the list?")
    delete = esc(gettext("Delete"))

    def row(word) -> str:
        pk, text = word["id"], word["word"]
        escaped = esc(text)
        cells = (
            f'<td class="sw-word">{escaped}</td><td class="text-nowrap small text-body-secondary">'
            f'{timezone.localtime(word["created_at"]):%Y-%m-%d %H:%M}</td>'
            f'<td class="small text-body-secondary">{esc(word["created_by__email"] or "—")}</td>'
        )
        if not may_change:
            return f"<tr>{cells}</tr>"
        # A translated sentence is ours and is escaped as text around the escaped word (the translation may
        # hold quotes or braces: they are text too).
        return (
            f'<tr><td class="sw-check"><input class="form-check-input" type="checkbox" name="words" value="{pk}"'
            f' id="sw-word-{pk}"><label class="visually-hidden" for="sw-word-{pk}">'
            f'{_sentence(select, escaped)}</label></td>{cells}'
            f'<td class="text-end"><button type="submit" form="sw-delete-one" name="words" value="{pk}"'
            f' class="btn btn-sm btn-link text-danger p-0" data-confirm="{_sentence(confirm, escaped)}">{delete}'
            f'<span class="visually-hidden"> {escaped}</span></button></td></tr>'
        )

    return html_join(map(row, words), "\n")


def _sentence(translated: str, escaped_word: str) -> str:
    """A translated sentence about one word, escaped, with the word (escaped already) in its place."""
    return esc(translated).replace("%(word)s", escaped_word)
