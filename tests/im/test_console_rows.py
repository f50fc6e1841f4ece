"""The rows of the IM users, IM groups and usage-of-all-apps tables (written by apps/im/templatetags/im_console.py):
what a user reads in both languages, hostile text escaped, the links and forms of each row."""

import datetime as dt

import pytest
from django.urls import reverse

from apps.accounts.roles import Role
from apps.im.models import ImUser
from apps.im.services import groups, users
from console.timeutil import business_date
from tests.applications.factories import AppFactory
from tests.im.factories import UsageDayFactory

pytestmark = pytest.mark.django_db

HOSTILE = '<b onmouseover="x">&amp;</b>'
ESCAPED = "&lt;b onmouseover=&quot;x&quot;&gt;&amp;amp;&lt;/b&gt;"


@pytest.fixture
def app(org):
    app = AppFactory(organization=org, name="chat")
    users.users_register(app=app, entries=[{"username": "alice", "password": "x", "nickname": HOSTILE},
                                           {"username": "bob", "password": "x"}])
    users.user_set_activated(app=app, username="bob", activated=False)
    ImUser.objects.filter(app=app).update(created=dt.datetime(2026, 11, 30, 16, 30, tzinfo=dt.UTC))
    return app


def _page(client, name, language, **kwargs) -> str:
    response = client.get(reverse(f"im_console:{name}", kwargs=kwargs), headers={"accept-language": language})
    assert response.status_code == 200
    return response.content.decode()


def _row(html: str, marker: str) -> str:
    start = html.index(marker)
    return html[start:html.index("</tr>", start)]


@pytest.mark.parametrize("language, active, banned, ban, unban", [
    ("en", "Active", "Banned", "Ban", "Unban"), ("zh-hans", "正常", "已封禁", "封禁", "解禁")])
def test_user_rows_read_in_both_languages_with_hostile_text_escaped(owner_client, app, language, active, banned,
                                                                    ban, unban):
    html = _page(owner_client, "users", language, org_name=app.organization.name, app_name=app.name)
    base = f"/o/{app.organization.name}/apps/chat/im-users/"
    alice, bob = _row(html, 'data-im-user="alice"'), _row(html, 'data-im-user="bob"')
    assert HOSTILE not in html and f"<td>{ESCAPED}</td>" in alice
    assert f'<span class="badge text-bg-success">{active}</span>' in alice
    assert f'action="{base}alice/ban/"><input type="hidden" name="csrfmiddlewaretoken"' in alice
    assert f'btn-outline-warning">{ban}</button>' in alice and "unban/" not in alice
    assert f'<span class="badge text-bg-secondary">{banned}</span>' in bob
    assert f'action="{base}bob/unban/"' in bob and f'btn-outline-success">{unban}</button>' in bob
    for action in ("logout/", "token/"):
        assert f'action="{base}bob/{action}"' in bob
    assert f'href="{base}bob/password/"' in bob and f'href="{base}bob/delete/"' in bob
    assert "<td>2026-12-01 00:30</td>" in bob  # created in Beijing time


def test_group_rows_escape_the_name_and_link_the_group(owner_client, app):
    group = groups.group_create(app=app, data={"groupname": HOSTILE, "owner": "alice", "members": ["bob"],
                                               "maxusers": 50, "public": True})
    html = _page(owner_client, "groups", "en", org_name=app.organization.name, app_name=app.name)
    row = _row(html, f'data-group="{group.group_id}"')
    assert HOSTILE not in html and f"<td>{ESCAPED}</td>" in row
    assert f'<a href="/o/{app.organization.name}/apps/chat/im-groups/{group.group_id}/">{group.group_id}</a>' in row
    assert '<td class="mono">alice</td><td>2 / 50</td>' in row


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_usage_rows_link_the_app_for_who_may_open_its_usage_page(owner_client, member_client, app, language):
    UsageDayFactory(app=app, day=business_date(), calls_2xx=1_234_000, calls_4xx=5, messages=12_345)
    org_name = app.organization.name
    row = _row(_page(owner_client, "org_usage", language, org_name=org_name), 'data-app="chat"')
    assert f'<a href="/o/{org_name}/apps/chat/usage/">chat</a>' in row
    assert '<td class="text-end mono">1,234,005</td><td class="text-end mono">5</td>' in row
    assert '<td class="text-end mono">12,345</td>' in row
    finance_row = _row(_page(member_client(Role.FINANCE), "org_usage", language, org_name=org_name),
                       'data-app="chat"')
    assert '<th scope="row" class="fw-normal">chat</th>' in finance_row


def test_empty_tables_say_so(owner_client, org):
    empty = AppFactory(organization=org, name="quiet")
    kwargs = {"org_name": org.name, "app_name": empty.name}
    assert "No IM users yet." in _page(owner_client, "users", "en", **kwargs)
    searched = owner_client.get(reverse("im_console:users", kwargs=kwargs), {"q": "zzz"},
                                headers={"accept-language": "en"}).content.decode()
    assert "No IM user's username starts with that." in searched
    assert "No groups yet." in _page(owner_client, "groups", "en", **kwargs)
    quiet = _row(_page(owner_client, "org_usage", "en", org_name=org.name), 'data-app="quiet"')
    assert quiet.count('<td class="text-end mono">0</td>') == 6  # an app without usage: zeros
