"""The one reader of whole numbers from outside (``core.cleaning.non_negative_int``)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from core.cleaning import MAX_INT, non_negative_int


@pytest.mark.parametrize(
    ("raw", "number"),
    [("0", 0), ("7", 7), ("007", 7), ("2147483647", MAX_INT), ("0" * 5000 + "12", 12), (3, 3)],
)
def test_ascii_digits_and_ints_are_read(raw, number):
    assert non_negative_int(raw, "after") == number


@pytest.mark.parametrize(
    "raw",
    [
        "²",
        "\u0663",  # ARABIC-INDIC DIGIT THREE: int() reads it as 3
        "\uff11",  # FULLWIDTH DIGIT ONE
        "-1",
        "+1",
        " 1",
        "1 ",
        "1\n",
        "1_000",
        "1e3",
        "1.0",
        "0x1",
        "",
        "2147483648",
        "99999999999999999999",
        "9" * 5000,
        -1,
        MAX_INT + 1,
        True,
        1.0,
        None,
        [1],
    ],
)
def test_anything_else_is_a_validation_error_naming_the_field(raw):
    with pytest.raises(ValidationError) as caught:
        non_negative_int(raw, "after")
    assert caught.value.message_dict == {
        "after": ["A whole number from 0 to 2147483647 is required."]
    }


def test_absent_is_the_default_when_there_is_one():
    assert non_negative_int(None, "after", default=0) == 0
    with pytest.raises(ValidationError):
        non_negative_int("", "after", default=0)


def test_the_maximum_and_the_message_can_be_chosen():
    assert non_negative_int("10", "n", maximum=10) == 10
    with pytest.raises(ValidationError) as caught:
        non_negative_int("11", "n", maximum=10, message="Too many.")
    assert caught.value.message_dict == {"n": ["Too many."]}
