"""Upload checks: the type comes from the content, never from the name; size and emptiness are refused."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from bekwaam.dossier.uploads import (
    ALLOWED_TYPES,
    DOCX,
    ODT,
    PDF,
    PNG,
    PPTX,
    XLSX,
    detect_content_type,
    evidence_file_check,
)

# --- tiny valid files, built in code (also used by the portfolio tests and the matrix) -------------------


def pdf_bytes() -> bytes:
    """A minimal but well-formed one-page PDF."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 72 72] >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


# A 1x1 transparent PNG.
PNG_BYTES = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def png_bytes() -> bytes:
    return PNG_BYTES


def docx_bytes(main: str = "wordprocessingml.document") -> bytes:
    """A minimal Office Open XML package: [Content_Types].xml first, then the main part."""
    folder = {"wordprocessingml.document": "word", "spreadsheetml.sheet": "xl", "presentationml.presentation": "ppt"}
    part = f"{folder[main]}/main.xml"
    content_types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        f'<Override PartName="/{part}" ContentType="application/vnd.openxmlformats-officedocument.{main}.main+xml"/>'
        "</Types>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", content_types)
        package.writestr("_rels/.rels", "<Relationships/>")
        package.writestr(part, "<document/>")
    return out.getvalue()


def odt_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr(zipfile.ZipInfo("mimetype"), ODT)  # stored, first: as the OpenDocument standard says
        package.writestr("content.xml", "<office:document-content/>")
    return out.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


# --- detection -----------------------------------------------------------------------------------------


def test_it_detects_allowed_types_by_content() -> None:
    assert detect_content_type(pdf_bytes()) == PDF
    assert detect_content_type(png_bytes()) == PNG
    assert detect_content_type(docx_bytes()) == DOCX
    assert detect_content_type(docx_bytes("spreadsheetml.sheet")) == XLSX
    assert detect_content_type(docx_bytes("presentationml.presentation")) == PPTX
    assert detect_content_type(odt_bytes()) == ODT
    assert detect_content_type(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;") == "image/gif"
    assert detect_content_type(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00") == "image/jpeg"


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"<!DOCTYPE html><html><script>alert(1)</script></html>",
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b"<svg onload=alert(1)>",
        b"hello, world",
        b"MZ\x90\x00\x03\x00\x00\x00",  # a Windows program
    ],
)
def test_it_refuses_what_is_not_on_the_list(content: bytes) -> None:
    assert detect_content_type(content) is None


def test_it_refuses_a_plain_zip_archive() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("index.html", "<script>alert(1)</script>")
    assert detect_content_type(out.getvalue()) is None


def test_it_names_an_extension_for_every_allowed_type() -> None:
    assert all(extension.isalnum() for extension in ALLOWED_TYPES.values())


# --- the check on an upload ----------------------------------------------------------------------------


def test_it_accepts_a_real_pdf_and_returns_its_type() -> None:
    assert evidence_file_check(upload("certificaat.pdf", pdf_bytes())) == PDF


def test_it_accepts_a_django_file_from_an_import() -> None:
    assert evidence_file_check(ContentFile(png_bytes(), name="foto.png")) == PNG


def test_it_refuses_a_file_that_claims_to_be_a_pdf_but_is_not() -> None:
    with pytest.raises(ValidationError) as error:
        evidence_file_check(upload("certificaat.pdf", b"<html><body>not a pdf</body></html>"))
    assert error.value.code == "mismatch"
    assert "not a real .pdf file" in error.value.messages[0]


def test_it_refuses_an_image_that_is_named_pdf() -> None:
    with pytest.raises(ValidationError) as error:
        evidence_file_check(upload("certificaat.pdf", png_bytes()))
    assert error.value.code == "mismatch"


def test_it_refuses_an_empty_file() -> None:
    with pytest.raises(ValidationError) as error:
        evidence_file_check(upload("leeg.pdf", b""))
    assert error.value.code == "empty"


def test_it_refuses_a_file_over_the_limit(settings: pytest.FixtureRequest) -> None:
    settings.EVIDENCE_MAX_BYTES = 100  # type: ignore[attr-defined]
    with pytest.raises(ValidationError) as error:
        evidence_file_check(upload("groot.pdf", pdf_bytes()))
    assert error.value.code == "too_large"


@pytest.mark.parametrize("name", ["plaatje.svg", "pagina.html", "pagina.htm", "script"])
def test_it_refuses_svg_and_html(name: str) -> None:
    with pytest.raises(ValidationError) as error:
        evidence_file_check(upload(name, b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'))
    assert error.value.code == "type"


def test_it_accepts_a_real_file_whatever_unknown_name_it_has() -> None:
    assert evidence_file_check(upload("scan zonder extensie", pdf_bytes())) == PDF
    assert evidence_file_check(upload("foto.JPEG", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00")) == "image/jpeg"


@pytest.fixture(autouse=True)
def _english_messages() -> Iterator[None]:
    """Services raise messages in the active language (Dutch by default); these tests read the msgids."""
    with translation.override("en"):
        yield
