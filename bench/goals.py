"""Issue 34's goals for getting data in and papers out, checked on any entry that states one:
`max_ratio` (its ratio against the baseline measured in the same run) or `max_value` (its
own value, in its unit). Each entry over its goal is a `MISSED:` line."""

from __future__ import annotations


def misses(entries: list[dict[str, object]]) -> list[str]:
    out = []
    for e in entries:
        if "max_ratio" in e and float(str(e["ratio"])) > float(str(e["max_ratio"])):
            out.append(f"{e['name']}: ratio {e['ratio']} > {e['max_ratio']}")
        if "max_value" in e and float(str(e["value"])) > float(str(e["max_value"])):
            out.append(f"{e['name']}: {e['value']} {e['unit']} > {e['max_value']} {e['unit']}")
    return out
