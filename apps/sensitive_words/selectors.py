"""Reads of an app's sensitive word settings and list. Each runs a fixed number of queries."""

from functools import cached_property

from django.db import connection

from apps.accounts.models import User
from apps.sensitive_words.matcher import Verdict, WordMatcher, matchers
from apps.sensitive_words.models import SensitiveWord, SensitiveWordSettings, word_key
from console.prepared import PreparedQuery
from console.sqlrows import PagedRows, aware, fetch, table

# Every words page and every message the REST service sends reads it: compiled once per process (console.prepared).
_settings_row = PreparedQuery(
    lambda app_id: SensitiveWordSettings.objects.filter(app_id=app_id).select_related("updated_by")[:1], app_id=int,
)


def sensitive_word_settings_for(*, app) -> SensitiveWordSettings:
    """The app's settings; an app that never saved any has the defaults (not stored)."""
    found = _settings_row(app_id=app.pk)
    return found[0] if found else SensitiveWordSettings(app=app)


class SensitiveWordRows(PagedRows):
    """The app's words for a Paginator, newest first, as the values the list shows: ``id``, ``word``,
    ``created_at`` and ``created_by__email``; ``search`` keeps those containing it, whatever the case. Counted
    once, each page one statement (issue 14: as ORM queries, built and compiled on every view, the count and the
    page cost ~1.5 CPU ms)."""

    def __init__(self, *, app, search: str = ""):
        self.where, self.params = "w.app_id = %s", [app.pk]
        if search:
            # The casefolded key holds the text as compared; LIKE's own characters in it are matched as text.
            self.where += " AND w.key LIKE %s ESCAPE '\\'"
            self.params.append(f"%{connection.ops.prep_for_like_query(word_key(search))}%")

    @cached_property
    def count(self) -> int:
        (count,), = fetch(f"SELECT COUNT(*) FROM {table(SensitiveWord)} w WHERE {self.where}", self.params)  # noqa: S608
        return count

    def page(self, *, offset: int, limit: int) -> list[dict]:
        rows = fetch(
            f"""SELECT w.id, w.word, w.created_at, u.email FROM {table(SensitiveWord)} w
                LEFT JOIN {table(User)} u ON u.id = w.created_by_id
                WHERE {self.where} ORDER BY w.id DESC LIMIT %s OFFSET %s""",  # noqa: S608 -- names and placeholders
            [*self.params, limit, offset],
        )
        return [{"id": pk, "word": word, "created_at": aware(created_at), "created_by__email": email}
                for pk, word, created_at, email in rows]


def sensitive_word_count(*, app) -> int:
    return SensitiveWordRows(app=app).count


def word_matcher_for(*, app, settings: SensitiveWordSettings) -> WordMatcher:
    """The app's automaton from the process cache; built (one query) only when the list changed since."""
    return matchers.get(
        app_id=app.pk,
        revision=settings.revision,
        ignore_case=settings.ignore_case,
        load_words=lambda: SensitiveWord.objects.filter(app=app).values_list("word", flat=True).iterator(),
    )


def message_check(*, app, text: str, settings: SensitiveWordSettings | None = None) -> Verdict:
    """What the filter does to a message with the app's current list, action and ignore-case setting
    (whether or not the filter is on: callers say so)."""
    settings = settings or sensitive_word_settings_for(app=app)
    return word_matcher_for(app=app, settings=settings).check(text, action=settings.action)
