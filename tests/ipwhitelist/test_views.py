import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.accounts.roles import Role
from apps.audit.models import AuditEntry
from apps.features.models import AppFeature
from apps.ipwhitelist.models import WhitelistEntry
from apps.plans.models import CatalogSettings, Feature
from tests.applications.factories import AppFactory
from tests.ipwhitelist.factories import WhitelistEntryFactory

pytestmark = pytest.mark.django_db


def url(app, tail=""):
    return f"/o/{app.organization.name}/apps/{app.name}/features/ip_whitelist/{tail}"


def stored(app) -> list[str]:
    return list(WhitelistEntry.objects.filter(app=app).order_by("version", "range_start")
                .values_list("network", flat=True))


def test_empty_list_says_every_address_is_allowed(owner_client, org):
    page = owner_client.get(url(AppFactory(organization=org))).content.decode()
    assert "The whitelist is empty: every address is allowed." in page
    assert "0 of 32 entries used" in page


def test_the_page_lists_entries_sorted_with_note_author_and_count(owner_client, org, owner):
    app = AppFactory(organization=org)
    WhitelistEntryFactory(app=app, network="2001:db8::/32", note="IPv6 office", created_by=owner)
    WhitelistEntryFactory(app=app, network="203.0.113.7", note="build server", created_by=owner)
    WhitelistEntryFactory(app=app, network="10.0.0.0/8")
    WhitelistEntryFactory(app=app, network="172.16.0.0/16")
    page = owner_client.get(url(app)).content.decode()
    listed = page[page.index('id="ipw-list-title"'):]
    assert listed.index("10.0.0.0/8") < listed.index("203.0.113.7") < listed.index("2001:db8::/32")
    assert "build server" in page and "IPv6 office" in page and "owner@acme.test" in page
    assert "4 of 32 entries used" in page
    assert "203.0.113.7/32" not in page and "single address" in page
    assert "65,536 addresses" in page and "2<sup>24</sup> addresses" in page


def test_adding_a_batch_separated_by_lines_commas_and_spaces(owner_client, org, owner):
    app = AppFactory(organization=org)
    response = owner_client.post(
        url(app), {"entries": " 203.0.113.7,198.51.100.0/24\n\n2001:DB8::1  10.0.0.0/255.0.0.0 ", "note": "office"},
        follow=True,
    )
    assert "4 entries added to the whitelist." in response.content.decode()
    assert stored(app) == ["10.0.0.0/8", "198.51.100.0/24", "203.0.113.7", "2001:db8::1"]
    assert set(WhitelistEntry.objects.values_list("note", flat=True)) == {"office"}
    assert AuditEntry.objects.get().detail["count"] == 4


