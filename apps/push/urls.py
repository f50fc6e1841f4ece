"""Included by apps/features/urls.py inside the "features" namespace (the overview links settings_<code>)."""

urlpatterns: list = []
