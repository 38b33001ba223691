"""The one disclosure policy: every output (a page, a chart's table, a CSV or XLSX, a pack, the
`published` command) asks it what to publish to its audience, and shows what it gets back.
No output decides for itself what to hide, nor applies the council's threshold.

    policy = DisclosurePolicy.audited(store, charter)
    rows = policy.publish(TrendCells(ind.id, rows), audience)      # [c], rounded, or marked
    shown = policy.publish(SurveyCells([survey]), audience)[0]     # the survey rule, once

An audience is `PUBLIC` (councillors, published pages, CSVs and scrutiny packs: what would be
published) or `STAFF` (the people who work with the figures: the real figures, each one that
would be withheld marked "not for publication", `Marker.note`). The method (suppression with
its integer-programming audit, or rounding to the nearest 5) is the council's setting, read
once here (`Rule` in disclosure.py); what it does to each kind of cell lives in withheld.py
(figures, statuses), withheld_review.py (agreed statuses and commentary) and here (surveys,
free text). Figures are published only after the audit: asking for a public reader's figures
from a policy that has not audited them is refused (fails closed)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, Literal, Protocol, TypeVar, overload

from charter import Charter
from metrics.access.people import Actor
from metrics.assess.rollup import StatementStatus
from metrics.assess.trend import GroupRow, TrendRow
from metrics.evidence.items import result_words
from metrics.evidence.personal import Warning_, small_numbers, warnings
from metrics.publish import withheld as _withheld, withheld_review
from metrics.publish.disclosure import PRIMARY, Rule
from metrics.publish.withheld_counts import PublishedCounts, publish_counts
from metrics.review.report import Report
from metrics.store.connection import Store

Audience = Literal["public", "staff"]
PUBLIC: Audience = "public"
STAFF: Audience = "staff"
AUDIENCES: tuple[Audience, ...] = (PUBLIC, STAFF)
SHOWN = _withheld.SHOWN  # "[c]"
SEES_REAL_FIGURES = _withheld.SEES_REAL_FIGURES  # the staff roles
FEW = "answered by too few people"  # why a survey's result is withheld


def audience_of(actor: Actor) -> Audience:
    """Staff roles see the real figures; everyone else (councillors) what would be published."""
    return STAFF if _withheld.sees_real_figures(actor) else PUBLIC


def audience_for(public: bool) -> Audience:
    return PUBLIC if public else STAFF


@dataclass(frozen=True)
class Marker:
    """A withheld cell: `[c]` for a public reader, and why."""

    reason: str
    shown: str = SHOWN

    @property
    def words(self) -> str:
        """Why, for a reader of a published paper."""
        if self.reason == FEW:
            return "answered by too few people, withheld to protect privacy"
        return _withheld.explain(self.reason)

    def note(self, audience: Audience) -> str:
        """The note beside the cell: why it is [c] (public), or "not for publication: why"
        beside the real figure (staff)."""
        return self.words if audience == PUBLIC else _withheld.marked(self.reason)


# What an output asks about: the kinds of cell it publishes.
@dataclass(frozen=True)
class TrendCells:
    """One indicator's totals over time."""

    indicator: str
    rows: list[TrendRow]


@dataclass(frozen=True)
class GroupCells:
    """One indicator's groups of one breakdown in one period."""

    indicator: str
    period: str
    breakdown: str
    rows: list[GroupRow]


@dataclass(frozen=True)
class FigureCell:
    """One figure (a total unless a breakdown and group are given): whether it is withheld."""

    indicator: str
    period: str
    breakdown: str = ""
    group: str = ""


@dataclass(frozen=True)
class CountCell:
    """One count of children that is not a stored figure (how many a service reached)."""

    count: int | None


@dataclass(frozen=True)
class PublishedCount:
    """A count as a reader may see it: itself, rounded to 5 under rounding, or withheld."""

    count: int | None
    withheld: Marker | None = None


@dataclass(frozen=True)
class StatusCells:
    """Statement statuses with their indicators' figures, changes and comparisons."""

    statements: list[StatementStatus]


@dataclass(frozen=True)
class HeldBackCells:
    """The planning group's agreed statuses and commentary on these statements: which are
    held back (subject -> why)."""

    statements: list[StatementStatus]


@dataclass(frozen=True)
class ReviewCells:
    """The quarter's review: agreed statuses, commentary, revisions since sign-off."""

    report: Report


@dataclass(frozen=True)
class CountCells:
    """Counts of children in a nested table: row (a locality) -> column (a need) -> count;
    each row's total and the whole are their sums (metrics/publish/withheld_counts.py)."""

    rows: dict[str, dict[str, int]]


class SurveyResult(Protocol):
    @property
    def answered(self) -> int: ...
    @property
    def agreed_share(self) -> float: ...


S = TypeVar("S", bound=SurveyResult)


@dataclass(frozen=True)
class SurveyCells(Generic[S]):
    """Survey results: how many answered, and the share who agreed."""

    results: Sequence[S]


@dataclass(frozen=True)
class PublishedSurvey(Generic[S]):
    """A survey result as published: withheld (`[c]`) where too few answered."""

    result: S
    withheld: Marker | None
    threshold: int

    @property
    def answered(self) -> int | str:
        return SHOWN if self.withheld else self.result.answered

    @property
    def agreed_share(self) -> float | str:
        return SHOWN if self.withheld else self.result.agreed_share

    def words(self, question: str) -> str:
        """The result in a sentence (the same words as the evidence item's)."""
        if self.withheld:
            return (
                f"\u201c{question}\u201d: {SHOWN}, answered by {self.threshold} or fewer, "
                "withheld to protect privacy."
            )
        return result_words(question, self.result.answered, self.result.agreed_share)

    def cell(self, question: str) -> str:
        """The result in a table's cell: [c], or the sentence."""
        return SHOWN if self.withheld else self.words(question)


