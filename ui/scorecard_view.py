"""The scorecard page's pieces: the filters, the table (every quarter, on a wide screen), one
measure at a time with the latest quarters only (on a phone), and the CSV and XLSX. Both
layouts are drawn; the house CSS (ui/style.py) shows the one that fits the screen, so a
phone never scrolls sideways through eight quarters."""

from __future__ import annotations

import streamlit as st

import ui
from charter import Charter
from metrics.packs.xlsx import scorecard_xlsx
from metrics.publish.escape import markdown
from metrics.publish.tables import csv_bytes
from metrics.scrutiny.scorecard import ATTENTION, Row, Scorecard, columns, table_rows
from metrics.words.narrative import STATUS_WORDS, status_label
from ui import downloads, style
from ui.arrow_tables import arrow_of

STATEMENT, OWNER, ORGANISATION, STATUS = (
    "scorecard_statement",
    "scorecard_owner",
    "scorecard_organisation",
    "scorecard_status",
)
WIDE, NARROW = "scorecard_wide", "scorecard_narrow"  # the containers' keys (ui/style.py)
ROW_HEIGHT = 35  # px: Streamlit's row, to show every measure without a scroll inside
PHONE_QUARTERS = 4  # a phone shows the latest quarters only, newest first
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def filters(card: Scorecard, charter: Charter) -> Scorecard:
    """The reader's filters, each 'every ...' until chosen."""
    owners = sorted({r.owner for r in card.rows}, key=charter.owner_name)
    organisations = sorted({r.organisation for r in card.rows if r.organisation})
    left, right = st.columns(2)
    statement = left.selectbox(
        "Statement",
        [None, *(s.number for s in charter.statements)],
        format_func=lambda n: (
            "Every statement" if n is None else f"{n}. {charter.statement(n).short_title}"
        ),
        key=STATEMENT,
    )
    owner = right.selectbox(
        "Lead",
        [None, *owners],
        format_func=lambda o: "Every lead" if o is None else charter.owner_name(o),
        key=OWNER,
    )
    organisation = left.selectbox(
        "Organisation",
        [None, *organisations],
        format_func=lambda o: "Every organisation" if o is None else charter.organisations[o].name,
        key=ORGANISATION,
    )
    status = right.multiselect(
        "Latest status", list(ATTENTION), format_func=status_label, key=STATUS
    )
    return card.filtered(statement, owner, organisation, status)


def summary(card: Scorecard) -> None:
    counts = [
        f"{n} {STATUS_WORDS[s].lower()}"
        for s in ATTENTION
        if (n := sum(r.latest.status == s for r in card.rows))
    ]
    st.markdown(
        f"**{len(card.rows)} measures** at {card.latest}: {', '.join(counts) or 'none'}. "
        "Each cell is the measure's status at the end of that quarter (symbol and word) and "
        "the figure it was judged on; the measures needing attention come first."
    )


def table(card: Scorecard) -> None:
    """Every quarter as a column, beside the measure (who leads it after): for a wide screen,
    every row shown."""
    with st.container(key=WIDE):
        st.dataframe(
            arrow_of(table_rows(card)),
            hide_index=True,
            key="scorecard_table",
            column_order=["Measure", *card.quarters, "Statements", "Lead", "Organisation"],
            column_config={"Measure": st.column_config.TextColumn(pinned=True, width="large")},
            height=ROW_HEIGHT * (len(card.rows) + 1) + 3,
        )


def measures(card: Scorecard) -> None:
    """One measure at a time, the latest quarters first: for a phone."""
    with st.container(key=NARROW):  # one element for every measure: Streamlit's cost is per
        # element (bench/README.md), and this drew three a measure; each still a bordered card
        st.markdown("\n\n".join(measure_card(r) for r in card.rows), unsafe_allow_html=True)


def measure_card(r: Row) -> str:
    """One measure, its latest quarters newest first, as a bordered card of Markdown; the
    title and cells escaped."""
    cells = "\n".join(
        f"- {c.quarter}: {markdown(c.text)}" for c in reversed(r.cells[-PHONE_QUARTERS:])
    )
    return style.card([f"**{markdown(r.title)}**", cells])


def files(card: Scorecard) -> None:
    name = f"scorecard-{card.latest.replace(' ', '-')}"
    left, right = st.columns(2)
    downloads.button(
        "Download the scorecard (CSV)",
        lambda: csv_bytes(table_rows(card), columns(card)),
        f"{name}.csv",
        "text/csv",
        "scorecard_csv",
        where=left,
    )
    downloads.button(
        "Download the scorecard (XLSX)",
        lambda: scorecard_xlsx(card, ui.charter().council.name, ui.policy().words),
        f"{name}.xlsx",
        XLSX,
        "scorecard_xlsx",
        where=right,
    )
