"""Run every benchmark and write bench/results.json: a list of {name, value, unit, baseline,
ratio}. Each baseline is measured in the same run, on the same machine."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bench import ingest
from charter import load_charter

HERE = Path(__file__).resolve().parent


def main() -> int:
    charter = load_charter()
    results = [ingest.run(charter, HERE / "work")]
    (HERE / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    for r in results:
        print(
            f"{r['name']}: {r['value']} {r['unit']} (baseline {r['baseline']}), ratio {r['ratio']}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
