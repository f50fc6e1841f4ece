from django.urls import include, path

from apps.im import console_views

app_name = "im_console"

urlpatterns = [
    path("apps/<slug:app_name>/im-service/", console_views.service_settings, name="settings"),
    path("", include("apps.im.users_urls")),
]
