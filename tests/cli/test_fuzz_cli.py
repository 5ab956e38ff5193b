"""Whatever an officer types, the command line answers with a result or one clean line: never a
traceback, never an internal error."""

from hypothesis import HealthCheck, given, settings, strategies as st

words = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=words, period=words, unit=words, of=st.one_of(st.none(), words))
def test_record_with_anything(kh_seeded, value, period, unit, of):
    args = ["record", "na-2021", "III.4-1", value, "--unit", unit, "--period", period]
    if of is not None:
        args += ["--of", of]
    r = kh_seeded(*args)
    assert r.code in (0, 1, 2)
    assert "Traceback" not in r.err and "internal error" not in r.err


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(on=words, who=words, period=words)
def test_submit_with_anything(kh_seeded, on, who, period):
    r = kh_seeded("submit", "na-2021", "bc-6-thang", "-a", who, "--on", on, "--period", period)
    assert r.code in (0, 1, 2)
    assert "Traceback" not in r.err and "internal error" not in r.err
