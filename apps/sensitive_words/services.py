"""Writes of an app's sensitive word settings and list. Each change writes an audit entry in the same
transaction. List changes lock the app's settings row (serialising them, so the cap holds) and bump its
revision, which tells every process's automaton cache to rebuild."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from apps.audit.services import audit_app, model_update
from apps.sensitive_words.exceptions import WordListFull
from apps.sensitive_words.models import WORDS_PER_APP, SensitiveWord, SensitiveWordSettings, word_key
from orders.entitlements import require_feature

INSERT_BATCH = 1000
AUDIT_SAMPLE = 10


@dataclass(frozen=True)
class WordsAdded:
    added: int
    skipped: int  # already in the list, or repeated in the batch
    sample: tuple[str, ...]  # up to ten of the words added


def _actor(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _locked_settings(app) -> SensitiveWordSettings:
    settings, _created = SensitiveWordSettings.objects.select_for_update().get_or_create(app=app)
    return settings


def _bump_revision(settings: SensitiveWordSettings) -> None:
    SensitiveWordSettings.objects.filter(pk=settings.pk).update(revision=F("revision") + 1)
    settings.refresh_from_db(fields=["revision"])


@transaction.atomic
def sensitive_word_settings_update(
    *, app, actor, enabled: bool, action: str, ignore_case: bool
) -> tuple[SensitiveWordSettings, bool]:
    """Save the filter switch, the action and ignore case. Returns (settings, changed)."""
    require_feature(app=app, code="sensitive_words")
    settings = _locked_settings(app)
    after = {"enabled": enabled, "action": action, "ignore_case": ignore_case}
    # Flat on/off keys besides before/after: the audit sentence is built from them.
    facts = {"enabled": "on" if enabled else "off", "mode": action, "ignore_case": "on" if ignore_case else "off"}
    changed = model_update(
        instance=settings, data=after, app=app, actor=actor, action="sensitive_words.settings_update",
        summary="Sensitive words: filter {enabled}, action {mode}, ignore case {ignore_case}".format(**facts),
        detail=lambda _changed, before: {"before": before, "after": after, **facts},
        touch={"updated_at": timezone.now(), "updated_by": _actor(actor)},
    )
    return settings, bool(changed)


def _insert_words(*, app, actor, words: Sequence[str]) -> WordsAdded:
    """Add the words not yet in the list, in a few set-based INSERTs; the whole batch or nothing."""
    settings = _locked_settings(app)
    existing = set(SensitiveWord.objects.filter(app=app).values_list("key", flat=True))
    now, created_by = timezone.now(), _actor(actor)
    created_by_id = created_by.pk if created_by else None
    new: dict[str, SensitiveWord] = {}
    for raw in words:
        text = raw.strip()
        key = word_key(text)
        if key in existing or key in new:
            continue
        word = SensitiveWord(app_id=app.pk, word=text, key=key, created_at=now, created_by_id=created_by_id)
        word.full_clean(exclude=["app", "created_by"], validate_unique=False, validate_constraints=False)
        new[key] = word
    if len(existing) + len(new) > WORDS_PER_APP:
        raise WordListFull(limit=WORDS_PER_APP, current=len(existing), new=len(new))
    # The lock on the settings row keeps other list changes out, so no conflict is expected; one would be a
    # word added outside these services, and skipping it is right.
    SensitiveWord.objects.bulk_create(new.values(), batch_size=INSERT_BATCH, ignore_conflicts=True)
    if new:
        _bump_revision(settings)
    sample = tuple(word.word for word in list(new.values())[:AUDIT_SAMPLE])
    return WordsAdded(added=len(new), skipped=len(words) - len(new), sample=sample)


@transaction.atomic
def sensitive_words_add(*, app, actor, words: Sequence[str]) -> WordsAdded:
    """Add words typed in the form. Raises WordListFull (nothing saved) past the cap."""
    require_feature(app=app, code="sensitive_words")
    result = _insert_words(app=app, actor=actor, words=words)
    if result.added:
        audit_app(
            app=app, actor=actor, action="sensitive_words.add",
            summary=f"{result.added} sensitive words added",
            detail={"count": result.added, "skipped": result.skipped, "sample": list(result.sample)},
        )
    return result


@transaction.atomic
def sensitive_words_import(*, app, actor, words: Sequence[str], filename: str) -> WordsAdded:
    """Add the words of an imported file. Raises WordListFull (nothing saved) past the cap."""
    require_feature(app=app, code="sensitive_words")
    result = _insert_words(app=app, actor=actor, words=words)
    if result.added:
        filename = filename[:100]
        audit_app(
            app=app, actor=actor, action="sensitive_words.import",
            summary=f"{result.added} sensitive words imported from {filename}",
            detail={"count": result.added, "skipped": result.skipped, "filename": filename,
                    "sample": list(result.sample)},
        )
    return result


@transaction.atomic
def sensitive_words_delete(*, app, actor, word_ids: Sequence[int]) -> int:
    """Delete the app's words among ``word_ids`` (ids of other apps are ignored). Returns how many."""
    require_feature(app=app, code="sensitive_words")
    words = SensitiveWord.objects.filter(app=app, pk__in=list(word_ids))
    if not words.exists():  # nothing to do: no lock, and no settings row created for nothing
        return 0
    settings = _locked_settings(app)
    sample = list(words.order_by("-id").values_list("word", flat=True)[:AUDIT_SAMPLE])
    deleted, _per_model = words.delete()
    if deleted:
        _bump_revision(settings)
        audit_app(
            app=app, actor=actor, action="sensitive_words.delete",
            summary=f"{deleted} sensitive words deleted",
            detail={"count": deleted, "sample": sample},
        )
    return deleted
