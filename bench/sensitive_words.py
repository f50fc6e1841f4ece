"""Benchmark: import 10,000 sensitive words, build the automaton, match a 1,000-character message.

    .venv/bin/python bench/sensitive_words.py              # SQLite in a temporary directory
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/console_bench .venv/bin/python bench/sensitive_words.py

On PostgreSQL the named database is dropped and created again (use a throwaway name such as console_bench).
The figures are printed and written to bench/results/sensitive_words.txt (one section per database vendor).
"""

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("CONSOLE_VAR_DIR", tempfile.mkdtemp(prefix="bench-sensitive-words-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "console.settings.local")
os.environ.setdefault("DJANGO_DEBUG", "0")

from bench.common import recreate_postgres_database, write_section  # noqa: E402

WORDS = 10_000
MESSAGE_LENGTH = 1_000
IMPORT_RUNS = 3
BUILD_RUNS = 7
MATCH_RUNS = 2_000
CJK = [chr(code) for code in range(0x4E00, 0x4E00 + 3000)]
LATIN = "abcdefghijklmnopqrstuvwxyz"


def word_list(rng: random.Random) -> list[str]:
    """10,000 distinct words: half Chinese (2-4 characters), half Latin (4-12 letters, some capitalised)."""
    words: dict[str, str] = {}
    while len(words) < WORDS:
        if len(words) % 2:
            word = "".join(rng.choice(CJK) for _ in range(rng.randint(2, 4)))
        else:
            word = "".join(rng.choice(LATIN) for _ in range(rng.randint(4, 12)))
            word = word.capitalize() if rng.random() < 0.3 else word
        words.setdefault(word.casefold(), word)
    return list(words.values())


def message(rng: random.Random, words: list[str], hits: int) -> str:
    """A 1,000-character message of Chinese and Latin filler with ``hits`` list words spread through it."""
    filler = [rng.choice(CJK) if rng.random() < 0.5 else rng.choice(LATIN + "  ,.") for _ in range(MESSAGE_LENGTH)]
    text = "".join(filler)
    for word in rng.sample(words, hits):
        at = rng.randrange(0, len(text) - len(word))
        text = text[:at] + word.upper() + text[at + len(word):]
    return text[:MESSAGE_LENGTH]


def median_us(run, times: int) -> float:
    samples = []
    for _ in range(times):
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1e6)
    return statistics.median(samples)


def main() -> None:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        recreate_postgres_database(url)

    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from apps.accounts.models import Organization, User
    from apps.applications.models import App, DataCenter
    from apps.sensitive_words.forms import WordImportForm
    from apps.sensitive_words.matcher import BLOCK, REPLACE, WordMatcher, matchers
    from apps.sensitive_words.models import SensitiveWord
    from apps.sensitive_words.selectors import message_check, sensitive_word_settings_for
    from apps.sensitive_words.services import sensitive_words_import

    call_command("migrate", verbosity=0)
    rng = random.Random(7)
    words = word_list(rng)
    user = User.objects.create_user(email="bench@example.com", password="bench-password-1")
    org = Organization.objects.create(name="bench")
    content = ("\ufeff" + "\r\n".join(words) + "\r\n").encode()
    import_ms, import_statements = [], []
    for run in range(IMPORT_RUNS):  # each into a fresh app: 10,000 new words every time
        app = App.objects.create(organization=org, name=f"bench-{run}", product_name="Bench",
                                 data_center=DataCenter.objects.order_by("sort_order").first())
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            form = WordImportForm(files={"file": SimpleUploadedFile("words.txt", content, "text/plain")})
            assert form.is_valid(), form.errors
            result = sensitive_words_import(app=app, actor=user, words=form.cleaned_data["words"],
                                            filename="words.txt")
            import_ms.append((time.perf_counter() - started) * 1000)
        import_statements.append(len(queries))
        assert result.added == WORDS == SensitiveWord.objects.filter(app=app).count()

    stored = list(SensitiveWord.objects.filter(app=app).values_list("word", flat=True))
    build_ms = {}
    for ignore_case in (True, False):
        samples = []
        for _ in range(BUILD_RUNS):
            started = time.perf_counter()
            WordMatcher(stored, ignore_case=ignore_case)
            samples.append((time.perf_counter() - started) * 1000)
        build_ms[ignore_case] = statistics.median(samples)

    matcher = WordMatcher(stored, ignore_case=True)
    clean = message(rng, [], 0)
    dirty = message(rng, words, 5)
    found = matcher.check(dirty, action=BLOCK).words
    match_clean = median_us(lambda: matcher.check(clean, action=BLOCK), MATCH_RUNS)
    match_block = median_us(lambda: matcher.check(dirty, action=BLOCK), MATCH_RUNS)
    match_replace = median_us(lambda: matcher.check(dirty, action=REPLACE), MATCH_RUNS)
    case_matcher = WordMatcher(stored, ignore_case=False)
    match_case = median_us(lambda: case_matcher.check(dirty, action=BLOCK), MATCH_RUNS)
    folding = "ß" + dirty[1:]  # casefold lengthens the text: the per-character index map is built
    match_fold = median_us(lambda: matcher.check(folding, action=BLOCK), MATCH_RUNS)

    matchers.clear()
    settings = sensitive_word_settings_for(app=app)
    started = time.perf_counter()
    message_check(app=app, text=dirty, settings=settings)
    first_check_ms = (time.perf_counter() - started) * 1000
    cached_check = median_us(lambda: message_check(app=app, text=dirty, settings=settings), 200)

    vendor = connection.vendor
    lines = [
        f"## {vendor}",
        f"data: {WORDS:,} words (half Chinese 2-4 chars, half Latin 4-12 letters); "
        f"file {len(content) / 1024:.0f} KB, UTF-8 with BOM, CRLF",
        f"import (form parse + service, 10,000 new words): {statistics.median(import_ms):.0f} ms "
        f"(median of {IMPORT_RUNS}), {max(import_statements)} SQL statements",
        f"automaton build, 10,000 words: {build_ms[True]:.1f} ms ignoring case, "
        f"{build_ms[False]:.1f} ms as typed (median of {BUILD_RUNS})",
        f"match a {MESSAGE_LENGTH:,}-char message against {WORDS:,} words (median of {MATCH_RUNS:,}):",
        f"  no hit: {match_clean:.0f} µs; {len(found)} hits, block: {match_block:.0f} µs; "
        f"replace: {match_replace:.0f} µs",
        f"  case-sensitive: {match_case:.0f} µs; text that casefold lengthens ('ß'): {match_fold:.0f} µs",
        f"test box path (message_check): first call with the automaton build {first_check_ms:.0f} ms; "
        f"cached {cached_check:.0f} µs",
    ]
    print("\n".join(lines))
    write_section(ROOT / "bench" / "results" / "sensitive_words.txt", vendor, lines[1:])


if __name__ == "__main__":
    main()
