"""The demo among real councils: every council's, region's and England's published figures
from the LAIT extract shipped with the app (metrics/reference/lait_sen.parquet, real, DfE),
and the fictional council's own "published" yearly figures beside them, made up from its
quarterly demo returns so that it can be ranked among the real councils.

Only Wrenfield's figures are made up (their source says so: "demo (fictional)"); every other
council's, region's and England's figures for the mapped indicators are DfE's, as LAIT
published them.
"""

from __future__ import annotations

import statistics
from collections import defaultdict

from charter import Charter
from charter.ees_models import Mapping, Measure
from charter.lait_models import LAIT_DIR, load_lait_mapping
from metrics.ingest.published.ees import import_ees
from metrics.ingest.published.lait import import_lait
from metrics.ingest.published.lait_extract import EXTRACT
from metrics.ingest.published.read import EesReport
from metrics.periods.model import PeriodKind
from metrics.periods.text import parse_period
from metrics.rounding import fmt_half_up
from metrics.store.connection import Store
from metrics.store.queries import series

SHIPPED = LAIT_DIR / "sen.yaml"
OURS_SOURCE = "demo (fictional): Wrenfield's yearly figures as DfE would publish them, made up"


def lait_indicators(charter: Charter) -> set[str]:
    """The indicators whose England, region and councils' figures come from LAIT's extract."""
    return {m.indicator for m in load_lait_mapping(SHIPPED, charter).measures}


def seed_published(
    store: Store, charter: Charter, ours: dict[str, dict[str, float]], by: str
) -> list[EesReport]:
    """Import the LAIT extract, then the fictional council's yearly figures for each mapped
    indicator tracked more often than yearly (`ours`: indicator -> quarter -> value), for
    the calendar years LAIT publishes."""
    mapping = load_lait_mapping(SHIPPED, charter)
    report = import_lait(store, charter, EXTRACT.name, EXTRACT.read_bytes(), mapping, by=by)
    if not report.ok:
        raise RuntimeError(f"the LAIT extract was rejected: {report.errors[:3]}")
    reports = [report]
    rows = []
    for ind_id, quarters in sorted(ours.items()):
        ind = charter.indicators[ind_id]
        published = {r.period for r in series(store, ind_id, charter.council.england.code)}
        by_year: dict[str, list[float]] = defaultdict(list)
        for label, value in quarters.items():
            period = parse_period(label)
            if period.kind is PeriodKind.FY_QUARTER:
                by_year[str(period.end.year)].append(value)
        for year, values in sorted(by_year.items()):
            if len(values) == 4 and year in published:
                shown = fmt_half_up(statistics.mean(values), ind.decimals, False)
                rows.append(
                    f"{year},Calendar year,Local authority,{charter.council.code},{ind_id},{shown}"
                )
    if rows:
        text = "time_period,time_identifier,geographic_level,new_la_code,indicator,value\n"
        content = (text + "\n".join(rows) + "\n").encode()
        made_up = Mapping(
            title="Wrenfield's yearly figures (fictional)",
            file="wrenfield-published.csv",
            source=OURS_SOURCE,
            measures=[
                Measure(indicator=i, value="value", filters={"indicator": i}) for i in sorted(ours)
            ],
        )
        made = import_ees(store, charter, "wrenfield-published.csv", content, made_up, by=by)
        if not made.ok:
            raise RuntimeError(f"the demo's yearly figures were rejected: {made.errors[:3]}")
        reports.append(made)
    return reports
