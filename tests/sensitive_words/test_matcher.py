import sys

import pytest

from apps.sensitive_words.matcher import (
    BLOCK,
    REPLACE,
    MatcherCache,
    Outcome,
    WordMatcher,
    fold,
    mask,
    merge_spans,
)


def test_an_empty_list_passes_everything():
    matcher = WordMatcher([], ignore_case=True)
    verdict = matcher.check("anything at all", action=BLOCK)
    assert verdict.outcome == Outcome.PASSED and verdict.words == () and verdict.text == "anything at all"
    assert matcher.find("") == []


def test_block_reports_each_word_found_once_in_order_of_appearance():
    matcher = WordMatcher(["spam", "scam"], ignore_case=False)
    verdict = matcher.check("a scam, then spam, then scam again", action=BLOCK)
    assert verdict.outcome == Outcome.BLOCKED
    assert verdict.words == ("scam", "spam")
    assert verdict.text == "a scam, then spam, then scam again"


def test_replace_masks_each_match_with_three_stars():
    matcher = WordMatcher(["spam", "scam"], ignore_case=False)
    verdict = matcher.check("spam or scam?", action=REPLACE)
    assert verdict.outcome == Outcome.REPLACED
    assert verdict.text == "*** or ***?"


def test_chinese_words_match_inside_a_sentence():
    matcher = WordMatcher(["敏感", "违禁词"], ignore_case=True)
    verdict = matcher.check("这是一条敏感消息，含有违禁词。", action=REPLACE)
    assert verdict.words == ("敏感", "违禁词")
    assert verdict.text == "这是一条***消息，含有***。"


def test_overlapping_matches_replace_the_union_of_their_spans():
    matcher = WordMatcher(["he", "she", "hers"], ignore_case=False)
    assert [(m.start, m.end, m.word) for m in matcher.find("ushers")] == [(1, 4, "she"), (2, 6, "hers"),
                                                                         (2, 4, "he")]
    assert matcher.check("ushers!", action=REPLACE).text == "u***!"


def test_a_word_inside_another_is_replaced_once_with_the_longer_one():
    matcher = WordMatcher(["敏感", "敏感词"], ignore_case=True)
    assert matcher.check("有敏感词吗", action=REPLACE).text == "有***吗"


def test_touching_matches_merge_into_one_run():
    matcher = WordMatcher(["foo", "bar"], ignore_case=False)
    assert matcher.check("foobar baz bar", action=REPLACE).text == "*** baz ***"


def test_ignore_case_on_matches_any_case_and_reports_the_word_as_typed():
    matcher = WordMatcher(["Spam"], ignore_case=True)
    verdict = matcher.check("SPAM and spam and sPaM", action=REPLACE)
    assert verdict.words == ("Spam",)
    assert verdict.text == "*** and *** and ***"


def test_ignore_case_off_matches_only_as_typed():
    matcher = WordMatcher(["Spam"], ignore_case=False)
    assert matcher.check("SPAM and spam", action=BLOCK).passed
    assert matcher.check("Spam", action=BLOCK).outcome == Outcome.BLOCKED


def test_sharp_s_folds_to_ss_and_the_whole_character_is_replaced():
    matcher = WordMatcher(["strasse"], ignore_case=True)
    verdict = matcher.check("Die Straße ist lang", action=REPLACE)
    assert verdict.text == "Die *** ist lang"
    # A word matching half of a folded character takes the whole character.
    assert WordMatcher(["s"], ignore_case=True).check("aßb", action=REPLACE).text == "a***b"


def test_dotted_capital_i_lengthens_the_text_without_shifting_later_matches():
    matcher = WordMatcher(["spam"], ignore_case=True)
    text = "İİİ SPAM İ spam"
    assert len(text.casefold()) > len(text)
    assert matcher.check(text, action=REPLACE).text == "İİİ *** İ ***"
    assert WordMatcher(["İ"], ignore_case=True).check("xİy", action=REPLACE).text == "x***y"


