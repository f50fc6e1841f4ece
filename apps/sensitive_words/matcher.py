"""The sensitive word engine: an Aho-Corasick automaton (pyahocorasick) over an app's words, and a per-process
cache of automata keyed by the app and the revision of its list, so an automaton is built once per list change.

Ignore case folds text and words with ``str.casefold()``. Folding can lengthen text ("ß" -> "ss",
"İ" -> "i̇"); a match found in the folded text is mapped back to whole original characters (from the positions of
the few characters that lengthen), so replacing never cuts a character in half. Python folds each character on
its own (no context rules), which is what makes that mapping exact.

Overlapping and touching matches are merged: the union of the matched characters is replaced, each run by one
``***``.

Words and text go into the automaton as UTF-32-BE bytes (four symbols per character, read as Latin-1). The reason
is speed: pyahocorasick finds a node's next state by scanning its children in turn, and a Chinese list gives the
root thousands of children (one per distinct first character), so matching character by character took about
0.5 µs per character; on bytes no node has more than 256 children and a 1,000-character message against 10,000
words matches about six times faster (bench/sensitive_words.py), for about three times the memory. Fixed width
keeps positions simple (character = symbol // 4); a match that does not start on a character boundary ("NO" holds
the bytes of "一伀" shifted by one) is discarded.

This module knows nothing of Django; the selectors feed it words and read the revision.
"""

import bisect
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import ahocorasick

BLOCK = "block"
REPLACE = "replace"
MASK = "***"


class Outcome:
    PASSED = "passed"  # no word found: delivered as typed
    BLOCKED = "blocked"  # action "block": the sender's message is refused
    REPLACED = "replaced"  # action "replace": receivers get the text with each match as ***


@dataclass(frozen=True)
class Match:
    start: int  # index of the first character in the original text
    end: int  # index after the last character
    word: str  # the word of the list, as it was typed


@dataclass(frozen=True)
class Verdict:
    outcome: str
    words: tuple[str, ...]  # the words found, each once, in the order they first appear
    text: str  # what receivers get: the original text, or the replaced text

    @property
    def passed(self) -> bool:
        return self.outcome == Outcome.PASSED


# The characters casefold() turns into more than one ("ß" -> "ss", "İ" -> "i̇", "ﬁ" -> "fi"): about a hundred,
# all in the Basic Multilingual Plane (a test checks every code point).
_EXPANDING = re.compile(
    "[" + "".join(re.escape(chr(code)) for code in range(0x10000)
                  if not 0xD800 <= code < 0xE000 and len(chr(code).casefold()) > 1) + "]"
)


class Folding:
    """Where each character of a casefolded text came from, when folding lengthened some characters."""

    def __init__(self, text: str) -> None:
        self._starts: list[int] = []  # folded index of each lengthened character
        self._origins: list[int] = []  # its index in the original text
        self._lengths: list[int] = []  # how many characters it folded to
        extra = 0
        for found in _EXPANDING.finditer(text):
            length = len(found.group().casefold())
            self._starts.append(found.start() + extra)
            self._origins.append(found.start())
            self._lengths.append(length)
            extra += length - 1

    def original(self, index: int) -> int:
        """The index in the original text of the character that folded to ``folded[index]``."""
        k = bisect.bisect_right(self._starts, index) - 1
        if k < 0:
            return index
        inside = index - self._starts[k]
        if inside < self._lengths[k]:
            return self._origins[k]
        return self._origins[k] + 1 + (inside - self._lengths[k])


def fold(text: str) -> tuple[str, Folding | None]:
    """The casefolded text and, when folding changed its length, how to map folded indexes back (None: the
    indexes are the same)."""
    folded = text.casefold()
    if len(folded) == len(text):  # every character folded to exactly one: indexes line up
        return folded, None
    return folded, Folding(text)


def merge_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """The union of half-open spans as sorted, disjoint runs; spans that overlap or touch become one run."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def mask(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """The text with each run of the union of ``spans`` replaced by ``***``."""
    parts, position = [], 0
    for start, end in merge_spans(spans):
        parts.append(text[position:start])
        parts.append(MASK)
        position = end
    parts.append(text[position:])
    return "".join(parts)


def _symbols(text: str) -> str:
    """Each character as its four UTF-32-BE bytes (see the module docstring)."""
    return text.encode("utf-32-be", "surrogatepass").decode("latin-1")


class WordMatcher:
    """Finds every occurrence of a set of words in a text in one pass."""

    def __init__(self, words: Iterable[str], *, ignore_case: bool) -> None:
        self.ignore_case = ignore_case
        automaton = ahocorasick.Automaton()
        for word in words:
            key = _symbols(word.casefold() if ignore_case else word)
            if key:
                automaton.add_word(key, (len(key), word))
        self.size = len(automaton)
        if self.size:
            automaton.make_automaton()
            self._automaton = automaton
        else:
            self._automaton = None  # pyahocorasick refuses to search with no words

    def find(self, text: str) -> list[Match]:
        """Every occurrence, overlapping ones included, ordered by position."""
        if self._automaton is None or not text:
            return []
        haystack, folding = fold(text) if self.ignore_case else (text, None)
        matches = []
        for last, (length, word) in self._automaton.iter(_symbols(haystack)):
            first = last - length + 1
            if first % 4:  # not on a character boundary: bytes of other characters that happen to line up
                continue
            start, end = first // 4, (last + 1) // 4
            if folding is not None:
                start, end = folding.original(start), folding.original(end - 1) + 1
            matches.append(Match(start=start, end=end, word=word))
        matches.sort(key=lambda m: (m.start, -m.end))
        return matches

    def check(self, text: str, *, action: str) -> Verdict:
        """What happens to a message: passed, blocked (action "block") or replaced (action "replace")."""
        matches = self.find(text)
        if not matches:
            return Verdict(outcome=Outcome.PASSED, words=(), text=text)
        words = tuple(dict.fromkeys(match.word for match in matches))
        if action == REPLACE:
            replaced = mask(text, ((match.start, match.end) for match in matches))
            return Verdict(outcome=Outcome.REPLACED, words=words, text=replaced)
        return Verdict(outcome=Outcome.BLOCKED, words=words, text=text)


class MatcherCache:
    """Automata of recently used apps, per process. An entry is reused while the app's list revision and its
    ignore-case setting are the ones it was built for; any other revision builds a new one."""

    def __init__(self, size: int = 32) -> None:
        self.size = size
        self.builds = 0  # how many automata this cache built (tests and the benchmark read it)
        self._entries: OrderedDict[int, tuple[tuple[int, bool], WordMatcher]] = OrderedDict()
        self._lock = threading.Lock()

    def get(
        self, *, app_id: int, revision: int, ignore_case: bool, load_words: Callable[[], Iterable[str]]
    ) -> WordMatcher:
        version = (revision, ignore_case)
        with self._lock:
            entry = self._entries.get(app_id)
            if entry is not None and entry[0] == version:
                self._entries.move_to_end(app_id)
                return entry[1]
        # Built outside the lock: two threads may both build the same automaton once; neither waits.
        matcher = WordMatcher(load_words(), ignore_case=ignore_case)
        with self._lock:
            self.builds += 1
            self._entries[app_id] = (version, matcher)
            self._entries.move_to_end(app_id)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return matcher

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


matchers = MatcherCache()
