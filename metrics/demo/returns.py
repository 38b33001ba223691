"""The demo council's returns: its figures written as the three CSV returns a council sends
(the history, the latest quarter, and a revision) and loaded through the same validation and
commit path as a real return; the providers' own latest figures sent through their Returns."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from charter import Charter
from metrics.demo.figures import DemoRow
from metrics.demo.partners import send_returns
from metrics.demo.stories import DEMO_LATEST, DEMO_USER, REVISED, REVISION_REASON, SENT
from metrics.ingest import LoadReport, load_file
from metrics.ingest.source import COLUMNS
from metrics.store import figures
from metrics.store.connection import Store, transaction


def revision_rows(rows: list[DemoRow]) -> list[DemoRow]:
    """The revised figure: the keyworker total for the quarter before the latest."""
    target = DEMO_LATEST.previous().label
    out = []
    for row in rows:
        if row.indicator == REVISED and row.period == target and not row.area and not row.breakdown:
            num, den = int(row.numerator), int(row.denominator)
            num = max(num - 4, 0)
            out.append(
                DemoRow(
                    row.indicator,
                    row.period,
                    "",
                    numerator=str(num),
                    denominator=str(den),
                    note="Corrected by the provider.",
                )
            )
    # the four plans come off the largest group of each breakdown, so the groups still add up
    for dim in sorted({r.breakdown for r in rows if r.indicator == REVISED and r.breakdown}):
        groups = [
            r
            for r in rows
            if r.indicator == REVISED and r.period == target and not r.area and r.breakdown == dim
        ]
        largest = max(groups, key=lambda r: int(r.numerator or 0))
        num = max(int(largest.numerator) - 4, 0)
        out.append(
            DemoRow(
                REVISED,
                target,
                "",
                breakdown=dim,
                group=largest.group,
                numerator=str(num),
                denominator=largest.denominator,
            )
        )
    return out


def to_csv(rows: list[DemoRow]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for r in rows:
        writer.writerow(
            [
                r.indicator,
                r.period,
                r.value,
                r.area,
                r.breakdown,
                r.group,
                r.numerator,
                r.denominator,
                r.status,
                r.note,
            ]
        )
    return out.getvalue().encode("utf-8")


def load_returns(
    store: Store, charter: Charter, rows: list[DemoRow], out_dir: Path | None = None
) -> list[LoadReport]:
    """Write the demo's three returns (to `out_dir` if given) and load them into `store`."""
    latest = DEMO_LATEST.label

    def partners(r: DemoRow) -> bool:  # the providers send these themselves
        return r.period == latest and not r.area and charter.supplier(r.indicator) is not None

    files = [
        ("demo-history.csv", [r for r in rows if r.period != latest], None),
        (
            f"demo-return-{latest.replace(' ', '-')}.csv",
            [r for r in rows if r.period == latest and not partners(r)],
            None,
        ),
        ("demo-revision.csv", revision_rows(rows), REVISION_REASON),
    ]
    reports = []
    for name, file_rows, reason in files:
        content = to_csv(file_rows)
        if out_dir is not None:
            out_dir.mkdir(parents=True, exist_ok=True)
            (out_dir / name).write_bytes(content)
        report = load_file(
            store,
            charter,
            name,
            content,
            by=DEMO_USER,
            reason=reason,
            kind="demo",
            source=f"demo (fictional): {name}",
            confirmed=True,  # its stories include deliberate jumps
        )
        if not report.ok:
            problems = "\n".join(e.as_text() for e in report.errors[:10])
            raise RuntimeError(f"the demo return {name} was rejected:\n{problems}")
        reports.append(report)
        with store.connect() as con, transaction(con):  # dated as if sent when such returns are
            figures.redate_upload(con, report.upload_id, SENT[len(reports) - 1])
    send_returns(
        store,
        charter,
        [[r.indicator, r.period, r.value, r.breakdown, r.group] for r in rows if partners(r)],
    )
    return reports
