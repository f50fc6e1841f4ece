"""Included by apps/features/urls.py inside the "features" namespace (the overview links settings_<code>)."""

from django.urls import path

from apps.callbacks import views

BASE = "apps/<slug:app_name>/features/callbacks/"

urlpatterns = [
    path(BASE, views.settings_callbacks, name="settings_callbacks"),
    path(f"{BASE}new/", views.callback_rule_new, name="callback_rule_new"),
    path(f"{BASE}<int:pk>/", views.callback_rule_edit, name="callback_rule_edit"),
    path(f"{BASE}<int:pk>/delete/", views.callback_rule_delete, name="callback_rule_delete"),
    path(f"{BASE}<int:pk>/rotate-secret/", views.callback_secret_rotate, name="callback_secret_rotate"),
    path(f"{BASE}<int:pk>/test/", views.callback_rule_test, name="callback_rule_test"),
]
