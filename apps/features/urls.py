from django.urls import path

from apps.features import views

app_name = "features"

urlpatterns = [
    path("apps/<slug:app_name>/features/", views.overview, name="overview"),
    path("apps/<slug:app_name>/features/recall/", views.settings_recall, name="settings_recall"),
    path("apps/<slug:app_name>/features/<slug:code>/enable/", views.enable, name="enable"),
]