class NotAudited(ValueError):
    """Figures asked for a public reader from a policy that has not audited them."""


@dataclass(frozen=True)
class DisclosurePolicy:
    """The council's disclosure policy, with the audited answer for its figures (indicator
    -> (period, breakdown, group) -> why withheld) once `audited`."""

    charter: Charter
    withheld: dict[str, _withheld.Withheld] | None = None

    @classmethod
    def audited(
        cls, store: Store, charter: Charter, indicator: str | None = None
    ) -> DisclosurePolicy:
        """The policy with every figure's (or one indicator's) audit worked out."""
        return cls(charter, _withheld.withheld_figures(store, charter, indicator))

    @property
    def rule(self) -> Rule:
        return _withheld.rule_for(self.charter.council)

    @property
    def words(self) -> str:
        """The rule as every reader is told it (the Help page, every pack)."""
        return self.rule.words

    def small_numbers_in(self, *texts: str | None) -> list[Warning_]:
        """What free text going into a published paper should not say: personal data, and
        small numbers of children or families (up to the threshold)."""
        return warnings(*texts) + small_numbers(self.rule.threshold, *texts)

    def withheld_of(self, indicator: str) -> _withheld.Withheld:
        """One indicator's audited figures: (period, breakdown, group) -> why withheld."""
        return self.figures_withheld().get(indicator, _withheld.Withheld())

    def figures_withheld(self) -> dict[str, _withheld.Withheld]:
        """The audit's answer for every indicator (to keep, say in a cache, and give back to
        `DisclosurePolicy(charter, withheld)`); refused before the audit."""
        if self.withheld is None:
            raise NotAudited(
                "Figures cannot be published before the disclosure audit: use "
                "DisclosurePolicy.audited (or pass the audited figures)."
            )
        return self.withheld

    @overload
    def publish(self, cells: TrendCells, audience: Audience) -> list[TrendRow]: ...
    @overload
    def publish(self, cells: GroupCells, audience: Audience) -> list[GroupRow]: ...
    @overload
    def publish(self, cells: FigureCell, audience: Audience) -> Marker | None: ...
    @overload
    def publish(self, cells: StatusCells, audience: Audience) -> list[StatementStatus]: ...
    @overload
    def publish(self, cells: HeldBackCells, audience: Audience) -> dict[str, str]: ...
    @overload
    def publish(self, cells: ReviewCells, audience: Audience) -> Report: ...
    @overload
    def publish(self, cells: SurveyCells[S], audience: Audience) -> list[PublishedSurvey[S]]: ...
    @overload
    def publish(self, cells: CountCells, audience: Audience) -> PublishedCounts: ...
    @overload
    def publish(self, cells: CountCell, audience: Audience) -> PublishedCount: ...

    def publish(self, cells: object, audience: Audience) -> object:
        """What `audience` is given of `cells`: each cell its value, rounded, or withheld with
        its reason (`[c]` for a public reader; the real figure marked for staff)."""
        if audience not in AUDIENCES:
            raise ValueError(f"The audience is one of {', '.join(AUDIENCES)} (not {audience!r}).")
        public = audience == PUBLIC
        if isinstance(cells, SurveyCells):
            return [self._survey(r, public) for r in cells.results]
        if isinstance(cells, CountCell):  # a small one withheld, as the spend for each child
            return self._count(cells.count, public)  # would give it back
        if isinstance(cells, CountCells):  # counts from a return, not stored figures
            return publish_counts(self.rule, cells.rows, public)
        if isinstance(cells, StatusCells):  # staff: as worked out from the real figures
            if not public:
                return cells.statements
            return _withheld.statuses(cells.statements, self.figures_withheld(), self.charter)
        if isinstance(cells, HeldBackCells):  # staff read every agreed status
            if not public:
                return {}
            return withheld_review.judged_on_withheld(cells.statements, self.figures_withheld())
        if isinstance(cells, ReviewCells):
            if not public:
                return cells.report
            return withheld_review.review_for_public(cells.report, self.figures_withheld())
        if isinstance(cells, TrendCells):
            return _withheld.trend_rows(cells.rows, self.withheld_of(cells.indicator), public)
        if isinstance(cells, GroupCells):
            hidden = self.withheld_of(cells.indicator)
            return _withheld.group_rows(cells.rows, cells.period, cells.breakdown, hidden, public)
        if isinstance(cells, FigureCell):
            key = (cells.period, cells.breakdown, cells.group)
            why = self.withheld_of(cells.indicator).get(key)
            return Marker(why) if why else None
        raise TypeError(f"The disclosure policy does not know cells of kind {type(cells)!r}.")

    def _count(self, count: int | None, public: bool) -> PublishedCount:
        if not public or count is None:
            return PublishedCount(count)
        if self.rule.rounds:
            return PublishedCount(self.rule.rounded(count))
        if self.rule.disclosive(count):
            return PublishedCount(None, Marker(PRIMARY))
        return PublishedCount(count)

    def _survey(self, result: S, public: bool) -> PublishedSurvey[S]:
        """A survey answered by few people is withheld from a public reader, whichever method
        the council uses: a share of a handful can point to a family."""
        few = public and self.rule.few(result.answered)
        return PublishedSurvey(result, Marker(FEW) if few else None, self.rule.threshold)
