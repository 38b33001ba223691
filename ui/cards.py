"""Statement cards and indicator tables: how status is drawn, in one place."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

import streamlit as st

from charter import Charter
from metrics.assess.rollup import StatementStatus
from metrics.assess.status import IndicatorStatus
from metrics.assess.target import fmt_target_value
from metrics.partners.quality import Rating
from metrics.publish.escape import markdown
from metrics.publish.plain import moved
from metrics.review.agreed import Agreed
from metrics.review.common import statement_subject
from metrics.words.narrative import STATUS_WORDS, fmt_change, status_label
from ui import style
from ui.reads import figure
from ui.registry import link

ROLLUP_RULE = (
    "A statement is **on track** when at least {on:.0%} of its assessed indicators are on "
    "track and none is off track; **off track** when at least {off:.0%} are off track; "
    "otherwise **at risk**. An indicator is assessed when it has a target and a figure for the "
    "period due. A statement with no assessed indicator is **not evidenced**, never on track."
)


def rule_note(charter: Charter) -> None:
    rule = charter.council.rollup
    with st.expander("How the statuses are worked out"):
        st.markdown(ROLLUP_RULE.format(on=rule.on_track_share, off=rule.off_track_share))


def summary(statements: list[StatementStatus]) -> None:
    counts = Counter(s.status for s in statements)
    words = [f"{n} {STATUS_WORDS[k].lower()}" for k, n in counts.most_common()]
    st.markdown(f"**{len(statements)} charter statements:** " + ", ".join(words) + ".")


def mover_text(mover: IndicatorStatus, charter: Charter) -> str:
    ind = charter.indicators[mover.id]
    verb = "improved" if mover.direction == "improving" else "worsened"
    return f"{mover.title} {verb} by {fmt_change(mover.change or 0, ind)}"


def card_text(
    s: StatementStatus,
    charter: Charter,
    agreed: Mapping[str, Agreed] | None = None,
    held: Mapping[str, str] | None = None,
) -> str:
    """A statement's card as one Markdown element: its heading, status badge (icon and
    word), the planning group's agreed status or why a public reader does not see it, the
    reason and the biggest movers. One element instead of six: Streamlit's cost is per
    element sent, and the overview draws twelve cards (bench/README.md). Every text is
    escaped (`markdown`), so nothing typed is rendered; the badge is the one HTML."""
    parts = [f"### {markdown(f'{s.number}. {s.short_title}')}", style.badge(s.status)]
    subject = statement_subject(s.number)
    settled = (agreed or {}).get(subject)
    if settled is not None:  # the planning group's, beside the computed one, with why
        parts.append(markdown(settled.sentence(s.status)))
    elif (held or {}).get(subject):  # a public reader: why not
        parts.append(f'<span class="card-note">{markdown((held or {})[subject])}</span>')
    parts.append(markdown(s.reason))
    movers = [  # a trivial move (metrics/publish/plain.py) is no mover
        m for m in s.movers() if moved(charter.indicators[m.id], m) != "little_change"
    ][:2]
    if movers:
        named = "; ".join(mover_text(m, charter) for m in movers)
        parts.append(f"Biggest movers: {markdown(named)}.")
    return "\n\n".join(parts)


def statement_grid(
    statements: list[StatementStatus],
    charter: Charter,
    statement_page: str,
    carry: dict[str, str],
    quarter: str,
    agreed: Mapping[str, Agreed] | None = None,
    held: Mapping[str, str] | None = None,
) -> None:
    """The statements' cards, three to a row on a wide screen: each card's text and link,
    one after the other, laid out by the house style's grid (`style.CARD_GRID`, three
    columns; one on a phone). Columns were four rows of four elements more to send in
    every run of the overview (bench/README.md). The cards' texts are made once per data
    version, quarter and kind of reader (`statements`, `agreed` and `held` are the
    quarter's, read by that key), as a chart is."""
    st.header("The charter statements")
    texts = figure(
        "statement cards",
        quarter,
        build=lambda: [card_text(s, charter, agreed, held) for s in statements],
    )
    with st.container(key=style.CARD_GRID):
        for s, text in zip(statements, texts, strict=True):
            st.markdown(text, unsafe_allow_html=True)
            opens = {"statement": str(s.number), **carry}
            link(statement_page, f"Open statement {s.number}", opens)


def indicator_rows(
    statuses: list[IndicatorStatus], charter: Charter, ratings: Mapping[str, Rating] | None = None
) -> list[dict[str, object]]:
    """One row per indicator; with `ratings`, its data quality, folded into the "Why" when
    there is any doubt about the figure."""
    rows: list[dict[str, object]] = []
    for i in statuses:
        ind = charter.indicators[i.id]
        rating = (ratings or {}).get(i.id)
        why = i.reason
        if rating and rating.reasons:
            why += f" But {'; '.join(rating.reasons)}."
        rows.append(
            {  # status and latest figure first: on a phone they are what shows
                "Status": status_label(i.status),
                "Latest": i.shown + (" (provisional)" if i.provisional else ""),
                "Indicator": i.title,
                "Period": i.period or f"due {i.due}",
                "Target": fmt_target_value(ind, i.target),  # in force for the period
                "Direction": style.direction(i.direction),
                "Trend": [v for v in i.history if v is not None],
                "Why": why,
            }
        )
        if rating:
            rows[-1]["Data quality"] = rating.rating.capitalize()
    return rows
