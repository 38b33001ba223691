"""Import DfE's section 251 outturn (explore-education-statistics tidy CSV) through the
published-statistics path: the file is checked and read by its own in-memory DuckDB
(`open_ees`), periods and areas as every EES file's (`ees_period`, geographic levels), and
which expenditure lines are which of our services is a mapping file (charter/s251/*.yaml),
never code. Lines mapped to the same service add up; a line with a symbol (GSS: c, x, z...)
makes the service's figure unknown for that area and year. The import is logged, audited
and stored in one transaction; importing a newer file adds a version that supersedes."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from charter import Charter
from charter.s251_models import S251Mapping
from metrics import text_limits
from metrics.access.people import ANALYST, Actor, acting, require
from metrics.ingest import replaced
from metrics.ingest.commit import Upload, record_rejection
from metrics.ingest.published.read import (
    LEVELS,
    NAMES,
    REQUIRED,
    SYMBOLS,
    EesError,
    ees_period,
    open_ees,
    quoted,
)
from metrics.ingest.validate import RowError
from metrics.periods.model import PeriodKind
from metrics.store.connection import Store, one_writer, transaction


@dataclass
class S251Report:
    file_name: str
    outcome: str  # imported | rejected
    rows: int = 0
    upload_id: int | None = None
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.outcome == "imported"


def _number(text: str | None, column: str) -> float | None:
    value = (text or "").strip().replace(",", "")
    if value in SYMBOLS or value == "":
        return None
    try:
        return float(value)
    except ValueError:
        raise EesError(f"{column}: {text!r} is neither a number nor a GSS symbol") from None


def read_s251(content: bytes, mapping: S251Mapping) -> list[tuple[object, ...]]:
    """(year, area_code, area_name, level, service, spend, per_child) for each year, area and
    service the mapping names."""
    with open_ees(content) as f:
        wanted = [*REQUIRED, mapping.line_column, mapping.spend_column, *mapping.filters]
        if mapping.per_child_column:
            wanted.append(mapping.per_child_column)
        missing = [c for c in wanted if c not in f.columns]
        if missing:
            raise EesError(f"the file has no column {', '.join(missing)} (the mapping names it)")
        where = " AND ".join(
            [f"{quoted(mapping.line_column)} IN (SELECT unnest($lines))"]
            + [f"{quoted(c)} = ${'f' + str(i)}" for i, c in enumerate(mapping.filters)]
        )
        codes = ", ".join(f"{quoted(c)}" if c in f.columns else "NULL" for c in LEVELS.values())
        names = ", ".join(f"{quoted(c)}" if c in f.columns else "NULL" for c in NAMES.values())
        per = quoted(mapping.per_child_column) if mapping.per_child_column else "NULL"
        params: dict[str, object] = {"lines": list(mapping.lines)}
        params |= {f"f{i}": v for i, v in enumerate(mapping.filters.values())}
        rows = f.execute(
            f"SELECT time_period, time_identifier, geographic_level, {codes}, {names}, "
            f"{quoted(mapping.line_column)}, {quoted(mapping.spend_column)}, {per} "
            f"FROM {f.read_csv()} WHERE {where}",
            params,
        ).fetchall()
    out: dict[tuple[str, str, str], list[Any]] = {}
    levels = list(LEVELS)
    for tp, ident, level, *rest in rows:
        if level not in LEVELS:
            continue  # other geographies (parliamentary constituencies...) are not compared
        if str(ident).strip().lower() == "reporting year":  # the outturn's own is financial
            raise EesError(
                f"time_period {tp!r} is a 'Reporting year': section 251 outturn is published by "
                "financial year (time_identifier 'Financial year'); this file is not the outturn"
                " release this import reads"
            )
        period = ees_period(str(tp), str(ident))
        if period.kind != PeriodKind.FINANCIAL_YEAR:
            raise EesError(f"time_period {tp!r}: section 251 outturn is by financial year")
        i = levels.index(level)
        code, name = rest[i], rest[3 + i]
        service = mapping.lines[rest[6]]
        spend = _number(rest[7], mapping.spend_column)
        column = str(mapping.per_child_column)
        per_child = _number(rest[8], column) if mapping.per_child_column else None
        key = (period.label, str(code), service)
        if key not in out:
            out[key] = [period.label, str(code), str(name), level, service, spend, per_child]
            continue
        got = out[key]
        got[5] = None if got[5] is None or spend is None else got[5] + spend
        got[6] = None if got[6] is None or per_child is None else got[6] + per_child
    return [tuple(v) for _, v in sorted(out.items())]


def import_s251(
    store: Store,
    charter: Charter,
    file_name: str,
    content: bytes,
    mapping: S251Mapping,
    by: Actor | str | None = None,
    reason: str | None = None,
) -> S251Report:
    """Import a section 251 outturn file; a file that cannot be used is rejected whole and
    logged with the reason. Replacing figures stored for the same year, area and service
    needs a `reason` (metrics/ingest/replaced.py)."""
    actor = acting(by)
    require(actor, {ANALYST}, "import published statistics")
    why = text_limits.bounded(reason, "the reason for the replacement", text_limits.REASON)
    upload = Upload(file_name, hashlib.sha256(content).hexdigest(), content, actor,
                    "published", why or None, None, mapping.source)  # fmt: skip
    try:
        rows = read_s251(content, mapping)
        if not rows:
            raise EesError(
                f"no row of the file has a {mapping.line_column} the mapping names "
                f"({', '.join(mapping.lines)})"
            )
    except EesError as err:
        error = RowError(None, "", "", f"{str(err).rstrip('.')}.", "")
        with store.connect() as con:
            upload_id = record_rejection(con, upload, 0, 0, [error], f"Rejected: {err}")
        return S251Report(upload.file_name, "rejected", 0, upload_id, [error])
    with store.connect() as con:
        try:  # one at a time: two outturns at once would each find nothing to replace
            with one_writer(con, "section 251 outturns"), transaction(con):
                message = f"section 251 outturn: {len(rows)} figures ({mapping.source})"
                upload_id, _ = replaced.store(con, replaced.S251, upload, len(rows), rows,
                                              message)  # fmt: skip
        except replaced.NeedsReason as err:  # nothing stored: the attempt is logged
            error = RowError(None, "", "", str(err), replaced.REASON_FIX)
            upload_id = record_rejection(con, upload, len(rows), 0, [error], f"Rejected: {err}")
            return S251Report(upload.file_name, "rejected", len(rows), upload_id, [error])
    return S251Report(upload.file_name, "imported", len(rows), upload_id)