def test_one_bad_line_refuses_the_batch_names_the_lines_and_keeps_the_input(owner_client, org):
    app = AppFactory(organization=org)
    typed = "203.0.113.7\n10.0.0.1/24\nlocalhost, 2001:db8::1\n2001:DB8::1"
    response = owner_client.post(url(app), {"entries": typed, "note": "keep me"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Line 2, &quot;10.0.0.1/24&quot;: The address has host bits set" in page
    assert "did you mean 10.0.0.0/24?" in page
    assert "Line 3, &quot;localhost&quot;: Not an IPv4 or IPv6 address or CIDR range." in page
    assert "Line 4, &quot;2001:DB8::1&quot;: the same as 2001:db8::1 on line 3." in page
    assert "203.0.113.7\n10.0.0.1/24\nlocalhost, 2001:db8::1\n2001:DB8::1</textarea>" in page
    assert 'value="keep me"' in page
    assert not WhitelistEntry.objects.exists() and not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    ("entries", "note", "message"),
    [
        ("", "", "This field is required."),
        (" \n , ", "", "Enter at least one IP address or CIDR range."),
        (" ".join(f"192.0.2.{n}" for n in range(51)), "", "Enter at most 50 entries at once; there are 51."),
        ("192.0.2.1", "n" * 65, "Ensure this value has at most 64 characters (it has 65)."),
        ("fe80::1%eth0", "", "Leave out the zone ID"),
    ],
)
def test_invalid_input_is_a_form_error(owner_client, org, entries, note, message):
    app = AppFactory(organization=org)
    response = owner_client.post(url(app), {"entries": entries, "note": note})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not WhitelistEntry.objects.exists()


def test_fifty_entries_at_once_are_accepted(owner_client, org):
    catalog = CatalogSettings.load()
    catalog.ip_whitelist_max = 60
    catalog.save()
    app = AppFactory(organization=org)
    owner_client.post(url(app), {"entries": "\n".join(f"192.0.2.{n}" for n in range(50))})
    assert len(stored(app)) == 50


def test_a_network_already_on_the_list_is_named_on_its_line(owner_client, org):
    app = AppFactory(organization=org)
    WhitelistEntryFactory(app=app, network="10.0.0.0/24")
    response = owner_client.post(url(app), {"entries": "192.0.2.1\n::ffff:10.0.0.0/120"})
    assert "Line 2, &quot;::ffff:10.0.0.0/120&quot;: already on the list as 10.0.0.0/24." in response.content.decode()
    assert stored(app) == ["10.0.0.0/24"]


def test_exceeding_the_limit_says_the_limit(owner_client, org):
    catalog = CatalogSettings.load()
    catalog.ip_whitelist_max = 2
    catalog.save()
    app = AppFactory(organization=org)
    WhitelistEntryFactory(app=app, network="192.0.2.1")
    response = owner_client.post(url(app), {"entries": "192.0.2.2 192.0.2.3"})
    page = response.content.decode()
    assert "An app may have at most 2 entries: 1 are used, so at most 1 more can be added (you entered 2)." in page
    assert "1 of 2 entries used" in page
    assert stored(app) == ["192.0.2.1"]


def test_deleting_an_entry(owner_client, org):
    app = AppFactory(organization=org)
    keep = WhitelistEntryFactory(app=app, network="192.0.2.1")
    entry = WhitelistEntryFactory(app=app, network="2001:db8::/32")
    page = owner_client.get(url(app)).content.decode()
    assert f'action="{url(app, f"{entry.pk}/delete/")}"' in page
    assert 'data-confirm="Remove 2001:db8::/32 from the whitelist?' in page
    response = owner_client.post(url(app, f"{entry.pk}/delete/"), follow=True)
    assert "2001:db8::/32 removed from the whitelist." in response.content.decode()
    assert list(WhitelistEntry.objects.all()) == [keep]
    assert AuditEntry.objects.get().action == "ip_whitelist.delete"


def test_deleting_twice_or_another_apps_entry_changes_nothing(owner_client, org, other_org):
    app = AppFactory(organization=org)
    theirs = WhitelistEntryFactory(app=AppFactory(organization=other_org), network="192.0.2.1")
    sibling = WhitelistEntryFactory(app=AppFactory(organization=org), network="192.0.2.2")
    for pk in (theirs.pk, sibling.pk, 999999):
        response = owner_client.post(url(app, f"{pk}/delete/"), follow=True)
        assert "That entry is no longer on the whitelist." in response.content.decode()
    assert WhitelistEntry.objects.count() == 2 and not AuditEntry.objects.exists()


def test_delete_and_check_refuse_get_and_add_refuses_other_methods(owner_client, org):
    app = AppFactory(organization=org)
    entry = WhitelistEntryFactory(app=app)
    assert owner_client.get(url(app, f"{entry.pk}/delete/")).status_code == 405
    assert owner_client.put(url(app)).status_code == 405


@pytest.mark.parametrize(
    ("address", "verdict", "explanation"),
    [
        ("10.20.30.40", "Allowed", "Matched by the entry <span class=\"mono\">10.0.0.0/8</span> (office)."),
        ("2001:db8::42", "Allowed", "Matched by the entry <span class=\"mono\">2001:db8::/32</span>."),
        ("198.51.100.1", "Denied", "No entry on the list covers this address."),
        ("2001:db9::1", "Denied", "No entry on the list covers this address."),
    ],
)
def test_check_without_javascript_renders_the_page_with_the_answer(owner_client, org, address, verdict,
                                                                   explanation):
    app = AppFactory(organization=org)
    WhitelistEntryFactory(app=app, network="10.0.0.0/8", note="office")
    WhitelistEntryFactory(app=app, network="2001:db8::/32")
    page = owner_client.get(url(app, "check/"), {"address": address}).content.decode()
    assert f'<span class="ipw-result-verdict">{verdict}</span>' in page
    assert explanation in page
    assert "<h1>REST IP whitelist</h1>" in page
    assert f'value="{address}"' in page


def test_check_with_htmx_returns_only_the_check_card(owner_client, org):
    app = AppFactory(organization=org)
    WhitelistEntryFactory(app=app, network="10.0.0.0/8")
    response = owner_client.post(url(app, "check/"), {"address": " 10.1.1.1 "}, headers={"HX-Request": "true"})
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<section class="console-card ipw-check h-100 mb-0" id="ip-check"')
    assert "<h1>" not in page
    assert '<span class="ipw-result-verdict">Allowed</span>' in page


def test_check_form_posts_with_htmx_and_falls_back_to_get(owner_client, org):
    app = AppFactory(organization=org)
    page = owner_client.get(url(app)).content.decode()
    assert f'<form method="get" action="{url(app, "check/")}#ip-check" hx-post="{url(app, "check/")}"' in page


def test_check_on_an_empty_list_says_every_address_is_allowed(owner_client, org):
    app = AppFactory(organization=org)
    page = owner_client.post(url(app, "check/"), {"address": "203.0.113.9"}).content.decode()
    assert '<span class="ipw-result-verdict">Allowed</span>' in page
    assert "The list is empty: every address is allowed." in page


@pytest.mark.parametrize("address", ["10.0.0.0/8", "not-an-ip", ""])
def test_check_of_something_that_is_not_an_address_is_a_form_error(owner_client, org, address):
    app = AppFactory(organization=org)
    for headers in ({}, {"HX-Request": "true"}):
        response = owner_client.post(url(app, "check/"), {"address": address}, headers=headers)
        page = response.content.decode()
        assert response.status_code == 200
        assert "is-invalid" in page and "ipw-result-verdict" not in page
        assert f'value="{address}"' in page


def test_page_says_when_the_whitelist_is_off_and_not_when_on(owner_client, org):
    app = AppFactory(organization=org)
    off = "The REST IP whitelist is off for this app."
    assert off in owner_client.get(url(app)).content.decode()
    check = owner_client.post(url(app, "check/"), {"address": "1.2.3.4"}, headers={"HX-Request": "true"})
    assert "The whitelist is off for this app" in check.content.decode()
    AppFeature.objects.create(app=app, feature=Feature.objects.get(code="ip_whitelist"))
    assert off not in owner_client.get(url(app)).content.decode()


def test_finance_sees_the_list_read_only_can_check_and_may_not_change(member_client, org):
    app = AppFactory(organization=org)
    entry = WhitelistEntryFactory(app=app, network="192.0.2.1")
    finance = member_client(Role.FINANCE)
    page = finance.get(url(app)).content.decode()
    assert "Read-only" in page and "192.0.2.1" in page
    assert "Add to whitelist" not in page and "/delete/" not in page
    assert "Allowed" in finance.post(url(app, "check/"), {"address": "192.0.2.1"}).content.decode()
    assert finance.post(url(app), {"entries": "192.0.2.2"}).status_code == 403
    assert finance.post(url(app, f"{entry.pk}/delete/")).status_code == 403
    assert stored(app) == ["192.0.2.1"] and not AuditEntry.objects.exists()


def test_developer_may_add_and_delete(member_client, org):
    app = AppFactory(organization=org)
    developer = member_client(Role.DEVELOPER)
    assert developer.post(url(app), {"entries": "192.0.2.1"}).status_code == 302
    entry = WhitelistEntry.objects.get(app=app)
    assert developer.post(url(app, f"{entry.pk}/delete/")).status_code == 302
    assert not WhitelistEntry.objects.exists()


def test_another_orgs_app_is_404_on_every_route(owner_client, other_org):
    app = AppFactory(organization=other_org)
    entry = WhitelistEntryFactory(app=app, network="192.0.2.1")
    for path in ("", "check/", f"{entry.pk}/delete/"):
        assert owner_client.get(url(app, path)).status_code == 404
        assert owner_client.post(url(app, path), {"entries": "192.0.2.2", "address": "192.0.2.1"}).status_code == 404
    assert stored(app) == ["192.0.2.1"] and not AuditEntry.objects.exists()


def _page_queries(client, app) -> int:
    client.get(url(app))  # warm-up (current org, caches): count a later one
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url(app)).status_code == 200
    return len(queries)


