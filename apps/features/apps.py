from django.apps import AppConfig


class FeaturesConfig(AppConfig):
    name = "apps.features"
    label = "features"
    # seed_demo calls this with the demo organization, in the order of demo_step (its dependencies first).
    demo_seed = "apps.features.demo.seed"
    demo_step = 30
