"""Safe portfolio uploads: the type is decided by the file's content, never by its name.

Only a closed list of types is accepted (ALLOWED_TYPES). Anything a browser could run as a page
(HTML, SVG, XML, scripts) is not on it, so it can never be served back as something executable.
The same check guards the dossier import (a ZIP carries files from another installation).
"""

from __future__ import annotations

import struct
import zlib
from pathlib import PurePath
from typing import IO, Final

import filetype  # no stubs (pyproject: ignore_missing_imports); its two calls are wrapped in str()
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

PDF: Final = "application/pdf"
PNG: Final = "image/png"
JPEG: Final = "image/jpeg"
GIF: Final = "image/gif"
WEBP: Final = "image/webp"
DOCX: Final = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX: Final = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX: Final = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
DOC: Final = "application/msword"
XLS: Final = "application/vnd.ms-excel"
PPT: Final = "application/vnd.ms-powerpoint"
ODT: Final = "application/vnd.oasis.opendocument.text"
ODS: Final = "application/vnd.oasis.opendocument.spreadsheet"
ODP: Final = "application/vnd.oasis.opendocument.presentation"

# Content type → the usual file extension. The only types a portfolio accepts.
ALLOWED_TYPES: Final[dict[str, str]] = {
    PDF: "pdf",
    PNG: "png",
    JPEG: "jpg",
    GIF: "gif",
    WEBP: "webp",
    DOCX: "docx",
    XLSX: "xlsx",
    PPTX: "pptx",
    DOC: "doc",
    XLS: "xls",
    PPT: "ppt",
    ODT: "odt",
    ODS: "ods",
    ODP: "odp",
}

# Types a browser may show inline in a sandbox (evidence-file ?inline=1); everything else downloads.
INLINE_TYPES: Final = frozenset({PDF, PNG, JPEG, GIF, WEBP})

# Other names an allowed type goes by; a name's extension outside these (or unknown) is not judged.
_EXTENSIONS: Final[dict[str, frozenset[str]]] = {
    content_type: frozenset({extension}) for content_type, extension in ALLOWED_TYPES.items()
} | {JPEG: frozenset({"jpg", "jpeg", "jpe", "jfif"})}
_KNOWN_EXTENSIONS: Final = frozenset().union(*_EXTENSIONS.values())

# How much of the start of a file detection reads: enough for the ZIP entries that name an Office type.
HEAD_BYTES: Final = 64 * 1024

_ZIP_LOCAL_HEADER: Final = b"PK\x03\x04"
_ZIP_DATA_DESCRIPTOR: Final = b"PK\x07\x08"
_OOXML_MAIN_TYPES: Final = (
    (b"wordprocessingml.document.main+xml", DOCX),
    (b"wordprocessingml.template.main+xml", DOCX),
    (b"spreadsheetml.sheet.main+xml", XLSX),
    (b"spreadsheetml.template.main+xml", XLSX),
    (b"presentationml.presentation.main+xml", PPTX),
    (b"presentationml.slideshow.main+xml", PPTX),
)
_OOXML_FOLDERS: Final = ((b"word/", DOCX), (b"xl/", XLSX), (b"ppt/", PPTX))
_ODF_TYPES: Final = frozenset({ODT, ODS, ODP})


def detect_content_type(head: bytes) -> str | None:
    """The allowed content type the bytes start with, or None (unknown, SVG, HTML, scripts, other types)."""
    if not head:
        return None
    if head.startswith(_ZIP_LOCAL_HEADER):
        # A ZIP is only ever accepted as an Office or OpenDocument file, never as a plain archive.
        return _zipped_document_type(head)
    kind = filetype.guess_mime(head)
    if kind in ALLOWED_TYPES and kind not in _ODF_TYPES and kind not in {DOCX, XLSX, PPTX}:
        return str(kind)
    return None


