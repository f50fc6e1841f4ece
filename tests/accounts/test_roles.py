"""The role matrix of SPEC §4, as data and through real views."""

import itertools

import pytest
from django.urls import reverse

from apps.accounts.access import required_action
from apps.accounts.roles import PERMISSIONS, Action, Role, role_may, role_may_manage, role_permissions

OWNER, ADMIN, DEVELOPER, FINANCE = Role.OWNER, Role.ADMIN, Role.DEVELOPER, Role.FINANCE

# Copied by hand from the SPEC §4 table, so a change to roles.py must be a change to this too.
SPEC_MATRIX = {
    Action.VIEW_APPS: {OWNER, ADMIN, DEVELOPER, FINANCE},
    Action.CHANGE_APPS: {OWNER, ADMIN, DEVELOPER},
    Action.PURCHASE: {OWNER, ADMIN},
    Action.VIEW_BILLING: {OWNER, ADMIN, FINANCE},
    Action.REQUEST_TOPUP: {OWNER, FINANCE},
    Action.MANAGE_MEMBERS: {OWNER, ADMIN},
    # Issue 13: only an owner requires two-factor sign-in of all members.
    Action.MANAGE_SECURITY: {OWNER},
}


def test_the_matrix_names_every_role_and_every_action():
    assert set(PERMISSIONS) == set(Role.values)
    assert set(SPEC_MATRIX) == set(Action.values)


@pytest.mark.parametrize(("role", "action"), list(itertools.product(Role.values, Action.values)))
def test_role_may_follows_the_spec_matrix(role, action):
    assert role_may(role, action) is (role in SPEC_MATRIX[action])


def test_an_unknown_role_may_do_nothing():
    assert not any(role_may("guest", action) for action in Action.values)


# Owner-vs-admin: one function answers for the service, the invitation form and the members page.
@pytest.mark.parametrize(
    ("actor", "roles", "allowed"),
    [
        (OWNER, (OWNER,), True),
        (OWNER, (DEVELOPER, OWNER), True),
        (ADMIN, (DEVELOPER,), True),
        (ADMIN, (FINANCE, ADMIN), True),
        (ADMIN, (OWNER,), False),
        (ADMIN, (DEVELOPER, OWNER), False),
        (DEVELOPER, (FINANCE,), False),
        (FINANCE, (DEVELOPER,), False),
    ],
)
def test_only_owners_manage_owners_and_only_managers_manage_anyone(actor, roles, allowed):
    assert role_may_manage(actor, *roles) is allowed


def test_role_permissions_name_every_action_and_deny_everything_without_a_role():
    assert role_permissions(DEVELOPER) == {action: action in {Action.VIEW_APPS, Action.CHANGE_APPS}
                                           for action in Action.values}
    assert not any(role_permissions(None).values())


def test_a_per_method_map_names_the_action_of_each_method_and_head_reads_like_get():
    spec = {"GET": Action.VIEW_APPS, "POST": Action.CHANGE_APPS}
    assert required_action(spec, "GET") == Action.VIEW_APPS
    assert required_action(spec, "HEAD") == Action.VIEW_APPS
    assert required_action(spec, "POST") == Action.CHANGE_APPS
    assert required_action(spec, "DELETE") is None
    assert required_action(Action.PURCHASE, "DELETE") == Action.PURCHASE


def _url(name, org):
    return reverse(name, kwargs={"org_name": org.name})


@pytest.mark.parametrize("role", Role.values)
def test_every_role_sees_the_app_list(role, member_client, org):
    assert member_client(role).get(_url("applications:app_list", org)).status_code == 200


@pytest.mark.parametrize("role", Role.values)
def test_members_page_answers_per_role(role, member_client, org):
    response = member_client(role).get(_url("members:member_list", org))
    assert response.status_code == (200 if role_may(role, Action.MANAGE_MEMBERS) else 403)


@pytest.mark.parametrize("role", [DEVELOPER, FINANCE])
def test_a_role_that_may_not_act_gets_a_readable_403_page_inside_its_org(role, member_client, org):
    response = member_client(role).get(_url("members:member_list", org))
    assert response.status_code == 403
    page = response.content.decode()
    assert "Your role may not do this" in page
    assert "Apps" in page  # the left menu of the org is still there


@pytest.mark.parametrize("name", ["applications:app_list", "members:member_list"])
def test_a_member_of_another_org_gets_404(name, other_org_client, org):
    assert other_org_client.get(_url(name, org)).status_code == 404


@pytest.mark.parametrize("name", ["applications:app_list", "members:member_list"])
def test_an_org_that_does_not_exist_is_the_same_404(name, owner_client, org):
    missing = reverse(name, kwargs={"org_name": "no-such-org"})
    assert owner_client.get(missing).status_code == 404


@pytest.mark.parametrize("name", ["applications:app_list", "members:member_list"])
def test_anonymous_visitors_are_sent_to_log_in(name, client, org):
    response = client.get(_url(name, org))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("role", Role.values)
def test_the_members_menu_entry_shows_only_to_roles_that_manage_members(role, member_client, org):
    page = member_client(role).get(_url("applications:app_list", org)).content.decode()
    assert (_url("members:member_list", org) in page) is role_may(role, Action.MANAGE_MEMBERS)
