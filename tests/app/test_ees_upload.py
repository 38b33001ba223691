"""The upload page's published-statistics section: it offers the council's own mappings
(from $OUTCOMES_CHARTER/ees/) beside the shipped ones, and warns when the file's name is not
the one the mapping was written for."""

from __future__ import annotations

import shutil

import ui
from charter import CHARTER_DIR
from tests.conftest import SHARED
from ui import access, ees_view

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
    assert "sen2-mi-2023.yaml" in options and "absence.yaml (your charter folder)" in options
    at.selectbox(key=ees_view.MAPPING).set_value("sen2-mi-2023.yaml").run()
    uploader = next(u for u in at.get("file_uploader") if u.key == ees_view.FILE)
    uploader.upload("sen2_mi_2023_copy.csv", RELEASE.read_bytes(), "text/csv").run()
    assert not at.exception, at.exception
    warnings = [w.value.replace("\\", "") for w in at.warning]
    assert any("is for sen2_mi.csv, but the file is sen2_mi_2023_copy.csv" in w for w in warnings)
