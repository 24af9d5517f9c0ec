"""accelerator.core.files: checking uploads by content, storing them, sending them safely."""

from __future__ import annotations

import hashlib
import io

import pytest

from accelerator.core.errors import ValidationFailed
from accelerator.core.files import (
    is_pdf,
    read_limited,
    safe_filename,
    send_stored_file,
    store_bytes,
    store_pdf_upload,
)
from tests.applications.conftest import upload
from tests.factories import PDF_BYTES


def test_read_limited_stops_at_the_cap():
    assert read_limited(io.BytesIO(b"abc"), 3) == b"abc"
    assert read_limited(io.BytesIO(b"abcd"), 3) is None
    assert read_limited(io.BytesIO(b""), 3) == b""


def test_pdf_is_recognised_by_its_signature():
    assert is_pdf(PDF_BYTES)
    assert not is_pdf(b"\xef\xbb\xbf" + PDF_BYTES)  # the signature must open the file
    assert not is_pdf(b"x" * 2000 + PDF_BYTES)
    assert not is_pdf(b"PDF-1.4")


@pytest.mark.parametrize(
    "name,expected",
    [
        ("../../etc/passwd", "etc_passwd"),
        ('evil"\r\nSet-Cookie: x=1.pdf', "evil_Set-Cookie_x1.pdf"),
        ("Présentation ÉTÉ.pdf", "Presentation_ETE.pdf"),
        ("", "default"),
        ("....", "default"),
        ("日本語.pdf", "pdf"),
    ],
)
def test_safe_filename(name, expected):
    assert safe_filename(name, default="default") == expected


def test_safe_filename_forces_the_extension():
    assert safe_filename("deck.exe", default="d", extension="pdf") == "deck.pdf"
    assert safe_filename(None, default="d", extension="pdf") == "d.pdf"


def test_store_pdf_upload_checks_and_stores(db, founder):
    stored = store_pdf_upload(upload(PDF_BYTES, "pitch.PDF"), max_bytes=10_000, uploaded_by=founder)
    assert stored.id and stored.uploaded_by_id == founder.id
    assert stored.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    with pytest.raises(ValidationFailed, match="larger"):
        store_pdf_upload(upload(PDF_BYTES), max_bytes=10)
    with pytest.raises(ValidationFailed, match="not a PDF"):
        store_pdf_upload(upload(b"GIF89a"), max_bytes=10_000)
    with pytest.raises(ValidationFailed, match="Choose"):
        store_pdf_upload(None, max_bytes=10_000)
    with pytest.raises(ValidationFailed, match="Choose"):
        store_pdf_upload(upload(PDF_BYTES, filename=""), max_bytes=10_000)


def test_send_stored_file_is_an_attachment_with_a_safe_name(app, db):
    stored = store_bytes(PDF_BYTES, filename="x.pdf", content_type="application/pdf")
    with app.test_request_context():
        response = send_stored_file(stored, download_name='a"b\n.pdf')
    assert response.headers["Content-Disposition"] == 'attachment; filename="ab_.pdf"'
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.mimetype == "application/pdf"
    assert response.get_data() == PDF_BYTES
