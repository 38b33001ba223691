"""`python -m metrics`: see metrics.cli.parser."""

import gc
import sys

from metrics.allocator import give_back_large_blocks
from metrics.cli.parser import main

give_back_large_blocks()  # an upload's large buffers go back to the system when freed

# This process is the command's own, as an app server's is `ui`'s (which freezes its
# libraries the same way): the objects its start-up made (modules, classes: some 75,000)
# live as long as the command, so the collector's full passes during it leave them out. One
# such pass looked at them all in the middle of an XLSX pack, 50-90 ms of its ~0.5 s beyond
# start-up (bench/README.md). Given back before the interpreter's end, which then frees them
# as before (left frozen, DuckDB's bindings print that they leaked). Here, not in `main`,
# which others call in a process of their own (tests) and whose freeze it would undo.
gc.freeze()
try:
    code = main()
finally:
    gc.unfreeze()
sys.exit(code)
