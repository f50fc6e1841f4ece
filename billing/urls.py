from django.urls import path

from billing import views

app_name = "billing"

urlpatterns = [
    path("billing/", views.account, name="account"),
    path("billing/topup/", views.topup_request, name="topup_request"),
    path("billing/bills/", views.bill_list, name="bill_list"),
    path("billing/bills/<int:year>-<int:month>/", views.bill_detail, name="bill_detail"),
    path("billing/export/bills.csv", views.export_bills, name="export_bills"),
    path("billing/export/orders.csv", views.export_orders, name="export_orders"),
    path("billing/export/ledger.csv", views.export_ledger, name="export_ledger"),
]
