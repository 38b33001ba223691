"""The floor app, page 1: `make bench` measures our pages against this trivial app, served the
same way in the same run (see bench/README.md)."""

import content

content.draw("Floor app")
