"""Included by apps/features/urls.py inside the "features" namespace (the overview links settings_<code>)."""

from django.urls import path

from apps.ipwhitelist import views

urlpatterns = [
    path("apps/<slug:app_name>/features/ip_whitelist/", views.settings_ip_whitelist, name="settings_ip_whitelist"),
    path("apps/<slug:app_name>/features/ip_whitelist/check/", views.ip_whitelist_check, name="ip_whitelist_check"),
    path("apps/<slug:app_name>/features/ip_whitelist/<int:pk>/delete/", views.ip_whitelist_delete,
         name="ip_whitelist_delete"),
]
