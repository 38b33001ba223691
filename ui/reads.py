"""The app's cached reads of the store, for every page: keyed on the version of the data
they read (so an upload shows at once, and leaves what it did not change cached), with
disclosure control applied for a reader who is not staff. `ui` re-exports them
(`ui.status(quarter)`, `ui.review(quarter)`, ...).

Every read a page makes is cached here, so a page whose figures have not changed never opens
the database file: opening it is the dearest step of a read (about 40 ms), and twenty people
at a meeting would otherwise each pay it several times per page. A read that is not cached
yet opens the file once for everything it needs (`reading`), including the cached reads it
is built on.
"""

from __future__ import annotations

import atexit
import logging
import threading
import weakref
from collections.abc import Callable, Hashable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import date
from typing import Any, TypeVar, cast

import streamlit as st

from metrics import evidence
from metrics.assess import trajectory
from metrics.assess.rollup import StatementStatus, charter_status, quarters_with_data
from metrics.assess.trend import GroupRow, breakdown
from metrics.evidence.items import EvidenceItem
from metrics.ingest.template import latest_complete_quarter
from metrics.partners.quality import Quality, quality as data_quality
from metrics.periods.text import parse_period
from metrics.publish import indicator_page, outlook as outlooks, plain, withheld as disclosure
from metrics.publish.policy import (
    PUBLIC,
    Audience,
    DisclosurePolicy,
    GroupCells,
    ReviewCells,
    StatusCells,
    audience_for,
    audience_of,
)
from metrics.review import page as review_page, report
from metrics.scrutiny import scorecard as scorecards, view as scrutiny
from metrics.store.changes import FIGURES, for_indicator
from metrics.store.connection import Store
from ui import context, keys

T = TypeVar("T")
log = logging.getLogger(__name__)


Version = int

# The kinds of data (metrics/store/changes.py) a read reads, for the reads that read no
# figures, or only that: an upload of a return leaves the first cached. The reads keyed on
# every kind (`data_key()`) read the figures and much else (statuses, the review, ...).
# tests/unit/test_reads_kinds.py holds each to what it reads.
TRAJECTORIES = ("trajectories",)
EVIDENCE = ("evidence_items", "evidence_attachments")
REVIEW_EXTRAS = ("commentary", "actions", "action_updates")
QUARTERS = (*FIGURES, "periods")
# What the reads of one indicator read (its page's: its figures with their uploads and
# periods, as `indicator_key` narrows them to it; and what figures do not bring). "wanted"
# is a registered table of the (indicator, period) pairs asked: no write has that kind.
INDICATOR = (
    *FIGURES, "periods", "uploads", "areas", "published_as_at", "forecasts_kept", "wanted",
    *TRAJECTORIES, *EVIDENCE,
)  # fmt: skip


def data_key(*kinds: str) -> tuple[str, Version]:
    """What a cached read is keyed on: the database, and the version of the kinds of data it
    reads (of every kind when none is named)."""
    versions = context.data_versions()
    return str(context.store().path), versions.of(kinds) if kinds else versions.latest


def indicator_key(indicator: str) -> tuple[str, Version]:
    """`data_key` of a read of one indicator (`INDICATOR`): an upload of other indicators'
    figures, of any quarter, leaves it be (metrics/store/changes.py, `for_indicator`)."""
    return data_key(*for_indicator(INDICATOR, indicator))


@st.cache_resource(show_spinner=False)
def _store_at(db: str) -> Store:
    return Store(db, linger=context.LINGER)  # one per file: its schema is checked once


@contextmanager
def reading(db: str) -> Iterator[Store]:
    """The store, opened once for a whole cached read (nested reads share the opening)."""
    store = _store_at(db)
    with store.connect():
        yield store


# Cached reads: keyed on the database file's version, so an upload shows at once.
@st.cache_data(show_spinner=False, max_entries=32)
def _status(db: str, version: Version, quarter: str) -> list[StatementStatus]:
    with reading(db) as store:
        return charter_status(store, context.charter(), parse_period(quarter))


@st.cache_data(show_spinner=False, max_entries=32)
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


@st.cache_data(show_spinner=False, max_entries=8)
def _withheld(db: str, version: Version) -> dict[str, disclosure.Withheld]:
    with reading(db) as store:
        return DisclosurePolicy.audited(store, context.charter()).figures_withheld()


