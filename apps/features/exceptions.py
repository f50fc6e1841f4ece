class FeatureError(Exception):
    """A feature action the app may not take; the message is shown to the user."""


class UnknownFeature(FeatureError):
    pass

