"""What a page imports after `ui` is out of the full garbage collections' walk from the next
page run on (ui/heap.py): a full collection walks every tracked object holding Python's lock,
and with a crowd every session waits for it (bench/README.md)."""

from __future__ import annotations

import gc
import importlib
import sys


def walked(obj: object) -> bool:
    """Whether a full collection would walk `obj` (not frozen: in one of the generations)."""
    return any(o is obj for o in gc.get_objects())


def test_a_module_imported_after_ui_is_frozen_by_the_next_page_run(app, tmp_path, monkeypatch):
    at = app()  # the overview, through app.py, as the server runs it
    (tmp_path / "imported_late.py").write_text(
        "class Report:\n    pass\n\ndef draw():\n    return Report()\n", encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    late = importlib.import_module("imported_late")  # as a page's view imports a library
    try:
        assert gc.is_tracked(late.draw) and walked(late.draw)
        at.run()
        assert not at.exception, at.exception
        assert not walked(late.draw), "a full collection still walks what a page imported"
        assert not walked(late.Report)
        assert late.draw().__class__ is late.Report  # frozen, not gone: still works
    finally:
        sys.modules.pop("imported_late", None)


def test_a_run_with_nothing_new_imported_freezes_nothing(app):
    from ui import heap

    app()
    heap.freeze_imported()  # whatever the test itself imported since the page ran
    frozen = gc.get_freeze_count()
    assert heap.freeze_imported() is False  # nothing imported since: one length compared
    assert gc.get_freeze_count() == frozen
