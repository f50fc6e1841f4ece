"""Two owners stepping down at the same moment: the row lock lets exactly one through (PostgreSQL)."""


import pytest

from apps.accounts import services
from apps.accounts.exceptions import LastOwner
from apps.accounts.models import Membership
from apps.accounts.roles import Role
from tests.accounts.factories import MembershipFactory, OrganizationFactory
from tests.concurrency import run_together


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("rounds", range(5))
def test_two_owners_stepping_down_at_once_leave_one_owner(rounds):
    org = OrganizationFactory(name=f"race{rounds}")
    first = MembershipFactory(organization=org, role=Role.OWNER)
    second = MembershipFactory(organization=org, role=Role.OWNER)
    outcomes = run_together(
        lambda: services.membership_change_role(actor=first, membership=first, role=Role.DEVELOPER),
        lambda: services.membership_remove(actor=second, membership=second),
        timeout=20,
    )
    outcomes = ["refused" if isinstance(o, LastOwner) else o if isinstance(o, Exception) else "done" for o in outcomes]
    assert sorted(outcomes) == ["done", "refused"]
    assert Membership.objects.filter(organization=org, role=Role.OWNER).count() == 1
