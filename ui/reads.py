"""The app's cached reads of the store, for every page: keyed on the version of the data
they read (so an upload shows at once, and leaves what it did not change cached), with
disclosure control applied for a reader who is not staff. `ui` re-exports them
(`ui.status(quarter)`, `ui.review(quarter)`, ...).

Every read a page makes is cached here (`ui/shared_cache.py`: one result shared by every
session, which nobody may change), so a page whose figures have not changed never opens
the database file: opening it is the dearest step of a read (about 40 ms), and twenty people
at a meeting would otherwise each pay it several times per page. A read that is not cached
yet opens the file once for everything it needs (`reading`), including the cached reads it
is built on.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from datetime import date
from typing import Any, TypeVar, cast

from metrics import evidence
from metrics.assess import trajectory
from metrics.assess.rollup import StatementStatus, charter_status, quarters_with_data
from metrics.assess.trend import GroupRow, breakdown
from metrics.evidence.items import EvidenceItem
from metrics.partners.quality import Quality, quality as data_quality
from metrics.periods.text import parse_period
from metrics.publish import indicator_page, outlook as outlooks, plain, withheld as disclosure
from metrics.publish.policy import (
    PUBLIC,
    DisclosurePolicy,
    GroupCells,
    ReviewCells,
    StatusCells,
    audience_for,
)
from metrics.review import page as review_page, report
from metrics.scrutiny import scorecard as scorecards, view as scrutiny
from ui import context
from ui.read_keys import (  # what every read is keyed on, and who reads: ui.reads.data_key()
    EVIDENCE as EVIDENCE,
    INDICATOR as INDICATOR,
    QUARTERS as QUARTERS,
    REVIEW_EXTRAS as REVIEW_EXTRAS,
    TRAJECTORIES as TRAJECTORIES,
    Version as Version,
    audience as audience,
    data_key as data_key,
    indicator_key as indicator_key,
    policy as policy,
    public as public,
    reading as reading,
)
from ui.shared_cache import shared

T = TypeVar("T")


# Cached reads: keyed on the database file's version, so an upload shows at once.
@shared(max_entries=32)
def _status(db: str, version: Version, quarter: str) -> list[StatementStatus]:
    with reading(db) as store:
        return charter_status(store, context.charter(), parse_period(quarter))


@shared(max_entries=32)
def _public_status(db: str, version: Version, quarter: str) -> list[StatementStatus]:
    """What a public reader sees: small numbers withheld, reasons in plain English."""
    with reading(db):
        policy = DisclosurePolicy(context.charter(), _withheld(db, version))
        shown = policy.publish(StatusCells(_status(db, version, quarter)), PUBLIC)
    return plain.statuses(shown, context.charter())


def status(quarter: str) -> list[StatementStatus]:
    """Every statement's status; what would be published, for a reader who is not staff."""
    read = _public_status if public() else _status
    return read(*data_key(), quarter)


@shared(max_entries=8)
def _withheld(db: str, version: Version) -> dict[str, disclosure.Withheld]:
    with reading(db) as store:
        return DisclosurePolicy.audited(store, context.charter()).figures_withheld()


@shared(max_entries=64)
def _withheld_one(db: str, version: Version, indicator: str) -> disclosure.Withheld:
    with reading(db) as store:
        return DisclosurePolicy.audited(store, context.charter(), indicator).withheld_of(indicator)


def withheld(indicator: str) -> disclosure.Withheld:
    """The indicator's figures that disclosure control withholds from publication."""
    return _withheld_one(*indicator_key(indicator), indicator)


@shared(max_entries=16)
def _quarters(db: str, version: Version) -> list[str]:
    with reading(db) as store:
        return quarters_with_data(store, context.charter())


def quarters() -> list[str]:
    return _quarters(*data_key(*QUARTERS))


@shared(max_entries=64)
def _indicator_view(
    db: str, version: Version, indicator: str, quarter: str | None, public: bool
) -> indicator_page.IndicatorView:
    c = context.charter()
    with reading(db) as store:
        hidden = _withheld_one(db, version, indicator)
        return indicator_page.build(store, c, c.indicators[indicator], quarter, hidden, public)


def indicator_view(indicator: str, quarter: str | None) -> indicator_page.IndicatorView:
    """The indicator page's figures as known at `quarter`, as the reader may see them."""
    return _indicator_view(*indicator_key(indicator), indicator, quarter, public())


@shared(max_entries=256)
def _groups(
    db: str, version: Version, indicator: str, dim: str, period: str | None
) -> tuple[str | None, list[GroupRow]]:
    c = context.charter()
    with reading(db) as store:
        return breakdown(store, c, c.indicators[indicator], dim, period)


def indicator_groups(
    indicator: str, dim: str, period: str | None = None
) -> tuple[str | None, list[GroupRow]]:
    """Each group's figure for `period` (default: the latest with any group figure), with
    disclosure control as for the trend."""
    found, rows = _groups(*indicator_key(indicator), indicator, dim, period)
    if found is None:
        return found, rows
    policy = DisclosurePolicy(context.charter(), {indicator: withheld(indicator)})
    return found, policy.publish(GroupCells(indicator, found, dim, rows), audience())


