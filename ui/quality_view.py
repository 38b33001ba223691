"""The data quality page's sections: each indicator's rating, returns expected and received,
whom to chase, validity and provenance. Ratings are words, never colour alone."""

from __future__ import annotations

import streamlit as st

from charter import Charter
from metrics.dates import COLUMN_DATETIME, long_date, short_date
from metrics.partners.quality import Quality, ReturnState
from metrics.publish.escape import markdown

WHEN = COLUMN_DATETIME


def ratings(q: Quality, charter: Charter) -> None:
    st.header("How far to trust each figure")
    counts = {
        r: sum(g.rating == r for g in q.ratings.values()) for r in ("good", "some concerns", "poor")
    }
    st.markdown(
        f"Of {len(q.ratings)} indicators for {q.quarter}: {counts['good']} good, "
        f"{counts['some concerns']} with some concerns, {counts['poor']} poor."
    )
    rows = [
        {
            "Indicator": charter.indicators[i].title,
            "Data quality": g.rating.capitalize(),
            "Why": "; ".join(g.reasons) or "Complete, on time, final, no figure in doubt.",
        }
        for i, g in sorted(
            q.ratings.items(), key=lambda kv: ("poor", "some concerns", "good").index(kv[1].rating)
        )
    ]
    st.dataframe(rows, hide_index=True, key="quality_ratings")


def returns(q: Quality, charter: Charter) -> None:
    st.header("Returns expected and received")
    by = q.by_provider()
    rows = [
        {
            "Provider": charter.providers[p].name,
            "Expected": c["expected"],
            "Received": c["received"],
            "On time": c["on time"],
            "Late": c["late"],
            "Overdue": c["overdue"],
        }
        for p, c in by.items()
    ]
    if not rows:
        st.info("No provider owes a return for this quarter (charter/providers.yaml).")
        return
    st.dataframe(rows, hide_index=True, key="quality_providers")
    st.dataframe(
        [_return_row(r, charter) for r in q.returns],
        hide_index=True,
        key="quality_returns",
        column_config={"Received": st.column_config.DatetimeColumn(format=WHEN)},
    )


def _return_row(r: ReturnState, charter: Charter) -> dict[str, object]:
    late = f", {r.days_late} working day{'s' if r.days_late != 1 else ''}" if r.days_late else ""
    return {
        "Provider": charter.providers[r.provider].name,
        "Indicator": charter.indicators[r.indicator_id].title,
        "Period": r.period,
        "Due": short_date(r.due),
        "Received": r.received,
        "Where it stands": f"{r.state}{late}",
        "Sent back": r.returned,
    }


def chase(q: Quality, charter: Charter) -> None:
    """Overdue returns with whom to ask, and a message to copy (nothing is sent from here)."""
    st.header("Overdue: whom to chase")
    overdue = q.overdue()
    if not overdue:
        st.success("No return is overdue.")
        return
    for provider in sorted({r.provider for r in overdue}):
        p = charter.providers[provider]
        owed = [r for r in overdue if r.provider == provider]
        phone = f", {p.contact.phone}" if p.contact.phone else ""
        st.markdown(markdown(f"{p.name}: {p.contact.name}, {p.contact.email}{phone}"))
        lines = "\n".join(
            f"- {charter.indicators[r.indicator_id].title}, {r.period} (due {long_date(r.due)})"
            for r in owed
        )
        st.code(
            f"Dear {p.contact.name.split(',')[0]},\n\nWe have not yet received these figures "
            f"from {p.name} for {q.quarter}:\n{lines}\n\nPlease send them as soon as you can, "
            f"or let us know when to expect them.\n\nWith thanks,\n{charter.council.name}",
            language=None,
            wrap_lines=True,  # no sideways scrolling region a keyboard could not reach
        )


def validity(q: Quality, charter: Charter) -> None:
    st.header("Figures in doubt")
    rows = [
        {
            "Indicator": charter.indicators[i].title,
            "Figures": v.figures,
            "Provisional": v.provisional,
            "Withheld or missing (symbols)": v.symbols,
            "Revised": v.revised,
            "Value vs numerator/denominator": v.disagreements,
            "In uploads with unusual figures confirmed": v.unusual_confirmed,
        }
        for i, v in sorted(q.validity.items())
    ]
    st.dataframe(rows, hide_index=True, key="quality_validity")
    missing = [f"{charter.indicators[i].title} ({p})" for i, p in q.missing_figures]
    if missing:
        st.markdown(markdown("No figure yet: " + "; ".join(missing) + "."))
    gaps = [
        f"{charter.indicators[i].title}: {', '.join(d)}"
        for i, d in sorted(q.missing_breakdowns.items())
    ]
    if gaps:
        st.markdown(markdown("Breakdowns missing: " + "; ".join(gaps) + "."))


def provenance(q: Quality, charter: Charter) -> None:
    st.header("Where every figure came from")
    rows = [
        {
            "Indicator": charter.indicators[p.indicator_id].title,
            "Breakdown": p.breakdown or "Total",
            "Provider": charter.providers[p.provider].name
            if p.provider in charter.providers
            else "",
            "Source": p.source,
            "Upload": p.upload_id,
            "Stored (accepted) by": p.recorded_by,
            "When": p.recorded_at,
        }
        for p in sorted(q.provenance, key=lambda p: (p.indicator_id, p.breakdown))
    ]
    st.dataframe(
        rows,
        hide_index=True,
        key="quality_provenance",
        column_config={"When": st.column_config.DatetimeColumn(format=WHEN)},
    )
