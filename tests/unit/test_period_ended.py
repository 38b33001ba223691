"""No page shows a figure for a period that ends after the chosen quarter (issue 27, item 5):
at 2021-22 Q4, calendar 2022 has not ended, so it is neither shown nor ranked."""

from __future__ import annotations

import yaml

from charter.ees_models import load_mapping
from metrics.assess.rollup import charter_status
from metrics.ingest import load_file
from metrics.ingest.published.ees import import_ees
from metrics.periods.text import parse_period
from metrics.publish import compare, indicator_page as indicator
from metrics.publish.withheld import withheld_figures

IND = "ehcp-issued-20-weeks"


def published_years(store, charter, tmp_path):
    """Our council's and another's published calendar-year figures, 2021 and 2022."""
    path = tmp_path / "m.yaml"
    measure = {"indicator": IND, "value": "Rate"}
    path.write_text(
        yaml.safe_dump(
            {"title": "Timeliness", "file": "t.csv", "source": "test", "measures": [measure]}
        )
    )
    head = "time_period,time_identifier,geographic_level,country_code,country_name,"
    head += "region_code,region_name,old_la_code,new_la_code,la_name,Rate\n"
    rows = [
        f"{year},Calendar year,Local authority,E92000001,England,E12000001,North East,{old},"
        f"{code},{name},{value}"
        for year in (2021, 2022)
        for old, code, name, value in (
            ("805", "E06000001", "Hartlepool", 60 + year - 2021),
            ("841", "E06000005", "Darlington", 50),
        )
    ]
    content = (head + "\n".join(rows) + "\n").encode()
    assert import_ees(store, charter, "t.csv", content, load_mapping(path, charter)).added == 4


def test_a_year_that_has_not_ended_is_not_shown_at_the_quarter(store, hartlepool, tmp_path):
    charter = hartlepool
    quarters = "\n".join(f"{IND},2021-22 Q{q},,{20 + q},40" for q in (1, 2, 3, 4))
    body = "indicator,period,value,numerator,denominator\n" + quarters + "\n"
    assert load_file(store, charter, "r.csv", body.encode(), by="tester").added == 4
    published_years(store, charter, tmp_path)
    ind = charter.indicators[IND]
    hidden = withheld_figures(store, charter).get(IND, {})
    view = indicator.build(store, charter, ind, "2021-22 Q4", hidden, False)
    shown = [r.period for r in view.rows]  # the published years sit beside the quarters
    assert "2022" not in shown and shown[-1] == "2021-22 Q4"
    assert view.comparison.period == "2021"  # compared on the latest year ended by then
    beside = compare.compared(store, charter, ind, "2021-22 Q4")
    assert beside is not None and [y.period for y in beside.years] == ["2021"]
    assert beside.latest == "2021" and [c.code for c in beside.councils if c.value == 61] == []
    later = compare.compared(store, charter, ind, "2022-23 Q3")
    assert later is not None and [y.period for y in later.years] == ["2021", "2022"]
    assert later.latest == "2022"  # 2022 ended on 31 December 2022
    at_later = indicator.build(store, charter, ind, "2022-23 Q3", hidden, False)
    assert at_later.comparison.period == "2022"
    status = next(
        i
        for s in charter_status(store, charter, parse_period("2021-22 Q4"))
        for i in s.indicators
        if i.id == IND
    )
    assert len(status.history) == 4  # the four quarters (the years sit beside them)
    assert status.benchmark is not None and status.benchmark.period == "2021"  # not 2022
