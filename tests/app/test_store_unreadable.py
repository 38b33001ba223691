"""A store that cannot be read gives every page the app's plain message, from the first read
of a run (found by a review on PostgreSQL: with the database down, a wrong password or a
newer schema, every page showed Streamlit's generic crash page, as the first read, the
read-ahead of `ui.page`, was outside the plain failure)."""

from __future__ import annotations

import pytest

import ui


@pytest.mark.parametrize("path", [ui.OVERVIEW, "pages/2_Indicator.py", "pages/9_Review.py"])
def test_an_unreadable_store_is_said_plainly(fresh, tmp_path, monkeypatch, path):
    broken = tmp_path / "outcomes.duckdb"
    broken.write_bytes(b"this is not a DuckDB database, but a file of the same name\n" * 100)
    page = fresh(path)
    monkeypatch.setenv("OUTCOMES_DB", str(broken))
    at = page.run()
    assert not at.exception, at.exception
    said = " ".join(e.value for e in at.error)
    assert "database" in said.lower() and str(broken) not in said, said
