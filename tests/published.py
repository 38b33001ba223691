"""A published release for the tests: England's figure for one year of one indicator,
imported as an analyst imports a DfE release (a mapping file and the release's CSV)."""

from __future__ import annotations

from pathlib import Path

import yaml

from charter.ees_models import load_mapping
from metrics.ingest.published.ees import import_ees
from metrics.store.connection import Store


def import_england_year(store: Store, charter, folder: Path, indicator: str) -> None:
    """England's 2021 rate (59.9) for `indicator`, through the real import."""
    mapping = folder / "m.yaml"
    mapping.write_text(
        yaml.safe_dump(
            {
                "title": "Decisions", "file": "d.csv", "source": "test",
                "measures": [{"indicator": indicator, "value": "Rate"}],
            }
        )
    )  # fmt: skip
    release = (
        b"time_period,time_identifier,geographic_level,country_code,country_name,Rate\n"
        b"2021,Calendar year,National,E92000001,England,59.9\n"
    )
    report = import_ees(store, charter, "d.csv", release, load_mapping(mapping, charter), by="t")
    assert report.ok, report
