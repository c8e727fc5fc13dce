"""Photos and consent PDFs are encrypted at rest: the bytes on disk are a Fernet token (no JPEG
or PDF signature, no EXIF), opening gives the original back, a wrong key fails by name, keys
rotate, and files written before encryption still open and are converted in place."""

import io
import os
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import CommandError, call_command
from PIL import Image

from mesoclinic.audit.models import AuditEvent
from mesoclinic.core import encrypted_storage
from mesoclinic.core.encrypted_storage import EncryptedFileSystemStorage, UndecryptableFile

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <</Type /Catalog>> endobj\n%%EOF\n"


def jpeg_with_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "LeakyCam"
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (200, 150, 120)).save(out, "JPEG", exif=exif)
    return out.getvalue()


def storage(tmp_path, *keys):
    return EncryptedFileSystemStorage(location=str(tmp_path), keys=list(keys))


@pytest.fixture
def private(tmp_path, settings):
    """The project's own "private" storage, at a fresh root, with the OLD key."""
    settings.FILES_KEYS = [OLD]
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            **settings.STORAGES["private"],
            "OPTIONS": {**settings.STORAGES["private"]["OPTIONS"], "location": str(tmp_path)},
        },
    }
    return storages["private"]


@pytest.mark.parametrize(
    ("data", "signatures"),
    [(jpeg_with_exif(), [b"\xff\xd8\xff", b"Exif", b"LeakyCam"]), (PDF, [b"%PDF", b"Catalog"])],
    ids=["photo", "consent-pdf"],
)
def test_the_bytes_on_disk_are_not_the_file_and_opening_gives_it_back(tmp_path, data, signatures):
    files = storage(tmp_path, OLD)
    name = files.save("folder/file.bin", ContentFile(data))

    on_disk = (tmp_path / name).read_bytes()
    assert on_disk.startswith(b"gAAAAA")
    assert not any(signature in on_disk for signature in signatures)
    with files.open(name) as handle:
        assert handle.read() == data
    assert files.size(name) == len(data)


def test_the_projects_private_storage_encrypts(private):
    assert isinstance(private, EncryptedFileSystemStorage)
    name = private.save("consents/x.pdf", ContentFile(PDF))
    with open(private.path(name), "rb") as raw:
        assert raw.read().startswith(b"gAAAAA")


def test_a_wrong_key_fails_by_name(tmp_path):
    name = storage(tmp_path, OLD).save("a.pdf", ContentFile(PDF))
    with pytest.raises(UndecryptableFile, match="MESOCLINIC_FILES_KEYS"):
        storage(tmp_path, NEW).open(name)


def test_a_file_altered_on_disk_is_refused(tmp_path):
    files = storage(tmp_path, OLD)
    name = files.save("a.pdf", ContentFile(PDF))
    token = bytearray((tmp_path / name).read_bytes())
    token[-10] ^= 1
    (tmp_path / name).write_bytes(bytes(token))
    with pytest.raises(UndecryptableFile):
        files.open(name)


@pytest.mark.django_db
def test_keys_rotate_with_the_command(private, settings):
    name = private.save("photos/a.jpg", ContentFile(b"\xff\xd8 old photo"))
    settings.FILES_KEYS = [NEW, OLD]  # the new key first: it encrypts, both decrypt
    assert private.open(name).read() == b"\xff\xd8 old photo"

    call_command("encrypt_private_files", "--rotate", stdout=io.StringIO())

    settings.FILES_KEYS = [NEW]  # the old key dropped: the file still opens
    assert private.open(name).read() == b"\xff\xd8 old photo"
    out = io.StringIO()
    call_command("encrypt_private_files", "--rotate", stdout=out)
    assert "Re-encrypted 0 file(s); 1 already done" in out.getvalue()


