from apps.features.models import AppFeature
from apps.plans.models import Feature


def enable_feature(app, code: str) -> None:
    AppFeature.objects.update_or_create(app=app, feature=Feature.objects.get(code=code),
                                        defaults={"enabled": True})
