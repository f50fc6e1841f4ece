import pytest

from apps.sensitive_words.matcher import matchers


@pytest.fixture(autouse=True)
def _empty_matcher_cache():
    """Test databases roll back, so an app id and a revision can come back with other words: start empty."""
    matchers.clear()
    yield
    matchers.clear()
