"""Accountability: for each owner and each organisation, their indicators with statuses, their
open and overdue actions, and the commentary still missing; the signed-in person's own first."""

from __future__ import annotations

import streamlit as st

from charter import Charter
from metrics.access import Actor
from metrics.dates import short_date
from metrics.publish.escape import markdown
from metrics.review import actions
from metrics.review.report import Report
from metrics.words.narrative import STATUS_WORDS


def rows_for(built: Report, charter: Charter, owners: set[str]) -> list[dict[str, object]]:
    missing = {e.indicator_id for e in built.exceptions if e.commentary_state == "missing"}
    seen: dict[str, dict[str, object]] = {}
    for s in built.statements:
        for i in s.indicators:
            if charter.indicators[i.id].owner in owners and i.id not in seen:
                seen[i.id] = {
                    "Indicator": i.title,
                    "Status": STATUS_WORDS[i.status],
                    "Latest": i.shown,
                    "Owner": charter.owner_name(charter.indicators[i.id].owner),
                    "Commentary": "missing" if i.id in missing else "",
                }
    return list(seen.values())


def summary(built: Report, charter: Charter) -> list[dict[str, object]]:
    """One row per owner: indicators, off track, open and overdue actions, missing commentary."""
    missing = {e.indicator_id for e in built.exceptions if e.commentary_state == "missing"}
    statuses = {i.id: i.status for s in built.statements for i in s.indicators}
    out = []
    for key in charter.owners:
        mine = [i for i, ind in charter.indicators.items() if ind.owner == key]
        acts = [a for a in built.actions if a.owner == key and a.status not in actions.CLOSED]
        if not mine and not acts:
            continue
        out.append(
            {
                "Owner": charter.owner_name(key),
                "Indicators": len(mine),
                "Off track": sum(statuses.get(i) == "off_track" for i in mine),
                "Open actions": len(acts),
                "Overdue actions": sum(a.overdue() for a in acts),
                "Missing commentary": sum(i in missing for i in mine),
            }
        )
    return out


def mine(person: Actor, charter: Charter) -> set[str]:
    """The owners whose contact is the signed-in person's email."""
    email = person.email.strip().lower()
    return {k for k, o in charter.owners.items() if email and o.contact.strip().lower() == email}


def section(built: Report, charter: Charter, owners: set[str], heading: str, key: str) -> None:
    st.subheader(heading)
    rows = rows_for(built, charter, owners)
    if rows:
        st.dataframe(rows, hide_index=True, key=f"acc_ind_{key}")
    acts = [a for a in built.actions if a.owner in owners and a.status not in actions.CLOSED]
    if acts:
        st.markdown(
            "\n".join(
                f"- #{a.action_id} {markdown(a.title)}: {a.state()}, due {short_date(a.due)}"
                for a in acts
            )
        )
    elif rows:
        st.caption("No open actions.")
