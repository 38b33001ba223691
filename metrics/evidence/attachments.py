"""Evidence attachments: a PDF or an image, size capped, kept in the database and handed
only to the roles that may open them.

The type is read from the file's first bytes, not trusted from its name: a file called
`report.pdf` that is not a PDF is refused, saying what it is not. Then the whole file is read
by a real parser (metrics/evidence/contents.py): active content and polyglots are refused.
"""

from __future__ import annotations

from dataclasses import dataclass

from metrics.access.people import ADMIN, ANALYST, CHAIR, MEMBER, Actor, require
from metrics.access.writing import ReviewError
from metrics.evidence.contents import ContentError, check_image, check_pdf, safe_name
from metrics.store import evidence as stored
from metrics.store.connection import Store

MAX_BYTES = 5 * 1024 * 1024  # a short report or a photo of a flipchart, not a case file
# Staff only: an attachment is the fuller document behind a summary everyone reads.
READERS = frozenset({ANALYST, MEMBER, CHAIR, ADMIN})
TYPES = {  # media type -> (what it is called, file endings, first bytes)
    "application/pdf": ("a PDF", (".pdf",), (b"%PDF-",)),
    "image/png": ("a PNG image", (".png",), (b"\x89PNG\r\n\x1a\n",)),
    "image/jpeg": ("a JPEG image", (".jpg", ".jpeg"), (b"\xff\xd8\xff",)),
}
IMAGE_FORMATS = {"image/png": "PNG", "image/jpeg": "JPEG"}  # Pillow's names


class EvidenceError(ReviewError):
    """Evidence that cannot be saved or read; the message says why, plainly."""


@dataclass(frozen=True)
class Attachment:
    file_name: str
    media_type: str
    content: bytes

    @property
    def size(self) -> int:
        return len(self.content)


def checked(file_name: str, content: bytes) -> Attachment:
    """The attachment as it will be kept, or EvidenceError saying what is wrong with it."""
    name = safe_name(file_name)
    if len(content) > MAX_BYTES:
        raise EvidenceError(
            f"{name} is {len(content) / 1024 / 1024:.1f} MB; an attachment may be at most "
            f"{MAX_BYTES // 1024 // 1024} MB. Attach a shorter extract, or a smaller image."
        )
    if not content:
        raise EvidenceError(f"{name} is empty.")
    ending = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    for media, (what, endings, magic) in TYPES.items():
        if ending in endings:
            if not content.startswith(magic):
                raise EvidenceError(f"{name} is named as {what} but is not one.")
            try:
                if media == "application/pdf":
                    check_pdf(name, content)
                else:
                    check_image(name, content, IMAGE_FORMATS[media])
            except ContentError as err:
                raise EvidenceError(str(err)) from None
            return Attachment(name, media, content)
    kinds = ", ".join(w for w, _, _ in TYPES.values())
    raise EvidenceError(f"{name}: an attachment must be {kinds.replace(', a J', ' or a J')}.")


def opened(store: Store, actor: Actor, evidence_id: int) -> Attachment:
    """An item's attachment, for a person allowed to open it."""
    require(actor, READERS, "open an evidence attachment")
    with store.connect() as con:
        found = stored.attachment(con, evidence_id)
    if found is None:
        raise EvidenceError(f"Evidence item {evidence_id} has no attachment.")
    name, _media, content, withdrawn = found
    if withdrawn is not None:
        raise EvidenceError(f"Evidence item {evidence_id} was withdrawn.")
    try:  # checked again: a file kept before attachments were read whole is not handed out
        return checked(name, bytes(content))
    except EvidenceError as err:
        raise EvidenceError(
            f"The attachment of evidence item {evidence_id} is not offered: {err} It was kept "
            "before attachments were checked whole; withdraw the item and add it again with "
            "a clean copy."
        ) from None
