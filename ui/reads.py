"""The app's cached reads of the store, for every page: keyed on the database file's
version (so an upload shows at once), with disclosure control applied for a reader who is not
staff. `ui` re-exports them (`ui.status(quarter)`, `ui.review(quarter)`, ...)."""

from __future__ import annotations

from datetime import date

import streamlit as st

import ui
from metrics.periods import parse_period
from metrics.providers.quality import Quality, quality as data_quality
from metrics.publish import plain, scrutiny, withheld as disclosure
from metrics.queries import SeriesRow
from metrics.review import commentary, report
from metrics.rollup import StatementStatus, charter_status, quarters_with_data
from metrics.store import Store
from metrics.trend import GroupRow, TrendRow, breakdown, provenance, trend


# Cached reads: keyed on the database file's version, so an upload shows at once.
@st.cache_data(show_spinner=False, max_entries=32)
def _status(db: str, version: tuple[int, ...], quarter: str) -> list[StatementStatus]:
    return charter_status(Store(db), ui.charter(), parse_period(quarter))


@st.cache_data(show_spinner=False, max_entries=32)
def _public_status(db: str, version: tuple[int, ...], quarter: str) -> list[StatementStatus]:
    """What a public reader sees: small numbers withheld, reasons in plain English."""
    hidden = disclosure.statuses(_status(db, version, quarter), _withheld(db, version))
    return plain.statuses(hidden, ui.charter())


def status(quarter: str) -> list[StatementStatus]:
    """Every statement's status; what would be published, for a reader who is not staff."""
    s = ui.store()
    read = _public_status if public() else _status
    return read(str(s.path), s.version(), quarter)


@st.cache_data(show_spinner=False, max_entries=8)
def _withheld(db: str, version: tuple[int, ...]) -> dict[str, disclosure.Withheld]:
    return disclosure.withheld_figures(Store(db), ui.charter())


def withheld(indicator: str) -> disclosure.Withheld:
    """The indicator's figures that disclosure control withholds from publication."""
    s = ui.store()
    return _withheld(str(s.path), s.version()).get(indicator, {})


def public() -> bool:
    """The reader sees what would be published (councillors), not the real small numbers."""
    return not disclosure.sees_real_figures(ui.user())


@st.cache_data(show_spinner=False, max_entries=16)
def _quarters(db: str, version: tuple[int, ...]) -> list[str]:
    return quarters_with_data(Store(db), ui.charter())


def quarters() -> list[str]:
    s = ui.store()
    return _quarters(str(s.path), s.version())


@st.cache_data(show_spinner=False, max_entries=256)
def _trend(db: str, version: tuple[int, ...], indicator: str) -> list[TrendRow]:
    c = ui.charter()
    return trend(Store(db), c, c.indicators[indicator])


def indicator_trend(indicator: str) -> list[TrendRow]:
    """Our figures over time: withheld ones as [c] for a public reader, marked for staff."""
    s = ui.store()
    rows = _trend(str(s.path), s.version(), indicator)
    return disclosure.trend_rows(rows, withheld(indicator), public())


@st.cache_data(show_spinner=False, max_entries=256)
def _groups(
    db: str, version: tuple[int, ...], indicator: str, dim: str, period: str | None
) -> tuple[str | None, list[GroupRow]]:
    c = ui.charter()
    return breakdown(Store(db), c, c.indicators[indicator], dim, period)


def indicator_groups(
    indicator: str, dim: str, period: str | None = None
) -> tuple[str | None, list[GroupRow]]:
    """Each group's figure for `period` (default: the latest with any group figure), with
    disclosure control as for the trend."""
    s = ui.store()
    found, rows = _groups(str(s.path), s.version(), indicator, dim, period)
    if found is None:
        return found, rows
    return found, disclosure.group_rows(rows, found, dim, withheld(indicator), public())


@st.cache_data(show_spinner=False, max_entries=16)
def _review(db: str, version: tuple[int, ...], quarter: str, public: bool) -> report.Report:
    if not public:
        return report.build(Store(db), ui.charter(), quarter)
    statuses = _public_status(db, version, quarter)
    built = report.build(Store(db), ui.charter(), quarter, statements=statuses)
    built.revised = {}  # figures pinned at sign-off are not disclosure-checked: staff only
    return built


def review(quarter: str) -> report.Report:
    """The quarter's review: state, exceptions and their commentary, agreed statuses, actions;
    with small numbers withheld for a reader who is not staff."""
    s = ui.store()
    return _review(str(s.path), s.version(), quarter, public())


@st.cache_data(show_spinner=False, max_entries=16)
def _scrutiny(db: str, version: tuple[int, ...], quarter: str, public: bool) -> scrutiny.Scrutiny:
    return scrutiny.build(Store(db), ui.charter(), quarter, public)


def scrutiny_facts(quarter: str) -> scrutiny.Scrutiny:
    """The quarter in plain English; withheld small numbers unless the reader is staff."""
    s = ui.store()
    return _scrutiny(str(s.path), s.version(), quarter, public())


@st.cache_data(show_spinner=False, max_entries=16)
def _quality(db: str, version: tuple[int, ...], quarter: str, today: date) -> Quality:
    return data_quality(Store(db), ui.charter(), quarter, today)


def quality(quarter: str) -> Quality:
    """The quarter's data quality: returns expected and received, validity, provenance and
    each indicator's rating (as at today)."""
    s = ui.store()
    return _quality(str(s.path), s.version(), quarter, date.today())


def previous_commentary(quarter: str) -> dict[str, commentary.Commentary]:
    """Last quarter's commentary, to start this quarter's from."""
    return commentary.current(ui.store(), parse_period(quarter).previous().label)


def latest_figure(indicator: str) -> SeriesRow | None:
    """Where the indicator's most recently recorded figure came from."""
    c = ui.charter()
    return provenance(ui.store(), c, c.indicators[indicator])
