import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.audit.actions import describe
from apps.audit.models import AuditEntry
from apps.sensitive_words.forms import WordImportForm
from apps.sensitive_words.models import SensitiveWord, SensitiveWordSettings
from tests.orders.factories import ProAppFactory
from tests.sensitive_words.helpers import make_words, page_url

pytestmark = pytest.mark.django_db


def words_of(app) -> list[str]:
    return sorted(SensitiveWord.objects.filter(app=app).values_list("word", flat=True))


def revision_of(app) -> int:
    return SensitiveWordSettings.objects.get(app=app).revision


def upload(content: bytes, name: str = "words.txt") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/plain")


# --- adding from the textarea --------------------------------------------------------------------------------

def test_adding_words_stores_them_trimmed_and_says_how_many(owner_client, org, owner):
    app = ProAppFactory(organization=org)
    response = owner_client.post(page_url(app, "add/"), {"words": "  spam \n\n敏感\r\nFree Money\n"}, follow=True)
    assert "3 added, 0 already in the list." in response.content.decode()
    assert words_of(app) == ["Free Money", "spam", "敏感"]
    assert SensitiveWord.objects.get(word="Free Money").key == "free money"
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.app) == ("sensitive_words.add", owner, app)
    assert entry.detail == {"count": 3, "skipped": 0, "sample": ["spam", "敏感", "Free Money"]}
    assert describe(entry.action, entry.detail, entry.summary) == (
        "Words added: 3 (0 skipped as already in the list)")
    assert revision_of(app) == 1


def test_duplicates_in_the_batch_and_in_the_list_are_skipped_whatever_their_case(owner_client, org):
    app = ProAppFactory(organization=org)
    owner_client.post(page_url(app, "add/"), {"words": "Spam"})
    response = owner_client.post(page_url(app, "add/"), {"words": "SPAM\nscam\nScam\nspam\nham"}, follow=True)
    assert "2 added, 3 already in the list." in response.content.decode()
    assert words_of(app) == ["Spam", "ham", "scam"]


def test_a_batch_of_only_known_words_changes_nothing(owner_client, org):
    app = ProAppFactory(organization=org)
    owner_client.post(page_url(app, "add/"), {"words": "spam"})
    response = owner_client.post(page_url(app, "add/"), {"words": "spam\nSPAM"}, follow=True)
    assert "0 added, 2 already in the list." in response.content.decode()
    assert AuditEntry.objects.count() == 1 and revision_of(app) == 1


def test_the_audit_entry_keeps_a_sample_of_ten_words(owner_client, org):
    app = ProAppFactory(organization=org)
    owner_client.post(page_url(app, "add/"), {"words": "\n".join(f"w{i}" for i in range(30))})
    entry = AuditEntry.objects.get()
    assert entry.detail["count"] == 30 and entry.detail["sample"] == [f"w{i}" for i in range(10)]


def test_two_hundred_words_at_once_are_accepted_and_two_hundred_and_one_refused(owner_client, org):
    app = ProAppFactory(organization=org)
    owner_client.post(page_url(app, "add/"), {"words": "\n".join(f"a{i}" for i in range(200))})
    assert SensitiveWord.objects.count() == 200
    response = owner_client.post(page_url(app, "add/"), {"words": "\n".join(f"b{i}" for i in range(201))})
    assert response.status_code == 200
    assert "Add at most 200 words at once (there are 201)." in response.content.decode()
    assert SensitiveWord.objects.count() == 200


def test_a_word_of_129_characters_is_refused_naming_its_line_and_nothing_is_saved(owner_client, org):
    app = ProAppFactory(organization=org)
    typed = "fine\n\n" + "x" * 128 + "\n" + "y" * 129 + "\nalso fine"
    response = owner_client.post(page_url(app, "add/"), {"words": typed})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Line 4: “yyyyyyyyyyyyyyyyyyyyyyyy…” is longer than 128 characters (it has 129)." in page
    assert "Line 3" not in page
    assert "also fine</textarea>" in page  # what was typed stays in the form
    assert not SensitiveWord.objects.exists() and not AuditEntry.objects.exists()


def test_a_line_with_a_control_character_is_refused_naming_its_line(owner_client, org):
    app = ProAppFactory(organization=org)
    response = owner_client.post(page_url(app, "add/"), {"words": "ok\nbad\tword\nnul\x00here"})
    page = response.content.decode()
    assert "Line 2: A word cannot contain tabs" in page and "Line 3: A word cannot contain tabs" in page
    assert not SensitiveWord.objects.exists()


