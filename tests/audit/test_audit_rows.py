"""The audit log's rows built by the ``audit_rows`` tag: escaped, in both languages, system entries marked."""

import html

import pytest
from django.urls import reverse

from apps.audit.services import audit_record
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.applications.factories import AppFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("language", "system"), [("en", "System"), ("zh-hans", "系统")])
def test_a_hostile_summary_and_email_show_as_text_and_a_system_entry_is_marked(owner_client, org, language, system):
    hostile = MembershipFactory(organization=org, user=UserFactory(email='<i>"x"@acme.test')).user
    app = AppFactory(organization=org, name="chat")
    audit_record(organization=org, actor=hostile, app=app, action="x", summary="<img src=x onerror=alert(1)>")
    audit_record(organization=org, actor=None, action="x", summary="by the system")
    page = owner_client.get(reverse("audit:audit_list", kwargs={"org_name": org.name}),
                            headers={"accept-language": language}).content.decode()
    assert "<img src=x" not in page and '<i>"x"' not in page
    assert html.escape("<img src=x onerror=alert(1)>") in page and html.escape('<i>"x"@acme.test') in page
    assert f'<a href="/o/{org.name}/apps/chat/">chat</a>' in page
    assert f'<span class="text-body-secondary">{system}</span>' in page
