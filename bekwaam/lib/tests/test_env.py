"""Settings helpers read the environment and fail loudly on bad values (STYLE.md habit 11)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bekwaam.lib.env import env_bool, env_int, env_json_object, env_list, env_str

NAME = "BEKWAAM_TEST_VARIABLE"
TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off", "")
# The environment cannot hold NUL; everything else may appear in a badly written .env file.
env_text = st.text(alphabet=st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)))
fixture_ok = settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=100)


def casings(word: str) -> st.SearchStrategy[str]:
    """The word in any mix of upper and lower case, with spaces around it."""
    return st.tuples(
        st.lists(st.booleans(), min_size=len(word), max_size=len(word)),
        st.sampled_from(["", " ", "  ", "\t"]),
        st.sampled_from(["", " ", "\n"]),
    ).map(lambda t: t[1] + "".join(c.upper() if up else c for c, up in zip(word, t[0], strict=True)) + t[2])


@fixture_ok
@given(raw=st.sampled_from(TRUE_WORDS).flatmap(casings))
def test_it_reads_true_in_any_casing(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv(NAME, raw)
    assert env_bool(NAME, default=False) is True


@fixture_ok
@given(raw=st.sampled_from(FALSE_WORDS).flatmap(casings))
def test_it_reads_false_in_any_casing(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv(NAME, raw)
    assert env_bool(NAME, default=True) is False


@fixture_ok
@given(raw=env_text.filter(lambda s: s.strip().lower() not in {*TRUE_WORDS, *FALSE_WORDS}))
def test_it_refuses_anything_else_as_a_boolean(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv(NAME, raw)
    with pytest.raises(ImproperlyConfigured, match=NAME):
        env_bool(NAME)


@pytest.mark.parametrize("raw", ["ja", "nee", "2", "truee", "y", "n", "enabled", "-1", "on off"])
def test_it_refuses_near_booleans(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv(NAME, raw)
    with pytest.raises(ImproperlyConfigured, match="must be a boolean"):
        env_bool(NAME)


@pytest.mark.parametrize("default", [True, False])
def test_it_falls_back_to_the_default_boolean_when_unset(monkeypatch: pytest.MonkeyPatch, default: bool) -> None:
    monkeypatch.delenv(NAME, raising=False)
    assert env_bool(NAME, default=default) is default


@fixture_ok
@given(number=st.integers(min_value=-(10**12), max_value=10**12), pad=st.sampled_from(["", " ", "\t"]))
def test_it_reads_any_whole_number(monkeypatch: pytest.MonkeyPatch, number: int, pad: str) -> None:
    monkeypatch.setenv(NAME, f"{pad}{number}{pad}")
    assert env_int(NAME, default=7) == number


def _is_int(value: str) -> bool:
    try:
        int(value)
    except ValueError:
        return False
    return True


@fixture_ok
@given(raw=env_text.filter(lambda s: s.strip() != "" and not _is_int(s)))
def test_it_refuses_anything_else_as_a_number(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv(NAME, raw)
    with pytest.raises(ImproperlyConfigured, match="must be a whole number"):
        env_int(NAME, default=1)


@pytest.mark.parametrize("raw", ["1.5", "30m", "1e3", "ten", "0x10", "5 5"])
def test_it_refuses_near_numbers(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv(NAME, raw)
    with pytest.raises(ImproperlyConfigured, match=NAME):
        env_int(NAME, default=1)


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_it_falls_back_to_the_default_number_when_unset_or_blank(
    monkeypatch: pytest.MonkeyPatch, raw: str | None
) -> None:
    if raw is None:
        monkeypatch.delenv(NAME, raising=False)
    else:
        monkeypatch.setenv(NAME, raw)
    assert env_int(NAME, default=42) == 42


def test_it_requires_a_string_without_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(NAME, raising=False)
    with pytest.raises(ImproperlyConfigured, match=NAME):
        env_str(NAME)
    assert env_str(NAME, "fallback") == "fallback"
    monkeypatch.setenv(NAME, "set")
    assert env_str(NAME, "fallback") == "set"


@fixture_ok
@given(items=st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyz.-0123456789", min_size=1), max_size=6))
def test_it_splits_a_list_and_drops_blanks(monkeypatch: pytest.MonkeyPatch, items: list[str]) -> None:
    monkeypatch.setenv(NAME, " , ".join(items) + ", ,")
    assert env_list(NAME) == items


def test_it_returns_a_copy_of_the_default_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(NAME, raising=False)
    default = ["a"]
    result = env_list(NAME, default)
    result.append("b")
    assert default == ["a"]
    assert env_list(NAME) == []


def test_it_reads_a_json_object(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_OPTIONS", '{"bucket_name": "bekwaam", "querystring_auth": true}')
    assert env_json_object("X_OPTIONS") == {"bucket_name": "bekwaam", "querystring_auth": True}


def test_it_gives_the_default_for_an_empty_json_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_OPTIONS", " ")
    assert env_json_object("X_OPTIONS", {"a": 1}) == {"a": 1}


@pytest.mark.parametrize("raw", ["[1, 2]", "not json", '"text"'])
def test_it_refuses_anything_but_a_json_object(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv("X_OPTIONS", raw)
    with pytest.raises(ImproperlyConfigured, match="X_OPTIONS must be a JSON object"):
        env_json_object("X_OPTIONS")
