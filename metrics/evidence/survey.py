"""A repeated survey as a series: the same question asked again (in whatever case or spacing)
gives one point per survey, oldest first. A series tied to an indicator becomes a return in
metrics/ingest/survey.py (uploads know the template's columns; evidence does not)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from metrics.evidence.items import EvidenceItem


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
