"""Included by apps/features/urls.py inside the "features" namespace (the overview links settings_<code>)."""

from django.urls import path

from apps.push import views

urlpatterns = [
    path("apps/<slug:app_name>/features/push/", views.settings_push, name="settings_push"),
    path("apps/<slug:app_name>/features/push/new/<slug:vendor>/", views.certificate_create,
         name="push_certificate_create"),
    path("apps/<slug:app_name>/features/push/<int:pk>/", views.certificate_edit, name="push_certificate_edit"),
    path("apps/<slug:app_name>/features/push/<int:pk>/delete/", views.certificate_delete,
         name="push_certificate_delete"),
]
