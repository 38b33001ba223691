"""The demo council, Wrenfield (fictional): a deterministic dataset for the demo and the tests.

Its figures (figures.py, telling the stories in stories.py) are loaded through the same
validation and commit path as a real return, in three uploads: the history, the latest
quarter, and a revision (returns.py). Then the published figures beside them, the previous
quarter's review, the evidence, the self-review, a councillor's question and the needs
baseline.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from charter import Charter
from metrics.demo.evidence import seed_evidence
from metrics.demo.figures import demo_rows
from metrics.demo.needs import seed_needs
from metrics.demo.published import lait_indicators, seed_published
from metrics.demo.reminders import seed_question
from metrics.demo.returns import load_returns
from metrics.demo.review import seed_previous_quarter, seed_self_review
from metrics.demo.stories import DEMO_LATEST, DEMO_USER
from metrics.ingest import LoadReport
from metrics.store.connection import Store


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def build_demo(store: Store, charter: Charter, out_dir: Path | None = None) -> list[LoadReport]:
    """The whole demo in `store`: its three returns (written to `out_dir` if given), then
    everything beside them."""
    rows = demo_rows(charter)
    reports = load_returns(store, charter, rows, out_dir)
    quarterly = {
        i.id: {r.period: float(r.value) for r in rows
               if r.indicator == i.id and not r.area and not r.breakdown and _is_number(r.value)}
        for i in charter.indicators.values()
        if i.id in lait_indicators(charter) and i.frequency == "quarterly"
    }  # fmt: skip
    seed_published(store, charter, quarterly, DEMO_USER)
    seed_previous_quarter(store, charter, DEMO_LATEST)
    evidence = seed_evidence(store, charter, DEMO_LATEST.end + timedelta(days=56))
    seed_self_review(store, charter, evidence)
    seed_question(store, charter)
    seed_needs(store, charter, DEMO_LATEST, DEMO_USER)
    return reports
