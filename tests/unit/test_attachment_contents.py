"""Attachments are read whole by a real parser (issue 25, section 4): crafted PDFs with
JavaScript, launch actions, embedded files or a web page inside, and images that are broken,
too big or not what they say, are refused with a plain reason; a file name cannot reorder what
it shows. Every file here is made by pikepdf or Pillow, as an attacker's tool would."""

from __future__ import annotations

import io

import pikepdf
import pytest
from PIL import Image

from metrics import evidence
from metrics.evidence import contents
from metrics.store.connection import transaction


def pdf(change=None, compress=True) -> bytes:
    """A real one-page PDF, changed by `change(pdf)` before it is written."""
    doc = pikepdf.new()
    doc.add_blank_page(page_size=(200, 200))
    if change is not None:
        change(doc)
    out = io.BytesIO()
    doc.save(out, compress_streams=compress)
    return out.getvalue()


def image(fmt: str, size=(40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, fmt)
    return out.getvalue()


def refused(name: str, content: bytes) -> str:
    with pytest.raises(evidence.EvidenceError) as err:
        evidence.checked(name, content)
    words = str(err.value)
    assert "Traceback" not in words and "pikepdf" not in words and "BytesIO" not in words
    return words


def open_action_javascript(doc: pikepdf.Pdf) -> None:
    doc.Root.OpenAction = pikepdf.Dictionary(
        S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)")
    )


def named_javascript(doc: pikepdf.Pdf) -> None:
    script = doc.make_indirect(pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS="app.alert(2)"))
    doc.Root.Names = pikepdf.Dictionary(
        JavaScript=pikepdf.Dictionary(Names=pikepdf.Array([pikepdf.String("go"), script]))
    )


def launch_link(doc: pikepdf.Pdf) -> None:
    action = pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("cmd.exe"))
    link = pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link,
                              Rect=[0, 0, 100, 100], A=action)  # fmt: skip
    doc.pages[0].Annots = doc.make_indirect(pikepdf.Array([doc.make_indirect(link)]))


def embedded_file(doc: pikepdf.Pdf) -> None:
    doc.attachments["payload.exe"] = pikepdf.AttachedFileSpec(doc, b"MZ\x90\x00 a program")


def test_a_plain_pdf_and_real_images_are_kept():
    assert evidence.checked("notes.pdf", pdf()).media_type == "application/pdf"
    assert evidence.checked("photo.png", image("PNG")).media_type == "image/png"
    assert evidence.checked("photo.jpeg", image("JPEG")).media_type == "image/jpeg"


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (open_action_javascript, "contains JavaScript"),
        (named_javascript, "contains JavaScript"),
        (launch_link, "contains an action that starts a program"),
        (embedded_file, "contains an embedded file"),
    ],
)
def test_pdfs_with_active_content_are_refused(change, said):
    words = refused("minutes.pdf", pdf(change))
    assert words.startswith(f"minutes.pdf {said}")
    assert "print it to a new PDF" in words


def test_pdf_html_polyglots_are_refused():
    page = b"<html><body><script>fetch('/media/')</script></body></html>"
    appended = pdf() + page  # a browser sniffing the bytes finds a web page
    assert "also reads as a web page" in refused("report.pdf", appended)

    def html_in_a_stream(doc: pikepdf.Pdf) -> None:
        doc.Root.Polyglot = doc.make_stream(page)  # stored uncompressed, read as markup

    words = refused("report.pdf", pdf(html_in_a_stream, compress=False))
    assert "also reads as a web page (it contains '<html'...)" in words
    png_page = image("PNG") + b"<!DOCTYPE html><script>alert(1)</script>"
    assert "also reads as a web page" in refused("photo.png", png_page)


