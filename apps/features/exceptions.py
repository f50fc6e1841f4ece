from console.errors import DomainError


class FeatureError(DomainError):
    """A feature action the app may not take; the message is shown to the user."""


class UnknownFeature(FeatureError):
    pass

