"""The charter framework as data: statements, indicators, breakdowns and the council."""

from charter.framework import Charter
from charter.loader import CHARTER_DIR, CharterError, load_charter
from charter.models import Breakdown, Council, Indicator, Statement

__all__ = [
    "CHARTER_DIR",
    "Breakdown",
    "Charter",
    "CharterError",
    "Council",
    "Indicator",
    "Statement",
    "load_charter",
]
