"""The typed environment readers: defaults when unset, one line naming a bad value."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from exitwatch.lib.env import env_bool, env_int, env_list, env_str


def test_an_unset_variable_gives_the_default(monkeypatch):
    monkeypatch.delenv("EXITWATCH_TEST_VALUE", raising=False)
    assert env_str("EXITWATCH_TEST_VALUE", "fallback") == "fallback"
    assert env_bool("EXITWATCH_TEST_VALUE", True) is True
    assert env_int("EXITWATCH_TEST_VALUE", 7) == 7
    assert env_list("EXITWATCH_TEST_VALUE", "a,b") == ["a", "b"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", True),
        (" Yes ", True),
        ("ON", True),
        ("0", False),
        ("off", False),
        ("", False),
    ],
)
def test_booleans_read_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("EXITWATCH_TEST_FLAG", raw)
    assert env_bool("EXITWATCH_TEST_FLAG", not expected) is expected


def test_a_bad_boolean_is_refused_naming_the_variable(monkeypatch):
    monkeypatch.setenv("EXITWATCH_TEST_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match=r"^EXITWATCH_TEST_FLAG='maybe' is"):
        env_bool("EXITWATCH_TEST_FLAG", False)


def test_a_blank_number_gives_the_default(monkeypatch):
    monkeypatch.setenv("EXITWATCH_TEST_NUMBER", "  ")
    assert env_int("EXITWATCH_TEST_NUMBER", 5) == 5


@pytest.mark.parametrize(
    ("raw", "message"),
    [("soon", "is not a whole number"), ("2", "must be at least 3")],
)
def test_a_bad_number_is_refused_naming_the_variable(monkeypatch, raw, message):
    monkeypatch.setenv("EXITWATCH_TEST_NUMBER", raw)
    with pytest.raises(ImproperlyConfigured, match=f"^EXITWATCH_TEST_NUMBER='{raw}' "):
        env_int("EXITWATCH_TEST_NUMBER", 5, minimum=3)
    with pytest.raises(ImproperlyConfigured, match=message):
        env_int("EXITWATCH_TEST_NUMBER", 5, minimum=3)


def test_lists_and_strings_lose_surrounding_whitespace_and_empty_items(monkeypatch):
    monkeypatch.setenv("EXITWATCH_TEST_VALUE", " a.example , ,b.example, ")
    assert env_list("EXITWATCH_TEST_VALUE") == ["a.example", "b.example"]
    assert env_str("EXITWATCH_TEST_VALUE") == "a.example , ,b.example,"
