from django.urls import path

from apps.plans import views

app_name = "plans"

urlpatterns = [
    path("", views.plan_compare, name="plan_compare"),
]