@st.cache_data(show_spinner=False, max_entries=64)
def _withheld_one(db: str, version: Version, indicator: str) -> disclosure.Withheld:
    with reading(db) as store:
        return DisclosurePolicy.audited(store, context.charter(), indicator).withheld_of(indicator)


def withheld(indicator: str) -> disclosure.Withheld:
    """The indicator's figures that disclosure control withholds from publication."""
    return _withheld_one(*indicator_key(indicator), indicator)


def audience() -> Audience:
    """Who the reader is to the disclosure policy: staff, or public (councillors)."""
    return audience_of(context.user())


def public() -> bool:
    """The reader sees what would be published (councillors), not the real small numbers."""
    return audience() == PUBLIC


def policy() -> DisclosurePolicy:
    """The disclosure policy, without the audit of figures (surveys, the rule's words)."""
    return DisclosurePolicy(context.charter())


@st.cache_data(show_spinner=False, max_entries=16)
def _quarters(db: str, version: Version) -> list[str]:
    with reading(db) as store:
        return quarters_with_data(store, context.charter())


def quarters() -> list[str]:
    return _quarters(*data_key(*QUARTERS))


@st.cache_data(show_spinner=False, max_entries=64)
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


@st.cache_data(show_spinner=False, max_entries=256)
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


@st.cache_data(show_spinner=False, max_entries=16)
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


@st.cache_data(show_spinner=False, max_entries=16)
def _review_extras(db: str, version: Version, quarter: str) -> review_page.ReviewExtras:
    with reading(db) as store:
        return review_page.build(store, quarter)


def review_extras(quarter: str) -> review_page.ReviewExtras:
    """Earlier versions of each commentary, last quarter's, and the last meeting's actions."""
    return _review_extras(*data_key(*REVIEW_EXTRAS), quarter)


@st.cache_data(show_spinner=False, max_entries=16)
def _scrutiny(db: str, version: Version, quarter: str, public: bool) -> scrutiny.Scrutiny:
    with reading(db) as store:
        hidden = _withheld(db, version) if public else None
        return scrutiny.build(store, context.charter(), quarter, public, hidden=hidden)


def scrutiny_facts(quarter: str) -> scrutiny.Scrutiny:
    """The quarter in plain English; withheld small numbers unless the reader is staff."""
    return _scrutiny(*data_key(), quarter, public())


@st.cache_data(show_spinner=False, max_entries=16)
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


@st.cache_data(show_spinner=False, max_entries=64)
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


@st.cache_data(show_spinner=False, max_entries=8)
def _trajectories(db: str, version: Version) -> dict[str, trajectory.Trajectory]:
    with reading(db) as store:
        return trajectory.in_force(store)


def trajectories() -> dict[str, trajectory.Trajectory]:
    """The chair's trajectories in force, by indicator."""
    return _trajectories(*data_key(*TRAJECTORIES))


@st.cache_data(show_spinner=False, max_entries=16)
def _quality(db: str, version: Version, quarter: str, today: date) -> Quality:
    with reading(db) as store:
        return data_quality(store, context.charter(), quarter, today)


def quality(quarter: str) -> Quality:
    """The quarter's data quality: returns expected and received, validity, provenance and
    each indicator's rating (as at today)."""
    return _quality(*data_key(), quarter, date.today())


@st.cache_data(show_spinner=False, max_entries=64)
def _evidence(
    db: str, version: Version, statement: int | None, until: date | None
) -> list[EvidenceItem]:
    with reading(db) as store:
        found = evidence.listed(store, statement=statement, until=until)
    return evidence.recent(found, until) if until is not None else found


def evidence_about(statement: int, until: date | None) -> list[EvidenceItem]:
    """What families and staff told us about a statement, in the year to `until`."""
    return _evidence(*data_key(*EVIDENCE), statement, until)


# What has been read ahead, by everything that decides it: a crowd opening the same page at
# the same version of the data starts one read-ahead, not twenty.
_PREFETCHED: set[tuple[object, ...]] = set()
_PREFETCHED_LOCK = threading.Lock()
# Reads under way in the background. At exit they are let finish (a read cut off by the
# interpreter's end leaves DuckDB's objects behind it: "nanobind: leaked ..." on a busy
# machine, issue 27 item 27); registered after the store keeper's close, so it runs before.
_PREFETCHING: weakref.WeakSet[threading.Thread] = weakref.WeakSet()


