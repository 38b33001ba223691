"""The partners' returns page: a provider's person sees what is due from them, sends a return
and follows it; an analyst accepts or returns what has been sent."""

from __future__ import annotations

import hashlib
from datetime import date

import streamlit as st

import ui
from charter import Charter
from metrics.access import Actor
from metrics.dates import COLUMN_DATETIME, date_time, long_date, short_date
from metrics.ingest import check_file
from metrics.ingest.kept import upload_file
from metrics.ingest.plausible import Unusual
from metrics.ingest.template import latest_complete_quarter, template_rows, to_csv, to_xlsx
from metrics.partners.quality import ReturnState, quality
from metrics.partners.submissions import (
    SUBMITTED,
    Submission,
    SubmissionError,
    accept,
    return_to_provider,
    sent_back,
    submissions,
    submit,
)
from metrics.publish.escape import markdown
from metrics.store.connection import Store
from metrics.text_limits import REASON as REASON_CHARS, SEND_BACK, help_text
from ui import upload_view

FILE = "provider_return_file"
SEND = "provider_send"
CHOSEN = "submission_chosen"
REASON = "submission_reason"
BACK = "submission_return_reason"
ACCEPT = "submission_accept"
RETURN = "submission_return"


def due_from(store: Store, charter: Charter, provider: str, today: date | None = None) -> None:
    """What the provider owes for the latest complete quarter, and whether it has arrived."""
    quarter = latest_complete_quarter(today).label
    q = quality(store, charter, quarter, today)
    back = sent_back(submissions(store, provider=provider))
    rows = [
        {
            "Indicator": charter.indicators[r.indicator_id].title,
            "Period": r.period,
            "Due": long_date(r.due),
            "Where it stands": _standing(r, back.get((r.indicator_id, r.period))),
        }
        for r in q.returns
        if r.provider == provider
    ]
    st.header(f"What is due for {quarter}")
    if rows:
        st.dataframe(rows, hide_index=True, key="due_from_provider")
    else:
        st.info(f"Nothing is due for {quarter}.")


def _standing(r: ReturnState, back: Submission | None) -> str:
    """How a return stands; one whose latest submission was sent back is not 'on time'."""
    if back is not None:
        when = f" on {long_date(back.decided_at)}" if back.decided_at else ""
        return f"sent back{when} (return #{back.upload_id}): put it right and send it again"
    return r.state + (f" ({r.days_late} working days)" if r.days_late else "")


def sent_back_first(store: Store, provider: str) -> None:
    """Why each return still waiting to be put right was sent back, first and in full (a
    table's column is cut short and scrolls sideways off a phone)."""
    back = {s.upload_id: s for s in sent_back(submissions(store, provider=provider)).values()}
    for sub in sorted(back.values(), key=lambda s: s.upload_id, reverse=True):
        when = f" on {long_date(sub.decided_at)}" if sub.decided_at else ""
        reason = markdown(sub.reason or "no reason was given")
        about = markdown(
            f"Return #{sub.upload_id} ({sub.file_name}, covering {sub.covers()}) was sent back "
            f"by {sub.decided_by}{when}. Put it right and send it again."
        )
        st.warning(f"**Sent back:** {reason}\n\n{about}")


def send(store: Store, charter: Charter, person: Actor) -> None:
    """Send a return: the provider's own spreadsheet (its layout) or our template."""
    key = str(person.provider)
    provider = charter.providers[key]
    st.header("Send a return")
    layout = charter.layouts.get(key)
    if layout:
        sheet = f", sheet {layout.sheet!r}" if layout.sheet else ""
        st.markdown(
            markdown(
                f"Send your usual spreadsheet ({layout.title}{sheet}), or the "
                "council's template below."
            )
        )
    rows = [
        r
        for r in template_rows(charter, latest_complete_quarter())
        if r["indicator"] in provider.indicators
    ]
    left, right = st.columns(2)
    left.download_button(
        "Download the template (Excel)",
        to_xlsx(charter, rows),
        "return-template.xlsx",
        key="provider_template_xlsx",
    )
    right.download_button(
        "Download the template (CSV)",
        to_csv(rows),
        "return-template.csv",
        mime="text/csv",
        key="provider_template_csv",
    )
    upload = st.file_uploader("Your return (.xlsx or .csv)", type=["xlsx", "csv"], key=FILE)
    if upload is None:
        return
    sent = st.session_state.setdefault("provider_sent", {})
    sha = hashlib.sha256(upload.getvalue()).hexdigest()
    if sha not in sent:
        if not st.button("Send this return", type="primary", key=SEND):
            return
        with ui.plain_failure():
            sent[sha] = submit(store, charter, key, upload.name, upload.getvalue(), by=person)
    report = sent[sha]
    upload_view.notes(report)
    if report.ok:
        st.success(f"{report.summary()} (return #{report.upload_id})")
    else:
        upload_view.errors(report)


