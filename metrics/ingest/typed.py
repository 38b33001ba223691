"""How a quarterly return's text becomes typed rows, in SQL over the whole file at once.

`typed` holds one row per data row of the file with the text as typed (`indicator`, `period`,
`value`, ...), what was looked up (`indicator_id`, `unit`, the parsed period) and what was
parsed (`v_num`, `symbol`, `n_num`, `d_num`). STAGED_COLUMNS are what a clean file stores.
The checks on these rows are in metrics/ingest/rules.py.
"""

from __future__ import annotations

from metrics.rounding import SQL_MACROS

MACROS = [
    # Text as typed -> number: "1,234" -> 1234, "45%" -> 45; NULL when it is not a number.
    # The plain-number case is tried first: it is nearly every cell, and regexes are slow.
    r"""CREATE OR REPLACE TEMP MACRO as_number(t) AS
        coalesce(TRY_CAST(t AS DOUBLE), CASE WHEN t = '' THEN NULL
             ELSE TRY_CAST(CASE WHEN regexp_full_match(regexp_replace(t, '\s*%$', ''),
                                                       '[+-]?\d{1,3}(,\d{3})+(\.\d*)?')
                                THEN replace(regexp_replace(t, '\s*%$', ''), ',', '')
                                ELSE regexp_replace(t, '\s*%$', '') END AS DOUBLE) END)""",
    # Not numbers an analyst typed, though DuckDB reads them: digit separators ("1_000"), a
    # negative zero ("-0") and a value too small to hold ("1e-400" would be stored as 0).
    # A rule (metrics/ingest/rules.py), not part of as_number: cheap on the rows it touches.
    # The zero's tests under a CASE: DuckDB works out both sides of an AND for every row of
    # a projection, but a CASE's branch only for the rows it selects, so the regex runs on
    # the zeros (and the rows that are no number) alone, with the same three-valued answer
    # (the one pass's CPU, one thread, for a 100,000-row return: 0.15 s -> 0.12 s).
    r"""CREATE OR REPLACE TEMP MACRO odd_number(t, n) AS
        strpos(t, '_') > 0
        OR CASE WHEN n = 0 OR n IS NULL
                THEN n = 0 AND (starts_with(t, '-') OR regexp_matches(t, '[1-9]'))
                ELSE false END""",
    r"""CREATE OR REPLACE TEMP MACRO as_symbol(t) AS
        CASE WHEN length(t) BETWEEN 1 AND 5
              AND lower(trim(t, '[]')) IN ('x', 'c', 'z', 'low', 'u')
             THEN lower(trim(t, '[]')) END""",
    r"""CREATE OR REPLACE TEMP MACRO decimals_typed(t) AS
        CASE WHEN strpos(t, '.') > 0
             THEN length(t) - strpos(t, '.') - CASE WHEN t LIKE '%\%%' ESCAPE '\' THEN 1 ELSE 0 END
             ELSE 0 END""",
    *SQL_MACROS,  # the one rounding rule (half up), for worked-out figures
]

# A row's area: its code as typed, in capitals, or our council's when it is left empty.
AREA_CODE = "CASE WHEN {area} = '' THEN $council ELSE upper({area}) END"

TYPED = r"""
CREATE OR REPLACE TEMP VIEW typed AS
SELECT s.row_no, s.indicator, s.period, s.value, s.area, s.breakdown, s.grp, s.numerator,
       s.denominator, s.status, s.note, s.formula_gap, s.extra,
       k.indicator_id, k.unit, k.decimals, k.multiplier,
       k.label, k.kind, k.pstart, k.pend, k.perror,
       as_symbol(s.value) AS symbol,
       as_number(s.value) AS v_num,
       as_number(s.numerator) AS n_num,
       as_number(s.denominator) AS d_num,
       (s.value LIKE '%\%' ESCAPE '\' OR s.value_pct) AS v_pct,
       decimals_typed(s.value) AS v_decimals,
       b.dim, b.grp_canonical, k.wrong_key, b.wrong_breakdown,
       {area_code} AS area_code,
       CASE WHEN s.status = '' THEN 'final' ELSE lower(s.status) END AS status_word
FROM src s
LEFT JOIN keymap k ON k.indicator_text = s.indicator AND k.period_text = s.period
LEFT JOIN bmap b ON b.breakdown_text = s.breakdown AND b.grp_text = s.grp
""".replace("{area_code}", AREA_CODE.format(area="s.area"))

# What a clean file stores, a row for each row of `typed` (with its `zero_of_zero`, and
# whether a rule finds it `wrong`, beside it): the select list of the one pass that also
# checks every row (passes.CLEAN_PASS). A wrong row's value is not worked out: its numbers
# may be anything (infinity cannot be rounded).
STAGED_COLUMNS = """
row_no, indicator_id, label AS period, kind AS period_kind, pstart AS period_start,
       pend AS period_end, area_code, coalesce(dim, '') AS breakdown,
       coalesce(grp_canonical, '') AS grp,
       CASE WHEN wrong THEN NULL  -- (a wrong row is never stored: nothing to work out)
            WHEN symbol IS NOT NULL OR zero_of_zero THEN NULL
            WHEN v_num IS NOT NULL THEN v_num
            -- worked out, then rounded as the indicator shows it: sending the same numerator
            -- and denominator again must be "unchanged", never a revision of 78.7879 to 78.8;
            -- half up, as DfE publishes (52 / 64 is 81.3), as every figure (metrics/rounding)
            ELSE ratio_half_up(n_num, d_num, multiplier, decimals) END AS value,
       n_num AS numerator, d_num AS denominator,
       -- 0 of 0 is not a percentage (nor 0%): not applicable, as DfE publishes it
       CASE WHEN zero_of_zero THEN 'z' ELSE symbol END AS symbol,
       status_word AS status, nullif(note, '') AS note, 'local' AS origin
"""

# A figure sent as 0 of 0, stored as z: the loader says so (a warning, not an error).
ZERO_OF_ZERO = "coalesce(multiplier IS NOT NULL AND d_num = 0 AND n_num = 0, false)"
