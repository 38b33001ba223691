"""Plain English for a reader who is not a data specialist (a councillor, an interested
resident): short sentences, no statistical terms. "A real change, not chance" stands for a
special-cause signal; targets are "the aim"; context indicators are "for information".

Every phrase here is built from facts worked out elsewhere (metrics/status.py, rollup,
benchmark); nothing is judged twice."""

from __future__ import annotations

import re
from dataclasses import replace

from charter import Charter, Indicator
from metrics.benchmark import Benchmark
from metrics.explain import ordinal
from metrics.narrative import PERIOD_WORDS, STATUS_WORDS, fmt_target, fmt_value
from metrics.rollup import StatementStatus
from metrics.status import IndicatorStatus

# Words a resident would use; the status words themselves stay as everywhere else.
PLAIN_STATUS = {
    "on_track": "meeting its aim",
    "at_risk": "just short of its aim",
    "off_track": "well short of its aim",
    "no_target": "shown for information (no aim is set)",
    "no_recent_data": "without an up-to-date figure",
    "not_evidenced": "without enough figures to judge",
    "withheld": "withheld to protect privacy (a small number)",
}

AIM_SIDE = {"higher_is_better": "or more", "lower_is_better": "or less"}

# Terms a plain-English page or pack must not use (tested): statisticians' shorthand.
JARGON = (
    "special cause",
    "common cause",
    "process limit",
    "hit and miss",
    "hit or miss",
    "context indicator",
    "spc",
    "assurance",
    "variation",
    "tolerance",
    "polarity",
    "rag",
)


def aim(ind: Indicator) -> str:
    if ind.target is None or ind.polarity == "neutral":
        return ""
    return f"the aim is {fmt_target(ind)} {AIM_SIDE[ind.polarity]}"


def quarters(n: int) -> str:
    return "one quarter" if n == 1 else f"{n} quarters in a row"


def figure_sentence(ind: Indicator, i: IndicatorStatus) -> str:
    """ "78.8% in 2026-27 Q2; the aim is 85% or more." (or why there is no figure)"""
    if i.status == "withheld":  # by our disclosure control, for public readers
        return (
            f"The {i.period} figure is withheld to protect children's privacy; its status, "
            "change and comparisons are not published either, as they could narrow it down."
        )
    if i.symbol == "c":
        return f"The {i.period} figure is a small number, not published to protect privacy."
    if i.value is None:
        if i.period:
            return f"There is no usable figure for {i.period}."
        return f"No figure has been supplied for {i.due} yet."
    text = f"{i.shown} in {i.period}"
    goal = aim(ind)
    return f"{text}; {goal}." if goal else f"{text}."


def change_sentence(ind: Indicator, i: IndicatorStatus, previous: str | None) -> str:
    """Better or worse than the period before, in words."""
    unit = PERIOD_WORDS[ind.frequency]
    was = f" ({previous})" if previous else ""
    return {
        "improving": f"Better than the {unit} before{was}.",
        "worsening": f"Worse than the {unit} before{was}.",
        "no_change": f"The same as the {unit} before.",
        "increased": f"Up on the {unit} before{was}.",
        "decreased": f"Down on the {unit} before{was}.",
    }.get(i.direction or "", "")


def real_change(i: IndicatorStatus) -> str:
    """The SPC signal without its name."""
    if i.variation == "improvement":
        return "The figures show a real improvement, not chance."
    if i.variation == "concern":
        return "The figures show a real change for the worse, not chance."
    if i.variation == "neutral":
        return "The figures show a real change, not chance."
    return ""


def compare_sentence(ind: Indicator, b: Benchmark | None) -> str:
    """How we compare with England and with other councils."""
    if b is None or ind.unit == "count":
        return ""
    parts = []
    if b.england is not None:
        england = fmt_value(b.england, ind)
        words = {
            "better": "better than",
            "worse": "worse than",
            "higher": "higher than",
            "lower": "lower than",
            "similar": "about the same as",
        }.get(b.significance or "", "")
        parts.append(f"{words} England ({england})" if words else f"England: {england}")
    if b.group is not None:
        parts.append(f"similar councils: {fmt_value(b.group, ind)} on average")
    if b.rank is not None and b.councils > 1:
        parts.append(f"{ordinal(b.rank)} best of {b.councils} councils")
    if not parts:
        return ""
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."


def worse_than_england(b: Benchmark | None) -> bool:
    return b is not None and b.significance == "worse"


def is_plain(text: str) -> list[str]:
    """The jargon found in `text` (empty when it is plain)."""
    return [w for w in JARGON if re.search(rf"\b{re.escape(w)}s?\b", text, re.IGNORECASE)]


def reason(ind: Indicator, i: IndicatorStatus) -> str:
    """The status explained in plain English, in at most four short sentences."""
    previous = (
        fmt_value(i.value - i.change, ind) if i.value is not None and i.change is not None else None
    )
    parts = [
        f"{STATUS_WORDS[i.status]}: {figure_sentence(ind, i)}",
        change_sentence(ind, i, previous),
        real_change(i),
    ]
    parts.append(compare_sentence(ind, i.benchmark))
    return " ".join(p for p in parts if p)


def statuses(statements: list[StatementStatus], charter: Charter) -> list[StatementStatus]:
    """Statuses whose reasons are in plain English (for councillors and residents)."""
    return [
        replace(
            s,
            indicators=[
                replace(i, reason=reason(charter.indicators[i.id], i)) for i in s.indicators
            ],
        )
        for s in statements
    ]
