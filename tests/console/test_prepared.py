"""A prepared query (console.prepared) answers what its queryset answers, for every prepared query the console
runs on each request, and refuses what it cannot carry."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from apps.accounts.access import user_memberships
from apps.accounts.backends import ModelBackend, user_by_pk
from apps.accounts.models import Membership, Organization, User
from apps.applications.access import org_app
from console.prepared import PreparedQuery
from tests.accounts.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.applications.factories import AppFactory

pytestmark = pytest.mark.django_db


def _same(prepared: list, expected: list) -> None:
    """Same rows, same order, same field values, same related objects loaded (and equal)."""
    assert [obj.pk for obj in prepared] == [obj.pk for obj in expected]
    for got, want in zip(prepared, expected, strict=True):
        assert type(got) is type(want)
        assert {k: v for k, v in got.__dict__.items() if k != "_state"} == {
            k: v for k, v in want.__dict__.items() if k != "_state"}
        assert got._state.fields_cache.keys() == want._state.fields_cache.keys()
        for name, related in want._state.fields_cache.items():
            if related is None:  # a null foreign key, loaded as None
                assert got._state.fields_cache[name] is None
                continue
            assert got._state.fields_cache[name].__dict__.keys() == related.__dict__.keys()
            assert got._state.fields_cache[name].pk == related.pk
        assert not got._state.adding and got._state.db == "default"


def test_the_memberships_of_a_user_in_org_name_order_with_their_orgs():
    user = UserFactory()
    for name in ("zeta", "alpha", "mid"):
        MembershipFactory(user=user, organization=OrganizationFactory(name=name))
    MembershipFactory(organization=OrganizationFactory(name="others"))  # another user's
    got = user_memberships(user_id=user.pk)
    _same(got, list(user_memberships.queryset(user_id=user.pk)))
    assert [m.organization.name for m in got] == ["alpha", "mid", "zeta"]
    assert user_memberships(user_id=10**9) == []


def test_an_app_of_an_org_by_name_with_its_org_and_data_center():
    org, other = OrganizationFactory(name="acme"), OrganizationFactory(name="other")
    app = AppFactory(organization=org, name="chat")
    AppFactory(organization=other, name="chat")
    got = org_app(organization_id=org.pk, name="chat")
    _same(got, list(org_app.queryset(organization_id=org.pk, name="chat")))
    assert got[0].pk == app.pk and got[0].organization.name == "acme" and got[0].data_center.pk == app.data_center_id
    assert got[0].app_key == app.app_key
    assert org_app(organization_id=other.pk, name="missing") == []
    assert org_app(organization_id=org.pk, name="CHAT") == []  # names are exact, as the queryset's filter


def test_each_call_uses_its_own_values_and_one_query():
    users = [UserFactory() for _ in range(3)]
    for user in users:
        with CaptureQueriesContext(connection) as queries:
            found = user_by_pk(pk=user.pk)
        assert [u.email for u in found] == [user.email]
        assert len(queries) == 1
    # what the database converts (datetimes, booleans) comes back as the queryset gives it
    _same(user_by_pk(pk=users[0].pk), list(User.objects.filter(pk=users[0].pk)))


def test_the_backend_loads_the_session_user_and_signs_out_inactive_or_unknown_ones(client):
    user = UserFactory()
    backend = ModelBackend()
    assert backend.get_user(user.pk) == user
    assert backend.get_user(str(user.pk)) == user  # the session stores the id as text
    assert backend.get_user("not-a-number") is None
    assert backend.get_user(10**9) is None
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert backend.get_user(user.pk) is None


def test_a_signed_in_session_reaches_a_page_and_names_its_user(client):
    membership = MembershipFactory()
    client.force_login(membership.user)
    assert client.session[SESSION_KEY] == str(membership.user.pk)
    page = client.get(f"/o/{membership.organization.name}/apps/", headers={"accept-language": "en"})
    assert page.status_code == 200
    assert membership.user.email in page.content.decode()


def test_a_value_of_another_type_is_refused():
    with pytest.raises(TypeError):
        org_app(organization_id="1", name="chat")
    with pytest.raises(TypeError):
        org_app(organization_id=True, name="chat")
    with pytest.raises(TypeError):
        PreparedQuery(lambda when: Organization.objects.filter(created_at__gt=when), when=float)(when=1.0)


def test_a_queryset_that_does_not_carry_its_value_as_given_fails_at_once():
    # The value goes through an expression (F() + value): the stand-in is not among the SQL's parameters as is.
    dropped = PreparedQuery(lambda name: Organization.objects.filter(name="fixed"), name=str)
    with pytest.raises(ValueError, match="does not carry"):
        dropped(name="x")
    fine = PreparedQuery(lambda pk: Membership.objects.filter(pk=pk).annotate(o=F("organization_id")), pk=int)
    assert fine(pk=10**9) == []


def test_a_switch_is_on_only_for_its_app_and_feature_while_enabled():
    from apps.features.models import AppFeature
    from apps.features.selectors import feature_is_on
    from apps.plans.models import Feature

    app, other = AppFactory(), AppFactory()
    AppFeature.objects.create(app=app, feature=Feature.objects.get(code="recall"))
    AppFeature.objects.create(app=app, feature=Feature.objects.get(code="push"), enabled=False)
    assert feature_is_on(app=app, code=Feature.Code.RECALL) is True
    assert feature_is_on(app=app, code="recall") is True
    assert feature_is_on(app=app, code="push") is False  # a row switched off
    assert feature_is_on(app=app, code="callbacks") is False  # no row
    assert feature_is_on(app=other, code="recall") is False  # another app's switch


def test_values_rows_of_the_members_page_equal_the_querysets():
    from apps.accounts.models import TOTPDevice
    from apps.accounts.selectors import _members, member_list

    org, other = OrganizationFactory(), OrganizationFactory()
    members = [MembershipFactory(organization=org, user=UserFactory(email=f"{name}@example.com"))
               for name in ("zed", "amy", "kim")]
    MembershipFactory(organization=other)
    TOTPDevice.objects.create(user=members[1].user, name="phone", confirmed=True)
    TOTPDevice.objects.create(user=members[2].user, name="phone", confirmed=False)  # enrolment not finished
    got = _members(organization_id=org.pk)
    assert got == list(_members.queryset(organization_id=org.pk))
    assert [row["email"] for row in got] == ["amy@example.com", "kim@example.com", "zed@example.com"]
    assert {row["email"]: row["two_factor_on"] for row in got} == {
        "amy@example.com": True, "kim@example.com": False, "zed@example.com": False}
    assert [row["email"] for row in member_list(organization=other)] == [other.memberships.get().user.email]


def test_a_queryset_read_otherwise_is_refused():
    with pytest.raises(TypeError, match="model instances or values"):
        PreparedQuery(lambda pk: Organization.objects.filter(pk=pk).values_list("name", flat=True), pk=int)(pk=1)


def test_the_im_users_pages_equal_the_orm_reads():
    from apps.im.selectors import CONSOLE_PAGE_SIZE, _user_rows, im_users_console_page
    from apps.im.services.users import users_register

    app, other = AppFactory(), AppFactory()
    users_register(app=app, entries=[{"username": f"u{n:03d}", "password": "secret1"}
                                     for n in range(CONSOLE_PAGE_SIZE + 5)])
    users_register(app=other, entries=[{"username": "u000x", "password": "secret1"}])
    first, after = im_users_console_page(app=app)
    assert [u.pk for u in first] == [u.pk for u in _user_rows(app.pk)[:CONSOLE_PAGE_SIZE]]
    assert after == f"u{CONSOLE_PAGE_SIZE - 1:03d}"
    rest, end = im_users_console_page(app=app, after=after.upper())  # the cursor is read in lower case
    assert [u.username for u in rest] == [f"u{n:03d}" for n in range(CONSOLE_PAGE_SIZE, CONSOLE_PAGE_SIZE + 5)]
    assert end is None
    assert [u.username for u in im_users_console_page(app=app, prefix="U02")[0]] == [f"u02{n}" for n in range(5)]


def test_the_open_orders_of_checkout_and_the_word_settings_equal_their_querysets():
    from apps.sensitive_words.models import SensitiveWordSettings
    from apps.sensitive_words.selectors import _settings_row
    from orders.models import Order
    from orders.selectors import _open_orders
    from tests.orders.factories import OrderFactory

    app, other = AppFactory(), AppFactory()
    in_service = OrderFactory(app=app)
    provisioning = OrderFactory(app=app, plan=None, plan_order=in_service, status=Order.Status.PROVISIONING)
    OrderFactory(app=app, status=Order.Status.COMPLETED)
    OrderFactory(app=other)
    got = _open_orders(app_id=app.pk)
    _same(got, list(_open_orders.queryset(app_id=app.pk)))
    assert {order.pk for order in got} == {in_service.pk, provisioning.pk}
    owner = UserFactory()
    SensitiveWordSettings.objects.create(app=app, updated_by=owner)
    _same(_settings_row(app_id=app.pk), list(_settings_row.queryset(app_id=app.pk)))
    assert _settings_row(app_id=app.pk)[0].updated_by.email == owner.email
    assert _settings_row(app_id=other.pk) == []
