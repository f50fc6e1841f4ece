"""Fixtures every test module shares: an org with a member of each role, and another org that must not leak."""

import os

import pytest
from django.test import Client
from django.utils import translation
from hypothesis import settings as hypothesis_settings

from apps.accounts.roles import Role
from tests.accounts.factories import MembershipFactory, OrganizationFactory, UserFactory

# Fuzzing is bounded (each test sets its max_examples) and derandomised: every run tries the same examples, so a
# failure comes back on a rerun and no run is slower than another. Loaded here, before the test modules build
# their own settings on top of it. HYPOTHESIS_PROFILE=random explores new examples (by hand, not in CI).
hypothesis_settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
hypothesis_settings.register_profile("random", deadline=None, print_blob=True)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# Logged-in fixture clients read English so assertions name the SPEC §3 English words; the
# language tests cover zh-hans explicitly.
ENGLISH = {"accept-language": "en"}


def redis_url_for_tests(default_db: int) -> str:
    """REDIS_URL when set (console/settings/test.py has already given each xdist worker its own db), else the local
    Redis at ``default_db`` minus the worker's index, so that workers never clean each other's keys."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    index = int(worker.removeprefix("gw")) if worker.startswith("gw") else 0
    return os.environ.get("REDIS_URL") or f"redis://127.0.0.1:6379/{default_db - index}"


REDIS_REQUIRED = bool(os.environ.get("REDIS_URL"))  # CI sets it: a missing server fails instead of skipping


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """Code called directly (services, forms, selectors) speaks English too, whatever a previous test's
    request left active in this thread; the default language of the site (zh-hans) is tested through requests."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cached sessions, arrears flags, catalog rows and attempt counters (re-check limits) of one test never reach
    the next test."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def org(db):
    return OrganizationFactory(name="acme")


@pytest.fixture
def other_org(db):
    return OrganizationFactory(name="globex")


@pytest.fixture
def owner(org):
    return MembershipFactory(organization=org, role=Role.OWNER, user=UserFactory(email="owner@acme.test")).user


@pytest.fixture
def member_factory(org):
    """member_factory(role) -> a user with that role in ``org``."""

    def make(role: str, organization=None):
        return MembershipFactory(organization=organization or org, role=role).user

    return make


@pytest.fixture
def member_client(member_factory):
    """member_client(role) -> a logged-in Client for a fresh member with that role in ``org``."""

    def make(role: str = Role.OWNER, organization=None) -> Client:
        client = Client(headers=ENGLISH)
        client.force_login(member_factory(role, organization))
        return client

    return make


@pytest.fixture
def owner_client(owner) -> Client:
    client = Client(headers=ENGLISH)
    client.force_login(owner)
    return client


@pytest.fixture
def other_org_client(other_org) -> Client:
    """An owner of ``other_org``: every object of ``org`` must answer 404 to them."""
    client = Client(headers=ENGLISH)
    client.force_login(MembershipFactory(organization=other_org, role=Role.OWNER).user)
    return client


def _database_is_postgres() -> bool:
    from django.conf import settings

    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def _broker_is_redis() -> bool:
    from django.conf import settings

    return settings.CELERY_BROKER_URL.startswith("redis")


# Modules whose tests run in one pytest-xdist worker, one after another (scripts/test: --dist loadgroup), never two
# at the same time: together they would pass PostgreSQL's 100 connections. (xdist's own xdist_group mark needs
# the worker to rename the test, which pytest 9.2 no longer allows, so the group is chosen here, by module.)
XDIST_GROUPS = {
    "tests/im/test_enforcement_concurrency.py": "many_connections",  # 50 connections at once
    "tests/quality/test_concurrency.py": "many_connections",  # 20
}


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """--dist loadgroup with the groups of XDIST_GROUPS; every other test is scheduled on its own."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadGroupScheduling

    class ModuleGroups(LoadGroupScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return XDIST_GROUPS.get(nodeid.split("::", 1)[0]) or super()._split_scope(nodeid)

    return ModuleGroups(config, log)


def pytest_collection_modifyitems(config, items):
    """postgres/redis/celery tests run where those services are configured (CI's second pass)."""
    skip_pg = pytest.mark.skip(reason="needs DATABASE_URL pointing at PostgreSQL")
    skip_redis = pytest.mark.skip(reason="needs CELERY_BROKER_URL pointing at Redis")
    for item in items:
        if "postgres" in item.keywords and not _database_is_postgres():
            item.add_marker(skip_pg)
        if ("redis" in item.keywords or "celery" in item.keywords) and not _broker_is_redis():
            item.add_marker(skip_redis)


def _ensure_catalog() -> None:
    """Transactional tests flush every table, including the catalog, the data centers and the purchase agreement
    that migrations seed; put them back (idempotent) so every test starts from the seeded data, whichever tests
    ran before it in its xdist worker."""
    import importlib

    from django.apps import apps as django_apps

    from apps.applications.models import DataCenter
    from apps.plans.models import Plan
    from orders.models import PurchaseAgreement

    if not Plan.objects.exists():
        importlib.import_module("apps.plans.migrations.0002_seed_catalog").seed(django_apps, None)
        importlib.import_module("apps.plans.migrations.0003_im_users_quota").seed(django_apps, None)
    if not DataCenter.objects.exists():
        importlib.import_module("apps.applications.migrations.0002_seed_data_centers").seed(django_apps, None)
    if not PurchaseAgreement.objects.exists():
        importlib.import_module("orders.migrations.0003_purchase_agreement_v1").seed(django_apps, None)


@pytest.fixture(autouse=True)
def _no_cached_rest_apps():
    """The REST service caches apps per process; a flushed database brings back their names and ids."""
    from apps.im.appcache import forget_all

    forget_all()
    yield
    forget_all()


@pytest.fixture(autouse=True)
def _seeded_catalog(request):
    names = set(request.fixturenames)
    if request.node.get_closest_marker("django_db"):
        request.getfixturevalue("_django_db_helper")
    elif "transactional_db" in names:
        request.getfixturevalue("transactional_db")
    elif "db" in names:
        request.getfixturevalue("db")
    else:
        yield
        return
    _ensure_catalog()
    yield


def confirm_identity(client: Client) -> Client:
    """Mark the client's session as freshly re-authenticated (operation protection, apps.accounts.reauth)."""
    from django.utils import timezone

    from apps.accounts.reauth import SESSION_KEY

    session = client.session
    session[SESSION_KEY] = timezone.now().timestamp()
    session.save()
    return client
