"""Demo apps for the demo org, spread over several data centers. Idempotent: existing apps are left as they are."""

from apps.applications.models import App, DataCenter

DEMO_APPS = [
    # AppName, product name, description, data center code
    ("chat-prod", "Chat", "The production chat of our consumer app.", "bj1"),
    ("chat-staging", "Chat (staging)", "Staging copy of chat-prod for QA.", "bj1"),
    ("support-sg", "Support desk", "Customer-support chat for South-East Asia.", "sgp1"),
    ("game-eu", "Game lobby", "In-game chat rooms for European players.", "fra2"),
    ("livestream-us", "Livestream", "Live-stream chat rooms in North America.", "usva1"),
]


def seed(organization) -> list[App]:
    centers = {dc.code: dc for dc in DataCenter.objects.all()}
    apps = []
    for name, product_name, description, code in DEMO_APPS:
        app, _created = App.objects.get_or_create(
            organization=organization,
            name=name,
            defaults={"product_name": product_name, "description": description, "data_center": centers[code]},
        )
        apps.append(app)
    return apps


def demo_app_and_owner(organization, name: str = "chat-prod"):
    """(app, owner user) for a feature app's demo data, or None when the demo org lacks either."""
    from apps.accounts.models import Membership
    from apps.accounts.roles import Role

    app = organization.apps.filter(name=name).first()
    owner = Membership.objects.filter(organization=organization, role=Role.OWNER).select_related("user").first()
    return (app, owner.user) if app is not None and owner is not None else None
