"""What an attachment holds, read whole by a real parser before it is kept.

A file's first bytes say what it claims to be; only parsing all of it says what it is. A PDF
is opened by qpdf (through pikepdf) without repair, and every object in it is looked at for
active content: JavaScript, launch actions (which run a program), embedded files, forms that
send data away, rich media. An image is decoded by Pillow, pixel by pixel, after its size is
checked against a limit (a small file can unpack to gigabytes). Any file that also reads as a
web page (a PDF/HTML or image/HTML polyglot, which a browser may run as one) is refused.
Each refusal says why in a sentence, never a parser's traceback.
"""

from __future__ import annotations

import io
import re
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from metrics import text_limits

if TYPE_CHECKING:
    import pikepdf

MAX_PIXELS = 40_000_000  # a 40-megapixel photo; more is a decompression bomb, not evidence
MAX_NAME = text_limits.FILE_NAME  # characters of a file name kept
# How deeply objects may nest inside one PDF object. Real files nest a handful of levels; a
# file nested deeper is refused rather than checked only part of the way down.
MAX_DEPTH = 64

# Markup a browser acts on. A real PDF or image has no reason to carry any of it in plain
# bytes; a polyglot carries it so that the same file opens as a web page.
HTML = re.compile(rb"<\s*(?:!doctype\s+html|html|head|body|script|iframe|svg|object|embed|meta)\b",
                  re.IGNORECASE)  # fmt: skip

# PDF features that act rather than show, and how to say so.
ACTIVE = {
    "/JavaScript": "JavaScript",
    "/JS": "JavaScript",
    "/Launch": "an action that starts a program (a launch action)",
    "/EmbeddedFile": "an embedded file",
    "/EmbeddedFiles": "an embedded file",
    "/EF": "an embedded file",
    "/RichMedia": "embedded media (rich media)",
    "/XFA": "an XFA form, which can run scripts",
    "/SubmitForm": "a form that sends data to another site",
    "/ImportData": "an action that imports data from another file",
    "/GoToR": "an action that opens another file (a remote go-to)",
    "/GoToE": "an action that opens a file embedded in it (an embedded go-to)",
}


class ContentError(ValueError):
    """The file is not what it should be, or carries something active; the message says so."""


class _TooDeep(Exception):
    """Objects nest deeper than MAX_DEPTH: what lies below was not looked at."""


def safe_name(file_name: str) -> str:
    """The name as kept and shown (metrics/text_limits.py), "attachment" if nothing is left."""
    return text_limits.file_name(file_name, MAX_NAME, empty="attachment")


def check_pdf(name: str, content: bytes) -> None:
    """The whole file parses as a PDF, with no active content."""
    import pikepdf  # here, not at the top: a process that never reads a PDF never loads qpdf

    _no_markup(name, content, "a PDF")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            pdf = pikepdf.open(io.BytesIO(content), attempt_recovery=False)
    except pikepdf.PasswordError:
        raise ContentError(f"{name} is protected by a password; attach it without one.") from None
    except (pikepdf.PdfError, RecursionError, ValueError) as err:
        raise ContentError(
            f"{name} could not be read as a whole PDF ({_first_line(err)}); save it again as "
            "a PDF and attach that."
        ) from None
    with pdf:
        try:
            for what in _active(pdf):
                raise ContentError(
                    f"{name} contains {what}. Attachments may not hold anything that runs or "
                    "opens other files: print it to a new PDF (or save as PDF/A) and attach that."
                )
        except _TooDeep:
            raise ContentError(
                f"{name} nests its contents more than {MAX_DEPTH} levels deep, too deep to check "
                "that nothing in it runs or opens other files: print it to a new PDF (or save "
                "as PDF/A) and attach that."
            ) from None


def check_image(name: str, content: bytes, expected: str) -> None:
    """The whole file decodes as an image of the `expected` format (PNG or JPEG) of at most
    MAX_PIXELS pixels."""
    # Pillow here, not at the top: every pack imports this package (0.1-0.3 s, issue 34)
    from PIL import Image, UnidentifiedImageError

    _no_markup(name, content, "an image")
    try:
        with Image.open(io.BytesIO(content)) as img:
            if img.format != expected:
                raise ContentError(f"{name} is a {img.format} image, not a {expected} one.")
            width, height = img.size
            if width * height > MAX_PIXELS:
                raise ContentError(
                    f"{name} is {width:,} x {height:,} pixels; an image may have at most "
                    f"{MAX_PIXELS // 1_000_000} million. Attach a smaller copy."
                )
            with _truncated_refused():
                img.load()  # every pixel decoded: a truncated or corrupt file fails here
    except ContentError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError)\
            as err:  # fmt: skip
        reason = "it is damaged or incomplete" if isinstance(err, UnidentifiedImageError) else (
            _first_line(err)
        )  # fmt: skip
        raise ContentError(f"{name} could not be read as a whole {expected} image ({reason}).")\
            from None  # fmt: skip


_PIL_SETTING = threading.Lock()


@contextmanager
def _truncated_refused() -> Iterator[None]:
    """Pillow pads a truncated image silently when ImageFile.LOAD_TRUNCATED_IMAGES is set,
    and WeasyPrint sets it for the whole process when imported (as soon as a pack has been
    made): the check must not depend on that, so it is off while an attachment is decoded."""
    from PIL import ImageFile

    with _PIL_SETTING:
        before = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = before


def _no_markup(name: str, content: bytes, what: str) -> None:
    found = HTML.search(content)
    if found:
        tag = found.group(0).decode("ascii", "replace")
        raise ContentError(
            f"{name} is {what} that also reads as a web page (it contains {tag!r}...); such "
            "a file can run in a browser. Save it again and attach that."
        )


def _active(pdf: pikepdf.Pdf) -> Iterator[str]:
    """What each object holds that acts, once per kind."""
    said: set[str] = set()
    seen: set[tuple[int, int]] = set()
    for obj in [pdf.trailer, pdf.Root, *pdf.objects]:
        for key in _keys(obj, seen):
            what = ACTIVE.get(key)
            if what and what not in said:
                said.add(what)
                yield what


def _keys(top: object, seen: set[tuple[int, int]]) -> Iterator[str]:
    """Every dictionary key and name value under `top` (each indirect object once), or
    _TooDeep. Walked with a list, not recursion, so a long chain of objects (an action's
    /Next after /Next) cannot exhaust Python's stack; depth counts nesting inside one object,
    so a long but shallow chain of separate objects (bookmarks, /Next actions) is checked whole."""
    import pikepdf

    waiting: list[tuple[object, int]] = [(top, 0)]
    while waiting:
        obj, depth = waiting.pop()
        if isinstance(obj, pikepdf.Object) and obj.is_indirect:
            ident = obj.objgen
            if ident in seen:
                continue
            seen.add(ident)
            depth = 0
        if depth > MAX_DEPTH:
            raise _TooDeep
        if isinstance(obj, pikepdf.Stream):
            obj = obj.stream_dict
        if isinstance(obj, pikepdf.Dictionary):
            for key, value in obj.items():
                yield str(key)
                waiting.append((value, depth + 1))
        elif isinstance(obj, pikepdf.Array):
            waiting.extend((item, depth + 1) for item in obj)
        elif isinstance(obj, pikepdf.Name):
            yield str(obj)


def _first_line(err: BaseException) -> str:
    """The parser's reason in one line, without the in-memory file's name it starts with."""
    words = (str(err).strip().splitlines() or [type(err).__name__])[0]
    return re.sub(r"<_io\.BytesIO object at 0x[0-9a-f]+>:?\s*", "", words).strip()[:120]