@pytest.mark.django_db
def test_files_written_before_encryption_open_and_the_command_converts_them(private):
    legacy = private.path("consents/legacy.pdf")
    os.makedirs(os.path.dirname(legacy), exist_ok=True)
    with open(legacy, "wb") as out:
        out.write(PDF)
    assert private.open("consents/legacy.pdf").read() == PDF  # plaintext still opens
    private.save("photos/new.jpg", ContentFile(b"\xff\xd8 already encrypted"))

    out = io.StringIO()
    call_command("encrypt_private_files", stdout=out)

    assert "Encrypted 1 file(s); 1 already done" in out.getvalue()
    with open(legacy, "rb") as raw:
        assert raw.read().startswith(b"gAAAAA")
    assert private.open("consents/legacy.pdf").read() == PDF
    assert os.stat(legacy).st_mode & 0o777 == 0o600
    assert sorted(os.listdir(os.path.join(private.location, "consents"))) == ["legacy.pdf"]
    again = io.StringIO()
    call_command("encrypt_private_files", stdout=again)  # idempotent
    assert "Encrypted 0 file(s); 2 already done" in again.getvalue()
    events = AuditEvent.objects.filter(action="security", object_type="private_files")
    event = events.order_by("id").first()
    assert event.interface == "cli" and event.detail["changed"] == 1


@pytest.mark.django_db
def test_the_command_names_files_no_key_opens(private, settings):
    private.save("photos/a.jpg", ContentFile(b"\xff\xd8 photo"))
    settings.FILES_KEYS = [NEW]
    with pytest.raises(CommandError, match="1 file"):
        call_command("encrypt_private_files", stdout=io.StringIO())


# Streamed files (the FHIR bulk export's NDJSON): chunk by chunk, any size, memory flat.


def _streamed(private, monkeypatch, lines: int = 50) -> tuple[str, bytes]:
    monkeypatch.setattr(encrypted_storage, "STREAM_CHUNK", 100)  # many chunks from little text
    data = b"".join(
        b'{"resourceType":"Patient","id":"%d","name":"Ayesha"}\n' % n for n in range(lines)
    )
    with private.open_stream_writer("exports/a/Patient-1.ndjson.fstream") as writer:
        for line in data.splitlines(keepends=True):
            writer.write(line)
    return writer.name, data


def test_a_streamed_file_is_chunks_of_ciphertext_that_read_back_in_order(private, monkeypatch):
    name, data = _streamed(private, monkeypatch)
    raw = Path(private.path(name)).read_bytes()
    assert b"Ayesha" not in raw and raw.count(b"\n") > 10
    assert all(line.startswith(b"gAAAAA") for line in raw.splitlines())
    assert b"".join(private.read_stream(name)) == data
    assert list(private.names()) == [name]


@pytest.mark.parametrize("damage", ["truncated", "reordered", "altered"])
def test_a_damaged_streamed_file_is_refused(private, monkeypatch, damage):
    name, _data = _streamed(private, monkeypatch)
    path = Path(private.path(name))
    lines = path.read_bytes().splitlines(keepends=True)
    if damage == "truncated":
        lines = lines[:-2]
    elif damage == "reordered":
        lines[1], lines[2] = lines[2], lines[1]
    else:
        lines[3] = lines[3][:20] + b"A" + lines[3][21:]
    path.write_bytes(b"".join(lines))
    with pytest.raises(UndecryptableFile):
        b"".join(private.read_stream(name))


def test_an_unfinished_streamed_file_leaves_nothing(private, monkeypatch):
    with (
        pytest.raises(RuntimeError),
        private.open_stream_writer("exports/b/X-1.ndjson.fstream") as w,
    ):
        w.write(b"{}\n")
        raise RuntimeError
    assert list(private.names()) == []


@pytest.mark.django_db
def test_streamed_files_rotate_with_the_command(private, monkeypatch, settings):
    name, data = _streamed(private, monkeypatch)
    settings.FILES_KEYS = [NEW, OLD]
    out = io.StringIO()
    call_command("encrypt_private_files", "--rotate", stdout=out)
    assert "Re-encrypted 1 file(s)" in out.getvalue()
    settings.FILES_KEYS = [NEW]
    assert b"".join(private.read_stream(name)) == data
