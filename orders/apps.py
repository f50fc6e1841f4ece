from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "orders"
    # seed_demo calls this with the demo organization, in the order of demo_step (its dependencies first).
    demo_seed = "orders.demo.seed"
    demo_step = 20

    def ready(self) -> None:
        from orders import signals  # noqa: F401
