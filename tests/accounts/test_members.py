"""Members page: invite, change a role, remove; admins manage everyone but owners; an org keeps an owner."""

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts import services
from apps.accounts.exceptions import AlreadyMember, LastOwner, RoleNotAllowed
from apps.accounts.models import Invitation, Membership
from apps.accounts.roles import Role
from apps.audit.models import AuditEntry
from tests.accounts.factories import InvitationFactory, MembershipFactory, UserFactory
from tests.conftest import confirm_identity

EN = {"accept-language": "en"}


def login(user) -> Client:
    """Signed in and freshly re-authenticated: these tests are about the role rules; tests/accounts/test_reauth.py
    covers the re-authentication that role changes and owner invitations need."""
    client = Client(headers=EN)
    client.force_login(user)
    return confirm_identity(client)


@pytest.fixture
def owner_client(owner_client):
    return confirm_identity(owner_client)


@pytest.fixture
def member_client(member_client):
    return lambda *args, **kwargs: confirm_identity(member_client(*args, **kwargs))


def members_url(org):
    return reverse("members:member_list", kwargs={"org_name": org.name})


def invite_url(org):
    return reverse("members:member_invite", kwargs={"org_name": org.name})


def role_url(membership):
    return reverse(
        "members:member_change_role", kwargs={"org_name": membership.organization.name, "membership_id": membership.pk}
    )


def remove_url(membership):
    return reverse(
        "members:member_remove", kwargs={"org_name": membership.organization.name, "membership_id": membership.pk}
    )


def revoke_url(invitation):
    return reverse(
        "members:invitation_revoke",
        kwargs={"org_name": invitation.organization.name, "invitation_id": invitation.pk},
    )


def membership_of(user, org) -> Membership:
    return Membership.objects.get(user=user, organization=org)


@pytest.fixture
def owner_m(owner, org):
    return membership_of(owner, org)


@pytest.fixture
def admin_m(org):
    return MembershipFactory(organization=org, role=Role.ADMIN, user=UserFactory(email="admin@acme.test"))


@pytest.fixture
def developer_m(org):
    return MembershipFactory(organization=org, role=Role.DEVELOPER, user=UserFactory(email="dev@acme.test"))


@pytest.fixture
def outsider_m(other_org):
    return MembershipFactory(organization=other_org, role=Role.DEVELOPER, user=UserFactory(email="dev@globex.test"))


# --- the page -----------------------------------------------------------------------------------


def test_members_page_lists_the_org_members_and_not_another_orgs(owner_client, org, owner_m, developer_m, outsider_m):
    page = owner_client.get(members_url(org)).content.decode()
    assert "owner@acme.test" in page and "dev@acme.test" in page
    assert "dev@globex.test" not in page


def test_members_page_lists_pending_invitations_with_a_copyable_link(owner_client, org, other_org):
    invitation = InvitationFactory(organization=org, email="pending@example.com")
    InvitationFactory(organization=other_org, email="elsewhere@example.com")
    page = owner_client.get(members_url(org)).content.decode()
    link = "http://testserver" + reverse("accounts:invitation_accept", kwargs={"token": invitation.token})
    assert "pending@example.com" in page and f'data-copy="{link}"' in page
    assert "elsewhere@example.com" not in page


def test_members_page_hides_accepted_and_expired_invitations(owner_client, org):
    from django.utils import timezone

    InvitationFactory(organization=org, email="used@example.com", accepted_at=timezone.now())
    past = timezone.now() - timezone.timedelta(days=8)
    InvitationFactory(organization=org, email="old@example.com", created_at=past)
    page = owner_client.get(members_url(org)).content.decode()
    assert "used@example.com" not in page and "old@example.com" not in page


def test_members_page_query_count_does_not_grow_with_members(owner_client, org, owner_m):
    def count() -> int:
        owner_client.get(members_url(org))  # warm-up (current org, caches): count a later one
        with CaptureQueriesContext(connection) as ctx:
            assert owner_client.get(members_url(org)).status_code == 200
        return len(ctx.captured_queries)

    MembershipFactory(organization=org, role=Role.DEVELOPER)
    InvitationFactory(organization=org)
    few = count()
    MembershipFactory.create_batch(30, organization=org, role=Role.FINANCE)
    InvitationFactory.create_batch(30, organization=org)
    assert count() == few