def test_the_page_makes_the_same_number_of_queries_for_1_and_30_entries(owner_client, org, member_factory):
    app = AppFactory(organization=org)
    WhitelistEntryFactory(app=app)
    one = _page_queries(owner_client, app)
    for _ in range(29):
        WhitelistEntryFactory(app=app, created_by=member_factory(Role.DEVELOPER))
    WhitelistEntryFactory(app=app, network="2001:db8::/64")
    assert _page_queries(owner_client, app) == one


def test_the_audit_log_reads_the_add_and_the_delete_as_sentences(owner_client, org):
    from django.urls import reverse

    app = AppFactory(organization=org)
    owner_client.post(url(app), {"entries": "192.0.2.0/24, 2001:db8::1", "note": "office"})
    entry = WhitelistEntry.objects.get(network="2001:db8::1")
    owner_client.post(url(app, f"{entry.pk}/delete/"))
    log = owner_client.get(reverse("audit:audit_list", kwargs={"org_name": org.name})).content.decode()
    assert "IP whitelist entries added" in log
    assert "Added 2 to the REST IP whitelist: 192.0.2.0/24, 2001:db8::1" in log
    assert "IP whitelist entry removed" in log
    assert "2001:db8::1 removed from the REST IP whitelist" in log
    assert "ip_whitelist.add" not in log


def test_the_feature_overview_links_the_settings_page_once_the_whitelist_is_on(owner_client, org):
    app = AppFactory(organization=org)
    AppFeature.objects.create(app=app, feature=Feature.objects.get(code="ip_whitelist"))
    overview = owner_client.get(f"/o/{org.name}/apps/{app.name}/features/").content.decode()
    assert f'href="{url(app)}"' in overview


def test_the_check_tool_starts_with_the_visitors_address_seen_through_the_trusted_proxy(owner_client, org, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.5/32"]
    app = AppFactory(organization=org)
    page = owner_client.get(url(app), REMOTE_ADDR="10.0.0.5",
                            headers={"X-Forwarded-For": "6.6.6.6, 203.0.113.44"}).content.decode()
    assert 'value="203.0.113.44"' in page and "6.6.6.6" not in page
    page = owner_client.get(url(app), REMOTE_ADDR="198.51.100.3",
                            headers={"X-Forwarded-For": "203.0.113.44"}).content.decode()
    assert 'value="198.51.100.3"' in page
