"""Two owners stepping down at the same moment: the row lock lets exactly one through (PostgreSQL)."""

import threading

import pytest
from django.db import connection

from apps.accounts import services
from apps.accounts.exceptions import LastOwner
from apps.accounts.models import Membership
from apps.accounts.roles import Role
from tests.accounts.factories import MembershipFactory, OrganizationFactory


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("rounds", range(5))
def test_two_owners_stepping_down_at_once_leave_one_owner(rounds):
    org = OrganizationFactory(name=f"race{rounds}")
    first = MembershipFactory(organization=org, role=Role.OWNER)
    second = MembershipFactory(organization=org, role=Role.OWNER)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def step_down(step):
        try:
            barrier.wait()
            step()
            outcomes.append("done")
        except LastOwner:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=step_down, args=(lambda: services.membership_change_role(
            actor=first, membership=first, role=Role.DEVELOPER),)),
        threading.Thread(target=step_down, args=(lambda: services.membership_remove(actor=second, membership=second),)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert sorted(outcomes) == ["done", "refused"]
    assert Membership.objects.filter(organization=org, role=Role.OWNER).count() == 1
