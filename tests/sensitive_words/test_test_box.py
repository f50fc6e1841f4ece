import pytest

from apps.accounts.roles import Role
from apps.sensitive_words.matcher import matchers
from apps.sensitive_words.models import SensitiveWordSettings
from tests.orders.factories import ProAppFactory
from tests.sensitive_words.helpers import make_words, page_url

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def app(org, owner_client):
    app = ProAppFactory(organization=org)
    owner_client.post(page_url(app, "add/"), {"words": "spam\n敏感\nFree Money"})
    return app


def test_htmx_gets_the_result_partial_with_the_words_found(owner_client, app):
    response = owner_client.post(page_url(app, "test/"), {"message": "buy SPAM, 敏感 stuff"}, **HTMX)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page
    assert "Blocked" in page and "The sender's message is refused." in page
    assert '<li class="sw-chip">spam</li><li class="sw-chip">敏感</li>' in page


def test_without_javascript_the_whole_page_shows_the_result_and_keeps_the_message(owner_client, app):
    response = owner_client.post(page_url(app, "test/"), {"message": "free money now"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" in page and "Word list" in page
    assert "Blocked" in page and '<li class="sw-chip">Free Money</li>' in page
    assert ">free money now</textarea>" in page


def test_a_clean_message_passes(owner_client, app):
    page = owner_client.post(page_url(app, "test/"), {"message": "hello there"}, **HTMX).content.decode()
    assert "Passed" in page and "delivered as typed" in page and "sw-chip" not in page


def test_replace_shows_what_receivers_see(owner_client, app):
    owner_client.post(page_url(app), {"enabled": "on", "action": "replace", "ignore_case": "on"})
    page = owner_client.post(page_url(app, "test/"), {"message": "no Spam, 很敏感!"}, **HTMX).content.decode()
    assert "Replaced" in page
    assert '<div class="sw-delivered">no ***, 很***!</div>' in page


def test_ignore_case_off_lets_other_cases_pass(owner_client, app):
    owner_client.post(page_url(app), {"enabled": "on", "action": "block"})
    assert "Passed" in owner_client.post(page_url(app, "test/"), {"message": "SPAM"}, **HTMX).content.decode()
    assert "Blocked" in owner_client.post(page_url(app, "test/"), {"message": "spam"}, **HTMX).content.decode()


def test_a_word_added_is_caught_by_the_next_test(owner_client, app):
    test = page_url(app, "test/")
    builds = matchers.builds
    assert "Passed" in owner_client.post(test, {"message": "lottery"}, **HTMX).content.decode()
    owner_client.post(test, {"message": "lottery"}, **HTMX)
    assert matchers.builds == builds + 1  # the same list: the automaton was reused
    owner_client.post(page_url(app, "add/"), {"words": "lottery"})
    assert "Blocked" in owner_client.post(test, {"message": "lottery"}, **HTMX).content.decode()
    assert matchers.builds == builds + 2


def test_a_word_deleted_passes_the_next_test(owner_client, app):
    spam = app.sensitive_words.get(word="spam")
    owner_client.post(page_url(app, "test/"), {"message": "spam"}, **HTMX)
    owner_client.post(page_url(app, "delete/"), {"words": str(spam.pk)})
    assert "Passed" in owner_client.post(page_url(app, "test/"), {"message": "spam"}, **HTMX).content.decode()


def test_the_result_says_when_the_filter_is_off(owner_client, app):
    owner_client.post(page_url(app), {"action": "block", "ignore_case": "on"})
    page = owner_client.post(page_url(app, "test/"), {"message": "spam"}, **HTMX).content.decode()
    assert "Blocked" in page and "The filter is off" in page


def test_an_app_without_words_passes_everything(owner_client, org):
    app = ProAppFactory(organization=org)
    page = owner_client.post(page_url(app, "test/"), {"message": "anything"}, **HTMX).content.decode()
    assert "Passed" in page
    assert not SensitiveWordSettings.objects.exists()


@pytest.mark.parametrize("message", ["", "x" * 5001])
def test_an_empty_or_too_long_message_is_a_form_error(owner_client, app, message):
    partial = owner_client.post(page_url(app, "test/"), {"message": message}, **HTMX).content.decode()
    assert "alert-danger" in partial
    page = owner_client.post(page_url(app, "test/"), {"message": message}).content.decode()
    assert "is-invalid" in page


def test_a_long_message_against_ten_thousand_words(owner_client, org):
    app = ProAppFactory(organization=org)
    make_words(app, 10_000)
    owner_client.post(page_url(app), {"enabled": "on", "action": "replace", "ignore_case": "on"})
    message = "x" * 1000 + " WORD09999 " + "y" * 1000
    page = owner_client.post(page_url(app, "test/"), {"message": message}, **HTMX).content.decode()
    assert f'<div class="sw-delivered">{"x" * 1000} *** {"y" * 1000}</div>' in page


def test_finance_may_test_messages(member_client, app):
    response = member_client(Role.FINANCE).post(page_url(app, "test/"), {"message": "spam"}, **HTMX)
    assert response.status_code == 200 and "Blocked" in response.content.decode()


def test_the_test_box_posts_with_htmx_and_works_without_it(owner_client, app):
    page = owner_client.get(page_url(app)).content.decode()
    test_url = page_url(app, "test/")
    assert f'action="{test_url}#sw-test-title"' in page and f'hx-post="{test_url}"' in page
    assert 'hx-target="#sw-test-result"' in page and 'id="sw-test-result"' in page
