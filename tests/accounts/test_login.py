"""Log in, log out, password change and reset, and the brute-force lockout (django-axes)."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.accounts.factories import PASSWORD, UserFactory

EN = {"accept-language": "en"}
NEW_PASSWORD = "amber-tundra-wicket-93"
pytestmark = pytest.mark.django_db


@pytest.fixture
def user(db):
    return UserFactory(email="pat@example.com")


def attempt(client, password, username="pat@example.com", ip="10.0.0.1"):
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=ip, headers=EN
    )


def test_logging_in_with_the_right_password_signs_in(user):
    client = Client()
    response = attempt(client, PASSWORD)
    assert response.status_code == 302
    assert client.get(reverse("accounts:password_change")).status_code == 200


def test_a_wrong_password_is_a_form_error(user):
    response = attempt(Client(), "wrong")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Wrong email or password." in page and "case-sensitive" not in page


def test_logging_out_signs_out(user):
    client = Client()
    client.force_login(user)
    response = client.post(reverse("accounts:logout"))
    assert response["Location"] == reverse("accounts:login")
    assert client.get(reverse("accounts:password_change")).status_code == 302


def test_password_change_needs_the_old_password_and_changes_it(user):
    client = Client(headers=EN)
    client.force_login(user)
    data = {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    assert client.post(reverse("accounts:password_change"), data).status_code == 200
    data["old_password"] = PASSWORD
    response = client.post(reverse("accounts:password_change"), data)
    assert response["Location"] == reverse("accounts:password_change_done")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_password_reset_emails_a_link_that_sets_a_new_password(user):
    client = Client(headers=EN)
    client.post(reverse("accounts:password_reset"), {"email": "PAT@example.com"})
    (message,) = mail.outbox
    assert message.to == ["pat@example.com"]
    path = re.search(r"http://testserver(/\S+)", message.body).group(1)
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done["Location"] == reverse("accounts:password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_password_reset_for_an_unknown_email_sends_nothing_and_says_the_same(db):
    response = Client(headers=EN).post(reverse("accounts:password_reset"), {"email": "ghost@example.com"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []


# --- brute force --------------------------------------------------------------------------------


def _fail(client, times, **kwargs):
    """``times`` failed attempts; the fifth is answered with the lockout page itself."""
    for n in range(1, times + 1):
        assert attempt(client, "wrong", **kwargs).status_code == (429 if n >= 5 else 200)


def test_five_failures_lock_that_username_and_ip_even_with_the_right_password(user):
    client = Client()
    _fail(client, 5)
    response = attempt(client, PASSWORD)
    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_four_failures_do_not_lock(user):
    client = Client()
    _fail(client, 4)
    assert attempt(client, PASSWORD).status_code == 302


def test_the_lock_holds_for_the_username_and_ip_pair_only(user):
    UserFactory(email="other@example.com")
    _fail(Client(), 5)
    assert attempt(Client(), PASSWORD, ip="10.0.0.2").status_code == 302
    assert attempt(Client(), PASSWORD, username="other@example.com").status_code == 302
    assert attempt(Client(), PASSWORD).status_code == 429


def test_changing_the_case_of_the_email_does_not_dodge_the_lock(user):
    client = Client()
    for username in ["pat@example.com", "PAT@example.com", "Pat@Example.com", "pAt@example.COM", "PAT@EXAMPLE.COM"]:
        attempt(client, "wrong", username=username)
    assert attempt(client, PASSWORD).status_code == 429


def test_the_lock_releases_thirty_minutes_after_the_fifth_failure_even_if_tried_meanwhile(user):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _fail(Client(), 5)
    with time_machine.travel(start + timedelta(minutes=29), tick=False):
        assert attempt(Client(), PASSWORD).status_code == 429
    with time_machine.travel(start + timedelta(minutes=30, seconds=1), tick=False):
        assert attempt(Client(), PASSWORD).status_code == 302


def test_a_successful_login_resets_the_failure_count(user):
    client = Client()
    _fail(client, 4)
    assert attempt(client, PASSWORD).status_code == 302
    client = Client()
    _fail(client, 4)
    assert attempt(client, PASSWORD).status_code == 302
