"""The house style's colours meet WCAG 2.2 AA contrast (4.5:1 for text), and usage
statistics are off."""

from __future__ import annotations

import tomllib

import pytest

from tests.conftest import ROOT
from ui import style


def luminance(hex_colour: str) -> float:
    rgb = [int(hex_colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_contrast_formula_is_right():
    assert contrast("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize("status", list(style.BADGES))
def test_status_badges_have_text_contrast(status):
    background, text = style.BADGES[status]
    assert contrast(background, text) >= 4.5


@pytest.mark.parametrize("colour", list(style.TEXT.values()))
def test_chart_text_colours_on_white(colour):
    assert contrast(colour, "#FFFFFF") >= 4.5


def test_badges_carry_a_word_and_an_icon():
    for status in style.BADGES:
        html = style.badge(status)
        assert 'aria-hidden="true"' in html  # the icon is decoration; the word is read out
        word = html.split("</span> ", 1)[1]
        assert word.split("<")[0].strip()


def test_usage_statistics_are_off():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["browser"]["gatherUsageStats"] is False
    assert config["server"]["maxUploadSize"] > 0
