"""What each of the app's heavier pages shows, read from the store in one go.

A page's figures change only when the store does, so the app builds each page's data once
per version of the database and shares it between everyone looking (ui/reads.py caches it).
Building it here, in one place, also means one opening of the database file for the whole
page instead of one per section (see metrics/store.py)."""

from metrics.views import indicator as indicator, review as review
