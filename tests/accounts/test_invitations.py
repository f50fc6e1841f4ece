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
    assert 'name="password1"' not in page
    sent = visitor.post(path).content.decode()
    assert "We sent a confirmation link to newbie@example.com." in sent
    confirm = mail.outbox[-1]
    assert confirm.to == ["newbie@example.com"]
    proof_path = re.search(r"http://testserver(/\S+)", confirm.body).group(1)
    assert proof_path.startswith(path + "?proof=")
    assert 'name="password1"' in visitor.get(proof_path).content.decode()
    response = visitor.post(proof_path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
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
        Client().post(f"{accept_url(invitation)}?proof={proof_of(invitation)}",
                      {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert Membership.objects.filter(user__email="ontime@example.com", organization=org).exists()


def proof_of(invitation) -> str:
    return services.invitation_email_proof(invitation=invitation)


def test_an_invitation_works_once(org):
    invitation = InvitationFactory(organization=org, email="once@example.com")
    services.invitation_accept_with_signup(invitation=invitation, password=NEW_PASSWORD, proof=proof_of(invitation))
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
    response = Client(headers=EN).post(f"{accept_url(invitation)}?proof={proof_of(invitation)}",
                                       {"password1": "123", "password2": "123"})
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
    membership = services.invitation_accept_with_signup(invitation=invitation, password=NEW_PASSWORD,
                                                        proof=proof_of(invitation))
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


# --- the invited address proves itself (issue 13: an admin became an owner through the link) ---------------


def members_page(client, org) -> str:
    return client.get(reverse("members:member_list", kwargs={"org_name": org.name})).content.decode()


def test_an_admin_does_not_see_the_link_of_an_owner_invitation(org, owner):
    admin = MembershipFactory(organization=org, role=Role.ADMIN).user
    owner_invite = InvitationFactory(organization=org, email="boss@example.com", role=Role.OWNER)
    dev_invite = InvitationFactory(organization=org, email="dev@example.com", role=Role.DEVELOPER)
    admin_client = Client(headers=EN)
    admin_client.force_login(admin)
    page = members_page(admin_client, org)
    assert "boss@example.com" in page and "dev@example.com" in page
    assert owner_invite.token not in page
    assert dev_invite.token in page
    owner_client = Client(headers=EN)
    owner_client.force_login(owner)
    page = members_page(owner_client, org)
    assert owner_invite.token in page and dev_invite.token in page


def test_the_invitation_link_alone_creates_no_account(org):
    invitation = InvitationFactory(organization=org, email="boss@example.com", role=Role.OWNER)
    intruder = Client(headers=EN)
    response = intruder.post(accept_url(invitation), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 200
    assert not User.objects.filter(email="boss@example.com").exists()
    assert not Membership.objects.filter(organization=org, role=Role.OWNER, user__email="boss@example.com").exists()
    (confirm,) = mail.outbox
    assert confirm.to == ["boss@example.com"]  # the proof goes to the invited address only
    assert intruder.get(f"{accept_url(invitation)}?proof=forged").status_code == 200
    intruder.post(f"{accept_url(invitation)}?proof=forged", {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert not User.objects.filter(email="boss@example.com").exists()


def test_a_proof_is_bound_to_its_invitation_and_expires(org):
    first = InvitationFactory(organization=org, email="a@example.com")
    second = InvitationFactory(organization=org, email="b@example.com")
    assert services.invitation_email_proof_valid(invitation=first, proof=proof_of(first))
    assert not services.invitation_email_proof_valid(invitation=second, proof=proof_of(first))
    proof = proof_of(first)
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        assert not services.invitation_email_proof_valid(invitation=first, proof=proof)
    with pytest.raises(InvitationNotUsable):
        services.invitation_accept_with_signup(invitation=second, password=NEW_PASSWORD, proof=proof)
    assert not User.objects.filter(email="b@example.com").exists()


def test_asking_twice_in_a_minute_sends_one_confirmation(org):
    invitation = InvitationFactory(organization=org, email="twice@example.com")
    visitor = Client(headers=EN)
    visitor.post(accept_url(invitation))
    again = visitor.post(accept_url(invitation)).content.decode()
    assert len(mail.outbox) == 1
    assert "A confirmation link was sent a moment ago." in again


def test_a_double_submitted_invitation_signup_gives_a_clear_answer(org):
    invitation = InvitationFactory(organization=org, email="double@example.com")
    url = f"{accept_url(invitation)}?proof={proof_of(invitation)}"
    visitor = Client(headers=EN)
    first = visitor.post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert first.status_code == 302
    second = Client(headers=EN).post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert second.status_code in (200, 410)
    assert User.objects.filter(email="double@example.com").count() == 1
    invitation.refresh_from_db()
    with pytest.raises(InvitationNotUsable):
        services.invitation_accept_with_signup(invitation=invitation, password=NEW_PASSWORD,
                                               proof=proof_of(invitation))
