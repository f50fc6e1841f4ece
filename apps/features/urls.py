from django.urls import include, path

from apps.features import views

app_name = "features"

urlpatterns = [
    path("apps/<slug:app_name>/features/", views.overview, name="overview"),
    path("apps/<slug:app_name>/features/recall/", views.settings_recall, name="settings_recall"),
    path("apps/<slug:app_name>/features/<slug:code>/enable/", views.enable, name="enable"),
    # Settings pages of other feature modules, named settings_<feature code> in this namespace.
    path("", include("apps.ipwhitelist.urls")),
    path("", include("apps.sensitive_words.urls")),
    path("", include("apps.push.urls")),
    path("", include("apps.callbacks.urls")),
]
