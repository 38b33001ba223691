"""A repeated survey (metrics/evidence/survey.py) as a return: a series tied to an indicator
becomes rows in our template's columns that an analyst loads like any other, so every check,
revision rule and audit entry of a return applies to survey figures too."""

from __future__ import annotations

from datetime import date

from charter import Charter
from metrics.dates import long_date
from metrics.evidence.attachments import EvidenceError
from metrics.evidence.survey import SurveyPoint, SurveySeries
from metrics.ingest.source import COLUMNS
from metrics.periods.model import Period, kind_for
from metrics.publish.tables import csv_bytes


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
