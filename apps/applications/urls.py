from django.urls import path

from apps.applications import views

app_name = "applications"

urlpatterns = [
    path("apps/", views.app_list, name="app_list"),
]