def test_damaged_files_are_refused_whole():
    whole = pdf()
    assert "could not be read as a whole PDF" in refused("cut.pdf", whole[: len(whole) // 2])
    assert "could not be read as a whole PDF" in refused("junk.pdf", b"%PDF-1.7\n" + b"x" * 500)
    png = image("PNG", (400, 400))
    assert "could not be read as a whole PNG image" in refused("cut.png", png[: len(png) // 2])
    assert "could not be read as a whole PNG image" in refused(
        "fake.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64
    )
    assert "named as a PNG image but is not one" in refused("renamed.png", image("JPEG"))


def test_a_cut_image_is_refused_even_after_weasyprint_is_loaded():
    """WeasyPrint (packs) sets Pillow's LOAD_TRUNCATED_IMAGES for the whole process when it
    is imported; a damaged attachment must still be refused after a pack was made."""
    import weasyprint  # noqa: F401
    from PIL import ImageFile

    assert ImageFile.LOAD_TRUNCATED_IMAGES  # what WeasyPrint does on import
    png = image("PNG", (400, 400))
    assert "could not be read as a whole PNG image" in refused("cut.png", png[: len(png) // 2])
    assert ImageFile.LOAD_TRUNCATED_IMAGES  # WeasyPrint's setting is left as it was


def test_an_image_with_too_many_pixels_is_refused_before_it_is_decoded():
    out = io.BytesIO()
    Image.new("1", (8000, 6000)).save(out, "PNG")  # 48 million pixels in a few kilobytes
    assert len(out.getvalue()) < 100_000
    words = refused("bomb.png", out.getvalue())
    assert "8,000 x 6,000 pixels" in words and "at most 40 million" in words


def test_bidirectional_controls_are_taken_out_of_file_names():
    name = "invoice\u202egpj.pdf"  # shows as "invoicefdp.jpg"
    kept = evidence.checked(name, pdf())
    assert kept.file_name == "invoicegpj.pdf"
    assert contents.safe_name("a\u2066b\u2069c\u200f.png") == "abc.png"
    assert contents.safe_name("..\\..\\tab\there\r\n.pdf") == "tabhere.pdf"
    long = contents.safe_name("x" * 500 + ".pdf")
    assert len(long) == contents.MAX_NAME and long.endswith(".pdf")


def test_an_attachment_kept_before_the_checks_is_not_handed_out(store, charter):
    from datetime import date

    from metrics.access import MEMBER, Actor

    meg = Actor("meg", "Meg Member", "meg@x.example", "app", frozenset({MEMBER}))
    ident = evidence.add(store, charter, meg, kind="partner-feedback", source="Forum",
                         summary="Waits are long.", on=date(2026, 11, 1), statements=[5],
                         indicators=[], no_personal_data=True)  # fmt: skip
    with (
        store.connect() as con,
        transaction(con),
    ):  # as an older version kept it: by its first bytes only
        bad = pdf(open_action_javascript)
        con.execute("INSERT INTO evidence_attachments VALUES (?, ?, ?, ?, ?)",
                    [ident, "minutes.pdf", "application/pdf", len(bad), bad])  # fmt: skip
    with pytest.raises(evidence.EvidenceError) as err:
        evidence.opened(store, meg, ident)
    assert str(err.value).startswith(f"The attachment of evidence item {ident} is not offered:")
    assert "contains JavaScript" in str(err.value)


def javascript_nested_in_plain_dictionaries(doc: pikepdf.Pdf) -> None:
    inner = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(3)"))
    for _ in range(70):
        inner = pikepdf.Dictionary(Wrapper=inner)
    doc.Root.Deep = inner


def javascript_after_a_chain_of_next_actions(doc: pikepdf.Pdf) -> None:
    action = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(4)"))
    for _ in range(70):
        action = pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("https://example.org"),
                                    Next=action)  # fmt: skip
    doc.Root.OpenAction = action


@pytest.mark.parametrize(
    "change", [javascript_nested_in_plain_dictionaries, javascript_after_a_chain_of_next_actions]
)
def test_a_pdf_nested_too_deep_to_check_is_refused_not_kept(change):
    words = refused("deep.pdf", pdf(change))
    assert words.startswith("deep.pdf nests its contents more than 64 levels deep")
    assert "print it to a new PDF" in words


def test_long_chains_of_separate_objects_are_checked_to_the_end():
    def separate_next_actions(doc: pikepdf.Pdf) -> None:
        script = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(5)"))
        action = doc.make_indirect(script)
        for _ in range(5_000):  # deeper than Python's own recursion limit
            link = pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("https://x.org"))
            link.Next = action
            action = doc.make_indirect(link)
        doc.Root.OpenAction = action

    assert refused("chain.pdf", pdf(separate_next_actions)).startswith(
        "chain.pdf contains JavaScript"
    )

    def many_bookmarks(doc: pikepdf.Pdf) -> None:  # a long report's outline is a long chain
        with doc.open_outline() as outline:
            for number in range(300):
                outline.root.append(pikepdf.OutlineItem(f"Section {number}", 0))

    assert evidence.checked("report.pdf", pdf(many_bookmarks)).media_type == "application/pdf"


@pytest.mark.parametrize(
    ("action", "said"),
    [
        (pikepdf.Name.GoToR, "contains an action that opens another file (a remote go-to)"),
        (pikepdf.Name.GoToE, "contains an action that opens a file embedded in it"),
    ],
)
def test_pdfs_that_go_to_other_files_are_refused(action, said):
    def go_to(doc: pikepdf.Pdf) -> None:
        doc.Root.OpenAction = pikepdf.Dictionary(
            S=action, F=pikepdf.String("\\\\attacker\\share\\x.pdf"), D=pikepdf.Array([0])
        )

    words = refused("agenda.pdf", pdf(go_to))
    assert words.startswith(f"agenda.pdf {said}")
