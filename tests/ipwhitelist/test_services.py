import pytest

from apps.audit.models import AuditEntry
from apps.ipwhitelist.exceptions import DuplicateEntries, WhitelistFull
from apps.ipwhitelist.models import WhitelistEntry
from apps.ipwhitelist.networks import InvalidEntry
from apps.ipwhitelist.selectors import ip_allowed, whitelist_entries
from apps.ipwhitelist.services import whitelist_entries_add, whitelist_entry_delete
from apps.plans.models import CatalogSettings
from tests.applications.factories import AppFactory
from tests.concurrency import run_together
from tests.ipwhitelist.factories import WhitelistEntryFactory

pytestmark = pytest.mark.django_db


def set_limit(limit: int) -> None:
    catalog = CatalogSettings.load()
    catalog.ip_whitelist_max = limit
    catalog.save()


def networks(app) -> list[str]:
    return list(whitelist_entries(app=app).values_list("network", flat=True))


def test_adding_stores_canonical_networks_with_the_note_and_who_added_them(org, owner):
    app = AppFactory(organization=org)
    whitelist_entries_add(app=app, actor=owner, entries=[" 2001:DB8::1 ", "10.0.0.0/24"], note=" office ")
    assert networks(app) == ["10.0.0.0/24", "2001:db8::1"]
    assert set(WhitelistEntry.objects.values_list("note", "created_by")) == {("office", owner.pk)}


def test_a_batch_writes_one_audit_entry_naming_every_entry(org, owner):
    app = AppFactory(organization=org)
    whitelist_entries_add(app=app, actor=owner, entries=["203.0.113.7", "2001:db8::/32"], note="ci")
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.app, entry.actor) == ("ip_whitelist.add", app, owner)
    assert entry.detail == {"count": 2, "networks": ["203.0.113.7", "2001:db8::/32"],
                            "entries": "203.0.113.7, 2001:db8::/32", "note": "ci"}


@pytest.mark.parametrize("spelling", ["10.0.0.0/24", "10.0.0.0/255.255.255.0", "::ffff:10.0.0.0/120"])
def test_the_same_network_written_differently_is_a_duplicate(org, owner, spelling):
    app = AppFactory(organization=org)
    whitelist_entries_add(app=app, actor=owner, entries=["10.0.0.0/24"])
    with pytest.raises(DuplicateEntries) as refused:
        whitelist_entries_add(app=app, actor=owner, entries=["192.0.2.1", spelling])
    assert refused.value.networks == ["10.0.0.0/24"]
    assert networks(app) == ["10.0.0.0/24"]
    assert AuditEntry.objects.count() == 1


def test_a_duplicate_inside_one_batch_is_refused(org, owner):
    app = AppFactory(organization=org)
    with pytest.raises(DuplicateEntries):
        whitelist_entries_add(app=app, actor=owner, entries=["2001:db8::1", "2001:DB8:0::1"])
    assert not WhitelistEntry.objects.exists()


def test_the_same_network_may_be_on_two_apps(org, owner):
    first, second = AppFactory(organization=org), AppFactory(organization=org)
    whitelist_entries_add(app=first, actor=owner, entries=["192.0.2.0/24"])
    whitelist_entries_add(app=second, actor=owner, entries=["192.0.2.0/24"])
    assert WhitelistEntry.objects.count() == 2


def test_the_database_refuses_a_duplicate_even_without_the_service(org):
    from django.db import IntegrityError

    app = AppFactory(organization=org)
    WhitelistEntryFactory(app=app, network="192.0.2.0/24")
    with pytest.raises(IntegrityError):
        WhitelistEntryFactory(app=app, network="192.0.2.0/255.255.255.0")


def test_a_bad_entry_refuses_the_whole_batch(org, owner):
    app = AppFactory(organization=org)
    with pytest.raises(InvalidEntry):
        whitelist_entries_add(app=app, actor=owner, entries=["192.0.2.1", "10.0.0.1/24"])
    assert not WhitelistEntry.objects.exists() and not AuditEntry.objects.exists()


def test_the_limit_comes_from_the_catalog_and_refuses_the_whole_batch(org, owner):
    set_limit(3)
    app = AppFactory(organization=org)
    whitelist_entries_add(app=app, actor=owner, entries=["192.0.2.1", "192.0.2.2"])
    with pytest.raises(WhitelistFull) as refused:
        whitelist_entries_add(app=app, actor=owner, entries=["192.0.2.3", "192.0.2.4"])
    assert str(refused.value.message) == (
        "An app may have at most 3 entries: 2 are used, so at most 1 more can be added (you entered 2)."
    )
    whitelist_entries_add(app=app, actor=owner, entries=["192.0.2.3"])
    with pytest.raises(WhitelistFull) as full:
        whitelist_entries_add(app=app, actor=owner, entries=["192.0.2.4"])
    assert "The whitelist is full: an app may have at most 3 entries." in str(full.value.message)
    assert len(networks(app)) == 3


