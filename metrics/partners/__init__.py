"""Partners' returns: submission and acceptance, when each return is due, and the quality
of the figures (completeness, timeliness, validity, provenance)."""
