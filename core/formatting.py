"""Swedish number, money and date formatting, independent of the active language.

Numbers use a no-break space between thousands and a comma as the decimal sign (``1 234,5``);
negative numbers use the minus sign U+2212 (``−440``), as the printed documents do.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

THOUSANDS = "\u00a0"
MINUS = "\u2212"
MONTHS = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
MONTHS_FULL = [
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
]  # fmt: skip
MONEY_UNITS = {"kr": Decimal(1), "tkr": Decimal(1000), "mnkr": Decimal(1_000_000)}


def to_decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def sv_number(value, decimals: int = 0) -> str:
    """``1234.5`` → ``1 234,5`` (with ``decimals=1``); empty string for no value."""
    number = to_decimal(value)
    if number is None:
        return ""
    quantum = Decimal(1).scaleb(-decimals)
    rounded = number.quantize(quantum, rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)
    sign = MINUS if rounded < 0 else ""
    whole, _, fraction = f"{abs(rounded):f}".partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = THOUSANDS.join(groups)
    return f"{sign}{text},{fraction}" if fraction else f"{sign}{text}"


def sv_money(value_in_kr, unit: str = "tkr", decimals: int | None = None) -> str:
    """An amount stored in kronor shown in ``kr``, ``tkr`` or ``mnkr`` (one decimal for mnkr by default)."""
    number = to_decimal(value_in_kr)
    if number is None:
        return ""
    if decimals is None:
        decimals = 1 if unit == "mnkr" else 0
    return sv_number(number / MONEY_UNITS[unit], decimals)


def sv_percent(value, decimals: int = 1) -> str:
    text = sv_number(value, decimals)
    return f"{text}\u00a0%" if text else ""


def sv_date(value, full: bool = False) -> str:
    """``2024-11-22`` → ``22 nov 2024`` (``22 november 2024`` with ``full``)."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    months = MONTHS_FULL if full else MONTHS
    return f"{value.day} {months[value.month - 1]} {value.year}"
