"""How audit entries read: a name per action code and a sentence per entry, both in the reader's language.

Entries keep their facts in ``detail`` (codes, numbers, emails); the sentence is built from them when the log
is shown, so the same entry reads in Chinese or English. An entry whose detail lacks what its sentence needs
(written before the sentence existed) shows the summary stored with it.

Audit knows no app's vocabulary: each app names its own actions in its ``audit.py`` module (found by
``AuditConfig.ready`` like admin.py), calling ``register_actions``.
"""

import contextlib
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from console.money import format_money

ACTION_LABELS: dict[str, str] = {}
SENTENCES: dict[str, str] = {}
# Codes that some details carry (key -> code -> words), shown in the reader's language.
VALUE_LABELS: dict[str, dict[str, str]] = {}
# action -> a function that adds the facts its sentence needs from the stored detail.
FACTS: dict[str, Callable[[dict], dict]] = {}


def register_actions(
    *,
    labels: dict[str, str] | None = None,
    sentences: dict[str, str] | None = None,
    value_labels: dict[str, dict[str, str]] | None = None,
    facts: dict[str, Callable[[dict], dict]] | None = None,
) -> None:
    """An app's audit vocabulary: the name of each action it records, the sentence its entries read as
    (``%(key)s`` from the detail), the words for codes its details carry, and extra facts per action."""
    ACTION_LABELS.update(labels or {})
    SENTENCES.update(sentences or {})
    for key, words in (value_labels or {}).items():
        VALUE_LABELS.setdefault(key, {}).update(words)
    FACTS.update(facts or {})


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


def _facts(action: str, detail: dict) -> dict:
    facts = dict(detail)
    for key, labels in VALUE_LABELS.items():
        if isinstance(facts.get(key), str) and facts[key] in labels:
            facts[key] = labels[facts[key]]
    if isinstance(facts.get("fields"), list):
        facts["fields"] = ", ".join(str(field) for field in facts["fields"])
    if "amount" in facts:
        with contextlib.suppress(InvalidOperation, ValueError):
            facts["amount"] = format_money(Decimal(str(facts["amount"])), currency=None)
    if action in FACTS:
        facts = FACTS[action](facts)
    return facts


def describe(action: str, detail: dict | None, summary: str) -> str:
    """The entry as a sentence in the active language; the stored summary when the detail falls short."""
    sentence = SENTENCES.get(action)
    if sentence is None or not isinstance(detail, dict):
        return summary
    try:
        return str(sentence) % _facts(action, detail)
    except (KeyError, TypeError, ValueError):
        return summary