def test_an_admin_sees_no_actions_on_owners_and_no_owner_role_to_give(org, owner_m, admin_m):
    page = login(admin_m.user).get(members_url(org)).content.decode()
    assert role_url(owner_m) not in page and remove_url(owner_m) not in page
    assert role_url(admin_m) in page
    assert '<option value="owner"' not in page


def test_the_last_owner_row_says_it_cannot_be_removed(owner_client, org, owner_m):
    page = owner_client.get(members_url(org)).content.decode()
    assert "The last owner cannot be removed or demoted" in page
    assert remove_url(owner_m) not in page


# --- invite -------------------------------------------------------------------------------------


def test_owner_invites_by_email_with_a_role_and_the_link_is_shown_and_emailed(
    owner_client, org, owner_m, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(invite_url(org), {"email": "New.Hire@Example.com", "role": Role.FINANCE})
    invitation = Invitation.objects.get(organization=org)
    assert (invitation.email, invitation.role) == ("new.hire@example.com", Role.FINANCE)
    assert invitation.invited_by == owner_m.user
    link = "http://testserver" + reverse("accounts:invitation_accept", kwargs={"token": invitation.token})
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.hire@example.com"] and link in mail.outbox[0].body
    assert "acme" in mail.outbox[0].subject
    page = owner_client.get(response["Location"]).content.decode()
    assert "Invitation link for new.hire@example.com" in page and f'value="{link}"' in page
    assert AuditEntry.objects.filter(organization=org, action="member.invited").exists()


def test_admin_invites_a_developer(org, admin_m):
    login(admin_m.user).post(invite_url(org), {"email": "d@example.com", "role": Role.DEVELOPER})
    assert Invitation.objects.filter(organization=org, email="d@example.com", role=Role.DEVELOPER).exists()


def test_admin_cannot_invite_an_owner(org, admin_m):
    response = login(admin_m.user).post(invite_url(org), {"email": "boss@example.com", "role": Role.OWNER})
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
    assert not Invitation.objects.exists()
    with pytest.raises(RoleNotAllowed):
        services.invitation_create(actor=admin_m, email="boss@example.com", role=Role.OWNER, site_url="http://x")
    assert not Invitation.objects.exists()


def test_inviting_a_member_again_is_a_form_error(owner_client, org, developer_m):
    response = owner_client.post(invite_url(org), {"email": "DEV@acme.test", "role": Role.ADMIN})
    assert "dev@acme.test is already a member of acme." in response.content.decode()
    assert not Invitation.objects.exists()


def test_inviting_a_bad_email_is_a_form_error(owner_client, org):
    response = owner_client.post(invite_url(org), {"email": "not-an-email", "role": Role.ADMIN})
    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
    assert not Invitation.objects.exists()


def test_a_new_invitation_to_the_same_email_replaces_the_pending_one(owner_m):
    first = services.invitation_create(actor=owner_m, email="x@example.com", role=Role.DEVELOPER, site_url="http://t")
    second = services.invitation_create(actor=owner_m, email="X@example.com", role=Role.ADMIN, site_url="http://t")
    assert list(Invitation.objects.values_list("pk", flat=True)) == [second.pk]
    assert first.token != second.token


def test_a_developer_may_not_invite(member_client, org):
    response = member_client(Role.DEVELOPER).post(invite_url(org), {"email": "x@example.com", "role": Role.ADMIN})
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_inviting_into_another_org_is_404(other_org_client, org):
    response = other_org_client.post(invite_url(org), {"email": "x@example.com", "role": Role.ADMIN})
    assert response.status_code == 404
    assert not Invitation.objects.exists()


def test_the_post_only_routes_refuse_get_from_a_member_and_404_a_stranger(owner_client, other_org_client, org):
    assert owner_client.get(invite_url(org)).status_code == 405
    assert other_org_client.get(invite_url(org)).status_code == 404


def test_owner_revokes_an_invitation(owner_client, org):
    invitation = InvitationFactory(organization=org)
    assert owner_client.post(revoke_url(invitation)).status_code == 302
    assert not Invitation.objects.exists()


def test_admin_cannot_revoke_an_owner_invitation(org, admin_m):
    invitation = InvitationFactory(organization=org, role=Role.OWNER)
    login(admin_m.user).post(revoke_url(invitation))
    assert Invitation.objects.filter(pk=invitation.pk).exists()


def test_revoking_another_orgs_invitation_is_404(owner_client, org, other_org):
    invitation = InvitationFactory(organization=other_org)
    url = reverse("members:invitation_revoke", kwargs={"org_name": org.name, "invitation_id": invitation.pk})
    assert owner_client.post(url).status_code == 404
    assert Invitation.objects.filter(pk=invitation.pk).exists()


# --- change a role ------------------------------------------------------------------------------


def test_owner_changes_a_members_role(owner_client, org, developer_m):
    response = owner_client.post(role_url(developer_m), {"role": Role.FINANCE})
    assert response.status_code == 302
    developer_m.refresh_from_db()
    assert developer_m.role == Role.FINANCE
    assert "dev@acme.test is now Finance." in owner_client.get(response["Location"]).content.decode()
    assert AuditEntry.objects.filter(organization=org, action="member.role_changed").exists()


def test_owner_makes_another_member_owner(owner_client, developer_m):
    owner_client.post(role_url(developer_m), {"role": Role.OWNER})
    developer_m.refresh_from_db()
    assert developer_m.role == Role.OWNER


def test_admin_changes_a_developer_to_admin(admin_m, developer_m):
    login(admin_m.user).post(role_url(developer_m), {"role": Role.ADMIN})
    developer_m.refresh_from_db()
    assert developer_m.role == Role.ADMIN


def test_admin_cannot_change_an_owner(org, owner_m, admin_m):
    # A second owner, so that only the admin rule (not the last-owner guard) can refuse.
    second = MembershipFactory(organization=org, role=Role.OWNER)
    client = login(admin_m.user)
    response = client.post(role_url(second), {"role": Role.DEVELOPER})
    second.refresh_from_db()
    assert second.role == Role.OWNER
    assert "Only an owner can invite, change or remove an owner." in client.get(response["Location"]).content.decode()


def test_admin_cannot_make_someone_owner(admin_m, developer_m):
    login(admin_m.user).post(role_url(developer_m), {"role": Role.OWNER})
    developer_m.refresh_from_db()
    assert developer_m.role == Role.DEVELOPER


def test_the_last_owner_cannot_be_demoted(owner_client, owner_m):
    response = owner_client.post(role_url(owner_m), {"role": Role.ADMIN})
    owner_m.refresh_from_db()
    assert owner_m.role == Role.OWNER
    page = owner_client.get(response["Location"]).content.decode()
    assert "acme needs at least one owner. Make another member owner first." in page


def test_an_owner_can_step_down_when_another_owner_remains(owner_client, org, owner_m):
    MembershipFactory(organization=org, role=Role.OWNER)
    response = owner_client.post(role_url(owner_m), {"role": Role.DEVELOPER})
    owner_m.refresh_from_db()
    assert owner_m.role == Role.DEVELOPER
    # The members page is no longer theirs to see: they land on the app list.
    assert response["Location"] == reverse("applications:app_list", kwargs={"org_name": org.name})


def test_an_unknown_role_is_refused(owner_client, developer_m):
    owner_client.post(role_url(developer_m), {"role": "superuser"})
    developer_m.refresh_from_db()
    assert developer_m.role == Role.DEVELOPER


def test_changing_a_role_in_another_org_is_404(owner_client, org, outsider_m, other_org_client, developer_m):
    url = reverse("members:member_change_role", kwargs={"org_name": org.name, "membership_id": outsider_m.pk})
    assert owner_client.post(url, {"role": Role.ADMIN}).status_code == 404
    assert other_org_client.post(role_url(developer_m), {"role": Role.ADMIN}).status_code == 404
    outsider_m.refresh_from_db()
    developer_m.refresh_from_db()
    assert (outsider_m.role, developer_m.role) == (Role.DEVELOPER, Role.DEVELOPER)


@pytest.mark.parametrize("role", [Role.DEVELOPER, Role.FINANCE])
def test_roles_without_member_management_may_not_change_roles(role, member_client, developer_m):
    assert member_client(role).post(role_url(developer_m), {"role": Role.ADMIN}).status_code == 403
    developer_m.refresh_from_db()
    assert developer_m.role == Role.DEVELOPER


# --- remove -------------------------------------------------------------------------------------


def test_owner_removes_a_member(owner_client, org, developer_m):
    response = owner_client.post(remove_url(developer_m))
    assert response["Location"] == members_url(org)
    assert not Membership.objects.filter(pk=developer_m.pk).exists()
    assert "dev@acme.test was removed from acme." in owner_client.get(response["Location"]).content.decode()
    assert AuditEntry.objects.filter(organization=org, action="member.removed").exists()


def test_admin_removes_a_developer_but_not_an_owner(org, owner_m, admin_m, developer_m):
    MembershipFactory(organization=org, role=Role.OWNER)
    client = login(admin_m.user)
    client.post(remove_url(developer_m))
    client.post(remove_url(owner_m))
    assert not Membership.objects.filter(pk=developer_m.pk).exists()
    assert Membership.objects.filter(pk=owner_m.pk).exists()


def test_the_last_owner_cannot_be_removed(owner_client, owner_m):
    owner_client.post(remove_url(owner_m))
    assert Membership.objects.filter(pk=owner_m.pk).exists()
    with pytest.raises(LastOwner):
        services.membership_remove(actor=owner_m, membership=owner_m)


def test_an_owner_may_leave_when_another_owner_remains(owner_client, org, owner_m):
    MembershipFactory(organization=org, role=Role.OWNER)
    response = owner_client.post(remove_url(owner_m))
    assert not Membership.objects.filter(pk=owner_m.pk).exists()
    assert response["Location"] == reverse("home")
    assert owner_client.get(reverse("home"))["Location"] == reverse("accounts:no_organization")


def test_a_removed_member_loses_access_at_once(owner_client, org, developer_m):
    client = login(developer_m.user)
    assert client.get(reverse("applications:app_list", kwargs={"org_name": org.name})).status_code == 200
    owner_client.post(remove_url(developer_m))
    assert client.get(reverse("applications:app_list", kwargs={"org_name": org.name})).status_code == 404


def test_removing_a_member_of_another_org_is_404(owner_client, org, outsider_m, other_org_client, developer_m):
    url = reverse("members:member_remove", kwargs={"org_name": org.name, "membership_id": outsider_m.pk})
    assert owner_client.post(url).status_code == 404
    assert other_org_client.post(remove_url(developer_m)).status_code == 404
    assert Membership.objects.filter(pk__in=[outsider_m.pk, developer_m.pk]).count() == 2


def test_a_finance_member_may_not_remove(member_client, developer_m):
    assert member_client(Role.FINANCE).post(remove_url(developer_m)).status_code == 403
    assert Membership.objects.filter(pk=developer_m.pk).exists()


# --- service guards -----------------------------------------------------------------------------


def test_services_refuse_a_member_of_another_org(owner_m, outsider_m):
    with pytest.raises(RoleNotAllowed):
        services.membership_change_role(actor=owner_m, membership=outsider_m, role=Role.ADMIN)
    with pytest.raises(RoleNotAllowed):
        services.membership_remove(actor=owner_m, membership=outsider_m)


def test_a_developer_actor_is_refused_by_the_services(developer_m, owner_m):
    with pytest.raises(RoleNotAllowed):
        services.membership_change_role(actor=developer_m, membership=developer_m, role=Role.ADMIN)
    with pytest.raises(RoleNotAllowed):
        services.invitation_create(actor=developer_m, email="x@example.com", role=Role.FINANCE, site_url="http://t")


def test_the_service_refuses_to_invite_a_member(owner_m, developer_m):
    with pytest.raises(AlreadyMember):
        services.invitation_create(actor=owner_m, email="dev@acme.test", role=Role.ADMIN, site_url="http://t")
