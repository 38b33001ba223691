"""Accountability, drawn: an owner's or an organisation's indicators and open actions. What is
counted and listed is worked out in the domain (metrics/review/accountability.py)."""

from __future__ import annotations

import streamlit as st

from charter import Charter
from metrics.dates import short_date
from metrics.publish.escape import markdown
from metrics.review import accountability
from metrics.review.report import Report


def section(
    built: Report, charter: Charter, owners: set[str], heading: str, key: str, top: bool = False
) -> None:
    """One owner's (or organisation's) indicators and open actions, under `heading`: a
    section of the page (`top`), else one under "By organisation"."""
    (st.header if top else st.subheader)(heading)
    rows = accountability.indicator_rows(built, charter, owners)
    if rows:
        st.dataframe(rows, hide_index=True, key=f"acc_ind_{key}")
    acts = accountability.open_actions(built, owners)
    if acts:
        st.markdown(
            "\n".join(
                f"- #{a.action_id} {markdown(a.title)}: {a.state()}, due {short_date(a.due)}"
                for a in acts
            )
        )
    elif rows:
        st.caption("No open actions.")
