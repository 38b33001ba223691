"""`python -m deploy.demo URL`: the demo council loaded into an EMPTY PostgreSQL database, for
`make cluster`'s throwaway PostgreSQL. (`python -m metrics demo` builds a DuckDB file, which it
may replace; a server database is never replaced, so this refuses one that holds figures.)"""

from __future__ import annotations

import sys

from charter import load_charter
from metrics.config import is_database_url, redacted
from metrics.demo.council import build_demo
from metrics.store.connection import Store


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or not is_database_url(args[0]):
        print("usage: python -m deploy.demo postgresql://...", file=sys.stderr)
        return 2
    store = Store(args[0])
    if store.version() != 0:
        print(f"error: {redacted(args[0])} already holds data: the demo goes into an empty "
              "database only", file=sys.stderr)  # fmt: skip
        return 2
    build_demo(store, load_charter())
    print(f"the demo council is in {redacted(args[0])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
