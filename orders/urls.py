from django.urls import path

from orders import views

app_name = "orders"

urlpatterns = [
    path("apps/<slug:app_name>/upgrade/", views.checkout, name="checkout"),
    path("apps/<slug:app_name>/upgrade/estimate/", views.estimate, name="estimate"),
    path("orders/", views.order_list, name="order_list"),
    path("orders/<str:number>/", views.order_detail, name="order_detail"),
]
