"""Evidence beyond the numbers: what families, young people, front-line staff and partners
tell us (`items`), checked for likely personal data (`personal`), with an optional PDF or
image (`attachments`); repeated surveys as series that can feed an indicator (`survey`)."""

from metrics.evidence.attachments import Attachment, EvidenceError, checked, opened
from metrics.evidence.items import KINDS, EvidenceItem, Survey, add, listed, recent, withdraw

__all__ = [
    "KINDS",
    "Attachment",
    "EvidenceError",
    "EvidenceItem",
    "Survey",
    "add",
    "checked",
    "listed",
    "opened",
    "recent",
    "withdraw",
]
