"""The passes over a checked file's rows that the rules (metrics/ingest/rules.py) make:
the one pass of a clean file (CLEAN_PASS), the errors of a wrong one (ERRORS) and the exact
count of repeated keys (REPEATED)."""

from __future__ import annotations

from metrics.ingest import typed
from metrics.ingest.rules import KEY, RULES, Rule


def any_wrong(rules: list[Rule]) -> str:
    """Whether a row breaks any of the one-pass rules (NULL counts as not)."""
    return " OR ".join(f"({r.where})" for r in rules if r.source == "typed")


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
       regexp_full_match(t.area_code, '[A-Z][0-9]{8}') AS gss
FROM typed t
LEFT JOIN ind i ON i.id = t.indicator_id
LEFT JOIN isugg ig ON ig.text = t.indicator
LEFT JOIN gsugg g ON g.dim = t.dim AND g.text = t.grp
LEFT JOIN known_area ka ON ka.code = t.area_code
"""

ERRORS = errors_sql(RULES)

# A clean file in one pass: the rows to store (typed.STAGED_COLUMNS), whether each is 0 of 0,
# whether any rule finds it wrong (then ERRORS says what is wrong, in a pass of its own), and
# the hash of its key: in a file with no wrong row every key is known (an indicator and a
# period), so keys that repeat show as a hash that repeats, and only then is REPEATED asked.
# (`wrong` is worked out in the inner select, where `value`, `period`, `symbol` ... are
# still the typed columns, not the stored ones the outer select names so.)
CLEAN_PASS = (
    f"SELECT {typed.STAGED_COLUMNS}, zero_of_zero, wrong, key_hash FROM (SELECT *, "
    f"coalesce({any_wrong(RULES)}, false) AS wrong, hash({KEY}) AS key_hash FROM (SELECT *, "
    f"{typed.ZERO_OF_ZERO} AS zero_of_zero FROM ({CHECKED})))"
)

# How many rows repeat an earlier row's figure (the rule that compares rows): asked only when
# the one pass found a key's hash twice (a shared hash of different keys finds none).
REPEATED = "".join(
    f"SELECT count(*) FROM {r.source} WHERE {r.where}" for r in RULES if r.source != "typed"
)
