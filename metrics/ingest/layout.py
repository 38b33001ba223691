"""A provider's return in its own layout, read as a return in ours.

The layout (charter/providers/<file>.yaml) names the provider's columns for ours and maps
their codes (measure names, periods, localities, symbols) to ours. The file is turned into a
table with our column names, keeping the provider's row numbers, so the same checks as our
template's apply; `their_names` turns our column names in errors back into theirs.
"""

from __future__ import annotations

import re

import pyarrow as pa

from charter import Charter
from charter.providers import Layout
from metrics.ingest.lookups import nearest
from metrics.ingest.read import FileProblem, RawTable
from metrics.ingest.validate import RowError, Validation, normalise_header


def is_template(raw: RawTable) -> bool:
    """The file is in our template's layout (its header has our required columns)."""
    header = {normalise_header(h) for h in raw.header}
    return {"indicator", "period"} <= header and bool({"value", "numerator"} & header)


def apply(raw: RawTable, layout: Layout) -> tuple[RawTable, dict[str, str]]:
    """The file with our columns, and our column name -> theirs."""
    positions = {normalise_header(h): i for i, h in enumerate(raw.header) if h.strip()}
    wanted = {ours: theirs for ours, theirs in layout.columns.model_dump().items() if theirs}
    missing = [theirs for theirs in wanted.values() if normalise_header(theirs) not in positions]
    heads = [normalise_header(h) for h in raw.header]
    twice = [theirs for theirs in wanted.values() if heads.count(normalise_header(theirs)) > 1]
    if twice:  # one of them would be read and the other dropped without a word
        name = twice[0]
        columns = [i + 1 for i, h in enumerate(heads) if h == normalise_header(name)]
        raise FileProblem(
            f"The column {name!r} appears {len(columns)} times (columns "
            f"{', '.join(map(str, columns))}), and {layout.title!r} reads one. Keep one column "
            f"headed {name!r} (rename or delete the others) and upload the file again."
        )
    if missing:
        held = ", ".join(repr(h) for h in raw.header if h.strip())
        raise FileProblem(
            f"The file has no column {', '.join(repr(m) for m in missing)}, which "
            f"{layout.title!r} reads. Its columns are: {held}. Check that this is the right "
            "file (and sheet), send the council's template instead, or ask the council to "
            "update the layout."
        )
    n = raw.cells.num_rows
    cells = {
        ours: [c.strip() for c in raw.cells.column(positions[normalise_header(theirs)]).to_pylist()]
        for ours, theirs in wanted.items()
    }
    if layout.indicator:
        cells["indicator"] = [layout.indicator] * n
    else:
        cells["indicator"] = [layout.indicators.get(t, t) for t in cells["indicator"]]
    cells["period"] = [layout.periods.get(t, t) for t in cells["period"]]
    if layout.breakdown:
        groups = cells.pop("group")
        everyone = {"", layout.total}
        cells["breakdown"] = ["" if g in everyone else layout.breakdown for g in groups]
        cells["group"] = ["" if g in everyone else layout.groups.get(g, g) for g in groups]
    for figure in ("value", "numerator", "denominator"):
        if figure in cells:
            cells[figure] = [layout.symbols.get(t, t) for t in cells[figure]]
    header = list(cells)
    moved = {positions[normalise_header(wanted[o])]: header.index(o) for o in wanted if o in header}
    table = RawTable(
        header=header,
        cells=pa.table({f"c{i}": pa.array(cells[h], pa.string()) for i, h in enumerate(header)}),
        row_no=raw.row_no,
        notes=[*raw.notes, f"Read through the layout {layout.title!r}."],
        sheet=raw.sheet,
        ragged=raw.ragged,
        percent_cells={(r, moved[c]) for r, c in raw.percent_cells if c in moved},
        formula_gaps=[(r, moved[c]) for r, c in raw.formula_gaps if c in moved],
        records=raw.records,
    )
    names = dict(wanted)
    if layout.breakdown and layout.columns.group:
        names["breakdown"] = layout.columns.group
    return table, names


def their_names(result: Validation, names: dict[str, str]) -> Validation:
    """The errors with the provider's own column names."""
    if not names:
        return result
    result.errors = [
        RowError(e.row, names.get(e.column, e.column), e.value, e.problem, e.fix)
        for e in result.errors
    ]
    return result


