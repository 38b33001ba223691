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


# libyaml's parser and constructor (PyYAML's C loader): PyYAML's own, in Python, took a
# quarter to half a second of every command that loads the charter (issue 34).
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_NODE = (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)
_OPEN = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSE = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def _line(event: yaml.Event) -> str:
    mark = event.start_mark
    return f"line {mark.line + 1}" if mark is not None else "(file)"


class _Mapping:
    """A mapping being read: the keys seen so far, and whether a key comes next."""

    def __init__(self) -> None:
        self.seen: set[str] = set()
        self.key_next = True


def _within_bounds(text: str) -> None:
    """Refuse aliases, nesting deeper than MAX_DEPTH (a document's top node is at depth
    1) and a key given twice in one mapping, from the parser's events: nothing is built,
    and nothing recurses, before the document is known to be within bounds. YAML loaders
    keep the later of two equal keys without a word: in access.yaml a person listed twice
    would quietly get the second line's roles."""
    open_: list[_Mapping | None] = []  # the collections around the next node
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            raise YamlFileError(
                _line(event),
                "aliases (*name) are not allowed: write the value out",
            )
        if isinstance(event, _NODE):
            if len(open_) + 1 > MAX_DEPTH:
                raise YamlFileError(_line(event), f"nested more than {MAX_DEPTH} levels deep")
            _key_once(open_[-1] if open_ else None, event)
        if isinstance(event, yaml.MappingStartEvent):
            open_.append(_Mapping())
        elif isinstance(event, yaml.SequenceStartEvent):
            open_.append(None)
        elif isinstance(event, _CLOSE):
            open_.pop()


def _key_once(mapping: _Mapping | None, event: yaml.Event) -> None:
    """Within a mapping, nodes are key, value, key, value ...: a key already seen is refused."""
    if mapping is None:
        return
    if mapping.key_next and isinstance(event, yaml.ScalarEvent):
        if event.value in mapping.seen:
            raise YamlFileError(
                _line(event),
                f"{event.value!r} is given twice here (only one can count): keep one",
            )
        mapping.seen.add(event.value)
    mapping.key_next = not mapping.key_next


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
    try:
        _within_bounds(text)
        loader = _Loader(text)
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "(file)"
        raise YamlFileError(where, f"not valid YAML ({getattr(err, 'problem', err)})") from None
    except RecursionError:  # a belt to the depth limit's braces
        raise YamlFileError("(file)", "nested too deeply to read") from None
