import pytest
from django.urls import reverse

from apps.plans.models import Plan

pytestmark = pytest.mark.django_db

URL = "/plans/"


def test_plan_compare_reverses_at_plans():
    assert reverse("plans:plan_compare") == URL


def test_anonymous_visitor_sees_every_plan_with_its_price(client):
    page = client.get(URL, headers={"accept-language": "en"}).content.decode()
    for name in ["Free", "Pro", "Flagship", "Premium"]:
        assert name in page
    for price in ["¥888.00", "¥2,888.00", "¥4,888.00"]:
        assert price in page


def test_quotas_have_thousands_separators_and_unlimited(client):
    page = client.get(URL, headers={"accept-language": "en"}).content.decode()
    assert "3,000" in page and "8,000" in page
    assert "Unlimited" in page


def test_switches_show_included_and_not_included(client):
    page = client.get(URL, headers={"accept-language": "en"}).content.decode()
    row = page.split("Sensitive words", 1)[1].split("</tr>", 1)[0]
    assert row.count("Not included") == 1
    assert row.count(">Included<") == 3


def test_addons_are_listed_with_prices_and_tiers(client):
    page = client.get(URL, headers={"accept-language": "en"}).content.decode()
    assert "¥500.00" in page and "per unit of +30 days / month" in page
    assert "¥200.00" in page and "per unit of +100 calls/s / month" in page
    assert "¥1,800.00" in page


def test_page_is_built_from_the_catalog(client):
    Plan.objects.filter(code="pro").update(monthly_price="999.00")
    page = client.get(URL, headers={"accept-language": "en"}).content.decode()
    assert "¥999.00" in page and "¥888.00" not in page


def test_chinese_page_shows_chinese_plan_names(client):
    page = client.get(URL, headers={"accept-language": "zh-hans"}).content.decode()
    for name in ["免费版", "专业版", "旗舰版", "尊享版", "敏感词"]:
        assert name in page
    assert "¥2,888.00" in page


def test_signed_in_member_sees_the_page_and_a_link_to_apps(owner_client):
    response = owner_client.get(URL)
    assert response.status_code == 200
    assert "Go to your apps" in response.content.decode()


def test_plan_compare_query_count_is_fixed(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        client.get(URL)
