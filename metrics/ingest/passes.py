"""The passes over a checked file's rows that the rules (metrics/ingest/rules.py) make:
the one pass of a clean file (CLEAN_PASS), the errors of a wrong one (ERRORS) and the exact
count of repeated keys (REPEATED)."""

from __future__ import annotations

from metrics.ingest import typed
from metrics.ingest.rules import KEY, RULES, Rule


def any_wrong(rules: list[Rule]) -> str:
    """Whether a row breaks any of the one-pass rules (NULL counts as not)."""
    return " OR ".join(f"({r.where})" for r in rules if r.source == "typed")


# The look-ups whose rules (`Rule.on`) are asked once per distinct text of the file, each
# with its columns under the names the rules read. `lookups.flag_lookups` adds to each a
# column `wrong_<on>`: whether a row with that text breaks any of them.
LOOKUP_RULES = {
    "key": ("keymap", {"indicator": "indicator_text", "period": "period_text"}),
    "breakdown": ("bmap", {"breakdown": "breakdown_text", "grp": "grp_text"}),
    "area": ("amap", {"area": "area_text"}),
}
GSS = "regexp_full_match({code}, '[A-Z][0-9]{{8}}')"  # a GSS code's shape

# Each distinct area text of the file: its code, whether it is shaped like a GSS code and
# whether it is one we know (what CHECKED works out for every row).
AMAP = f"""
CREATE OR REPLACE TEMP TABLE amap AS
SELECT a.*, {GSS.format(code="a.area_code")} AS gss, ka.code IS NOT NULL AS known_area
FROM (SELECT area AS area_text, {typed.AREA_CODE.format(area="area")} AS area_code
      FROM (SELECT DISTINCT area FROM src)) a
LEFT JOIN known_area ka ON ka.code = a.area_code
"""


def errors_sql(rules: list[Rule]) -> str:
    single = [r for r in rules if r.source == "typed"]
    checks = ",\n".join(
        f"CASE WHEN {r.where} THEN {{'column_name': '{r.column}', 'value': {r.value}, "
        f"'problem': {r.problem}, 'fix': {r.fix}}} END"
        for r in single
    )
    # The cheap test first: most files are clean, and no error text is built for clean rows.
    one_pass = (
        "SELECT row_no, e.column_name, e.value, e.problem, e.fix FROM (SELECT row_no, "
        f"unnest(list_filter([{checks}], lambda x: x IS NOT NULL)) AS e "
        f"FROM (SELECT * FROM ({CHECKED}) WHERE {any_wrong(rules)}))"
    )
    joined = [
        f"SELECT {'t.' if ' t ' in r.source + ' ' else ''}row_no, '{r.column}', {r.value}, "
        f"{r.problem}, {r.fix} FROM {r.source} WHERE {r.where}"
        for r in rules
        if r.source != "typed"
    ]
    return "SELECT * FROM (" + " UNION ALL ".join([one_pass, *joined]) + ") ORDER BY ALL"


# The one pass reads `typed` with the look-ups that rules name beside each row (the
# charter's indicator, suggestions for unknown names, whether the area is known): one scan of
# the file instead of one per rule that joins. Each look-up has one row per key, so a row of
# `typed` stays one row.
CHECKED = """
SELECT t.*, i.kind_name, i.allowed, ig.suggestion AS isuggestion, g.suggestion AS gsuggestion,
       g.choices AS gchoices, ka.code IS NOT NULL AS known_area,
       {gss} AS gss
FROM typed t
LEFT JOIN ind i ON i.id = t.indicator_id
LEFT JOIN isugg ig ON ig.text = t.indicator
LEFT JOIN gsugg g ON g.dim = t.dim AND g.text = t.grp
LEFT JOIN known_area ka ON ka.code = t.area_code
""".replace("{gss}", GSS.format(code="t.area_code"))

ERRORS = errors_sql(RULES)

# A clean file in one pass: the rows to store (typed.STAGED_COLUMNS), whether each is 0 of 0,
# whether any rule finds it wrong (then ERRORS says what is wrong, in a pass of its own), and
# the hash of its key: in a file with no wrong row every key is known (an indicator and a
# period), so keys that repeat show as a hash that repeats, and only then is REPEATED asked.
# The rules of a look-up's text are read from the look-up (`flag_lookups`: a missing flag
# counts as wrong, so that ERRORS is asked), the others asked of each row; only the
# look-ups those read are joined (not the suggestions, nor the known areas row by row).
# (`wrong` is worked out in the inner select, where `value`, `period`, `symbol` ... are
# still the typed columns, not the stored ones the outer select names so.)
CLEAN_CHECKED = """
SELECT t.*, i.allowed, a.wrong_area
FROM typed t
LEFT JOIN ind i ON i.id = t.indicator_id
LEFT JOIN amap a ON a.area_text = t.area
"""
_ROW_WRONG = " OR ".join(f"({r.where})" for r in RULES if r.source == "typed" and r.on == "row")
_WRONG = f"coalesce({_ROW_WRONG}, false) OR " + " OR ".join(
    f"coalesce(wrong_{on}, true)" for on in LOOKUP_RULES
)
CLEAN_PASS = (
    f"SELECT {typed.STAGED_COLUMNS}, zero_of_zero, wrong, key_hash FROM (SELECT *, "
    f"{_WRONG} AS wrong, hash({KEY}) AS key_hash FROM (SELECT *, "
    f"{typed.ZERO_OF_ZERO} AS zero_of_zero FROM ({CLEAN_CHECKED})))"
)

# How many rows repeat an earlier row's figure (the rule that compares rows): asked only when
# the one pass found a key's hash twice (a shared hash of different keys finds none).
REPEATED = "".join(
    f"SELECT count(*) FROM {r.source} WHERE {r.where}" for r in RULES if r.source != "typed"
)
