"""The restore drill (README "Backup and restore"): back up the demo, wipe it, restore it, and
find every row count and every file as it was; a wrong key or a damaged file is refused with the
database untouched.

Transactional tests: pg_dump and SQLite's backup API read what is committed, from another
connection, so the data must really be committed.
"""

import hashlib
from importlib import import_module
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.core.management import CommandError, call_command
from django.db import connection

from mesoclinic.care.tests.conftest import (  # noqa: F401 (fixtures)
    consent_texts,
    screening_rules,
    shipped_care_data,
)
from mesoclinic.patients.models import Patient
from mesoclinic.security import backup, crypto_stream

KEY = crypto_stream.new_key()


@pytest.fixture
def private_files(settings, tmp_path):
    """A private files folder with a photo and a consent PDF in it, as uploads leave them."""
    root = tmp_path / "private"
    (root / "photos" / "2026" / "12").mkdir(parents=True)
    (root / "photos" / "2026" / "12" / "baseline.jpg").write_bytes(bytes(range(256)) * 900)
    (root / "consents").mkdir()
    (root / "consents" / "consent-1.pdf").write_bytes(b"%PDF-1.7 signed consent")
    settings.PRIVATE_MEDIA_ROOT = root
    return root


@pytest.fixture
def backup_key(monkeypatch):
    monkeypatch.setenv("MESOCLINIC_BACKUP_KEY", KEY)


def _state(root: Path) -> tuple[dict, dict]:
    counts = backup._engine("default").row_counts()
    files = {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file()
    }
    return counts, files


def _restore(path, **kwargs) -> str:
    out = StringIO()
    call_command("restore", str(path), "--noinput", stdout=out, **kwargs)
    return out.getvalue()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the drill is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("shipped_care_data", "backup_key")
def test_it_restores_the_demo_after_a_wipe(settings, private_files, tmp_path, monkeypatch):
    import_module("mesoclinic.accounts.migrations.0002_role_groups").create_groups(
        django_apps, None
    )
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    before = _state(private_files)
    assert before[0]["patients_patient"] > 0 and before[0]["audit_auditevent"] > 0

    archive = tmp_path / "demo.mcb"
    call_command("backup", str(archive), stdout=StringIO())
    assert b"Ayesha" not in archive.read_bytes()

    # A flipped byte and a wrong key are refused before anything is touched.
    damaged = tmp_path / "damaged.mcb"
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0x01
    damaged.write_bytes(bytes(data))
    with pytest.raises(CommandError, match="damaged"):
        _restore(damaged)
    monkeypatch.setenv("MESOCLINIC_BACKUP_KEY", crypto_stream.new_key())
    with pytest.raises(CommandError, match="another key"):
        _restore(archive)
    assert _state(private_files) == before
    monkeypatch.setenv("MESOCLINIC_BACKUP_KEY", KEY)

    # The wipe: every table emptied (as the owner can) and the files gone.
    call_command("flush", interactive=False, verbosity=0)
    for path in private_files.rglob("*.*"):
        path.unlink()
    assert not Patient.objects.exists()

    said = _restore(archive)

    assert "every count and file hash matches" in said
    assert _state(private_files) == before
    assert Patient.objects.count() == before[0]["patients_patient"]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite round trip")
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("backup_key")
def test_it_backs_up_and_restores_sqlite(private_files, tmp_path, patient_a, patient_b):
    before = _state(private_files)
    archive = tmp_path / "embedded.mcb"
    call_command("backup", str(archive), stdout=StringIO())
    Patient.objects.filter(pk=patient_b.pk).update(first_name="Changed")
    (private_files / "consents" / "consent-1.pdf").write_bytes(b"changed")

    said = _restore(archive)

    assert "every count and file hash matches" in said
    assert _state(private_files) == before
    assert Patient.objects.get(pk=patient_b.pk).first_name == "Hira"


@pytest.mark.django_db
def test_it_refuses_to_back_up_without_a_key(monkeypatch, tmp_path):
    monkeypatch.delenv("MESOCLINIC_BACKUP_KEY", raising=False)
    with pytest.raises(CommandError, match="MESOCLINIC_BACKUP_KEY"):
        call_command("backup", str(tmp_path / "x.mcb"))
    with pytest.raises(CommandError, match="MESOCLINIC_BACKUP_KEY"):
        _restore(tmp_path / "x.mcb")
    monkeypatch.setenv("MESOCLINIC_BACKUP_KEY", "too-short")
    with pytest.raises(CommandError, match="backup key"):
        call_command("backup", str(tmp_path / "x.mcb"))
    assert not list(tmp_path.iterdir())


@pytest.mark.django_db
@pytest.mark.usefixtures("backup_key")
def test_it_refuses_a_file_that_is_not_a_backup_and_never_overwrites_one(tmp_path):
    other = tmp_path / "notes.txt"
    other.write_text("not a backup")
    with pytest.raises(CommandError, match="not a mesoclinic backup"):
        _restore(other)
    with pytest.raises(CommandError, match="exists"):
        call_command("backup", str(other))
    assert other.read_text() == "not a backup"
    with pytest.raises(CommandError, match="No backup"):
        _restore(tmp_path / "missing.mcb")


def test_it_prints_a_new_key_that_it_accepts():
    out = StringIO()
    call_command("backup", "--new-key", stdout=out)
    assert len(crypto_stream.parse_key(out.getvalue())) == 32
    assert backup.FORMAT == 1
