"""The upload page's published-statistics section: it offers the council's own mappings
(from $OUTCOMES_CHARTER/ees/) beside the shipped ones, and warns when the file's name is not
the one the mapping was written for."""

from __future__ import annotations

import shutil
from datetime import date

import ui
from charter import CHARTER_DIR
from metrics.ingest.template import latest_complete_quarter
from metrics.periods.text import parse_period
from tests.conftest import SHARED
from ui import access, ees_view, keys

RELEASE = SHARED / "data" / "ees" / "ehcp-2023-release" / "sen2_mi.csv"


def test_the_councils_own_mappings_are_offered_and_a_renamed_file_is_questioned(
    fresh, tmp_path, monkeypatch
):
    own = tmp_path / "charter"
    shutil.copytree(CHARTER_DIR, own, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    (own / "ees" / "absence.yaml").write_text(
        (CHARTER_DIR / "ees" / "sen2-mi-2023.yaml")
        .read_text()
        .replace(
            "title: EHC plans management information (SEN2), 2023 layout",
            "title: Our copy of the 2023 layout",
        )
    )
    monkeypatch.setenv("OUTCOMES_CHARTER", str(own))
    at = fresh(ui.UPLOAD_PAGE, **{access.DEMO_ROLE: "analyst"}).run()
    assert not at.exception, at.exception
    options = list(at.selectbox(key=ees_view.MAPPING).options)
    # issue 27 item 24: the picker shows each mapping's title, not its file name
    assert "EHC plans management information (SEN2), 2023 layout" in options
    assert "Our copy of the 2023 layout (your charter folder)" in options
    assert not any(".yaml" in o for o in options)
    at.selectbox(key=ees_view.MAPPING).set_value("sen2-mi-2023.yaml").run()
    uploader = next(u for u in at.get("file_uploader") if u.key == ees_view.FILE)
    uploader.upload("sen2_mi_2023_copy.csv", RELEASE.read_bytes(), "text/csv").run()
    assert not at.exception, at.exception
    warnings = [w.value.replace("\\", "") for w in at.warning]
    assert any("is for sen2_mi.csv, but the file is sen2_mi_2023_copy.csv" in w for w in warnings)


def test_an_older_release_is_refused_and_can_be_imported_with_a_reason(fresh, tmp_path):
    """The demo database holds the 2022 release's figures; a file covering to 2021 that
    differs from them is older, so the page refuses it, then asks why and imports it."""
    from charter import load_charter
    from charter.ees_models import load_mapping
    from metrics.ingest.published.ees import import_ees

    charter = load_charter()
    mapping_path = CHARTER_DIR / "ees" / "sen2-mi-2023.yaml"
    mapping = load_mapping(mapping_path, charter)
    text = RELEASE.read_text(encoding="utf-8-sig").splitlines()
    newer = import_ees(fresh.store, charter, "sen2_mi.csv", RELEASE.read_bytes(), mapping, by="t")
    assert newer.ok, [e.as_text() for e in newer.errors]
    header = text[0].replace('"', "").split(",")
    budgets, period = header.index("personal_budgets"), header.index("time_period")
    older = [text[0]]
    for line in text[1:]:
        cells = line.split(",")
        if cells[period].strip('"') == "2021" and cells[2].strip('"') == "National":
            cells[budgets] = str(int(cells[budgets].strip('" ')) + 5)  # a different 2021
            older.append(",".join(cells))
    at = fresh(ui.UPLOAD_PAGE, **{access.DEMO_ROLE: "analyst"}).run()
    at.selectbox(key=ees_view.MAPPING).set_value("sen2-mi-2023.yaml").run()
    uploader = next(u for u in at.get("file_uploader") if u.key == ees_view.FILE)
    uploader.upload("sen2_mi.csv", ("\n".join(older) + "\n").encode(), "text/csv").run()
    assert not at.exception, at.exception
    assert any("older release than figures already stored" in e.value for e in at.error), [
        e.value for e in at.error
    ] + [m.value for m in at.markdown]
    at.text_area(key=ees_view.OLDER).input("DfE withdrew the 2022 release's 2021 figure")
    next(b for b in at.button if b.label == "Check it as an older release").click().run()
    assert not at.exception, at.exception
    assert any("go back to this release's values" in w.value for w in at.warning), [
        w.value for w in at.warning
    ] + [e.value for e in at.error]
    at.button(key=ees_view.IMPORT).click().run()
    assert not at.exception, at.exception
    assert any("1 revised" in s.value for s in at.success), [s.value for s in at.success]
    with fresh.store.connect() as con:  # the published figure (the demo has its own too)
        reason = con.execute(
            "SELECT revision_reason FROM observation_history WHERE origin = 'published' AND "
            "superseded_by IS NULL AND indicator_id = 'personal-budgets-in-place' AND "
            "area_code = 'E92000001' AND period = '2021'"
        ).fetchall()
    assert reason == [
        ("An older release, imported on purpose: DfE withdrew the 2022 release's 2021 figure",)
    ]


def test_the_template_offers_only_quarters_that_have_ended(fresh, monkeypatch):
    """Issue 27 item 24: no template for a quarter that is still running."""
    monkeypatch.setenv("OUTCOMES_DEMO", "1")
    at = fresh(ui.UPLOAD_PAGE, **{access.DEMO_ROLE: "analyst"}).run()
    assert not at.exception, at.exception
    picker = at.selectbox(key=keys.TEMPLATE_QUARTER)
    ends = [parse_period(q).end for q in picker.options]
    assert ends and all(end < date.today() for end in ends)
    assert picker.value == latest_complete_quarter().label