def _zipped_document_type(head: bytes) -> str | None:
    """The Office Open XML or OpenDocument type named inside a ZIP's first entries, or None."""
    folder_type: str | None = None
    for name, data in _zip_entries(head):
        if name == b"mimetype":
            mime = data.strip().decode("ascii", "replace") if data is not None else ""
            return mime if mime in _ODF_TYPES else None
        if name == b"[Content_Types].xml" and data is not None:
            for marker, content_type in _OOXML_MAIN_TYPES:
                if marker in data:
                    return content_type
            return None
        for prefix, content_type in _OOXML_FOLDERS:
            if name.startswith(prefix) and folder_type is None:
                folder_type = content_type
    if folder_type is not None:
        return folder_type
    # The entries lie beyond the head: let filetype's own heuristics decide for Office Open XML.
    kind = filetype.guess_mime(head)
    return str(kind) if kind in {DOCX, XLSX, PPTX} else None


def _zip_entries(head: bytes) -> list[tuple[bytes, bytes | None]]:
    """The names (and small stored or deflated contents) of the ZIP entries that start within `head`."""
    entries: list[tuple[bytes, bytes | None]] = []
    offset = 0
    while head.startswith(_ZIP_LOCAL_HEADER, offset) and len(entries) < 50:
        if offset + 30 > len(head):
            break
        flags, method = struct.unpack_from("<HH", head, offset + 6)
        compressed_size = struct.unpack_from("<I", head, offset + 18)[0]
        name_length, extra_length = struct.unpack_from("<HH", head, offset + 26)
        name = head[offset + 30 : offset + 30 + name_length]
        start = offset + 30 + name_length + extra_length
        data: bytes | None = None
        end: int | None = None
        if flags & 0x08:  # sizes follow the data: only a deflated entry can be walked over
            if method == 8:
                data, end = _inflate(head, start)
                if end is not None:
                    end += 16 if head.startswith(_ZIP_DATA_DESCRIPTOR, end) else 12
        elif start + compressed_size <= len(head):
            end = start + compressed_size
            raw = head[start:end]
            if method == 0:
                data = raw
            elif method == 8:
                data, _ignored = _inflate(raw, 0)
        entries.append((name, data))
        if end is None:
            break
        offset = end
    return entries


def _inflate(buffer: bytes, start: int) -> tuple[bytes | None, int | None]:
    """At most 1 MB of a raw deflate stream at `start`, and where the stream ended (None when not within)."""
    inflater = zlib.decompressobj(-15)
    try:
        data = inflater.decompress(buffer[start:], 1024 * 1024)
    except zlib.error:
        return None, None
    if not inflater.eof:
        return data, None
    return data, len(buffer) - len(inflater.unused_data)


def file_head(file: IO[bytes] | File[bytes]) -> bytes:
    """The first HEAD_BYTES of a file; the file is left at its start."""
    file.seek(0)
    head = file.read(HEAD_BYTES)
    file.seek(0)
    return head if isinstance(head, bytes) else bytes(head)


def _extension(name: str) -> str:
    return PurePath(name).suffix.lower().lstrip(".")


def evidence_file_check(upload: File[bytes], *, max_bytes: int | None = None) -> str:
    """The content type of an acceptable evidence file; ValidationError for empty, too big, or not allowed.

    Works on an UploadedFile or any django File (the dossier import passes files from a ZIP). `max_bytes`
    replaces EVIDENCE_MAX_BYTES for other uploads with the same checks (e-learning materials).
    A name whose extension is one of the allowed types must match the content: a "PDF" that is an
    image is refused, as it would otherwise open as something else than its owner thinks.
    """
    size = upload.size or 0
    if size <= 0:
        raise ValidationError(_("The file is empty."), code="empty")
    limit: int = settings.EVIDENCE_MAX_BYTES if max_bytes is None else max_bytes
    if size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s); the maximum is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    content_type = detect_content_type(file_head(upload))
    extension = _extension(upload.name or "")
    if content_type is None:
        if extension in _KNOWN_EXTENSIONS:
            raise ValidationError(
                _("This file is not a real .%(extension)s file: its content does not match its name.")
                % {"extension": extension},
                code="mismatch",
            )
        raise ValidationError(
            _(
                "This type of file is not allowed. Upload a PDF, an image (PNG, JPEG, GIF, WebP), "
                "or an Office or OpenDocument file."
            ),
            code="type",
        )
    if extension in _KNOWN_EXTENSIONS and extension not in _EXTENSIONS[content_type]:
        raise ValidationError(
            _("This file is not a real .%(extension)s file: its content does not match its name.")
            % {"extension": extension},
            code="mismatch",
        )
    return content_type
