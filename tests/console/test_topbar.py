"""The top bar and the left navigation (console/templatetags/chrome.py) show what the signed-in member may reach,
escape what they echo, and speak both languages."""

import re

import pytest
from django.urls import reverse

from apps.accounts.roles import Role
from tests.accounts.factories import MembershipFactory, OrganizationFactory
from tests.applications.factories import AppFactory

pytestmark = pytest.mark.django_db


def _topbar(page: str) -> str:
    return re.search(r'<nav class="navbar.*?</nav>', page, re.S).group(0)


def test_a_member_sees_the_org_switcher_the_bell_the_languages_and_the_user_menu(owner, owner_client, org):
    MembershipFactory(organization=OrganizationFactory(name="globex"), user=owner, role=Role.FINANCE)
    AppFactory(organization=org, name="chat")
    url = reverse("applications:app_list", kwargs={"org_name": "acme"})
    bar = _topbar(owner_client.get(url, headers={"accept-language": "en"}).content.decode())
    assert 'id="org-switcher"' in bar and "Organization: <strong>acme</strong>" in bar
    acme = reverse("applications:app_list", kwargs={"org_name": "acme"})
    globex = reverse("applications:app_list", kwargs={"org_name": "globex"})
    assert re.search(rf'class="dropdown-item active"\s+href="{acme}"', bar)
    assert re.search(rf'class="dropdown-item"\s+href="{globex}">\s+globex <small[^>]*>· Finance</small>', bar)
    assert f'href="{reverse("notifications:alert_list", kwargs={"org_name": "acme"})}"' in bar
    assert 'id="alert-count"' not in bar  # no open alert
    assert 'value="en" class="btn btn-sm btn-light"' in bar
    assert 'value="zh-hans" class="btn btn-sm btn-outline-light"' in bar
    assert f'name="next" value="{url}"' in bar
    assert bar.count('name="csrfmiddlewaretoken"') == 2  # the language form and the log-out form
    assert "owner@acme.test" in bar and "Log out" in bar and 'id="admin-link"' not in bar


def test_the_bell_counts_open_alerts_and_staff_see_the_platform_admin(owner, owner_client, org):
    from tests.notifications.factories import low_balance_alert

    low_balance_alert(org)
    owner.is_staff = True
    owner.save()
    bar = _topbar(owner_client.get(reverse("applications:app_list", kwargs={"org_name": "acme"})).content.decode())
    assert re.search(r'id="alert-count">1</span>', bar)
    assert f'href="{reverse("admin:index")}" id="admin-link"' in bar


def test_a_visitor_gets_the_log_in_link_and_no_navigation(client):
    page = client.get(reverse("accounts:login"), headers={"accept-language": "zh-hans"}).content.decode()
    bar = _topbar(page)
    assert f'href="{reverse("accounts:login")}">登录</a>' in bar
    assert 'id="org-switcher"' not in bar and 'id="sidebar-toggle"' not in bar and 'id="console-sidebar"' not in page


def test_the_return_path_is_escaped(owner_client, org):
    url = reverse("applications:app_list", kwargs={"org_name": "acme"}) + '?q="><script>x</script>'
    page = owner_client.get(url).content.decode()
    assert "<script>x</script>" not in page
    assert re.search(r'name="next" value="/o/acme/apps/\?q=[^"<>]+"', _topbar(page))
    page = owner_client.get(reverse("applications:app_list", kwargs={"org_name": "acme"}) + "?q=a&page=1").content
    assert 'name="next" value="/o/acme/apps/?q=a&amp;page=1"' in _topbar(page.decode())


def test_the_left_navigation_names_the_app_and_marks_the_page(owner_client, org):
    AppFactory(organization=org, name="chat")
    page = owner_client.get(reverse("features:overview", kwargs={"org_name": "acme", "app_name": "chat"}),
                            headers={"accept-language": "en"}).content.decode()
    sidebar = re.search(r'<nav class="console-sidebar.*?</nav>', page, re.S).group(0)
    assert '<span class="fw-semibold">chat</span>' in sidebar
    current = r'class="nav-link active" href="[^"]+/features/" aria-current="page">Feature overview</a>'
    assert re.search(current, sidebar)
    assert 'aria-label="Console navigation"' in sidebar and 'aria-label="Close"' in sidebar


def test_the_remembered_bar_follows_the_user_the_alerts_the_language_and_the_token(owner, owner_client, org,
                                                                                    client):
    """The bar's markup is remembered per worker by what it shows; each request still gets its own CSRF token,
    path, bell count and user."""
    from apps.notifications.selectors import forget_all_open_counts
    from tests.accounts.factories import UserFactory
    from tests.notifications.factories import low_balance_alert

    url = reverse("applications:app_list", kwargs={"org_name": "acme"})
    first = _topbar(owner_client.get(url, headers={"accept-language": "en"}).content.decode())
    assert 'id="alert-count"' not in first and "owner@acme.test" in first
    low_balance_alert(org)
    forget_all_open_counts()  # as the check run that raised it does
    second = _topbar(owner_client.get(url + "?q=x", headers={"accept-language": "en"}).content.decode())
    assert re.search(r'id="alert-count">1</span>', second) and 'name="next" value="/o/acme/apps/?q=x"' in second
    chinese = _topbar(owner_client.get(url, headers={"accept-language": "zh-hans"}).content.decode())
    assert 'value="zh-hans" class="btn btn-sm btn-light"' in chinese and "Log out" not in chinese
    other = UserFactory(email="dev@acme.test")
    MembershipFactory(organization=org, user=other, role=Role.DEVELOPER)
    client.force_login(other)
    theirs = _topbar(client.get(url, headers={"accept-language": "en"}).content.decode())
    assert "dev@acme.test" in theirs and "owner@acme.test" not in theirs
    tokens = [re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', bar) for bar in (first, theirs)]
    assert all(len(found) == 2 for found in tokens) and tokens[0][0] != tokens[1][0]