def test_the_default_limit_is_32(org, owner):
    app = AppFactory(organization=org)
    whitelist_entries_add(app=app, actor=owner, entries=[f"192.0.2.{n}" for n in range(32)])
    with pytest.raises(WhitelistFull):
        whitelist_entries_add(app=app, actor=owner, entries=["198.51.100.1"])


def test_deleting_removes_the_entry_and_writes_an_audit_entry(org, owner):
    app = AppFactory(organization=org)
    entry = WhitelistEntryFactory(app=app, network="2001:db8::/48", note="lab")
    assert whitelist_entry_delete(entry=entry, actor=owner) is True
    assert not WhitelistEntry.objects.exists()
    audit = AuditEntry.objects.get()
    assert (audit.action, audit.app, audit.detail) == ("ip_whitelist.delete", app,
                                                       {"network": "2001:db8::/48", "note": "lab"})
    assert whitelist_entry_delete(entry=entry, actor=owner) is False
    assert AuditEntry.objects.count() == 1


def test_the_list_sorts_ipv4_before_ipv6_then_by_network(org):
    app = AppFactory(organization=org)
    for network in ["2001:db8::1", "10.0.0.0/8", "192.0.2.1", "::1", "9.255.255.255", "10.0.0.0/24", "10.0.0.1"]:
        WhitelistEntryFactory(app=app, network=network)
    assert networks(app) == ["9.255.255.255", "10.0.0.0/8", "10.0.0.0/24", "10.0.0.1", "192.0.2.1", "::1",
                             "2001:db8::1"]


@pytest.mark.parametrize(
    ("address", "allowed", "matched"),
    [
        ("10.1.2.3", True, "10.0.0.0/8"),  # in a range
        ("10.0.0.9", True, "10.0.0.0/24"),  # the most specific of two ranges
        ("192.0.2.1", True, "192.0.2.1"),  # a single address
        ("::ffff:192.0.2.1", True, "192.0.2.1"),  # IPv4-mapped
        ("2001:db8:0:1::5", True, "2001:db8::/48"),  # IPv6 range
        ("2001:db9::1", False, None),  # IPv6 outside
        ("11.0.0.0", False, None),  # IPv4 outside
        ("192.0.2.2", False, None),
    ],
)
def test_ip_allowed_names_the_matching_entry(org, address, allowed, matched, django_assert_max_num_queries):
    app = AppFactory(organization=org)
    for network in ["10.0.0.0/8", "10.0.0.0/24", "192.0.2.1", "2001:db8::/48"]:
        WhitelistEntryFactory(app=app, network=network)
    with django_assert_max_num_queries(2):
        result, entry = ip_allowed(app=app, address=address)
    assert (result, entry.network if entry else None) == (allowed, matched)


def test_an_empty_list_allows_every_address(org, other_org):
    app = AppFactory(organization=org)
    WhitelistEntryFactory(app=AppFactory(organization=other_org), network="10.0.0.0/8")
    assert ip_allowed(app=app, address="203.0.113.7") == (True, None)
    assert ip_allowed(app=app, address="2001:db8::1") == (True, None)


def test_another_apps_entries_do_not_allow_an_address(org, other_org):
    app = AppFactory(organization=org)
    WhitelistEntryFactory(app=app, network="192.0.2.1")
    WhitelistEntryFactory(app=AppFactory(organization=other_org), network="10.0.0.0/8")
    assert ip_allowed(app=app, address="10.1.1.1") == (False, None)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_adds_at_the_limit_leave_exactly_the_limit(org, owner):
    set_limit(4)
    app = AppFactory(organization=org)
    WhitelistEntryFactory(app=app, network="192.0.2.1")
    WhitelistEntryFactory(app=app, network="192.0.2.2")
    results = run_together(*[
        lambda n=n: whitelist_entries_add(app=app, actor=owner, entries=[f"198.51.100.{n}", f"203.0.113.{n}"])
        for n in range(6)
    ])
    assert [type(r) for r in results if not isinstance(r, list | WhitelistFull)] == []
    assert sum(isinstance(r, list) for r in results) == 1
    assert WhitelistEntry.objects.filter(app=app).count() == 4
    assert AuditEntry.objects.filter(action="ip_whitelist.add").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_parallel_adds_of_the_last_free_place_leave_exactly_the_limit(org, owner):
    set_limit(3)
    app = AppFactory(organization=org)
    WhitelistEntryFactory(app=app, network="192.0.2.1")
    WhitelistEntryFactory(app=app, network="192.0.2.2")
    results = run_together(
        lambda: whitelist_entries_add(app=app, actor=owner, entries=["198.51.100.1"]),
        lambda: whitelist_entries_add(app=app, actor=owner, entries=["2001:db8::1"]),
    )
    assert sorted(type(r).__name__ for r in results) == ["WhitelistFull", "list"]
    assert WhitelistEntry.objects.filter(app=app).count() == 3
