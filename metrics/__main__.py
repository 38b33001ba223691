"""`python -m metrics`: see metrics.cli.parser."""

import sys

from metrics.cli.parser import main

sys.exit(main())