def test_emoji_and_other_non_bmp_characters_keep_their_positions():
    matcher = WordMatcher(["😀x"], ignore_case=True)
    assert matcher.check("a😀x😀b", action=REPLACE).text == "a***😀b"


def test_bytes_of_other_characters_that_line_up_are_not_a_match():
    # "NO" is 00 00 00 4E 00 00 00 4F in UTF-32-BE; "一伀" is 00 00 4E 00 00 00 4F 00: one byte apart.
    matcher = WordMatcher(["一伀", "一"], ignore_case=False)
    assert matcher.check("NOx Nx", action=BLOCK).passed
    assert matcher.check("xx一伀", action=REPLACE).text == "xx***"


def test_lone_surrogates_do_not_crash():
    matcher = WordMatcher(["spam", "\ud800x"], ignore_case=True)
    assert matcher.check("a\ud800x spam", action=REPLACE).text == "a*** ***"


def reference_origins(text: str) -> list[int]:
    """For each folded character, the index it came from, folding one character at a time."""
    return [index for index, char in enumerate(text) for _ in char.casefold()]


def test_the_folding_map_matches_folding_one_character_at_a_time():
    sample = "".join(chr(code) for code in range(0, 0x3000) if not 0xD800 <= code < 0xE000) + "ßxİyﬃz"
    folded, folding = fold(sample)
    assert folded == "".join(char.casefold() for char in sample)
    origins = reference_origins(sample)
    assert folding is not None and [folding.original(i) for i in range(len(folded))] == origins


def test_only_basic_plane_characters_lengthen_when_folded():
    beyond = [code for code in range(0x10000, sys.maxunicode + 1) if len(chr(code).casefold()) > 1]
    assert beyond == []


def test_fold_keeps_indexes_when_length_does_not_change():
    assert fold("ABC敏感") == ("abc敏感", None)


@pytest.mark.parametrize(("spans", "merged"), [
    ([], []),
    ([(0, 2), (5, 7)], [(0, 2), (5, 7)]),
    ([(5, 7), (0, 3), (2, 4)], [(0, 4), (5, 7)]),
    ([(0, 3), (3, 5)], [(0, 5)]),
    ([(1, 9), (2, 3)], [(1, 9)]),
])
def test_merge_spans_unites_overlapping_and_touching_spans(spans, merged):
    assert merge_spans(spans) == merged


def test_mask_replaces_each_run():
    assert mask("abcdefgh", [(0, 2), (1, 3), (6, 8)]) == "***def***"


def test_a_long_message_against_many_words():
    words = [f"w{i:05d}" for i in range(5000)]
    matcher = WordMatcher(words, ignore_case=True)
    verdict = matcher.check("x" * 1000 + "W04999" + "y" * 1000, action=BLOCK)
    assert verdict.words == ("w04999",)
    assert matcher.size == 5000


def test_the_cache_builds_once_per_revision():
    cache = MatcherCache()
    loads = []

    def load():
        loads.append(1)
        return ["spam"]

    first = cache.get(app_id=1, revision=3, ignore_case=True, load_words=load)
    assert cache.get(app_id=1, revision=3, ignore_case=True, load_words=load) is first
    assert cache.get(app_id=1, revision=4, ignore_case=True, load_words=load) is not first
    assert cache.get(app_id=1, revision=4, ignore_case=False, load_words=load).ignore_case is False
    assert len(loads) == cache.builds == 3


def test_the_cache_forgets_the_least_recently_used_app():
    cache = MatcherCache(size=2)
    for app_id in (1, 2, 1, 3):
        cache.get(app_id=app_id, revision=0, ignore_case=True, load_words=lambda: ["x"])
    assert cache.builds == 3
    cache.get(app_id=1, revision=0, ignore_case=True, load_words=lambda: ["x"])
    assert cache.builds == 3
    cache.get(app_id=2, revision=0, ignore_case=True, load_words=lambda: ["x"])
    assert cache.builds == 4


def test_python_folds_without_context():
    # The per-character mapping relies on it; final sigma is where lower() differs.
    assert "ΟΔΟΣ".casefold() == "".join(char.casefold() for char in "ΟΔΟΣ") == "οδοσ"
