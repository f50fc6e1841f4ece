from django.urls import path

from apps.notifications import views

app_name = "notifications"

urlpatterns = [
    path("alerts/", views.alert_list, name="alert_list"),
    path("alerts/email/", views.email_preferences, name="preferences"),
    path("alerts/<int:pk>/dismiss/", views.alert_dismiss, name="alert_dismiss"),
]
