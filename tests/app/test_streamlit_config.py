"""Streamlit's config options are read without its module-wide lock (ui/streamlit_config.py),
with the same answers as Streamlit's own `get_option`."""

from __future__ import annotations

import re
import threading

import pytest
import streamlit
from streamlit import config

import ui  # noqa: F401  (importing ui is what the app does first: it makes the change)
from ui import streamlit_config


def test_in_effect_for_the_version_it_was_checked_with():
    assert streamlit.__version__ == streamlit_config.CHECKED_WITH, (
        "Streamlit was upgraded: check ui/streamlit_config.py against its config.get_option"
    )
    assert config.get_option is not streamlit_config.STREAMLITS_OWN


def test_every_option_reads_as_streamlits_own_does():
    for key in config.get_config_options():
        assert config.get_option(key) == streamlit_config.STREAMLITS_OWN(key), key
    with pytest.raises(RuntimeError, match=re.escape('Config key "no.such" not defined.')):
        config.get_option("no.such")
    with pytest.raises(RuntimeError, match=re.escape('Config key "no.such" not defined.')):
        streamlit_config.STREAMLITS_OWN("no.such")


def test_a_read_does_not_wait_for_the_lock():
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with config._config_lock:
            held.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert held.wait(10)
        answers: list[object] = []
        reader = threading.Thread(
            target=lambda: answers.append(config.get_option("global.minCachedMessageSize"))
        )
        reader.start()
        reader.join(2)
        assert answers and not reader.is_alive()  # Streamlit's own would wait here
    finally:
        release.set()
        holder.join()
