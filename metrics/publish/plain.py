"""Plain English for a reader who is not a data specialist (a councillor, an interested
resident): short sentences, no statistical terms. "A real change, not chance" stands for a
special-cause signal; targets are "the aim"; context indicators are "for information".

Every phrase here is built from facts worked out elsewhere (metrics/assess/status.py, rollup,
benchmark); nothing is judged twice."""

from __future__ import annotations

import re
from dataclasses import replace

from charter import Charter, Indicator
from metrics.assess.benchmark import Benchmark
from metrics.assess.rollup import StatementStatus
from metrics.assess.status import IndicatorStatus
from metrics.assess.target import Target, compared_with, fmt_target_value
from metrics.words.narrative import PERIOD_WORDS, STATUS_WORDS, fmt_value, trivial as trivial

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

MOVES = ("improving", "worsening", "increased", "decreased")

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


def aim(ind: Indicator, target: float | None) -> str:
    """ "the aim is 85% or more", with the target in force for the period."""
    rule = Target.of(ind)
    if target is None or not rule.has_better_side:
        return ""
    return f"the aim is {rule.aim_words(fmt_target_value(ind, target))}"


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
    goal = aim(ind, i.target)
    return f"{text}; {goal}." if goal else f"{text}."


def moved(ind: Indicator, i: IndicatorStatus) -> str | None:
    """The direction of travel as a reader should hear it: a trivial move is
    "little_change", not better or worse."""
    if i.direction not in MOVES or i.value is None or i.change is None:
        return i.direction
    return "little_change" if trivial(ind, i.value, i.value - i.change) else i.direction


def change_sentence(ind: Indicator, i: IndicatorStatus, previous: str | None) -> str:
    """Better or worse than the period before, in words (a trivial move is about the same)."""
    unit = PERIOD_WORDS[ind.frequency]
    was = f" ({previous})" if previous else ""
    return {
        "improving": f"Better than the {unit} before{was}.",
        "worsening": f"Worse than the {unit} before{was}.",
        "no_change": f"The same as the {unit} before.",
        "little_change": f"About the same as the {unit} before{was}.",
        "increased": f"Up on the {unit} before{was}.",
        "decreased": f"Down on the {unit} before{was}.",
    }.get(moved(ind, i) or "", "")


def real_change(i: IndicatorStatus) -> str:
    """The SPC signal without its name."""
    if i.variation == "improvement":
        return "The figures show a real improvement, not chance."
    if i.variation == "concern":
        return "The figures show a real change for the worse, not chance."
    if i.variation == "neutral":
        return "The figures show a real change, not chance."
    return ""


def against_england(ind: Indicator, b: Benchmark, value: float | None) -> str:
    """ "better than England (85.0%)"; with no statistical test (rates, counts per child), a
    verdict read the right way round: "higher than England (31.5 per 1,000), which is worse
    (lower is better)", or "about the same as" when the gap is trivial."""
    assert b.england is not None
    england = fmt_value(b.england, ind)
    words = {
        "better": "better than",
        "worse": "worse than",
        "higher": "higher than",
        "lower": "lower than",
        "similar": "about the same as",
    }.get(b.significance or "", "")
    if words:
        return f"{words} England ({england})"
    if value is None:
        return f"England: {england}"
    return compared_with(ind, value, b.england, "England")


def compare_sentence(ind: Indicator, b: Benchmark | None, value: float | None = None) -> str:
    """How we compare with England and with other councils; `value`, our figure, gives a
    verdict where there is no statistical test."""
    if b is None or ind.unit == "count":
        return ""
    parts = []
    if b.england is not None:
        parts.append(against_england(ind, b, value))
    if b.group is not None:
        source = f" ({b.group_source})" if b.group_source else ""
        parts.append(f"similar councils: {fmt_value(b.group, ind)} on average{source}")
    if (rank := b.rank_text()) is not None:
        parts.append(f"{rank} councils, 1st the best")
    if not parts:
        return ""
    if b.period:  # a published year beside a figure tracked more often: say which year
        ours = f"we had {fmt_value(b.ours, ind)}; " if b.ours is not None else ""
        return f"In {b.period}, the latest published year: {ours}{'; '.join(parts)}."
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
    parts.append(compare_sentence(ind, i.benchmark, i.value))
    if i.rounded:  # by our disclosure control, for public readers
        parts.append(
            "The figure is rounded to the nearest 5 to protect children's privacy: its status "
            "is worked out from the rounded figure, and its change and comparisons are not "
            "published, as they could narrow the real figure down."
        )
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
