from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "billing"

    # seed_demo calls this with the demo organization, in the order of demo_step (its dependencies first).
    demo_seed = "billing.demo.seed"
    demo_step = 50

    def ready(self) -> None:
        from billing import signals  # noqa: F401 -- cached arrears flags follow the ledger
        from billing.selectors import arrears_purchase_refusal
        from orders.services import purchase_check_register

        purchase_check_register(arrears_purchase_refusal)
