"""The floor app, page 2: the same content as page 1."""

import content

content.draw("Second page")
