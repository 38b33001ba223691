"""Reading a charter file's YAML within bounds: a file a typo or a hostile edit made huge,
nested very deep, or full of aliases gets a plain `file: where: reason`, never a hang or a
RecursionError traceback.

PyYAML builds nested collections by recursion, so a mapping nested 100,000 deep overflows
Python's stack; aliases (`*name`) let a few lines stand for a structure exponentially large
once validated ("billion laughs"). The charter's own files are under 20 KB, at most about ten
levels deep, and use no aliases, so the limits below are far from anything real.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

MAX_BYTES = 1024 * 1024  # the largest shipped charter file is under 20 KB
MAX_DEPTH = 40  # levels of nesting; the deepest shipped file has about ten


class YamlFileError(ValueError):
    """Why the file cannot be read; `where` is a line ("line 3") or "(file)"."""

    def __init__(self, where: str, reason: str):
        self.where, self.reason = where, reason
        super().__init__(f"{where}: {reason}")


class _BoundedLoader(yaml.SafeLoader):
    """The safe loader, refusing aliases and nesting deeper than MAX_DEPTH as it composes
    (before Python's own recursion limit is near)."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
            raise YamlFileError(
                f"line {mark.line + 1}", "aliases (*name) are not allowed: write the value out"
            )
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise YamlFileError(
                    f"line {mark.line + 1}", f"nested more than {MAX_DEPTH} levels deep"
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def read_yaml(path: Path) -> Any:
    """The file's data, or YamlFileError (FileNotFoundError if it is not there)."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise YamlFileError(
            "(file)",
            f"{size / 1024 / 1024:.1f} MB is too big for a charter file (at most "
            f"{MAX_BYTES // 1024} KB); is it the right file?",
        )
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise YamlFileError("(file)", f"not UTF-8 text (byte {err.start})") from None
    loader = _BoundedLoader(text)
    try:
        return loader.get_single_data()
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "(file)"
        raise YamlFileError(where, f"not valid YAML ({getattr(err, 'problem', err)})") from None
    except RecursionError:  # a belt to the depth limit's braces
        raise YamlFileError("(file)", "nested too deeply to read") from None
    finally:
        loader.dispose()