def own_indicators(
    result: Validation, charter: Charter, provider: str, indicator_column: str
) -> Validation:
    """A provider sends only its own indicators: any other is an error naming who supplies
    it (checked on a valid file's rows)."""
    if not result.ok or result.staged is None:
        return result
    mine = set(charter.providers[provider].indicators)
    rows = result.staged.select(["row_no", "indicator_id"]).to_pylist()
    foreign = [r for r in rows if r["indicator_id"] not in mine]
    if not foreign:
        return result
    name = charter.providers[provider].name
    for r in foreign:
        ind = r["indicator_id"]
        other = charter.supplier(ind)
        by = charter.providers[other].name if other else "the council"
        result.errors.append(
            RowError(
                r["row_no"],
                indicator_column,
                ind,
                f"{ind} is supplied by {by}, not by {name}.",
                f"Remove the row. {name} sends: {', '.join(sorted(mine))}.",
            )
        )
    result.rejected_rows = len({r["row_no"] for r in foreign})
    result.error_total = len(result.errors)
    result.staged = None
    return result


def their_measures(charter: Charter, provider: str, layout: Layout | None) -> dict[str, str]:
    """Our indicator id -> what the provider calls it, for the indicators it supplies: its
    own measure names when its layout maps them, our ids otherwise."""
    supplied = charter.providers[provider].indicators
    named = {ours: theirs for theirs, ours in (layout.indicators if layout else {}).items()}
    return {ind: named.get(ind, ind) for ind in supplied}


def in_their_terms(
    result: Validation, charter: Charter, provider: str, layout: Layout | None
) -> Validation:
    """Errors in the provider's vocabulary (before `their_names` renames the columns): an
    unknown measure is matched against the measures it supplies, by the names it uses, and an
    unknown group against its own codes; our ids in the text become its measure names. A
    provider is never pointed at an indicator it does not supply."""
    measures = their_measures(charter, provider, layout)
    word = "measure" if layout and layout.indicators else "indicator"
    codes = {ours: theirs for theirs, ours in (layout.groups if layout else {}).items()}
    result.errors = [_reworded(e, measures, word, codes, layout) for e in result.errors]
    return result


def _reworded(
    error: RowError,
    measures: dict[str, str],
    word: str,
    codes: dict[str, str],
    layout: Layout | None,
) -> RowError:
    choices = ", ".join(repr(m) for m in measures.values())
    if error.column == "indicator" and error.problem.startswith("Unknown indicator"):
        near = nearest(error.value, list(measures.values()))
        hint = f"Did you mean {near!r}? " if near else ""
        return RowError(
            error.row,
            error.column,
            error.value,
            f"Unknown {word} {error.value!r}.",
            f"{hint}Use one of the {word}s you send: {choices}.",
        )
    if error.column == "group" and codes and error.problem.startswith("Unknown "):
        theirs = [*codes.values(), *([layout.total] if layout and layout.total else [])]
        near = nearest(error.value, theirs)
        hint = f"Did you mean {near!r}? " if near else ""
        return RowError(
            error.row,
            error.column,
            error.value,
            f"Unknown {layout.breakdown if layout else 'group'} code {error.value!r}.",
            f"{hint}Use one of: {', '.join(theirs)}.",
        )
    if word != "measure":
        return error
    ids = re.compile(
        r"(?<![\w-])("
        + "|".join(re.escape(i) for i in sorted(measures, key=len, reverse=True))
        + r")(?![\w-])"
    )

    def named(text: str) -> str:
        return ids.sub(lambda m: repr(measures[m.group(1)]), text)

    return RowError(error.row, error.column, error.value, named(error.problem), named(error.fix))


def own_area(result: Validation, charter: Charter, provider: str, area_column: str) -> Validation:
    """A provider sends figures for our council's area only (England's, a region's or another
    council's figures are published by DfE, not sent by a partner), unless its layout names
    other areas it may send (`areas`). Checked on a valid file's rows."""
    if not result.ok or result.staged is None:
        return result
    own = charter.layouts.get(provider)
    allowed = {charter.council.code, *(own.areas if own else [])}
    rows = result.staged.select(["row_no", "area_code"]).to_pylist()
    foreign = [r for r in rows if r["area_code"] not in allowed]
    if not foreign:
        return result
    name, council = charter.providers[provider].name, charter.council
    for r in foreign:
        code = r["area_code"]
        what = (
            council.england.name if code == council.england.code
            else council.region.name if code == council.region.code
            else "another council's area"
        )  # fmt: skip
        result.errors.append(
            RowError(
                r["row_no"],
                area_column,
                code,
                f"{code} is {what}: {name} sends figures for {council.name} only.",
                f"Leave the area empty (or write {council.code}) for {council.name}'s figures, "
                "and remove rows for other areas.",
            )
        )
    result.rejected_rows = len({r["row_no"] for r in foreign})
    result.error_total = len(result.errors)
    result.staged = None
    return result
