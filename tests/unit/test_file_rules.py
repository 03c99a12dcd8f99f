from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from domain.errors import ErrorCode
from domain.files import signing
from domain.files.rules import (
    FileAccess,
    FileFormat,
    FileLimits,
    UnsupportedFile,
    check_order_room,
    file_access,
    has_active_content,
    sanitise_name,
    sniff,
)
from tests import files_samples as samples


@pytest.mark.parametrize(
    ("data", "fmt"),
    [
        (samples.pdf(), FileFormat.pdf),
        (samples.step(), FileFormat.step),
        (samples.iges(), FileFormat.iges),
        (samples.dxf(), FileFormat.dxf),
        (samples.png(), FileFormat.png),
        (samples.jpeg(), FileFormat.jpeg),
        (samples.stl_ascii(), FileFormat.stl),
        (samples.stl_binary(), FileFormat.stl),
        # Exporters write "solid" into binary headers: the size decides.
        (samples.stl_binary(header=b"solid exported by CAD"), FileFormat.stl),
    ],
)
def test_the_format_is_read_from_the_content(data: bytes, fmt: FileFormat) -> None:
    assert sniff(data) is fmt


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (samples.zip_named_stl(), "archives (ZIP)"),
        (b"\x1f\x8b\x08\x00" + b"\x00" * 20, "archives (gzip)"),
        (samples.pdf()[:-8], "PDF is truncated"),
        (samples.step()[:-30], "STEP file is truncated"),
        (samples.stl_ascii()[:-10], "STL file is truncated"),
        (samples.stl_binary()[:-1], "not a PDF"),
        (samples.png()[:-6], "PNG image is truncated"),
        (b"MZ\x90\x00 an executable", "not a PDF"),
        (b"<html><script>alert(1)</script></html>", "not a PDF"),
    ],
)
def test_archives_truncated_and_unknown_files_are_refused(data: bytes, reason: str) -> None:
    with pytest.raises(UnsupportedFile) as refused:
        sniff(data)
    assert refused.value.code is ErrorCode.UNSUPPORTED_FILE
    assert reason in refused.value.message


def test_pdf_javascript_is_flagged_not_refused() -> None:
    hostile = samples.pdf(b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>")
    assert sniff(hostile) is FileFormat.pdf
    assert has_active_content(FileFormat.pdf, hostile)
    assert not has_active_content(FileFormat.pdf, samples.pdf())


@pytest.mark.parametrize(
    ("raw", "fmt", "clean"),
    [
        ("../../etc/passwd", FileFormat.pdf, "passwd.pdf"),
        ("C:\\Users\\anna\\Корпус датчика.STEP", FileFormat.step, "Корпус датчика.step"),
        ("part.stl", FileFormat.pdf, "part.stl.pdf"),  # a PDF named .stl keeps its name and gets its true extension
        (".hidden.pdf", FileFormat.pdf, "hidden.pdf"),
        ('bad<>:"|?*\x00\x1fname.dxf', FileFormat.dxf, "bad_________name.dxf"),
        ("", FileFormat.png, "file.png"),
        ("a" * 300 + ".stp", FileFormat.step, "a" * 116 + ".stp"),
    ],
)
def test_names_are_sanitised(raw: str, fmt: FileFormat, clean: str) -> None:
    assert sanitise_name(raw, fmt) == clean


LIMITS = FileLimits(max_file_bytes=100, max_order_bytes=1000, max_files_per_order=3)


def test_order_limits_count_documents_and_bytes_including_history() -> None:
    check_order_room(used_bytes=900, used_count=2, adding=100, new_file=True, limits=LIMITS)
    check_order_room(used_bytes=0, used_count=3, adding=10, new_file=False, limits=LIMITS)  # a revision
    with pytest.raises(Exception) as full:
        check_order_room(used_bytes=0, used_count=3, adding=10, new_file=True, limits=LIMITS)
    assert "at most 3 files" in str(full.value)
    with pytest.raises(Exception) as heavy:
        check_order_room(used_bytes=901, used_count=0, adding=100, new_file=True, limits=LIMITS)
    assert "1000 bytes" in str(heavy.value)


def test_file_access() -> None:
    buyer, maker = uuid4(), uuid4()

    def access(**overrides: object) -> FileAccess:
        values: dict[str, object] = dict(
            actor_orgs={maker},
            is_operator=False,
            buyer_id=buyer,
            order_visible=True,
            nda_version=None,
            accepted_versions=set(),
        )
        values.update(overrides)
        return file_access(**values)  # type: ignore[arg-type]

    assert access() is FileAccess.granted
    assert access(order_visible=False) is FileAccess.hidden
    assert access(nda_version=2) is FileAccess.nda_required
    assert access(nda_version=2, accepted_versions={1}) is FileAccess.nda_required
    assert access(nda_version=2, accepted_versions={1, 2}) is FileAccess.granted
    assert access(actor_orgs={buyer}, nda_version=2) is FileAccess.granted
    assert access(actor_orgs=set(), is_operator=True, order_visible=False, nda_version=1) is FileAccess.granted


def test_download_tokens_are_signed_and_expire() -> None:
    now = datetime(2026, 12, 1, tzinfo=UTC)
    grant = signing.DownloadGrant(uuid4(), "a" * 64, "Чертёж.pdf", "application/pdf", now + timedelta(minutes=5))
    token = signing.sign(grant, b"key")
    assert signing.verify(token, b"key", now) == grant
    with pytest.raises(signing.BadToken, match="bad signature"):
        signing.verify(token, b"other key", now)
    body, _, sig = token.partition(".")
    with pytest.raises(signing.BadToken, match="bad signature"):
        signing.verify(body[:-2] + "xx." + sig, b"key", now)
    with pytest.raises(signing.BadToken, match="expired"):
        signing.verify(token, b"key", now + timedelta(minutes=5))
