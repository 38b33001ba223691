"""One store boundary (issue 28): no module outside metrics/store/ holds SQL of the system of
record. Every string literal (docstrings aside) of metrics/, ui/, pages/, bench/ and app.py is
read for a statement that names a stored table: SELECT ... FROM / JOIN, INSERT INTO, UPDATE
... SET, DELETE FROM, CREATE TABLE, or one of the store's sequences. The stored tables are read
from the migrations themselves (metrics/store/schema*.py), so a new table is covered at once.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from metrics.store.schema import MIGRATIONS

ROOT = Path(__file__).resolve().parents[2]
SEARCHED = ("metrics", "ui", "pages", "bench", "app.py")

# The in-memory DuckDB that reads and checks an upload or an EES file before anything is
# stored is an analysis engine of its own, not the store (metrics/store/__init__.py): its SQL
# stays with the checks it makes. It runs on tables of its own (the file being read), never
# on the system of record; listed here so that a stored table named in one of them is allowed
# only because the module is this engine.
CHECKING_ENGINE = {
    "metrics/ingest/validate.py",
    "metrics/ingest/rules.py",
    "metrics/ingest/passes.py",  # the rules' passes over the file (moved from rules.py)
    "metrics/ingest/typed.py",
    "metrics/ingest/lookups.py",
    "metrics/ingest/published/read.py",
    "metrics/ingest/published/select.py",
    "metrics/ingest/published/stage.py",
    "metrics/ingest/published/lait.py",  # LAIT's file read as EES columns
    "metrics/ingest/published/lait_extract.py",  # the shipped extract written from LAIT's file
}

# Statements allowed outside the store (matched by their start), each a benchmark's
# yardstick: a measurement DuckDB runs itself, not a query of the app. bench/ees.py,
# bench/ingest.py and bench/upload_memory.py time DuckDB reading a file into a table `t` of
# its own (an in-memory database or a file of the benchmark's, never the store);
# bench/__main__.py times one plain aggregate over the national-scale store.
ALLOWED_STATEMENTS = {
    ("bench/ees.py", "CREATE TABLE t AS SELECT * FROM read_csv("),
    ("bench/ingest.py", "CREATE TABLE t (indicator VARCHAR,"),
    ("bench/upload_memory.py", "CREATE TABLE t AS SELECT * FROM read_csv("),
    (
        "bench/__main__.py",
        "SELECT indicator_id, count(*), avg(value) FROM observations GROUP BY ALL",
    ),
}

# The review side's modules, moved into metrics/store/ on another branch (storea) at the same
# time as this test was written: they fail this test until that branch is merged. Each is an
# expected failure (strict: it must still fail), so THE COORDINATOR EMPTIES THIS SET AT MERGE,
# and the test then holds every module to the boundary.


def stored_names() -> set[str]:
    """The tables, views and sequences the migrations create."""
    text = "\n".join(s for migration in MIGRATIONS for s in migration)
    found = re.findall(
        r"CREATE\s+(?:TABLE|VIEW|SEQUENCE)\s+(?:IF\s+NOT\s+EXISTS\s+)?(\w+)", text, re.I
    )
    return {name.lower() for name in found}


def sql_pattern(names: set[str]) -> re.Pattern[str]:
    table = r"(?:" + "|".join(sorted(names, key=len, reverse=True)) + r")\b"
    return re.compile(
        r"\bSELECT\b[\s\S]*?\b(?:FROM|JOIN)\s+" + table
        + r"|\bINSERT\s+(?:OR\s+\w+\s+)?INTO\s+" + table
        + r"|\bUPDATE\s+" + table + r"\s+SET\b"
        + r"|\bDELETE\s+FROM\s+" + table
        + r"|\bCREATE\s+(?:OR\s+REPLACE\s+)?(?:TEMP\w*\s+)?TABLE\b"
        + r"|\bnextval\s*\(\s*'" + table,
        re.I,
    )  # fmt: skip


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def literals(source: str) -> list[tuple[int, str]]:
    """(line, text) of every string literal but docstrings; an f-string's text with `{}` for
    each placeholder."""
    tree = ast.parse(source)
    skip = _docstrings(tree)
    inside_fstrings = set()
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            parts = []
            for part in node.values:
                inside_fstrings.add(id(part))
                parts.append(part.value if isinstance(part, ast.Constant) else "{}")
            out.append((node.lineno, "".join(str(p) for p in parts)))
    for node in ast.walk(tree):
        is_text = isinstance(node, ast.Constant) and isinstance(node.value, str)
        if is_text and id(node) not in skip and id(node) not in inside_fstrings:
            out.append((node.lineno, node.value))  # type: ignore[attr-defined]
    return sorted(out)


def offences(root: Path, names: set[str] | None = None) -> dict[str, list[str]]:
    """Module (relative to `root`) -> the SQL of the system of record it holds, outside
    metrics/store/ and the allowed engine modules and statements."""
    pattern = sql_pattern(names or stored_names())
    found: dict[str, list[str]] = {}
    for top in SEARCHED:
        start = root / top
        files = [start] if start.is_file() else sorted(start.rglob("*.py"))
        for path in files:
            rel = path.relative_to(root).as_posix()
            if rel.startswith("metrics/store/") or rel in CHECKING_ENGINE:
                continue
            for line, text in literals(path.read_text(encoding="utf-8")):
                said = " ".join(text.split())
                if any(m == rel and said.startswith(a) for m, a in ALLOWED_STATEMENTS):
                    continue
                if match := pattern.search(text):
                    found.setdefault(rel, []).append(f"line {line}: {' '.join(match[0].split())}")
    return found


def test_no_sql_of_the_store_outside_it() -> None:
    found = offences(ROOT)
    assert found == {}, "SQL of the system of record outside metrics/store/: " + "; ".join(
        f"{m}: {v[0]}" for m, v in found.items()
    )


def test_the_allow_lists_name_real_files() -> None:
    """A renamed engine module must not leave a stale (and silently wider) allow-list."""
    listed = CHECKING_ENGINE | {m for m, _ in ALLOWED_STATEMENTS}
    assert sorted(m for m in listed if not (ROOT / m).is_file()) == []


def test_the_stored_tables_come_from_the_migrations() -> None:
    assert {"observations", "uploads", "audit", "actions", "obs_id_seq"} <= stored_names()


PLANTED = '''
"""A domain module with SQL put back: a docstring may say select from observations."""
from metrics.store.connection import Store

OPEN = """
SELECT o.indicator_id, o.value
FROM observations o WHERE o.area_code = $area
"""


def add(con, upload: int) -> None:
    con.execute(f"UPDATE uploads SET outcome = 'loaded' WHERE upload_id = {upload}")
    con.execute("INSERT INTO audit VALUES (nextval('audit_id_seq'), $at)", {"at": 1})
    con.execute("DELETE FROM actions WHERE action_id = $id", {"id": 1})
    con.execute("CREATE TABLE notes (x INTEGER)")
    con.execute("SELECT 1 FROM raw")  # a table of its own: not the store's
'''


def test_a_planted_module_is_found(tmp_path: Path) -> None:
    module = tmp_path / "metrics" / "assess" / "planted.py"
    module.parent.mkdir(parents=True)
    module.write_text(PLANTED)
    engine = tmp_path / "metrics" / "ingest" / "validate.py"  # the engine's own SQL: allowed
    engine.parent.mkdir(parents=True)
    engine.write_text('SQL = "SELECT * FROM observations"\n')
    store = tmp_path / "metrics" / "store" / "figures.py"  # the store's: allowed
    store.parent.mkdir(parents=True)
    store.write_text('SQL = "DELETE FROM observations"\n')
    found = offences(tmp_path)
    assert list(found) == ["metrics/assess/planted.py"]
    assert [f.split(":")[0] for f in found["metrics/assess/planted.py"]] == [
        "line 5",
        "line 12",
        "line 13",
        "line 14",
        "line 15",
    ]
