"""A charter reload done on another app server is followed by this one (found by a review
with two servers behind a proxy: the reload cleared only its own server's caches, so a person
taken off the access list kept their roles on the others until they restarted)."""

from __future__ import annotations

import shutil

from charter import CHARTER_DIR, load_charter
from charter.access import load_access
from metrics.access.people import ADMIN, Actor
from metrics.access.reload import reload_charter
from ui import access, context

ADMINISTRATOR = Actor("ada", "Ada Admin", "ada@x.example", "app", frozenset({ADMIN}))


def said(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_a_reload_on_another_server_is_followed_at_the_next_run(fresh, tmp_path, monkeypatch):
    root = tmp_path / "charter"
    shutil.copytree(CHARTER_DIR, root, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    monkeypatch.setenv("OUTCOMES_CHARTER", str(root))
    context.forget_charter()
    access.forget_access_list()
    try:
        at = fresh().run()
        assert not at.exception and "How Wrenfield Council (demo) is doing" in said(at)
        council = root / "council.yaml"
        text = council.read_text().replace("Wrenfield Council (demo)", "Wrenfield Borough")
        council.write_text(text)
        # another server's administrator reloads: its own caches, and the audit in the store
        old = load_charter(CHARTER_DIR)
        reload_charter(fresh.store, ADMINISTRATOR, old, load_access(root), root)
        at.run()
        assert not at.exception and "How Wrenfield Borough is doing" in said(at)
    finally:  # the next tests read the project's own charter again
        context.forget_charter()
        access.forget_access_list()
