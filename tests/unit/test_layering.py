"""Layering is enforced by a test: the domain and the charter never import streamlit."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

from tests.conftest import ROOT


def test_metrics_and_charter_do_not_import_streamlit():
    import charter
    import metrics

    modules = [
        m.name
        for pkg in (metrics, charter)
        for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + ".")
    ]
    modules = [m for m in modules if not m.endswith("__main__")]
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('streamlit', 'plotly')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout.strip()
    assert "streamlit" not in out, out
    assert len(modules) > 8
