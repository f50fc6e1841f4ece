from django.urls import include, path

from apps.im import console_views, usage_views

app_name = "im_console"

urlpatterns = [
    path("apps/<slug:app_name>/im-service/", console_views.service_settings, name="settings"),
    path("", include("apps.im.users_urls")),
    path("apps/<slug:app_name>/usage/", usage_views.app_usage, name="usage"),
    path("apps/<slug:app_name>/usage/export.csv", usage_views.app_usage_csv, name="usage_csv"),
    path("usage/", usage_views.org_usage, name="org_usage"),
]
