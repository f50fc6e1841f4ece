"""Reads of an app's sensitive word settings and list. Each runs a fixed number of queries."""

from django.db.models import QuerySet

from apps.sensitive_words.matcher import Verdict, WordMatcher, matchers
from apps.sensitive_words.models import SensitiveWord, SensitiveWordSettings, word_key


def sensitive_word_settings_for(*, app) -> SensitiveWordSettings:
    """The app's settings; an app that never saved any has the defaults (not stored)."""
    found = SensitiveWordSettings.objects.filter(app=app).select_related("updated_by").first()
    return found or SensitiveWordSettings(app=app)


def sensitive_word_list(*, app, search: str = "") -> QuerySet:
    """The app's words, newest first, as the values the list shows (id, word, created_at, created_by__email:
    no model instances for a page of rows, issue 14); ``search`` keeps those containing it, whatever the case."""
    words = (SensitiveWord.objects.filter(app=app).order_by("-id")
             .values("id", "word", "created_at", "created_by__email"))
    if search:
        words = words.filter(key__contains=word_key(search))
    return words


def sensitive_word_count(*, app) -> int:
    return SensitiveWord.objects.filter(app=app).count()


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
