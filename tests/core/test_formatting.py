import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template

from core.formatting import sv_date, sv_money, sv_number, sv_percent


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (1234.5, 1, "1\u00a0234,5"),
        (Decimal("-440"), 0, "\u2212440"),
        (Decimal("718600"), 0, "718\u00a0600"),
        (Decimal("11.15"), 2, "11,15"),
        (Decimal("0.04"), 0, "0"),
        (Decimal("-0.04"), 0, "0"),
        (Decimal("2.5"), 0, "3"),
        (1234567, 0, "1\u00a0234\u00a0567"),
        (None, 0, ""),
        ("not a number", 0, ""),
    ],
)
def test_sv_number(value, decimals, expected):
    assert sv_number(value, decimals) == expected


def test_money_in_tkr_and_mnkr_from_kronor():
    assert sv_money(Decimal("718600000"), "mnkr") == "718,6"
    assert sv_money(Decimal("94450000"), "tkr") == "94\u00a0450"
    assert sv_money(Decimal("-440000"), "tkr") == "\u2212440"


def test_percent_and_dates():
    assert sv_percent(Decimal("2.58"), 2) == "2,58\u00a0%"
    assert sv_date(datetime.date(2024, 11, 22)) == "22 nov 2024"
    assert sv_date(datetime.date(2023, 5, 3), full=True) == "3 maj 2023"


def test_filters_are_builtin_in_every_template():
    html = Template("{{ a|sv_number:1 }} {{ b|sv_money:'mnkr' }} {{ d|sv_date }}").render(
        Context({"a": 1234.5, "b": 718_600_000, "d": datetime.date(2024, 11, 22)})
    )
    assert html == "1\u00a0234,5 718,6 22 nov 2024"
