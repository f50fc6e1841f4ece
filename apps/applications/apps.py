from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "apps.applications"
    label = "applications"
    # seed_demo calls this with the demo organization, in the order of demo_step (its dependencies first).
    demo_seed = "apps.applications.demo.seed"
    demo_step = 10
