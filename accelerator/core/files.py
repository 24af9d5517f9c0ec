"""Uploads kept in the database (StoredFile): check what they are, store them, send them back.

A file is judged by its content (its signature, e.g. ``%PDF-``), never by its name or the
content type the browser claims; it is stored with its sha256 so the same bytes can be spotted.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import IO

from flask import Response
from werkzeug.utils import secure_filename

from accelerator.core.errors import ValidationFailed
from accelerator.core.i18n import gettext as _
from accelerator.core.models import StoredFile
from accelerator.extensions import db

PDF_SIGNATURE = b"%PDF-"
#: The policy of every attachment the app sends (decks, evidence, exports, calendars), set by
#: the app's after-request hook on any response with `Content-Disposition: attachment`.
#: Even opened in the browser, a download runs no script, reaches no cookie and is framed by
#: no page: a bare `sandbox` would drop the `frame-ancestors 'none'` of every other page.
DOWNLOAD_CSP = "sandbox; frame-ancestors 'none'"
_CHUNK = 1024 * 1024


def read_limited(stream: IO[bytes], max_bytes: int) -> bytes | None:
    """Read at most max_bytes from a stream; None when it holds more (a size cap, not a guess)."""
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = stream.read(min(_CHUNK, max_bytes + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        if total > max_bytes:
            return None
    return b"".join(chunks)


def is_pdf(data: bytes) -> bool:
    """True when the bytes start with the PDF signature, at offset 0.

    PDF readers tolerate junk before it, but then an HTML or script file can carry the
    signature a few bytes in and pass as a deck (a polyglot): we take only real PDFs.
    """
    return data.startswith(PDF_SIGNATURE)


def safe_filename(name: str | None, *, default: str, extension: str | None = None) -> str:
    """A file name safe in a Content-Disposition header and on any disk: ASCII, no paths."""
    ascii_name = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode("ascii")
    cleaned = secure_filename(ascii_name)[:150] or default
    if extension:
        stem = re.sub(r"\.[A-Za-z0-9]{1,8}$", "", cleaned) or default
        cleaned = f"{stem}.{extension}"
    return cleaned


def store_bytes(data: bytes, *, filename: str, content_type: str, uploaded_by=None) -> StoredFile:
    """Keep bytes in the database (added to the session; the caller commits)."""
    stored = StoredFile(
        filename=filename[:255],
        content_type=content_type[:100],
        size_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        content=data,
        uploaded_by_id=getattr(uploaded_by, "id", None),
    )
    db.session.add(stored)
    db.session.flush()
    return stored


def human_size(size: int) -> str:
    """A size for people: "20 MB", "1.5 MB", "300 KB"."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f}".rstrip("0").rstrip(".") + " MB"
    return f"{max(size // 1024, 1)} KB"


def store_pdf_upload(upload, *, max_bytes: int, uploaded_by=None, field: str | None = None):
    """Check an uploaded file is a PDF within max_bytes (by content) and store it.

    Raises ValidationFailed (with `field`) for a missing, empty, oversized or non-PDF file.
    """
    if upload is None or not getattr(upload, "filename", None):
        raise ValidationFailed(_("Choose a PDF file to upload."), field=field)
    data = read_limited(upload.stream, max_bytes)
    if data is None:
        raise ValidationFailed(
            _("The file is larger than %(size)s.", size=human_size(max_bytes)), field=field
        )
    if not data:
        raise ValidationFailed(_("The file is empty."), field=field)
    if not is_pdf(data):
        raise ValidationFailed(
            _("This file is not a PDF. Export your deck as PDF and upload that."), field=field
        )
    name = safe_filename(upload.filename, default="pitch-deck", extension="pdf")
    return store_bytes(data, filename=name, content_type="application/pdf", uploaded_by=uploaded_by)


def load_content(stored: StoredFile) -> bytes:
    """The bytes of a stored file (the column is deferred: loaded only when asked for)."""
    return stored.content or b""


def send_stored_file(stored: StoredFile, *, download_name: str | None = None) -> Response:
    """Send a stored file as an attachment (never inline) under a safe file name."""
    name = safe_filename(download_name or stored.filename, default=f"file-{stored.id}")
    response = Response(load_content(stored), mimetype=stored.content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response  # its Content-Security-Policy is DOWNLOAD_CSP, as every attachment's
