"""An invitation end to end: invite, email, open the link, sign up or log in, join."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from apps.accounts import services
from apps.accounts.exceptions import InvitationNotUsable, InvitationWrongAccount
from apps.accounts.models import Invitation, Membership, User
from apps.accounts.roles import Role
from tests.accounts.factories import PASSWORD, InvitationFactory, MembershipFactory, UserFactory

EN = {"accept-language": "en"}
NEW_PASSWORD = "violet-canyon-ember-41"


def accept_url(invitation):
    return reverse("accounts:invitation_accept", kwargs={"token": invitation.token})


def app_list_url(org):
    return reverse("applications:app_list", kwargs={"org_name": org.name})


def _invite_by_mail(owner_client, org, email, role, capture) -> str:
    with capture(execute=True):
        url = reverse("members:member_invite", kwargs={"org_name": org.name})
        owner_client.post(url, {"email": email, "role": role})
    (message,) = mail.outbox
    return re.search(r"http://testserver(/\S+)", message.body).group(1)


def test_a_new_person_follows_the_emailed_link_signs_up_and_joins(
    owner_client, org, django_capture_on_commit_callbacks
):
    path = _invite_by_mail(owner_client, org, "newbie@example.com", Role.DEVELOPER, django_capture_on_commit_callbacks)
    visitor = Client(headers=EN)
    page = visitor.get(path).content.decode()
    assert "Join acme" in page and "Developer" in page and "newbie@example.com" in page
    response = visitor.post(path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response["Location"] == app_list_url(org)
    membership = Membership.objects.get(user__email="newbie@example.com", organization=org)
    assert membership.role == Role.DEVELOPER
    landing = visitor.get(response["Location"])
    assert landing.status_code == 200
    assert "You joined acme as Developer." in landing.content.decode()
    invitation = Invitation.objects.get()
    assert invitation.accepted_by == membership.user and invitation.accepted_at is not None


def test_an_existing_account_logs_in_through_the_link_and_joins(
    owner_client, org, other_org, django_capture_on_commit_callbacks
):
    existing = UserFactory(email="pat@example.com")
    MembershipFactory(organization=other_org, role=Role.OWNER, user=existing)
    path = _invite_by_mail(owner_client, org, "pat@example.com", Role.FINANCE, django_capture_on_commit_callbacks)
    visitor = Client(headers=EN)
    page = visitor.get(path).content.decode()
    assert "Log in to accept" in page
    credentials = {"username": "pat@example.com", "password": PASSWORD, "next": path}
    login = visitor.post(f"{reverse('accounts:login')}?next={path}", credentials)
    assert login["Location"] == path
    assert "Join acme" in visitor.get(path).content.decode()
    response = visitor.post(path)
    assert response["Location"] == app_list_url(org)
    assert Membership.objects.get(user=existing, organization=org).role == Role.FINANCE
    assert Membership.objects.filter(user=existing).count() == 2


def test_a_signed_in_invitee_joins_with_one_click(org):
    user = UserFactory(email="sam@example.com")
    invitation = InvitationFactory(organization=org, email="sam@example.com", role=Role.ADMIN)
    client = Client(headers=EN)
    client.force_login(user)
    client.post(accept_url(invitation))
    assert Membership.objects.get(user=user, organization=org).role == Role.ADMIN


def test_signing_in_with_another_email_cannot_accept(org):
    invitation = InvitationFactory(organization=org, email="invited@example.com")
    intruder = UserFactory(email="intruder@example.com")
    client = Client(headers=EN)
    client.force_login(intruder)
    page = client.get(accept_url(invitation)).content.decode()
    assert "This invitation is for invited@example.com, but you are signed in as intruder@example.com." in page
    client.post(accept_url(invitation))
    assert not Membership.objects.filter(user=intruder).exists()
    with pytest.raises(InvitationWrongAccount):
        services.invitation_accept(invitation=invitation, user=intruder)


def test_an_already_member_gets_a_clear_message(org, owner, owner_client):
    invitation = InvitationFactory(organization=org, email=owner.email, role=Role.DEVELOPER)
    page = owner_client.get(accept_url(invitation)).content.decode()
    assert "You are already a member of acme." in page
    owner_client.post(accept_url(invitation))
    assert Membership.objects.get(user=owner, organization=org).role == Role.OWNER


def test_an_invitation_expires_after_seven_days(org):
    invitation = InvitationFactory(organization=org, email="late@example.com")
    with time_machine.travel(invitation.created_at + timedelta(days=7, seconds=1)):
        response = Client(headers=EN).get(accept_url(invitation))
        assert response.status_code == 410
        assert "This invitation has expired. Ask for a new one." in response.content.decode()
        passwords = {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
        response = Client(headers=EN).post(accept_url(invitation), passwords)
        assert response.status_code == 410
    assert not User.objects.filter(email="late@example.com").exists()


def test_an_invitation_still_works_just_before_seven_days(org):
    invitation = InvitationFactory(organization=org, email="ontime@example.com")
    with time_machine.travel(invitation.created_at + timedelta(days=6, hours=23)):
        Client().post(accept_url(invitation), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert Membership.objects.filter(user__email="ontime@example.com", organization=org).exists()


def test_an_invitation_works_once(org):
    invitation = InvitationFactory(organization=org, email="once@example.com")
    services.invitation_accept_with_signup(invitation=invitation, password=NEW_PASSWORD)
    other = UserFactory(email="twice@example.com")
    response = Client(headers=EN).get(accept_url(invitation))
    assert response.status_code == 410 and "This invitation was used already." in response.content.decode()
    with pytest.raises(InvitationNotUsable):
        services.invitation_accept(invitation=invitation, user=other)


def test_an_unknown_token_is_404(client, db):
    assert client.get(reverse("accounts:invitation_accept", kwargs={"token": "nope"})).status_code == 404


def test_a_revoked_invitation_link_is_404(owner_client, org):
    invitation = InvitationFactory(organization=org)
    owner_client.post(
        reverse("members:invitation_revoke", kwargs={"org_name": org.name, "invitation_id": invitation.pk})
    )
    assert Client().get(accept_url(invitation)).status_code == 404


def test_signing_up_through_an_invitation_applies_the_password_rules(org):
    invitation = InvitationFactory(organization=org, email="weak@example.com")
    response = Client(headers=EN).post(accept_url(invitation), {"password1": "123", "password2": "123"})
    assert "too short" in response.content.decode()
    assert not User.objects.filter(email="weak@example.com").exists()


def test_the_invitation_signup_form_is_not_offered_when_the_account_exists(org):
    UserFactory(email="has@example.com")
    invitation = InvitationFactory(organization=org, email="has@example.com")
    page = Client(headers=EN).get(accept_url(invitation)).content.decode()
    assert "Log in to accept" in page and 'name="password1"' not in page
    Client().post(accept_url(invitation), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert not Membership.objects.filter(organization=org, user__email="has@example.com").exists()


def test_accepting_does_not_touch_another_org(org, other_org):
    invitation = InvitationFactory(organization=org, email="scoped@example.com", role=Role.ADMIN)
    membership = services.invitation_accept_with_signup(invitation=invitation, password=NEW_PASSWORD)
    client = Client()
    client.force_login(membership.user)
    assert client.get(app_list_url(org)).status_code == 200
    assert client.get(app_list_url(other_org)).status_code == 404


def test_the_invitation_email_names_the_org_role_and_expiry(owner, org, django_capture_on_commit_callbacks):
    actor = Membership.objects.get(user=owner, organization=org)
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(
            actor=actor, email="mail@example.com", role=Role.FINANCE, site_url="https://console.example.com/"
        )
    body = mail.outbox[0].body
    assert f"https://console.example.com/accounts/invitations/{invitation.token}/" in body
    assert "owner@acme.test invited you to the organization acme as Finance." in body
    assert timezone.localtime(invitation.expires_at).strftime("%Y-%m-%d") in body