@shared(max_entries=16)
def _review(db: str, version: Version, quarter: str, public: bool) -> report.Report:
    with reading(db) as store:
        statuses = (_public_status if public else _status)(db, version, quarter)
        built = report.build(store, context.charter(), quarter, statements=statuses)
        if public:  # agreed statuses, commentary and revisions since sign-off: the policy's
            policy = DisclosurePolicy(context.charter(), _withheld(db, version))
            built = policy.publish(ReviewCells(built), audience_for(public))
    return built


def review(quarter: str) -> report.Report:
    """The quarter's review: state, exceptions and their commentary, agreed statuses, actions;
    with small numbers withheld for a reader who is not staff."""
    return _review(*data_key(), quarter, public())


@shared(max_entries=16)
def _review_extras(db: str, version: Version, quarter: str) -> review_page.ReviewExtras:
    with reading(db) as store:
        return review_page.build(store, quarter)


def review_extras(quarter: str) -> review_page.ReviewExtras:
    """Earlier versions of each commentary, last quarter's, and the last meeting's actions."""
    return _review_extras(*data_key(*REVIEW_EXTRAS), quarter)


@shared(max_entries=16)
def _scrutiny(db: str, version: Version, quarter: str, public: bool) -> scrutiny.Scrutiny:
    with reading(db) as store:
        hidden = _withheld(db, version) if public else None
        return scrutiny.build(store, context.charter(), quarter, public, hidden=hidden)


def scrutiny_facts(quarter: str) -> scrutiny.Scrutiny:
    """The quarter in plain English; withheld small numbers unless the reader is staff."""
    return _scrutiny(*data_key(), quarter, public())


@shared(max_entries=16)
def _scorecard(
    db: str, version: Version, quarter: str, count: int, public: bool
) -> scorecards.Scorecard:
    with reading(db) as store:
        hidden = _withheld(db, version) if public else None
        return scorecards.build(store, context.charter(), quarter, count, public, hidden)


def scorecard(quarter: str, count: int = scorecards.QUARTERS) -> scorecards.Scorecard:
    """Every measure's status over the `count` quarters to `quarter`; withheld small numbers
    unless the reader is staff."""
    return _scorecard(*data_key(), quarter, count, public())


@shared(max_entries=64)
def _outlook(
    db: str, version: Version, indicator: str, quarter: str | None, public: bool
) -> outlooks.Outlook:
    c = context.charter()
    with reading(db) as store:
        hidden = _withheld_one(db, version, indicator)
        return outlooks.build(store, c, c.indicators[indicator], quarter, public, hidden=hidden)


def outlook(indicator: str, quarter: str | None) -> outlooks.Outlook:
    """Where the indicator is heading if nothing changes (a projection), as the reader may
    see it: none from a withheld figure for a reader who is not staff."""
    return _outlook(*indicator_key(indicator), indicator, quarter, public())


@shared(max_entries=8)
def _trajectories(db: str, version: Version) -> dict[str, trajectory.Trajectory]:
    with reading(db) as store:
        return trajectory.in_force(store)


def trajectories() -> dict[str, trajectory.Trajectory]:
    """The chair's trajectories in force, by indicator."""
    return _trajectories(*data_key(*TRAJECTORIES))


@shared(max_entries=16)
def _quality(db: str, version: Version, quarter: str, today: date) -> Quality:
    with reading(db) as store:
        return data_quality(store, context.charter(), quarter, today)


def quality(quarter: str) -> Quality:
    """The quarter's data quality: returns expected and received, validity, provenance and
    each indicator's rating (as at today)."""
    return _quality(*data_key(), quarter, date.today())


@shared(max_entries=64)
def _evidence(
    db: str, version: Version, statement: int | None, until: date | None
) -> list[EvidenceItem]:
    with reading(db) as store:
        found = evidence.listed(store, statement=statement, until=until)
    return evidence.recent(found, until) if until is not None else found


def evidence_about(statement: int, until: date | None) -> list[EvidenceItem]:
    """What families and staff told us about a statement, in the year to `until`."""
    return _evidence(*data_key(*EVIDENCE), statement, until)


# Few entries: a figure is thousands of Python objects, which Python's full collections
# walk (the libraries themselves are frozen out of them; see ui/__init__.py).
@shared(max_entries=48, key_of=lambda args: args[0])  # keyed on `key` alone
def _figure(key: tuple[Hashable, ...], build: Callable[[], Any]) -> Any:
    return build()


def figure(
    name: str, *about: Hashable, build: Callable[[], T], data: tuple[str, Version] | None = None
) -> T:
    """A chart (with its alt text and table), built once per version of the data and kind of
    reader, and shared by every session: building and validating a Plotly figure costs more
    than sending it. `about` names what the chart shows (indicator, period, ...); `build`
    must draw only from that and the data: the data of `data`, a read's key (a chart of one
    indicator's read: `indicator_key(ind)`), else of every kind. Nobody may change what it
    returns."""
    return cast(T, _figure((name, *(data or data_key()), public(), *about), build))
