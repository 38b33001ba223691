"""The validation rules for a quarterly return, as SQL over the typed rows of the whole file
(see metrics/ingest/typed.py). Each rule selects the rows it finds wrong as (row_no,
column_name, value, problem, fix); the messages are written for an analyst.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    """One check: rows of `source` matching `where` are wrong in `column`.

    `value`, `problem` and `fix` are SQL expressions for the error's text. Rules over `typed`
    (with what CHECKED looks up beside it) are checked together in one pass over the file;
    a rule that compares rows with each other (duplicates) runs on its own.
    """

    column: str
    value: str
    problem: str
    fix: str
    where: str
    source: str = "typed"
    # What the rule reads: "row" (the row's own cells), or only what one look-up table
    # holds for the row: "key" (its indicator and period: `keymap`), "breakdown" (its
    # breakdown and group: `bmap`), "area" (its area: `amap`). A look-up's rule is asked in
    # a clean file's pass once per distinct text (metrics/ingest/passes.py), not per row.
    on: str = "row"


# The rows that may repeat another's key: those whose key's hash is shared. Grouping the
# 64-bit hashes first keeps a small table (the keys themselves of a 380,000-row file held
# 60 MB); rows of a key that repeats always share its hash, so the exact grouping over these
# rows finds every repeat, and a shared hash of different keys finds none.
KEY = "indicator_id, label, area_code, dim, lower(grp)"
_MAYBE_TWICE = (
    f"indicator_id IS NOT NULL AND label IS NOT NULL AND hash({KEY}) IN (SELECT hash({KEY}) "
    "FROM typed WHERE indicator_id IS NOT NULL AND label IS NOT NULL "
    f"GROUP BY hash({KEY}) HAVING count(*) > 1)"
)

RULES: list[Rule] = [
    Rule(
        "indicator",
        value="""indicator""",
        problem="""'The indicator is missing.'""",
        fix="""'Enter an indicator id from the Indicators sheet of the template.'""",
        where="""indicator = ''""",
        on="key",
    ),
    Rule(
        "indicator",
        value="""indicator""",
        problem="""'Unknown indicator ''' || indicator || '''.'""",
        fix="""coalesce('Did you mean ''' || isuggestion || '''? ', '') || 'Use an id from the Indicators sheet of the template.'""",
        where="""indicator <> '' AND indicator_id IS NULL""",
        on="key",
    ),
    Rule(
        "period",
        value="""period""",
        problem="""'The period is missing.'""",
        fix="""'Enter the period, for example ''' || kind_name || '''.'""",
        where="""period = '' AND indicator_id IS NOT NULL""",
        on="key",
    ),
    Rule(
        "period",
        value="""period""",
        problem="""perror""",
        fix="""CASE WHEN perror LIKE '%has not ended yet%' THEN 'Load this figure once the period has ended, or correct the period.' WHEN perror LIKE '%earliest year%' THEN 'Check the year: figures this old are not accepted.' ELSE 'Write the period like ''' || kind_name || '''.' END""",
        where="""period <> '' AND perror IS NOT NULL AND indicator_id IS NOT NULL""",
        on="key",
    ),
    Rule(
        "value",
        value="""value""",
        problem="""'The value is missing.'""",
        fix="""'Enter the figure, or x if it is not available, or give numerator and denominator.'""",
        where="""value = '' AND (numerator = '' OR denominator = '') AND indicator_id IS NOT NULL""",
    ),
    Rule(
        "value",
        value="""value""",
        problem="""'The value ''' || value || ''' is not a number or a recognised symbol.'""",
        fix="""'Enter a number such as 52.3, or one of the symbols x (not available), c (confidential), ' || 'z (not applicable), low (rounds to zero), u (low reliability). Use a full stop for decimals.'""",
        where="""value <> '' AND symbol IS NULL AND (v_num IS NULL OR NOT isfinite(v_num) OR odd_number(value, v_num))""",
    ),
    Rule(
        "value",
        value="""value""",
        problem="""'The value is written as a percentage but ' || indicator_id || ' is measured in ' || replace(unit, '_', ' ') || '.'""",
        fix="""'Remove the % sign and enter the figure in ' || replace(unit, '_', ' ') || '.'""",
        where="""v_pct AND v_num IS NOT NULL AND unit <> 'percent'""",
    ),
    Rule(
        "value",
        value="""value""",
        problem="""'A percentage must lie between 0 and 100; this is ' || value || '.'""",
        fix="""'Check the figure. Enter 45.2 for 45.2% (not 0.452, and not more than 100).'""",
        where="""unit = 'percent' AND v_num IS NOT NULL AND (v_num < 0 OR v_num > 100)""",
    ),
    Rule(
        "value",
        value="""value""",
        problem="""'The value is negative; a ' || replace(unit, '_', ' ') || ' cannot be below zero.'""",
        fix="""'Check the figure and enter it without a minus sign.'""",
        where="""unit <> 'percent' AND v_num IS NOT NULL AND v_num < 0""",
    ),
    Rule(
        "value",
        value="""value""",
        problem="""'A count must be a whole number; this is ' || value || '.'""",
        fix="""'Enter the number of children, families or events, without decimals.'""",
        where="""unit = 'count' AND v_num IS NOT NULL AND v_num >= 0 AND v_num <> floor(v_num)""",
    ),
    Rule(
        "value",
        value="""value""",
        problem="""'The symbol ''' || symbol || ''' stands instead of the figure, ' || 'so numerator and denominator must be empty.'""",
        fix="""'Either enter the figure or the symbol with numerator and denominator left empty.'""",
        where="""symbol IS NOT NULL AND (numerator <> '' OR denominator <> '')""",
    ),
    Rule(
        "numerator",
        value="""numerator""",
        problem="""'The numerator ''' || numerator || ''' is not a number.'""",
        fix="""'Enter a whole number, or leave it empty.'""",
        where="""numerator <> '' AND (n_num IS NULL OR NOT isfinite(n_num) OR odd_number(numerator, n_num))""",
    ),
    Rule(
        "denominator",
        value="""denominator""",
        problem="""'The denominator ''' || denominator || ''' is not a number.'""",
        fix="""'Enter a whole number, or leave it empty.'""",
        where="""denominator <> '' AND (d_num IS NULL OR NOT isfinite(d_num) OR odd_number(denominator, d_num))""",
    ),
    Rule(
        "numerator",
        value="""numerator""",
        problem="""'The numerator is given without a denominator.'""",
        fix="""'Give both numerator and denominator, or neither.'""",
        where="""numerator <> '' AND denominator = ''""",
    ),
    Rule(
        "denominator",
        value="""denominator""",
        problem="""'The denominator is given without a numerator.'""",
        fix="""'Give both numerator and denominator, or neither.'""",
        where="""denominator <> '' AND numerator = ''""",
    ),
    Rule(
        "numerator",
        value="""numerator""",
        problem="""indicator_id || ' is measured in ' || replace(unit, '_', ' ') || ', so it has no numerator or denominator.'""",
        fix="""'Leave numerator and denominator empty for this indicator.'""",
        where="""multiplier IS NULL AND indicator_id IS NOT NULL AND (numerator <> '' OR denominator <> '')""",
    ),
    Rule(
        "numerator",
        value="""numerator""",
        problem="""'The numerator is negative.'""",
        fix="""'Enter the number counted, without a minus sign.'""",
        where="""n_num < 0""",
    ),
    Rule(
        "denominator",
        value="""denominator""",
        problem="""'The denominator must be more than zero; it is ' || denominator || '.'""",
        fix="""'Enter the number the figure is out of. If it is 0, enter the value as z.'""",
        where="""d_num < 0 OR (d_num = 0 AND (n_num IS NULL OR n_num <> 0 OR multiplier IS NULL))""",
    ),
    Rule(
        "numerator",
        value="""numerator""",
        problem="""'The numerator (' || numerator || ') is greater than the denominator (' || denominator || ').'""",
        fix="""'Check that the two are not swapped: the numerator is part of the denominator.'""",
        where="""multiplier IS NOT NULL AND n_num >= 0 AND d_num > 0 AND n_num > d_num""",
    ),
    Rule(
        "value",
        value="""value""",
        problem="""'The value ' || value || ' does not match numerator / denominator (' || numerator || ' / ' || denominator || ' = ' || ratio_half_up(n_num, d_num, multiplier, greatest(decimals, v_decimals)::INTEGER)::VARCHAR || ').'""",
        fix="""'Correct the value, numerator or denominator, or leave the value empty to have it worked out.'""",
        where="""multiplier IS NOT NULL AND v_num IS NOT NULL AND n_num >= 0 AND d_num > 0 AND n_num <= d_num AND abs(v_num - n_num / d_num * multiplier) > 0.5 * pow(10, -least(decimals, v_decimals)) + 1e-9""",
    ),
    Rule(
        "breakdown",
        value="""breakdown""",
        problem="""'A breakdown is given without a group.'""",
        fix="""'Enter the group (for example a locality name), or leave both empty for the total.'""",
        where="""breakdown <> '' AND grp = ''""",
        on="breakdown",
    ),
    Rule(
        "group",
        value="""grp""",
        problem="""'A group is given without a breakdown.'""",
        fix="""'Enter the breakdown dimension (for example locality), or leave both empty for the total.'""",
        where="""grp <> '' AND breakdown = ''""",
        on="breakdown",
    ),
    Rule(
        "breakdown",
        value="""breakdown""",
        problem="""'Unknown breakdown ''' || breakdown || '''.'""",
        fix="""'Use one of: ' || (SELECT choices FROM dim_choices) || '.'""",
        where="""breakdown <> '' AND dim IS NULL""",
        on="breakdown",
    ),
    Rule(
        "breakdown",
        value="""breakdown""",
        problem="""indicator_id || ' is not broken down by ' || dim || '.'""",
        fix="""CASE WHEN len(allowed) = 0 THEN 'Leave breakdown and group empty: this indicator has totals only.' ELSE 'Use one of: ' || array_to_string(allowed, ', ') || '.' END""",
        where="""dim IS NOT NULL AND indicator_id IS NOT NULL AND NOT list_contains(allowed, dim)""",
    ),
    Rule(
        "group",
        value="""grp""",
        problem="""'Unknown ' || replace(dim, '_', ' ') || ' group ''' || grp || '''.'""",
        fix="""coalesce('Did you mean ''' || gsuggestion || '''? ', '') || 'Use one of: ' || gchoices || '.'""",
        where="""dim IS NOT NULL AND grp <> '' AND grp_canonical IS NULL""",
        on="breakdown",
    ),
    Rule(
        "area",
        value="""area""",
        problem="""'The area code ''' || area || ''' is not a GSS code.'""",
        fix="""'Use a 9-character code such as E92000001 (England), or leave it empty for our council.'""",
        where="""NOT gss""",
        on="area",
    ),
    Rule(
        "area",
        value="""area""",
        problem="""'The area code ''' || area || ''' is not England, an English region or a council we know of.'""",
        fix="""'Use E92000001 for England, a region''s E12 code or a council''s code as DfE publishes it, or leave the area empty for our council.'""",
        where="""gss AND NOT known_area""",
        on="area",
    ),
    Rule(
        "status",
        value="""status""",
        problem="""'The status ''' || status || ''' is not recognised.'""",
        fix="""'Enter final or provisional, or leave it empty for final.'""",
        where="""status_word NOT IN ('final', 'provisional')""",
    ),
    Rule(
        "value",
        value="""value""",
        problem="""'This cell holds a formula whose result was never saved.'""",
        fix="""'Open the file in Excel, let it calculate, save it and upload it again.'""",
        where="""formula_gap""",
    ),
    Rule(
        "indicator",
        value="""t.indicator""",
        problem="""'The same indicator, period, area and breakdown group appears more than once (first at row ' || d.first_row::VARCHAR || ').'""",
        fix="""'Keep one row for each indicator, period, area and group, and delete the others.'""",
        where="""t.row_no <> d.first_row""",
        source=f"""typed t JOIN (SELECT indicator_id, label, area_code, dim, lower(grp) AS grp_key, min(row_no) AS first_row FROM typed WHERE {_MAYBE_TWICE} GROUP BY ALL HAVING count(*) > 1) d ON d.indicator_id = t.indicator_id AND d.label = t.label AND d.area_code = t.area_code AND d.dim IS NOT DISTINCT FROM t.dim AND d.grp_key = lower(t.grp)""",
    ),
    Rule(
        "",
        value="""extra""",
        problem="""'This row has values in columns without a header.'""",
        fix="""'Delete the values to the right of the last column, or name the column.'""",
        where="""extra <> ''""",
    ),
]
