"""GB 11643 ID numbers: checksum, birth date, sex, length, lowercase x."""

import datetime as dt
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongxin.people import idnumber

VALID = "11010519491231002X"  # the standard's own example: born 1949-12-31, female


def test_the_standards_example_is_valid():
    info = idnumber.parse(VALID)
    assert info.birth_date == dt.date(1949, 12, 31)
    assert info.sex == "F"
    assert info.region == "110105"


def test_a_bad_checksum_is_refused_and_the_message_names_the_right_check_character():
    with pytest.raises(idnumber.InvalidIdNumber, match="最后一位应为 X"):
        idnumber.parse("110105194912310021")


def test_a_wrong_length_says_how_many_digits_were_given():
    with pytest.raises(idnumber.InvalidIdNumber, match="现在是 17 位"):
        idnumber.parse(VALID[:17])


def test_an_impossible_birth_date_is_refused():
    first17 = "11010519490231002"  # 31 February
    with pytest.raises(idnumber.InvalidIdNumber, match="出生日期"):
        idnumber.parse(first17 + idnumber.check_char(first17))


def test_lowercase_x_is_accepted_and_normalised_to_uppercase():
    assert idnumber.normalise(VALID.lower()) == VALID
    assert idnumber.parse(VALID.lower()).sex == "F"


def test_letters_other_than_a_final_x_are_refused():
    with pytest.raises(idnumber.InvalidIdNumber, match="前 17 位应为数字"):
        idnumber.parse("1101051949123100AX")


def test_mask_keeps_only_the_ends():
    assert idnumber.mask(VALID) == "1101**********002X"
    assert "19491231" not in idnumber.mask(VALID)


@given(st.dates(min_value=dt.date(1930, 1, 1), max_value=dt.date(2005, 12, 31)), st.sampled_from("MF"),
       st.integers(min_value=0, max_value=2**32))
def test_made_numbers_parse_back_to_their_birth_date_and_sex(birth, sex, seed):
    number = idnumber.make("371621", birth, sex, random.Random(seed))
    info = idnumber.parse(number)
    assert (info.birth_date, info.sex) == (birth, sex)


@given(st.integers(min_value=0, max_value=16), st.integers(min_value=0, max_value=9))
def test_any_single_digit_change_is_caught_by_the_check_character(position, digit):
    original = idnumber.make("371621", dt.date(1985, 6, 15), "M", random.Random(1))
    changed = original[:position] + str(digit) + original[position + 1:]
    if changed != original:
        assert not idnumber.is_valid(changed)
