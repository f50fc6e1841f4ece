"""Any saved or deleted order or order line makes its app's cached entitlements stale (orders.entitlements):
``order_transition`` saves the order; the set-based ``order_transition_set`` and the activation statement send no
signal and forget the apps themselves; factories, the admin and data fixes are covered here."""

from django.db.models.signals import post_delete, post_save

from orders.entitlements import forget_app_entitlements
from orders.models import Order, OrderLine


def _order_changed(sender, instance, **kwargs) -> None:
    forget_app_entitlements([instance.app_id])


def _line_changed(sender, instance, **kwargs) -> None:
    order = OrderLine.order.field.get_cached_value(instance, default=None)
    if order is not None:
        forget_app_entitlements([order.app_id])
    else:
        forget_app_entitlements(Order.objects.filter(pk=instance.order_id).values_list("app_id", flat=True))


for signal, name in ((post_save, "save"), (post_delete, "delete")):
    signal.connect(_order_changed, sender=Order, dispatch_uid=f"orders-entitlements-forget-order-{name}")
    signal.connect(_line_changed, sender=OrderLine, dispatch_uid=f"orders-entitlements-forget-line-{name}")
