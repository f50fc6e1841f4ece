from django.urls import path

from apps.applications import views

app_name = "applications"

urlpatterns = [
    path("apps/", views.app_list, name="app_list"),
    path("apps/new/", views.app_create, name="app_create"),
    path("apps/<slug:app_name>/", views.app_detail, name="app_detail"),
    path("apps/<slug:app_name>/edit/", views.app_edit, name="app_edit"),
    path("apps/<slug:app_name>/secret/reveal/", views.secret_reveal, name="secret_reveal"),
    path("apps/<slug:app_name>/secret/rotate/", views.secret_rotate, name="secret_rotate"),
]
