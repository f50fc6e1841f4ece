"""The IM console journey of issue 16 in Chromium: an owner creates two IM users on the IM users page, sends a
test message with a sensitive word through the REST send service (the receiver's copy shows it replaced), and
after the usage roll-up the usage page counts that message. Runs on both CI passes: on SQLite the metering
writes to the database, on PostgreSQL + Redis it goes through the Redis counters and the roll-up copies them."""

import pytest
from playwright.sync_api import expect

from apps.applications.models import App
from apps.im.models import ImMessage, ImUser, UsageDay
from tests.browser.conftest import signed_in_owner_of_a_pro_app

pytestmark = pytest.mark.django_db(transaction=True)


def _sensitive_words_on(app) -> None:
    from apps.features.services import app_feature_enable
    from apps.sensitive_words.services import sensitive_word_settings_update, sensitive_words_add

    app_feature_enable(app=app, feature_code="sensitive_words", actor=None)
    sensitive_word_settings_update(app=app, actor=None, enabled=True, action="replace", ignore_case=True)
    sensitive_words_add(app=app, actor=None, words=["free money"])


def test_owner_creates_im_users_sends_a_filtered_test_message_and_sees_it_counted(journey):
    from apps.im.services.usage import usage_rollup

    trip = signed_in_owner_of_a_pro_app(journey, "im-console")
    app = App.objects.get(name="chat")
    _sensitive_words_on(app)
    page = trip.page

    trip.goto("/o/acme/apps/chat/")
    page.get_by_role("link", name="IM users", exact=True).first.click()
    expect(page.get_by_role("heading", name="IM users", exact=True)).to_be_visible()
    for username in ("alice", "bob"):
        page.get_by_label("Username", exact=True).fill(username)
        page.get_by_label("Password", exact=True).fill("secret-123")
        page.get_by_role("button", name="Create", exact=True).click()
        expect(page.locator(f"tr[data-im-user='{username}']")).to_be_visible()
    assert set(ImUser.objects.filter(app=app).values_list("username", flat=True)) == {"alice", "bob"}
    trip.shot("im-users")

    page.get_by_label("From (IM user)").fill("alice")
    page.get_by_label("To (username or group ID)").fill("bob")
    page.get_by_label("Text").fill("Win FREE MONEY tonight")
    page.get_by_role("button", name="Send test message").click()
    result = page.locator("[data-test-message-result]")
    expect(result).to_contain_text("bob")
    expect(result.locator("q[data-delivered]")).to_have_text("Win *** tonight")
    stored = ImMessage.objects.get(app=app)
    assert (stored.from_user, stored.to, stored.body) == ("alice", "bob", {"msg": "Win *** tonight"})
    trip.shot("im-test-message")

    usage_rollup()
    today = UsageDay.objects.get(app=app)
    assert (today.messages, today.active_users, today.registered_users) == (1, 1, 2)

    page.get_by_role("link", name="Usage", exact=True).first.click()
    expect(page.get_by_role("heading", name="Usage", exact=True)).to_be_visible()
    expect(page.locator("#today-messages")).to_have_text("1")
    expect(page.locator("#today-dau")).to_have_text("1")
    expect(page.locator("#meter-im_users")).to_contain_text("2 /")
    trip.shot("im-usage-after-rollup")
