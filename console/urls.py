from django.contrib import admin
from django.urls import include, path

from console import views
from orders import views as order_views

# Staff sign in through the console's own login (password, then the two-factor code): the admin's login form
# would let a password alone in.
admin.site.login = views.admin_login

# Everything under o/<org_name>/ belongs to one organization and goes through apps.accounts.access.
org_patterns = [
    path("", include("apps.applications.urls")),
    path("", include("apps.features.urls")),
    path("", include("orders.urls")),
    path("", include("billing.urls")),
    path("", include("apps.accounts.member_urls")),
    path("", include("apps.audit.urls")),
    path("", include("apps.im.console_urls")),
    path("", include("apps.notifications.urls")),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("apps.accounts.urls")),
    path("plans/", include("apps.plans.urls")),
    path("agreement/", order_views.purchase_agreement, name="purchase_agreement"),
    path("o/<slug:org_name>/", include(org_patterns)),
    path("admin/", admin.site.urls),
    # The IM REST service (SPEC §11): JSON only, its own error envelope, no session or CSRF.
    path("rest/", include("apps.im.urls")),
]