@atexit.register
def _let_prefetches_finish() -> None:
    for thread in list(_PREFETCHING):
        thread.join(timeout=30)


def prefetch(names: Iterable[str]) -> None:
    """Start working out, in the background, what the page is about to read: the quarters
    and, side by side, the chosen quarter's review and the page's `names` ("quality",
    "scrutiny", "review extras", "statement": the evidence about the statement in the link
    or last picked, "indicator": that indicator's data and its first breakdown). While the
    page sets itself up, one read waits on DuckDB as another works out statuses; the page's
    own calls then wait for, and find, the results in the cache. Nothing is drawn here, and
    a read that fails here fails again, with its message, where the page makes it."""
    # Read on the page's thread: each read's key, as the page will make it.
    key, public_view, today = data_key(), public(), date.today()
    kinds = {n: data_key(*k) for n, k in (("q", QUARTERS), ("x", REVIEW_EXTRAS), ("e", EVIDENCE))}
    carried = context.carried().get("quarter")
    statement = st.session_state.get(keys.STATEMENT) or st.query_params.get("statement")
    indicator = st.session_state.get(keys.INDICATOR) or st.query_params.get("indicator")
    dimension = st.session_state.get(keys.DIMENSION)
    ind = context.charter().indicators.get(indicator or "")
    ind_key = indicator_key(ind.id) if ind is not None else key
    asked = (key, public_view, carried, statement, indicator, dimension, tuple(names))
    with _PREFETCHED_LOCK:
        if asked in _PREFETCHED:  # already under way or done for this version of the data
            return
        if len(_PREFETCHED) > 1000:
            _PREFETCHED.clear()
        _PREFETCHED.add(asked)

    def indicator_page(quarter: str) -> None:
        assert ind is not None
        found = _indicator_view(*ind_key, ind.id, quarter, public_view)
        _outlook(*ind_key, ind.id, quarter, public_view)
        dim = dimension if dimension in ind.breakdowns else next(iter(ind.breakdowns), None)
        if dim:
            _groups(*ind_key, ind.id, dim, found.upto)

    def jobs_for(quarter: str) -> list[Callable[[], object]]:
        jobs: dict[str, Callable[[], object]] = {
            "review": lambda: _review(*key, quarter, public_view),
            "quality": lambda: _quality(*key, quarter, today),
            "scrutiny": lambda: _scrutiny(*key, quarter, public_view),
            "review extras": lambda: _review_extras(*kinds["x"], quarter),
            "scorecard": lambda: _scorecard(*key, quarter, scorecards.QUARTERS, public_view),
        }
        if statement and statement.isdigit():
            until = parse_period(quarter).end
            jobs["statement"] = lambda: _evidence(*kinds["e"], int(statement), until)
        if ind is not None:
            jobs["indicator"] = lambda: indicator_page(quarter)
        return [jobs[n] for n in dict.fromkeys(("review", *names)) if n in jobs]

    def run() -> None:
        # The quarter is the one carried, else the latest with figures; the latest complete
        # quarter is a good guess at that, so its reads need not wait for the quarters'.
        guess = carried or latest_complete_quarter().label
        with ThreadPoolExecutor(max_workers=8, thread_name_prefix="read") as pool:
            found = pool.submit(_quarters, *kinds["q"])
            started = [pool.submit(job) for job in jobs_for(guess)]
            options = found.result()
            quarter = carried if carried in options else next(iter(options), None)
            if quarter is not None and quarter != guess:
                started += [pool.submit(job) for job in jobs_for(quarter)]
            for done in started:
                done.exception()  # the page reports a failure when it reads the same

    def quietly() -> None:
        try:
            run()
        except Exception:  # the page's own read of the same says what went wrong
            log.debug("prefetch failed", exc_info=True)

    thread = threading.Thread(target=quietly, name="prefetch", daemon=True)
    _PREFETCHING.add(thread)
    thread.start()


# Few entries: a figure is thousands of Python objects, which Python's full collections
# walk (the libraries themselves are frozen out of them; see ui/__init__.py).
@st.cache_resource(show_spinner=False, max_entries=48)
def _figure(key: tuple[Hashable, ...], _build: Callable[[], Any]) -> Any:
    return _build()


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
