"""The members table built by the ``member_rows`` tag: what a user sees, escaped, in both languages."""

import html

import pytest
from django.test import Client
from django.urls import reverse

from apps.accounts.roles import Role
from tests.accounts.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
HOSTILE_EMAIL = 'x"<b>&y@acme.test'
HOSTILE_NAME = "<script>alert(1)</script>"


@pytest.fixture
def hostile(org):
    return MembershipFactory(organization=org, role=Role.FINANCE,
                             user=UserFactory(email=HOSTILE_EMAIL, full_name=HOSTILE_NAME))


def members_page(owner, org, language: str) -> str:
    client = Client(headers={"accept-language": language})
    client.force_login(owner)
    return client.get(reverse("members:member_list", kwargs={"org_name": org.name})).content.decode()


@pytest.mark.parametrize(("language", "role_of", "remove_from"), [
    ("en", "Role of {}", "Remove {} from acme?"),
    ("zh-hans", "{} 的角色", "确定将 {} 移出 acme？"),
])
def test_a_hostile_name_and_email_show_as_text_in_every_row_sentence(owner, org, hostile, language, role_of,
                                                                     remove_from):
    page = members_page(owner, org, language)
    assert HOSTILE_NAME not in page and HOSTILE_EMAIL not in page
    assert html.escape(HOSTILE_NAME) in page
    assert html.escape(role_of.format(HOSTILE_EMAIL)) in page
    assert f'data-confirm="{html.escape(remove_from.format(HOSTILE_EMAIL))}"' in page


def test_each_row_offers_the_roles_with_its_members_role_selected(owner, org, hostile):
    page = members_page(owner, org, "zh-hans")
    select = page.split(f'id="role-{hostile.pk}"', 1)[1].split("</select>", 1)[0]
    assert '<option value="finance" selected>财务</option>' in select
    assert '<option value="owner">所有者</option>' in select
    # The signed-in owner is the last owner: a sentence, no form, and the "you" badge.
    assert "最后一位所有者不能被移除或降级" in page and '<span class="badge text-bg-light">我</span>' in page
