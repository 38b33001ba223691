"""Charter files within bounds (issue 25, section 6): a provider's layout is a file in
charter/providers/ and nowhere else; a huge file, one nested 100,000 deep or one full of
aliases is a plain `file: where: reason`, never a hang or a RecursionError."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from charter import CHARTER_DIR, CharterError, load_charter


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    root = tmp_path / "charter"
    shutil.copytree(CHARTER_DIR, root, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return root


def problems(root: Path) -> str:
    with pytest.raises(CharterError) as err:
        load_charter(root)
    text = str(err.value)
    assert "Traceback" not in text and "RecursionError" not in text
    return text


def use_layout(root: Path, name: str) -> None:
    providers = root / "providers.yaml"
    text = providers.read_text()
    assert "layout: community-health.yaml" in text
    providers.write_text(text.replace("layout: community-health.yaml", f"layout: {name!r}"))


@pytest.mark.parametrize("name", ["../../secrets.yaml", "/etc/passwd", "sub/x.yaml", "x.txt"])
def test_a_layout_name_cannot_leave_the_providers_folder(copy, name):
    (copy / "secrets.yaml").write_text("title: not a layout\n")
    use_layout(copy, name)
    text = problems(copy)
    assert "providers.community-health.layout" in text
    assert "must be the name of a file in charter/providers/" in text


def test_a_layout_that_links_outside_the_folder_is_refused(copy, tmp_path):
    outside = tmp_path / "elsewhere.yaml"
    shutil.copy(copy / "providers" / "community-health.yaml", outside)
    (copy / "providers" / "linked.yaml").symlink_to(outside)
    use_layout(copy, "linked.yaml")
    assert "providers.community-health.layout: 'linked.yaml' leads outside" in problems(copy)


def test_a_huge_layout_is_refused_without_reading_it(copy):
    layout = copy / "providers" / "community-health.yaml"
    with layout.open("a") as f:
        f.write("# padding\n" * 4_000_000)  # 40 MB
    text = problems(copy)
    assert "charter/providers/community-health.yaml: (file): 38.1 MB is too big" in text


def test_a_mapping_nested_100000_deep_is_a_plain_message(copy):
    layout = copy / "providers" / "community-health.yaml"
    layout.write_text("title: " + "{a: " * 100_000 + "1" + "}" * 100_000 + "\n")
    text = problems(copy)
    assert "charter/providers/community-health.yaml: line 1: nested more than 40 levels" in text


def test_aliases_are_refused(copy):
    bomb = ['a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    bomb += [
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]" for i in range(8)
    ]
    layout = copy / "providers" / "community-health.yaml"
    layout.write_text("\n".join(bomb) + "\n")
    assert "community-health.yaml: line 2: aliases (*name) are not allowed" in problems(copy)


def test_an_ees_mapping_nested_deep_is_a_plain_message(copy, tmp_path):
    from charter.ees_models import load_mapping

    path = tmp_path / "ees" / "deep.yaml"
    path.parent.mkdir()
    path.write_text("[" * 100_000 + "]" * 100_000 + "\n")
    with pytest.raises(CharterError, match=r"ees/deep\.yaml: line 1: nested more than 40"):
        load_mapping(path, load_charter())


def test_a_key_given_twice_is_refused_where_it_is(copy):
    """YAML loaders keep the later of two equal keys without a word: a threshold or a
    person's roles written twice would quietly take the second. Refused, with its line."""
    council = copy / "council.yaml"
    text = council.read_text()
    first = next(line for line in text.splitlines() if line and not line.startswith((" ", "#")))
    council.write_text(text + first + "\n")  # the same top-level key again, at the end
    line = len(text.splitlines()) + 1
    key = first.split(":")[0]
    assert f"council.yaml: line {line}: '{key}' is given twice here" in problems(copy)


def test_the_same_key_in_different_mappings_is_fine(tmp_path):
    from charter.yaml_file import read_yaml

    path = tmp_path / "x.yaml"
    path.write_text("a: {x: 1, y: 2}\nb: {x: 1, y: [{x: 1}, {x: 2}]}\nc: [x, x]\n")
    assert read_yaml(path)["b"]["y"] == [{"x": 1}, {"x": 2}]


@pytest.mark.parametrize(
    ("file", "line", "written", "said"),
    [
        ("indicators/annual-reviews-on-time.yaml", "tolerance: 5", "tolerance: .inf", "finite"),
        ("indicators/annual-reviews-on-time.yaml", "target: 80", "target: .nan", "finite"),
        ("council.yaml", "suppression_threshold: 5", "suppression_threshold: true", "yes/no"),
        ("indicators/annual-reviews-on-time.yaml", "  2026-27: 85", "  2026-27: true", "yes/no"),
        ("indicators/annual-reviews-on-time.yaml", "- 12\n", "- true\n", "yes/no"),
    ],
)
def test_a_number_that_is_no_number_is_refused(copy, file, line, written, said):
    """YAML reads .inf and .nan as numbers, and true as 1: a tolerance of infinity stopped
    the status with a traceback, a target of NaN was shown as 'a target of NaN weeks'."""
    path = copy / file
    text = path.read_text()
    assert line in text
    path.write_text(text.replace(line, written, 1))
    text = problems(copy)
    where = (
        "targets"
        if "2026-27" in written
        else "statements"
        if written.strip("- \n") == "true"
        else written.split(":")[0]
    )
    assert file.split("/")[-1] in text and where in text and said in text, text
