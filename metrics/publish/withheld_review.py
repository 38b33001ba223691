"""The planning group's agreed statuses, their reasons and commentary as the one disclosure
policy (`withheld.py`) publishes them: decided on the real figures, they are held back from
public readers wherever they could narrow a withheld or rounded figure down, and the reader is
told why."""

from __future__ import annotations

from dataclasses import replace

from charter import Indicator
from metrics.assess.rollup import StatementStatus
from metrics.assess.status import IndicatorStatus
from metrics.periods.text import parse_period
from metrics.publish.withheld import Withheld, explain
from metrics.review.common import indicator_subject, statement_subject
from metrics.review.report import Report


def _compared_periods(i: IndicatorStatus) -> list[str]:
    """The periods an indicator's status and change are worked out from: its own, the one
    before and the same one a year earlier."""
    if not i.period:
        return []
    period = parse_period(i.period)
    return [i.period, period.previous().label, period.same_period_last_year().label]


def judged_on_withheld(
    statements: list[StatementStatus], withheld: dict[str, Withheld]
) -> dict[str, str]:
    """Subject ("indicator:<id>", "statement:<n>") -> why its agreed status, the reason for
    it and its commentary are not published. The planning group decides them on the real
    figures, so beside a withheld figure they narrow it down ("on track" beside an aim of
    100% is 100%), as does a reason that says how a figure moved from a withheld one. A
    statement's agreed status and reason may say how any of its measures did, and no check
    can tell which words would narrow a figure: a statement with any such measure has its
    agreed status and commentary held back too (conservative, and said why)."""
    out: dict[str, str] = {}
    for s in statements:
        touched = []
        for i in s.indicators:
            hidden = withheld.get(i.id, Withheld())
            periods = [p for p in _compared_periods(i) if (p, "", "") in hidden]
            rounding = getattr(hidden, "rounding", None)
            if not periods and rounding is not None and _counted(rounding.indicator):
                touched.append(i.title)  # decided on the real figure, published rounded
                out[indicator_subject(i.id)] = (
                    "The planning group's agreed status and commentary for this measure are "
                    "not published: they were decided on its real figures, which are published "
                    "rounded to the nearest 5, so they could narrow them down."
                )
                continue
            if not periods:
                continue
            touched.append(i.title)
            out[indicator_subject(i.id)] = (
                "The planning group's agreed status and commentary for this measure are not "
                f"published: they were decided on its figures, and the {periods[0]} figure "
                f"is {explain(hidden[(periods[0], '', '')])}, so they could narrow it down."
            )
        if touched:
            out[statement_subject(s.number)] = (
                "The planning group's agreed status and commentary for this statement are not "
                "published: they were decided on its measures' real figures, and a figure of "
                f"{'; '.join(dict.fromkeys(touched))} is withheld or rounded to protect "
                "children's privacy, which they could narrow down."
            )
    return out


def _counted(ind: Indicator) -> bool:
    """Whether rounding changes the indicator's figures: counts, and ratios of counts."""
    return ind.unit == "count" or ind.multiplier is not None


def review_for_public(built: Report, withheld: dict[str, Withheld]) -> Report:
    """The quarter's review as a public reader gets it: the agreed statuses (with their
    reasons) and commentary that touch a withheld figure are left out, with why
    (`held_back`), and figures revised since sign-off are not given (they are not
    disclosure-checked)."""
    held = judged_on_withheld(built.statements, withheld)
    return replace(
        built,
        agreed={k: a for k, a in built.agreed.items() if k not in held},
        commentary={k: c for k, c in built.commentary.items() if k not in held},
        exceptions=[
            replace(e, commentary=None, stale=False)
            if indicator_subject(e.indicator_id) in held
            else e
            for e in built.exceptions
        ],
        revised={},  # figures pinned at sign-off are not disclosure-checked: staff only
        held_back=held,
    )
