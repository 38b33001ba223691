"""The demo's partners (fictional): their latest-quarter returns arrive as real providers'
would, through submission and acceptance.

- Wrenfield Community Health sends its own spreadsheet (layout charter/providers/
  community-health.yaml) on time, with its autism figures by locality only, and no speech
  and language therapy figure (missing);
- Brightside Short Breaks sends our template late;
- the Parent Carer Forum's first return is sent back (the under-5s figure repeated the last
  quarter's) and its corrected one accepted.

Each upload is dated as if sent through the autumn (the audit trail keeps when the generator
really ran), so timeliness has something to show.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import datetime

from openpyxl import Workbook

from charter import Charter
from metrics.access.people import DEMO, PROVIDER, Actor
from metrics.partners.submissions import accept, return_to_provider, submit
from metrics.store import figures, partners as partner_store
from metrics.store.connection import Store, transaction

ANALYST_NAME = "demo generator"
RETURNED_REASON = "The under-5s figure repeats last quarter's; please check it and send again."


def provider_person(charter: Charter, key: str) -> Actor:
    contact = charter.providers[key].contact
    return Actor(
        f"demo-{key}", f"{contact.name} (demo)", contact.email, DEMO, frozenset({PROVIDER}), key
    )


def _kpi_extract(charter: Charter, rows: list[list[str]]) -> bytes:
    """The health trust's own export, in its layout: measure names and locality codes."""
    layout = charter.layouts["community-health"]
    measure = {ours: theirs for theirs, ours in layout.indicators.items()}
    locality = {ours: theirs for theirs, ours in layout.groups.items()}
    book = Workbook()
    book.active.title = "Read me"
    book.active.append(["Exported from the trust's patient administration system (demo)."])
    sheet = book.create_sheet(str(layout.sheet))
    sheet.append(["Measure", "Reporting Quarter", "Locality", "Result", "Comments"])
    for indicator, period, value, breakdown, group in rows:
        if breakdown not in ("", "locality"):
            continue  # their system reports by locality only
        theirs = locality[group] if breakdown else str(layout.total)
        q, year = period.split(" ")[1], period.split(" ")[0]  # "2026-27 Q2" -> "Q2 26/27"
        their_period = f"{q} {year[2:4]}/{year[5:7]}"
        sheet.append([measure[indicator], their_period, theirs, value, ""])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _template(
    rows: list[list[str]], change: Callable[[list[str]], list[str]] | None = None
) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["indicator", "period", "value", "breakdown", "group"])
    writer.writerows(change(row) if change else row for row in rows)
    return out.getvalue().encode()


def send_returns(store: Store, charter: Charter, rows: list[list[str]]) -> None:
    """`rows` (indicator, period, value, breakdown, group): the providers' latest figures."""
    by = {key: [r for r in rows if charter.supplier(r[0]) == key] for key in charter.providers}
    day = datetime(2026, 10, 21, 10, 5)

    def sent(key: str, name: str, content: bytes, at: datetime) -> int:
        report = submit(store, charter, key, name, content, by=provider_person(charter, key))
        if report.upload_id is None or not report.ok:
            raise RuntimeError(f"the demo return {name} was rejected: {report.errors[:3]}")
        _redate(store, report.upload_id, at)
        return report.upload_id

    def accepted(upload: int, at: datetime) -> None:
        report = accept(store, charter, upload, by=ANALYST_NAME, confirmed=True)
        if not report.ok or report.upload_id is None:
            raise RuntimeError(f"the demo submission {upload} was not stored: {report.errors[:3]}")
        _redate(store, report.upload_id, at, decided=upload)

    health = sent(
        "community-health",
        "kpi-extract-Q2.xlsx",
        _kpi_extract(charter, by["community-health"]),
        day,
    )
    accepted(health, day.replace(day=23))
    breaks = sent(
        "short-breaks-trust",
        "brightside-return.csv",
        _template(by["short-breaks-trust"]),
        datetime(2026, 11, 6, 16, 40),
    )
    accepted(breaks, datetime(2026, 11, 9, 9, 30))
    forum = by["parent-carer-forum"]

    def repeated(row: list[str]) -> list[str]:
        return [*row[:2], "14", *row[3:]] if row[4] == "0 to 4" else row

    first = sent(
        "parent-carer-forum",
        "pcf-return.csv",
        _template(forum, repeated),
        datetime(2026, 10, 19, 11),
    )
    return_to_provider(store, first, RETURNED_REASON, by=ANALYST_NAME)
    _redate(store, None, datetime(2026, 10, 20, 14), decided=first)
    again = sent(
        "parent-carer-forum",
        "pcf-return-corrected.csv",
        _template(forum),
        datetime(2026, 10, 27, 10),
    )
    accepted(again, datetime(2026, 10, 28, 9))


def _redate(store: Store, upload: int | None, at: datetime, decided: int | None = None) -> None:
    with store.connect() as con, transaction(con):
        if upload is not None:
            figures.redate_upload(con, upload, at)
        if decided is not None:
            partner_store.redate_decision(con, decided, at)
