"""The disclosure policy applied to a nested table of counts of children: rows (localities),
each split into columns (primary needs), a row's total the sum of its columns and the whole
the sum of the rows. Small counts by locality are the classic disclosure risk, so the table
is protected with the same audited suppression as every figure (`metrics/publish/audit.py`):

- each row is one table to the audit (its total and its columns, the `column` breakdown),
- the rows' totals are one more (the whole and its rows, the `row` breakdown),
- a row total withheld in either is withheld in both, and each is audited again with it,
  until nothing changes.

Sums across rows of one column (a need's count for the whole council) are not published by
the outputs that use this, so they are not part of the intruder's equations (said in the
outputs' words). Under rounding every count is rounded to the nearest 5 instead. Outputs ask
`DisclosurePolicy.publish(CountCells(...))`, never this module."""

from __future__ import annotations

from dataclasses import dataclass

from metrics.publish.audit import protect
from metrics.publish.disclosure import SECONDARY, TOTAL, Figure, Rule

ROW = "row"
COLUMN = "column"
Key = tuple[str, str]  # (row, column); "" for a total: ("", "") the whole, (r, "") a row's


@dataclass(frozen=True)
class PublishedCounts:
    """What a reader is given of a nested table: `shown(row, column)` a count (rounded where
    the council rounds) or "[c]", `why` the reason a withheld count is withheld."""

    counts: dict[Key, int]
    withheld: dict[Key, str]
    rule: Rule
    public: bool

    def shown(self, row: str, column: str = TOTAL) -> int | str:
        count = self.counts.get((row, column))
        if count is None:
            return ""
        if not self.public:
            return count
        if (row, column) in self.withheld:
            return "[c]"
        return self.rule.rounded(count) if self.rule.rounds else count

    def why(self, row: str, column: str = TOTAL) -> str | None:
        return self.withheld.get((row, column))


def _row_table(total: int, columns: dict[str, int]) -> list[Figure]:
    figures = [Figure(TOTAL, TOTAL, float(total))]
    figures += [Figure(COLUMN, c, float(n)) for c, n in sorted(columns.items())]
    return figures


def withheld_counts(rule: Rule, rows: dict[str, dict[str, int]]) -> dict[Key, str]:
    """(row, column) -> why, for the nested table `rows` (row -> column -> count). A row's
    total and the whole are the sums of what they hold."""
    if rule.rounds:
        return {}
    totals = {r: sum(cols.values()) for r, cols in rows.items()}
    whole = sum(totals.values())
    forced: set[str] = set()  # rows whose total the other table withholds
    out: dict[Key, str] = {}
    for _ in range(len(rows) + 2):
        out = {}
        outer = [Figure(TOTAL, TOTAL, float(whole))]
        outer += [Figure(ROW, r, float(n)) for r, n in sorted(totals.items())]
        also = {(ROW, r): SECONDARY for r in forced}
        for (dim, group), why in protect(outer, rule, True, None, also).items():
            out[(group, TOTAL) if dim == ROW else (TOTAL, TOTAL)] = why
        for r, cols in rows.items():
            extra = {(TOTAL, TOTAL): out[(r, TOTAL)]} if (r, TOTAL) in out else {}
            inner = protect(_row_table(totals[r], cols), rule, True, None, extra)
            for (dim, group), why in inner.items():
                out.setdefault((r, group) if dim == COLUMN else (r, TOTAL), why)
        newly = {r for r in rows if (r, TOTAL) in out} - forced
        if not newly:
            return out
        forced |= newly
    return out  # pragma: no cover (each pass withholds one more row total, or stops)


def publish_counts(rule: Rule, rows: dict[str, dict[str, int]], public: bool) -> PublishedCounts:
    counts: dict[Key, int] = {}
    for r, cols in rows.items():
        for c, n in cols.items():
            counts[(r, c)] = n
        counts[(r, TOTAL)] = sum(cols.values())
    counts[(TOTAL, TOTAL)] = sum(counts[(r, TOTAL)] for r in rows)
    return PublishedCounts(counts, withheld_counts(rule, rows), rule, public)
