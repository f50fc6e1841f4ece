"""Sessions: the list of a user's signed-in sessions (device, IP, last seen) with sign-out of one or all others,
sign-in history of 30 days, and the email on a sign-in from a new device."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import SignInEvent, UserSession
from apps.accounts.usersessions import DEVICE_COOKIE, device_label
from tests.accounts.factories import PASSWORD, UserFactory

EN = {"accept-language": "en"}
pytestmark = pytest.mark.django_db
CHROME_MAC = ("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/537.36 (KHTML, like Gecko) "
              "Chrome/126.0.0.0 Safari/537.36")
FIREFOX_WIN = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0"
SAFARI_IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                 "Version/17.5 Mobile/15E148 Safari/604.1")
SECURITY = "/accounts/security/"


@pytest.fixture
def user(db):
    return UserFactory(email="pat@example.com")


def browser(user_agent=CHROME_MAC, ip="203.0.113.5") -> Client:
    return Client(headers={**EN, "user-agent": user_agent}, REMOTE_ADDR=ip)


def sign_in(client, user, password=PASSWORD):
    return client.post("/accounts/login/", {"username": user.email, "password": password})


@pytest.mark.parametrize(("agent", "label"), [
    (CHROME_MAC, "Chrome on macOS"), (FIREFOX_WIN, "Firefox on Windows"), (SAFARI_IPHONE, "Safari on iOS"),
    ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126 Safari/537.36 Edg/126.0", "Edge on Linux"),
    ("curl/8.5.0", "curl/8.5.0"), ("", "Unknown device"),
])
def test_the_device_is_named_simply(agent, label):
    assert device_label(agent) == label


def test_the_page_lists_each_signed_in_session_with_device_ip_and_times(user):
    laptop, phone = browser(), browser(SAFARI_IPHONE, "198.51.100.7")
    sign_in(laptop, user)
    sign_in(phone, user)
    page = laptop.get(SECURITY).content.decode()
    assert page.count('class="user-session"') == 2
    assert "Chrome on macOS" in page and "203.0.113.5" in page
    assert "Safari on iOS" in page and "198.51.100.7" in page
    assert "this session" in page
    other_user = UserFactory()
    sign_in(browser(), other_user)
    assert laptop.get(SECURITY).content.decode().count('class="user-session"') == 2


def test_last_seen_is_written_at_most_once_a_minute(user):
    client = browser()
    sign_in(client, user)
    row = UserSession.objects.get(user=user)
    start = row.last_seen_at
    with time_machine.travel(start + timedelta(seconds=30)):
        client.get(SECURITY)
    assert UserSession.objects.get(pk=row.pk).last_seen_at == start
    with time_machine.travel(start + timedelta(seconds=90)):
        client.get(SECURITY)
    assert UserSession.objects.get(pk=row.pk).last_seen_at > start


def test_signing_out_one_session_ends_it(user):
    laptop, phone = browser(), browser(SAFARI_IPHONE)
    sign_in(laptop, user)
    sign_in(phone, user)
    phone_row = UserSession.objects.get(user=user, device="Safari on iOS")
    response = laptop.post(reverse("accounts:session_sign_out", kwargs={"pk": phone_row.pk}))
    assert response["Location"] == SECURITY
    assert not UserSession.objects.filter(pk=phone_row.pk).exists()
    assert phone.get(SECURITY)["Location"].startswith("/accounts/login/")
    assert laptop.get(SECURITY).status_code == 200


def test_signing_out_all_others_keeps_this_one(user):
    clients = [browser(), browser(FIREFOX_WIN), browser(SAFARI_IPHONE)]
    for client in clients:
        sign_in(client, user)
    page = clients[0].post(reverse("accounts:sessions_sign_out_others"), follow=True).content.decode()
    assert "2 other sessions were signed out." in page
    assert UserSession.objects.filter(user=user).count() == 1
    assert clients[0].get(SECURITY).status_code == 200
    assert all(c.get(SECURITY)["Location"].startswith("/accounts/login/") for c in clients[1:])


def test_another_users_session_answers_404(user):
    mine, theirs = browser(), browser()
    sign_in(mine, user)
    other = UserFactory()
    sign_in(theirs, other)
    row = UserSession.objects.get(user=other)
    assert mine.post(reverse("accounts:session_sign_out", kwargs={"pk": row.pk})).status_code == 404
    assert theirs.get(SECURITY).status_code == 200


def test_logging_out_removes_the_session_from_the_list(user):
    client = browser()
    sign_in(client, user)
    client.post(reverse("accounts:logout"))
    assert not UserSession.objects.filter(user=user).exists()


def test_a_session_whose_row_is_gone_is_signed_out_at_its_next_refresh(user):
    client = browser()
    sign_in(client, user)
    UserSession.objects.filter(user=user).delete()
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        assert client.get(SECURITY)["Location"].startswith("/accounts/login/")


def test_history_shows_successful_and_failed_sign_ins_of_30_days(user):
    client = browser(FIREFOX_WIN, "192.0.2.44")
    with time_machine.travel(timezone.now() - timedelta(days=31)):
        sign_in(browser(), user)
    sign_in(client, user, password="wrong")
    sign_in(client, user)
    sign_in(browser(), UserFactory(email="sam@example.com"), password="wrong")
    rows = list(SignInEvent.objects.filter(user=user).order_by("created_at").values_list("outcome", "ip", "device"))
    assert rows[-2:] == [("wrong_password", "192.0.2.44", "Firefox on Windows"),
                         ("signed_in", "192.0.2.44", "Firefox on Windows")]
    page = client.get(SECURITY).content.decode()
    assert page.count('class="sign-in-event') == 2  # the one of 31 days ago is not shown (and was pruned)
    assert "Password refused" in page and "Signed in" in page
    assert not SignInEvent.objects.filter(user=user, created_at__lt=timezone.now() - timedelta(days=30)).exists()


def test_unknown_emails_leave_no_history(db):
    sign_in(browser(), UserFactory.build(email="nobody@example.com"), password="wrong")
    assert not SignInEvent.objects.exists()


def test_a_sign_in_from_a_new_device_is_mailed_but_not_the_first_or_a_known_one(user):
    laptop = browser()
    sign_in(laptop, user)
    assert mail.outbox == []  # the account's first device
    assert laptop.cookies[DEVICE_COOKIE]["httponly"]
    laptop.post(reverse("accounts:logout"))
    sign_in(laptop, user)
    assert mail.outbox == []  # known device
    phone = browser(SAFARI_IPHONE, "198.51.100.9")
    sign_in(phone, user)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["pat@example.com"]
    assert "New sign-in" in message.subject
    assert "Safari on iOS" in message.body and "198.51.100.9" in message.body
    assert "http://testserver/accounts/security/" in message.body
    phone.post(reverse("accounts:logout"))
    sign_in(phone, user)
    assert len(mail.outbox) == 1


def test_a_failed_sign_in_sends_no_new_device_mail(user):
    sign_in(browser(), user)
    sign_in(browser(), user, password="wrong")
    assert mail.outbox == []


def test_the_security_page_needs_a_signed_in_user():
    assert Client().get(SECURITY)["Location"].startswith("/accounts/login/")


def test_after_a_password_change_this_session_is_still_this_session(user):
    """A password change gives the session a new key; the list still knows which row is this session."""
    client, other = browser(), browser(FIREFOX_WIN)
    sign_in(client, user)
    sign_in(other, user)
    new = "amber-tundra-wicket-93"
    client.post(reverse("accounts:password_change"),
                {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    page = client.get(SECURITY).content.decode()
    assert "this session" in page
    client.post(reverse("accounts:sessions_sign_out_others"))
    assert client.get(SECURITY).status_code == 200
    assert UserSession.objects.filter(user=user).count() == 1
