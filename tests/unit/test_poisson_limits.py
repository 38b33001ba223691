"""The Poisson limits kept for the needs baseline (issue 34): every kept pair is SciPy's to
the last bit, counts and levels the table does not hold are SciPy's too, a changed table is
refused, and a needs baseline made in a fresh process does not import SciPy."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from metrics.leadership import poisson_limits as kept
from metrics.leadership.needs import poisson_interval
from metrics.store.connection import Store

ROOT = Path(__file__).resolve().parents[2]


def test_the_shipped_table_is_what_scipy_works_out_now():
    """Each of the 20,000 pairs as `from_scipy` gives it (chi2.ppf's numbers: the needs
    baseline's tests check those), and the checksum the module trusts is the file's."""
    data = kept.TABLE.read_bytes()
    assert data == kept.table_bytes()
    assert hashlib.sha256(data).hexdigest() == kept.TABLE_SHA256
    assert len(data) == kept.COUNTS * kept.PAIR.size


@pytest.mark.parametrize("count", [0, 1, 40, 2500, kept.COUNTS - 1, kept.COUNTS, 31_337])
@pytest.mark.parametrize("level", [0.95, 0.8])
def test_every_count_and_level_is_scipys(count: int, level: float):
    from scipy.stats import chi2

    tail = (1 - level) / 2
    low = 0.0 if count == 0 else float(chi2.ppf(tail, 2 * count)) / 2
    high = float(chi2.ppf(1 - tail, 2 * count + 2)) / 2
    assert poisson_interval(count, level) == (low, high) == kept.from_scipy(count, level)


def test_a_changed_table_is_refused_and_a_missing_one_worked_out_by_scipy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    changed = bytearray(kept.TABLE.read_bytes())
    changed[40 * kept.PAIR.size] ^= 1  # the last bit of 40's low limit
    copy = tmp_path / "poisson_limits_95.bin"
    copy.write_bytes(bytes(changed))
    monkeypatch.setattr(kept, "TABLE", copy)
    kept._table.cache_clear()
    try:
        with pytest.raises(kept.DamagedTable, match="not the table SciPy wrote"):
            poisson_interval(40)
        monkeypatch.setattr(kept, "TABLE", tmp_path / "gone.bin")  # missing: SciPy's
        kept._table.cache_clear()
        assert poisson_interval(40) == kept.from_scipy(40, 0.95)
        assert kept.limits(40.0, 0.95) == kept.from_scipy(40, 0.95)  # a whole float too
        assert poisson_interval(kept.COUNTS + 1) == kept.from_scipy(kept.COUNTS + 1, 0.95)
    finally:
        kept._table.cache_clear()


SCRIPT = """
import sys
from charter import load_charter
from metrics.leadership.needs import baseline
from metrics.store.connection import Store
made = baseline(Store(sys.argv[1]), load_charter())
assert made.localities and made.council.high > made.council.low > 0
print("scipy" in sys.modules)
"""


def test_a_needs_baseline_does_not_import_scipy(demo_store: Store):
    """In a fresh process, as `python -m metrics pack` makes the needs section: the demo's
    264 intervals come from the table (importing scipy.special was 0.1-0.5 s of a pack)."""
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(demo_store.path)],
        capture_output=True, text=True, cwd=ROOT, check=True,
    )  # fmt: skip
    assert done.stdout.strip().splitlines()[-1] == "False"
