import pytest
from django.test import Client

from apps.plans.models import AddOn, CatalogSettings, Plan
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client():
    client = Client(headers={"accept-language": "en"})
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_staff_edit_a_plan_with_its_features_inline(staff_client):
    pro = Plan.objects.get(code="pro")
    page = staff_client.get(f"/admin/plans/plan/{pro.pk}/change/")
    assert page.status_code == 200
    assert "plan_features-TOTAL_FORMS" in page.content.decode()


def test_staff_edit_an_addon_with_its_tiers_inline(staff_client):
    addon = AddOn.objects.get(code="group_members")
    page = staff_client.get(f"/admin/plans/addon/{addon.pk}/change/")
    assert page.status_code == 200
    assert "tiers-TOTAL_FORMS" in page.content.decode()


def test_feature_list_opens(staff_client):
    assert staff_client.get("/admin/plans/feature/").status_code == 200


def test_catalog_settings_cannot_be_added_twice_or_deleted(staff_client):
    row = CatalogSettings.load()
    assert staff_client.get("/admin/plans/catalogsettings/add/").status_code == 403
    assert staff_client.get(f"/admin/plans/catalogsettings/{row.pk}/delete/").status_code == 403
    assert staff_client.get(f"/admin/plans/catalogsettings/{row.pk}/change/").status_code == 200


def test_catalog_settings_can_be_added_when_missing(staff_client):
    CatalogSettings.objects.all().delete()
    assert staff_client.get("/admin/plans/catalogsettings/add/").status_code == 200


def test_staff_change_a_price_in_the_admin(staff_client):
    pro = Plan.objects.get(code="pro")
    data = {
        "code": "pro", "name_zh": "专业版", "name_en": "Pro", "rank": 1, "monthly_price": "999.00",
        "is_active": "on",
        "plan_features-TOTAL_FORMS": "0", "plan_features-INITIAL_FORMS": "0",
        "plan_features-MIN_NUM_FORMS": "0", "plan_features-MAX_NUM_FORMS": "1000",
    }
    response = staff_client.post(f"/admin/plans/plan/{pro.pk}/change/", data)
    assert response.status_code == 302
    pro.refresh_from_db()
    assert str(pro.monthly_price) == "999.00"
