"""Forecasts kept in the store by what they were computed from (issue 34): a pack's
projections were some 130 model fits, so each forecast is made once per run of figures and
read back after, on either backend, without bumping the data version, and the same numbers
to the last bit."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from metrics.assess import forecast as fc, forecast_kept as kept
from metrics.store import forecasts as stored
from metrics.store.connection import Store, keeping

ROOT = Path(__file__).resolve().parents[2]
AHEAD = ["2027-28 Q1", "2027-28 Q2", "2027-28 Q3", "2027-28 Q4"]
VALUES = [50.0 + 1.5 * i + (i % 3) * 0.7 for i in range(12)]
BOUNDS = (0.0, 100.0)


def _rows(store: Store) -> int:
    with store.connect() as con:
        return int(con.execute("SELECT count(*) FROM forecasts_kept").fetchall()[0][0])


def test_a_kept_forecast_is_the_one_made_to_the_last_bit(store):
    made = fc.forecast(VALUES, AHEAD, BOUNDS)
    assert made.made
    first = kept.forecast(store, VALUES, AHEAD, BOUNDS)  # made (or from this process) and kept
    assert _rows(store) == 1
    again = kept.forecast(store, VALUES, AHEAD, BOUNDS)  # read back from the store
    assert first == again == made
    assert [p.central for p in again.points] == [p.central for p in made.points]
    assert _rows(store) == 1
    assert kept.from_json(kept.to_json(made)) == made


def test_what_is_kept_is_what_is_used(store):
    """The forecast comes from the store when it holds one for the same figures (a kept
    forecast altered by hand shows through), so nothing is fitted again."""
    key = kept.key(VALUES, AHEAD, BOUNDS)
    made = fc.forecast(VALUES, AHEAD, BOUNDS)
    altered = replace(made, points=tuple(replace(p, central=12.5) for p in made.points))
    with store.connect() as con:
        stored.keep(con, key, kept.to_json(altered), datetime(2026, 12, 3))
    assert kept.forecast(store, VALUES, AHEAD, BOUNDS) == altered


def test_keeping_a_forecast_leaves_the_data_version_alone(store):
    """Derived data: every page's cache is keyed on the data version, and a pack made after
    a load must not make every page cold again."""
    before = store.version()
    kept.forecast(store, VALUES, AHEAD, BOUNDS)
    assert _rows(store) == 1
    assert store.version() == before


def test_too_few_figures_are_not_kept_and_say_why(store):
    found = kept.forecast(store, VALUES[:5], AHEAD, BOUNDS)
    assert not found.made and "Too few figures" in (found.why_none or "")
    assert _rows(store) == 0


def test_any_change_to_what_it_is_made_from_is_a_new_key():
    key = kept.key(VALUES, AHEAD, BOUNDS)
    assert kept.key(list(VALUES), list(AHEAD), BOUNDS) == key
    assert kept.key([*VALUES[:-1], VALUES[-1] + 1e-9], AHEAD, BOUNDS) != key  # a revision
    assert kept.key(VALUES, AHEAD[:3], BOUNDS) != key
    assert kept.key(VALUES, AHEAD, (0.0, float("inf"))) != key
    made_by = kept._made_by()
    assert set(made_by["libraries"]) == {"statsmodels", "scipy", "numpy"}  # type: ignore[arg-type]
    assert (
        made_by["code"] == __import__("hashlib").sha256(Path(fc.__file__).read_bytes()).hexdigest()
    )


SCRIPT = """
import sys
from charter import load_charter
from metrics import packs
from metrics.access.people import command_line
from metrics.store.connection import Store, keeping
store = Store(sys.argv[1])
charter = load_charter()
packs.make(store, charter, "2026-27 Q2", "scrutiny", ("html",), command_line("t"), queue=None)
print("statsmodels" in sys.modules)
"""


def test_only_the_first_pack_after_the_figures_change_fits_anything(demo_store):
    """Each pack in a fresh process, as `python -m metrics pack` makes it: the first fits
    the measures' forecasts (statsmodels is imported), the second reads them all."""

    def fitted() -> bool:
        done = subprocess.run(
            [sys.executable, "-c", SCRIPT, str(demo_store.path)],
            capture_output=True, text=True, cwd=ROOT, check=True,
        )  # fmt: skip
        return json.loads(done.stdout.strip().splitlines()[-1].lower())

    # The copy starts from the shared demo, where an earlier test in this process may have
    # kept forecasts (an outlook or a pack read from it): start with none kept.
    with demo_store.connect() as con, keeping(con):
        con.execute("DELETE FROM forecasts_kept")
    assert _rows(demo_store) == 0
    assert fitted() is True
    assert _rows(demo_store) > 0
    assert fitted() is False