def test_an_empty_textarea_asks_for_a_word(owner_client, org):
    app = ProAppFactory(organization=org)
    response = owner_client.post(page_url(app, "add/"), {"words": "\n  \n"})
    assert "Enter at least one word." in response.content.decode()


def test_adding_past_ten_thousand_words_is_refused_and_nothing_is_saved(owner_client, org):
    app = ProAppFactory(organization=org)
    make_words(app, 9_999)
    response = owner_client.post(page_url(app, "add/"), {"words": "one\ntwo\nword00001"})
    page = response.content.decode()
    assert "The list can hold at most 10,000 words. It has 9,999, and 2 new ones would make 10,001." in page
    assert SensitiveWord.objects.count() == 9_999
    assert owner_client.post(page_url(app, "add/"), {"words": "one\nword00001"}).status_code == 302
    assert SensitiveWord.objects.count() == 10_000


# --- importing a file ------------------------------------------------------------------------------------------

def test_importing_a_utf8_file_with_a_bom_adds_its_words(owner_client, org, owner):
    app = ProAppFactory(organization=org)
    make_words(app, 1, prefix="known")
    content = "\ufeff敏感\r\nspam\r\n\r\nKNOWN00000\r\n".encode()
    response = owner_client.post(page_url(app, "import/"), {"file": upload(content, "list.txt")}, follow=True)
    assert "Imported list.txt: 2 added, 1 already in the list." in response.content.decode()
    assert words_of(app) == ["known00000", "spam", "敏感"]
    entry = AuditEntry.objects.get()
    assert entry.action == "sensitive_words.import"
    assert entry.detail == {"count": 2, "skipped": 1, "filename": "list.txt", "sample": ["敏感", "spam"]}
    assert "Words imported from list.txt: 2" in describe(entry.action, entry.detail, entry.summary)


def test_importing_without_a_bom_works_too(owner_client, org):
    app = ProAppFactory(organization=org)
    owner_client.post(page_url(app, "import/"), {"file": upload("违禁词\n".encode())})
    assert words_of(app) == ["违禁词"]


@pytest.mark.parametrize(("content", "name", "message"), [
    ("敏感词\n".encode("gbk"), "words.txt", "The file is not UTF-8 text."),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "words.txt", "This is not a text file."),
    (b"spam\n", "words.csv", "Choose a .txt file."),
    (b"\n \n", "words.txt", "The file has no words."),
    (b"", "words.txt", "The submitted file is empty."),
    (b"ok\n" + b"z" * 200 + b"\n", "words.txt", "Line 2: "),
])
def test_a_file_that_is_not_a_word_list_is_a_form_error(owner_client, org, content, name, message):
    app = ProAppFactory(organization=org)
    response = owner_client.post(page_url(app, "import/"), {"file": upload(content, name)})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not SensitiveWord.objects.exists() and not AuditEntry.objects.exists()


