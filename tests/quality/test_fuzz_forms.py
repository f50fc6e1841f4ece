"""Fuzz: every form the walker knows (its sample's POST fields) and every query parameter a page reads gets
random text, unicode, control characters, huge and numeric values, lists and missing fields (hypothesis),
and, deterministically, each field gets each of a few values known to break things (NUL, which PostgreSQL
text refuses; huge; a list). Never a 500, and nothing outside the tables that route may write changes."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.quality.samples import SAMPLES
from tests.quality.test_url_walker import ROUTES, allowed_user, url_for
from tests.quality.world import row_counts

pytestmark = pytest.mark.django_db
FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                        HealthCheck.too_slow])
POST_NAMES = sorted(name for name in ROUTES if name in SAMPLES and "POST" in SAMPLES[name].methods)
QUERY_NAMES = sorted(name for name in ROUTES if name in SAMPLES and SAMPLES[name].query)

NASTY = st.one_of(
    st.text(max_size=40),
    st.text(min_size=1, max_size=4).map(lambda s: s * 25_000),
    st.integers().map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["", " ", "0", "-1", "1e309", "NaN", "9" * 40, "１２", "0x10", "\x00", "a\x00b", "%00",
                     "<script>alert(1)</script>", "' OR 1=1 --", "../../etc/passwd", "2026-02-30", "on", "ｐｒｏ",
                     "premium", "owner", "free"]),
    st.lists(st.text(max_size=8), min_size=2, max_size=3),
)


# Each of these once in every field, the other fields valid: random draws rarely hit them all.
PROBES = ["a\x00b", "\x00", "x" * 100_000, "😀" * 1000, "-1", "1e309", ["a", "b"], ""]


def fuzzed(valid: dict, names) -> st.SearchStrategy[dict]:
    """Each field keeps its valid value, gets a nasty one, or goes missing."""
    fields = {
        name: st.one_of(st.just(valid[name]), NASTY, st.none()) if name in valid else st.one_of(NASTY, st.none())
        for name in names
    }
    return st.fixed_dictionaries(fields).map(lambda data: {k: v for k, v in data.items() if v is not None})


@pytest.mark.parametrize("name", POST_NAMES)
def test_random_form_input_never_causes_a_500_or_a_half_save(name, world, signed_in):
    sample = SAMPLES[name]
    url = url_for(name, world.acme)
    user = allowed_user(world, sample, "POST")
    fields = sorted(sample.data(world.acme))

    @FUZZ
    @given(data=st.data())
    def post(data):
        payload = data.draw(fuzzed(sample.data(world.acme), fields)) if fields else data.draw(
            st.dictionaries(st.text(min_size=1, max_size=8), NASTY, max_size=3))
        client = signed_in(user)
        before = row_counts()
        response = client.post(url, payload)
        assert response.status_code < 500
        after = row_counts()
        changed = {label for label in before if before[label] != after[label]}
        assert changed <= sample.writes | {"sessions.Session"}, changed - sample.writes

    post()


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_random_query_parameters_never_cause_a_500(name, world, signed_in):
    sample = SAMPLES[name]
    url = url_for(name, world.acme)
    client = signed_in(allowed_user(world, sample, "GET"))

    @FUZZ
    @given(params=fuzzed({}, sample.query))
    def get(params):
        assert client.get(url, params).status_code < 500

    get()


@pytest.mark.parametrize("name", sorted(set(POST_NAMES) | set(QUERY_NAMES)))
def test_each_field_survives_each_probe_value(name, world, signed_in):
    sample = SAMPLES[name]
    url = url_for(name, world.acme)
    for method in ("POST", "GET"):
        fields = sorted(sample.data(world.acme)) if method == "POST" else list(sample.query)
        if method not in sample.methods or not fields:
            continue
        for field in fields:
            for probe in PROBES:
                client = signed_in(allowed_user(world, sample, method))
                valid = sample.data(world.acme) if method == "POST" else {}
                before = row_counts()
                if method == "POST":
                    response = client.post(url, {**valid, field: probe})
                else:
                    response = client.get(url, {field: probe})
                assert response.status_code < 500, (method, field, probe)
                after = row_counts()
                changed = {label for label in before if before[label] != after[label]}
                assert changed <= sample.writes | {"sessions.Session"}, (field, probe, changed - sample.writes)
