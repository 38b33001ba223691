"""A repeated survey as a series: the same question asked again (in whatever case or spacing)
gives one point per survey, oldest first; a series tied to an indicator becomes a return
(our template's columns) that an analyst loads like any other, so every check, revision rule
and audit entry of a return applies to survey figures too."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from charter import Charter
from metrics.dates import long_date
from metrics.evidence.attachments import EvidenceError
from metrics.evidence.items import EvidenceItem
from metrics.ingest.validate import COLUMNS
from metrics.periods.model import Period, kind_for
from metrics.publish.tables import csv_bytes


@dataclass(frozen=True)
class SurveyPoint:
    evidence_id: int
    on: date
    answered: int
    agreed_share: float
    source: str

    @property
    def agreed(self) -> int:
        """How many agreed, from the share (as the survey reported it)."""
        return round(self.answered * self.agreed_share / 100)


@dataclass(frozen=True)
class SurveySeries:
    question: str  # as most recently asked
    indicators: tuple[str, ...]  # every indicator any of its results names
    points: list[SurveyPoint]


def _key(question: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", question.lower()).strip()


def series(items: list[EvidenceItem]) -> list[SurveySeries]:
    """Each survey question's results over time, oldest first; the longest series first."""
    grouped: dict[str, list[EvidenceItem]] = {}
    for item in items:
        if item.survey is not None and item.withdrawn_at is None:
            grouped.setdefault(_key(item.survey.question), []).append(item)
    out = []
    for found in grouped.values():
        found.sort(key=lambda i: (i.evidence_date, i.evidence_id))
        points = [
            SurveyPoint(i.evidence_id, i.evidence_date, i.survey.answered, i.survey.agreed_share,
                        i.source)
            for i in found
            if i.survey is not None
        ]  # fmt: skip
        linked = tuple(dict.fromkeys(x for i in found for x in i.indicators))
        question = found[-1].survey.question if found[-1].survey else ""
        out.append(SurveySeries(question, linked, points))
    return sorted(out, key=lambda s: (-len(s.points), s.question))


def period_of(charter: Charter, indicator: str, on: date) -> Period:
    ind = charter.indicators[indicator]
    return Period.containing(on, kind_for(ind.frequency, ind.year_basis))


def survey_return(charter: Charter, found: list[SurveySeries], indicator: str) -> bytes:
    """The survey results tied to `indicator` as a return: one row per period (a period's
    latest survey), numerator and denominator from the answers, the value left for the
    checks to work out. Refused for an indicator that is not a percentage."""
    if indicator not in charter.indicators:
        raise EvidenceError(f"There is no indicator {indicator!r} in the charter.")
    ind = charter.indicators[indicator]
    if ind.unit != "percent":
        raise EvidenceError(f"{ind.title} is not a percentage, so survey results cannot feed it.")
    by_period: dict[str, tuple[SurveyPoint, str]] = {}
    for s in found:
        if indicator in s.indicators:
            for p in s.points:
                label = period_of(charter, indicator, p.on).label
                by_period[label] = (p, s.question)  # oldest first: the latest one wins
    if not by_period:
        raise EvidenceError(f"No survey result is tied to {ind.title}.")
    rows = []
    for label, (p, question) in by_period.items():
        rows.append(
            {
                "indicator": indicator,
                "period": label,
                "numerator": str(p.agreed),
                "denominator": str(p.answered),
                "status": "final",
                "note": f"Survey of {long_date(p.on)} ({p.source}): {question} "
                f"(evidence item {p.evidence_id})",
            }
        )
    return csv_bytes(rows, fieldnames=COLUMNS)