def history(store: Store, provider: str | None, charter: Charter) -> None:
    """Returns sent, newest first: what was accepted, and why any went back."""
    st.header("Returns sent" if provider else "Every provider's returns")
    rows = [
        {
            "Return": s.upload_id,
            "State": s.state,
            "Why it was sent back": s.reason or "",
            "Provider": charter.providers[s.provider].name
            if s.provider in charter.providers
            else s.provider,
            "Sent": s.submitted_at,
            "Sent by": s.submitted_by,
            "File": s.file_name,
            "Covers": s.covers(),
            "Decided by": s.decided_by or "",
        }
        for s in submissions(store, provider=provider)
    ]
    if not rows:
        st.info("No returns have been sent yet.")
        return
    st.dataframe(
        rows,
        hide_index=True,
        key="submissions",
        column_config={"Sent": st.column_config.DatetimeColumn(format=COLUMN_DATETIME)},
    )


def waiting(store: Store, charter: Charter, person: Actor) -> None:
    """For analysts: the returns waiting, each previewed, then accepted or sent back."""
    st.header("Waiting to be accepted")
    pending = [s for s in submissions(store) if s.state == SUBMITTED]
    if not pending:
        st.info("No provider's return is waiting.")
        return
    by_id = {s.upload_id: s for s in pending}
    chosen = st.selectbox(
        "Return", list(by_id), key=CHOSEN, format_func=lambda i: _label(by_id[i], charter)
    )
    if chosen is None:
        return
    sub = by_id[chosen]
    st.markdown(
        markdown(
            f"Sent by {sub.submitted_by} on {date_time(sub.submitted_at)}; "
            f"covers {sub.covers()}. {sub.message}"
        )
    )
    kept = upload_file(store, sub.upload_id, person)
    if kept is None:
        st.error("The file of this return is not kept.")
        return
    name, content = kept
    with ui.plain_failure():
        report = check_file(store, charter, name, content, provider=sub.provider)
    upload_view.notes(report)
    if not report.ok:  # the charter or stored figures changed since it was sent
        upload_view.errors(report)
    else:
        upload_view.preview(report, charter)
        confirmed = upload_view.confirm(report)
        reason = ""
        if report.figures_changed:
            reason = st.text_input(
                "Why are figures being revised?", key=REASON, max_chars=REASON_CHARS,
                help=help_text(REASON_CHARS),
            )  # fmt: skip
        ready = confirmed and (not report.figures_changed or bool(reason.strip()))
        if st.button("Accept and store", type="primary", key=ACCEPT, disabled=not ready):
            _accept(store, charter, sub, reason, confirmed and bool(report.warnings),
                    report.warnings)  # fmt: skip
    back = st.text_area("Or send it back: what should the provider put right?", key=BACK,
                        max_chars=SEND_BACK, help=help_text(SEND_BACK))  # fmt: skip
    if st.button("Send it back", key=RETURN):
        try:
            with ui.plain_failure():
                return_to_provider(store, sub.upload_id, back, by=ui.user())
        except SubmissionError as err:
            st.error(markdown(err))
            return
        st.success(f"Return #{sub.upload_id} sent back with your reason.")
        st.rerun()


def _accept(
    store: Store,
    charter: Charter,
    sub: Submission,
    reason: str,
    confirmed: bool,
    shown: list[Unusual],
) -> None:
    try:
        with ui.plain_failure():
            result = accept(
                store, charter, sub.upload_id, by=ui.user(), reason=reason,
                confirmed=confirmed, shown=shown,
            )  # fmt: skip
    except SubmissionError as err:
        st.error(markdown(err))
        return
    upload_view.outcome(result)
    if result.ok:
        st.rerun()


def _label(s: Submission, charter: Charter) -> str:
    who = charter.providers[s.provider].name if s.provider in charter.providers else s.provider
    return f"#{s.upload_id}: {who}, {s.file_name} ({short_date(s.submitted_at)})"
