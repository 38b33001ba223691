"""One exception of a meeting pack: a measure off track or at risk, with its commentary, its
actions, its chart (and the chart's table) and where it is heading. metrics/packs/content.py
puts the pack together."""

from __future__ import annotations

from dataclasses import dataclass

from charter import Charter
from charter.models import UNIT_LABEL
from metrics.assess.target import Target, fmt_target_value, target_runs
from metrics.assess.trend import TrendRow, upto
from metrics.dates import long_date
from metrics.packs import svg
from metrics.packs.projection import projection
from metrics.packs.sections import Chart, Table
from metrics.publish.disclosure import NOT_FOR_PUBLICATION
from metrics.publish.policy import PUBLIC, Audience, DisclosurePolicy, Marker, TrendCells
from metrics.review import actions as actions_mod, report
from metrics.review.common import indicator_subject
from metrics.scrutiny import view as scrutiny
from metrics.store.connection import Store
from metrics.words.narrative import STATUS_WORDS, fmt_value


@dataclass
class ExceptionItem:
    title: str
    status: str
    agreed: str | None
    figure: str
    why: str
    owner: str
    what: str | None
    why_text: str | None
    what_next: str | None
    written: str | None  # by whom and when (planning group only)
    data_quality: str  # "Data quality: some concerns (...)"
    actions: list[str]
    chart: Chart | None
    held_back: str | None = None  # why its agreed status and commentary are not published
    heading: str = ""  # where it is heading if nothing changes: a projection, in words
    projection: Table | None = None  # the projected periods, each marked a projection


def trend_chart(rows: list[TrendRow], charter: Charter, ind_id: str, public: bool) -> Chart | None:
    ind = charter.indicators[ind_id]
    rows = rows[-12:]
    if not rows:
        return None
    ours = [r.value for r in rows]
    england = [r.england for r in rows] if any(r.england is not None for r in rows) else None
    drawn_aim = Target.of(ind).has_better_side
    targets = [r.target if drawn_aim else None for r in rows]  # each year's
    target = targets[-1]
    council = charter.council.name.split(" (")[0]  # "Wrenfield Council (demo)": the name
    drawn = svg.line_chart(
        [r.period for r in rows], ours, england, targets, council,
        unit=UNIT_LABEL[ind.unit] or "count", percent=ind.unit == "percent",
    )  # fmt: skip
    last = rows[-1]
    known = [r.value for r in rows if r.value is not None]
    alt = (
        f"Line chart of {ind.title}, {rows[0].period} to {last.period}. Latest: "
        f"{fmt_value(last.value, ind, last.symbol)} in {last.period}."
    )
    if known:
        alt += f" Lowest {fmt_value(min(known), ind)}, highest {fmt_value(max(known), ind)}."
    if target is not None:
        alt += f" The aim is {target_runs(ind, [(r.period, r.target) for r in rows])}."
    if england:
        alt += " England is shown as a dashed line."
    mark = "" if public else NOT_FOR_PUBLICATION
    table = Table(
        f"{ind.title}: the figures in the chart",
        ["Period", "Our figure", "England", "Aim", "Note"],
        [
            [
                r.period,
                fmt_value(r.value, ind, r.symbol),
                fmt_value(r.england, ind, r.england_symbol)
                if r.england is not None or r.england_symbol
                else "[x]",
                fmt_target_value(ind, r.target) if r.target is not None else "[z]",
                ("Provisional. " if r.status == "provisional" else "")
                + ("Revised. " if r.revised else "")
                + (mark if r.withheld and not public else "")
                + (Marker(r.withheld).words.capitalize() + "." if r.withheld and public else ""),
            ]
            for r in rows
        ],
    )
    return Chart(drawn, alt, table)


def exception_item(
    store: Store,
    charter: Charter,
    built: report.Report,
    e: report.Exception_,
    whole: list[TrendRow],  # the indicator's trend (`trend.trends`: read with the others)
    facts: scrutiny.Scrutiny,
    policy: DisclosurePolicy,
    reading: Audience,
    trust: str,
) -> ExceptionItem:
    ind = charter.indicators[e.indicator_id]
    public = reading == PUBLIC
    line = next(x for x in facts.lines if x.id == e.indicator_id)
    every = upto(whole, e.period, built.review.quarter)
    rows = policy.publish(TrendCells(ind.id, every), reading)
    c = e.commentary
    a = built.agreed.get(indicator_subject(e.indicator_id))
    written = None
    if c is not None and not public:
        written = f"Written by {c.written_by}, {long_date(c.written_at)}"
        if c.copied_from:
            written += f"; copied from {c.copied_from}, not yet updated"
    return ExceptionItem(
        title=e.title,
        status=STATUS_WORDS[line.status if public else e.status],
        agreed=a.words() if a and a.status else None,  # with its reason
        figure=" ".join(t for t in (line.figure, line.change, line.how_long()) if t),
        why=line.real_change,
        owner=e.owner,
        what=c.what if c else None,
        why_text=c.why if c else None,
        what_next=c.next if c else None,
        written=written,
        data_quality=trust,
        actions=[
            f"{x.title} ({charter.owner_name(x.owner)}, due {long_date(x.due)}, {x.state()})"
            for x in built.actions
            if e.indicator_id in x.indicator_ids and x.status not in actions_mod.CLOSED
        ],
        chart=trend_chart(rows, charter, e.indicator_id, public),
        held_back=built.held_back.get(indicator_subject(e.indicator_id)),
        **projection(store, charter, ind, rows, public),
    )