def test_a_file_over_two_megabytes_is_refused(owner_client, org):
    app = ProAppFactory(organization=org)
    big = b"word\n" * (2 * 1024 * 1024 // 5 + 1)
    response = owner_client.post(page_url(app, "import/"), {"file": upload(big)})
    assert "The file is larger than 2 MB." in response.content.decode()
    assert not SensitiveWord.objects.exists()
    exactly = b"a\n" + b"b" * 200 + b"\n" * (2 * 1024 * 1024 - 202)
    assert len(exactly) == 2 * 1024 * 1024
    response = owner_client.post(page_url(app, "import/"), {"file": upload(exactly)})
    assert "The file is larger than 2 MB." not in response.content.decode()
    assert "Line 2: " in response.content.decode()


def test_the_size_is_checked_before_the_file_is_read():
    tiny_but_claims_three_megabytes = upload(b"spam\n")
    tiny_but_claims_three_megabytes.size = 3 * 1024 * 1024
    form = WordImportForm(files={"file": tiny_but_claims_three_megabytes})
    assert not form.is_valid()
    assert form.errors["file"] == ["The file is larger than 2 MB."]
    assert tiny_but_claims_three_megabytes.tell() == 0


def test_an_import_over_the_cap_is_refused_with_a_clear_message(owner_client, org):
    app = ProAppFactory(organization=org)
    make_words(app, 9_000)
    content = "\n".join(f"new{i}" for i in range(1_001)).encode()
    response = owner_client.post(page_url(app, "import/"), {"file": upload(content)})
    assert "It has 9,000, and 1,001 new ones would make 10,001. Nothing was added." in response.content.decode()
    assert SensitiveWord.objects.count() == 9_000 and not AuditEntry.objects.exists()


def test_an_import_inserts_in_batches_not_one_query_per_word(owner_client, org):
    app = ProAppFactory(organization=org)
    content = "\n".join(f"bulk{i}" for i in range(5_000)).encode()
    with CaptureQueriesContext(connection) as queries:
        owner_client.post(page_url(app, "import/"), {"file": upload(content)})
    assert SensitiveWord.objects.filter(app=app).count() == 5_000
    inserts = [q for q in queries.captured_queries if "INTO \"sensitive_words_sensitiveword\"" in q["sql"]]
    # Batches of 1,000 rows (SQLite caps a statement at 999 parameters: about 160 rows of 6 columns).
    assert 5 <= len(inserts) <= 5_000 // 150
    assert len(queries) - len(inserts) < 25  # page, access, the entitlement gate, the list checks: no per-word query


def test_words_of_another_app_do_not_count_as_already_in_the_list(owner_client, org, other_org):
    app, other = ProAppFactory(organization=org), ProAppFactory(organization=other_org)
    make_words(other, 1, prefix="spam")
    owner_client.post(page_url(app, "add/"), {"words": "spam00000"})
    assert words_of(app) == ["spam00000"] and words_of(other) == ["spam00000"]


# --- search and pages -----------------------------------------------------------------------------------------

def test_search_finds_words_containing_the_text_whatever_the_case(owner_client, org, other_org):
    app = ProAppFactory(organization=org)
    owner_client.post(page_url(app, "add/"), {"words": "Free Money\nmoneyback\nspam\n敏感词"})
    make_words(ProAppFactory(organization=other_org), 1, prefix="money")
    page = owner_client.get(page_url(app), {"q": "MONEY"}).content.decode()
    assert "Free Money" in page and "moneyback" in page
    assert '<td class="sw-word">spam</td>' not in page and "money00000" not in page
    assert "4 of 10,000 words" in page
    assert "敏感词" in owner_client.get(page_url(app), {"q": "感"}).content.decode()
    assert "No word contains “zzz”." in owner_client.get(page_url(app), {"q": "zzz"}).content.decode()


def test_search_matches_percent_underscore_and_backslash_as_text(owner_client, org):
    app = ProAppFactory(organization=org)
    owner_client.post(page_url(app, "add/"), {"words": "50%off\nfree_gift\nback\\slash\n50 off\nfreeXgift\nbackslash"})

    def found(text):
        page = owner_client.get(page_url(app), {"q": text}).content.decode()
        return sorted(w for w in ("50%off", "free_gift", "back\\slash", "50 off", "freeXgift", "backslash")
                      if f'<td class="sw-word">{w}</td>' in page)

    assert found("%") == ["50%off"]
    assert found("_") == ["free_gift"]
    assert found("\\") == ["back\\slash"]
    assert found("0%o") == ["50%off"]


def test_the_list_shows_fifty_words_a_page_newest_first(owner_client, org):
    app = ProAppFactory(organization=org)
    make_words(app, 120)
    first = owner_client.get(page_url(app)).content.decode()
    assert first.count('type="checkbox" name="words"') == 50
    assert "word00119" in first and "word00069" not in first
    assert "1–50 of 120" in first and "Page 1 of 3" in first
    last = owner_client.get(page_url(app), {"page": "3"}).content.decode()
    assert last.count('type="checkbox" name="words"') == 20 and "word00000" in last
    assert owner_client.get(page_url(app), {"page": "999"}).status_code == 200


def test_search_and_pages_take_the_same_number_of_queries_for_10_and_300_words(owner_client, org):
    small, large = ProAppFactory(organization=org), ProAppFactory(organization=org)
    make_words(small, 10)
    make_words(large, 300)
    counts = []
    for app, params in ((small, {}), (large, {}), (small, {"q": "word"}), (large, {"q": "word", "page": "2"})):
        owner_client.get(page_url(app), params)  # warm-up (current org, caches): count a later one
        with CaptureQueriesContext(connection) as queries:
            assert owner_client.get(page_url(app), params).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert counts[2] == counts[3]


def test_a_word_with_markup_is_shown_as_text_in_its_row_label_and_confirmation(owner_client, org, owner):
    app = ProAppFactory(organization=org)
    owner_client.post(page_url(app, "add/"), {"words": '<b>"x"</b>&{0}'})
    page = owner_client.get(page_url(app)).content.decode()
    shown = "&lt;b&gt;&quot;x&quot;&lt;/b&gt;&amp;{0}"
    assert "<b>" not in page
    assert f'<td class="sw-word">{shown}</td>' in page
    assert f"Select “{shown}”</label>" in page
    assert f'data-confirm="Delete “{shown}” from the list?"' in page
    assert f'<td class="small text-body-secondary">{owner.email}</td>' in page


def test_the_word_rows_speak_chinese(owner_client, org):
    app = ProAppFactory(organization=org)
    owner_client.post(page_url(app, "add/"), {"words": "spam"})
    page = owner_client.get(page_url(app), headers={"accept-language": "zh-hans"}).content.decode()
    assert "选择“spam”" in page and 'data-confirm="确定从词库中删除“spam”？"' in page and ">删除<span" in page


# --- deleting ------------------------------------------------------------------------------------------------

def test_deleting_one_word(owner_client, org, owner):
    app = ProAppFactory(organization=org)
    owner_client.post(page_url(app, "add/"), {"words": "spam\nham"})
    spam = SensitiveWord.objects.get(word="spam")
    response = owner_client.post(page_url(app, "delete/"), {"words": str(spam.pk)}, follow=True)
    assert "1 word deleted." in response.content.decode()
    assert words_of(app) == ["ham"]
    entry = AuditEntry.objects.filter(action="sensitive_words.delete").get()
    assert entry.detail == {"count": 1, "sample": ["spam"]} and entry.actor == owner
    assert describe(entry.action, entry.detail, entry.summary) == "Words deleted: 1"
    assert revision_of(app) == 2


def test_the_delete_buttons_ask_for_confirmation(owner_client, org):
    app = ProAppFactory(organization=org)
    owner_client.post(page_url(app, "add/"), {"words": "spam"})
    page = owner_client.get(page_url(app)).content.decode()
    assert 'data-confirm="Delete “spam” from the list?"' in page
    assert 'data-confirm="Delete the selected words from the list?"' in page


def test_deleting_the_selected_words_in_one_post_keeps_the_search(owner_client, org):
    app = ProAppFactory(organization=org)
    words = make_words(app, 5)
    chosen = [str(words[0].pk), str(words[3].pk)]
    response = owner_client.post(page_url(app, "delete/"), {"words": chosen, "q": "word", "page": "1"})
    assert response.status_code == 302 and response["Location"].endswith("?q=word&page=1")
    assert words_of(app) == ["word00001", "word00002", "word00004"]
    assert AuditEntry.objects.get().detail["count"] == 2


def test_another_orgs_word_in_the_selection_is_left_alone(owner_client, org, other_org):
    app = ProAppFactory(organization=org)
    mine = make_words(app, 2)
    theirs = make_words(ProAppFactory(organization=other_org), 1, prefix="theirs")
    owner_client.post(page_url(app, "delete/"), {"words": [str(mine[0].pk), str(theirs[0].pk)]})
    assert SensitiveWord.objects.filter(pk=theirs[0].pk).exists()
    assert not SensitiveWord.objects.filter(pk=mine[0].pk).exists()
    response = owner_client.post(page_url(app, "delete/"), {"words": str(theirs[0].pk)}, follow=True)
    assert "None of those words is in the list any more." in response.content.decode()
    assert SensitiveWord.objects.filter(pk=theirs[0].pk).exists()
    assert AuditEntry.objects.filter(action="sensitive_words.delete").count() == 1


@pytest.mark.parametrize("words", [[], ["x"], ["-1"], ["1e3"], ["9" * 40]])
def test_a_delete_without_a_valid_selection_deletes_nothing(owner_client, org, words):
    app = ProAppFactory(organization=org)
    make_words(app, 1)
    response = owner_client.post(page_url(app, "delete/"), {"words": words}, follow=True)
    assert response.status_code == 200
    assert SensitiveWord.objects.count() == 1 and not AuditEntry.objects.exists()
