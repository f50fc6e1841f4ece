import pytest

from apps.accounts import demo
from apps.accounts.models import Invitation, Membership, Organization
from apps.accounts.roles import Role


@pytest.mark.django_db
def test_the_accounts_demo_seed_is_idempotent_and_has_one_user_per_role():
    demo.seed()
    organization, users = demo.seed()
    assert set(users) == set(Role.values)
    assert Membership.objects.filter(organization=organization).count() == 4
    assert Organization.objects.filter(name__startswith="demo").count() == 2
    assert Invitation.objects.filter(organization=organization).count() == 1
