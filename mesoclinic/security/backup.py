"""`manage.py backup` / `restore`: the database and the private files in one encrypted archive.

The archive is a tar stream, encrypted as it is written (crypto_stream: AES-256-GCM in 1 MiB
chunks), holding `database.dump` (PostgreSQL's `pg_dump --format=custom`) or `database.sqlite3`
(SQLite's online backup API), every file under PRIVATE_MEDIA_ROOT as `files/…`, and last
`manifest.json`: rows per table, the sha256 of the dump and of every file (computed from the
bytes archived), the latest migration of each app, the app version and the time.

On PostgreSQL the row counts and the dump share one snapshot (`pg_export_snapshot` handed to
`pg_dump --snapshot`), so they agree even while the clinic keeps working. A restore decrypts and
checks everything (every chunk, then each hash of the manifest) before it touches the database;
`pg_restore --single-transaction` then replaces the database or, on any error, leaves it as it
was. The keys (MESOCLINIC_BACKUP_KEY, SECRET_KEY, the uploads' key) are never in the archive.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tarfile
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connections

from mesoclinic.security import crypto_stream
from mesoclinic.security.backup_engines import BackupError, PostgreSQL, SQLite

FORMAT = 1
MANIFEST = "manifest.json"


@dataclass
class RestoreReport:
    tables: int = 0
    rows: int = 0
    files: int = 0
    mismatches: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def backup_key() -> bytes:
    text = os.environ.get("MESOCLINIC_BACKUP_KEY", "")
    if not text.strip():
        raise BackupError(
            "Set MESOCLINIC_BACKUP_KEY (make one with `manage.py backup --new-key`, and keep it "
            "apart from the backups: without it they cannot be read)."
        )
    try:
        return crypto_stream.parse_key(text)
    except ValueError as exc:
        raise BackupError(str(exc)) from exc


def _engine(alias: str):
    connection = connections[alias]
    if connection.vendor == "postgresql":
        return PostgreSQL(connection.settings_dict)
    if connection.vendor == "sqlite":
        return SQLite(connection.settings_dict)
    raise BackupError(f"Backups support PostgreSQL and SQLite, not {connection.vendor}.")


def make_backup(target: Path, *, key: bytes, alias: str = "default") -> dict:
    """Write the encrypted archive to `target` (through `target.partial`, renamed when whole);
    returns the manifest."""
    target = Path(target)
    if target.exists():
        raise BackupError(f"{target} exists; choose a new file name.")
    engine = _engine(alias)
    files_root = Path(settings.PRIVATE_MEDIA_ROOT)
    partial = target.with_name(target.name + ".partial")
    with tempfile.TemporaryDirectory(prefix="mesoclinic-backup-") as scratch:
        dump = Path(scratch) / engine.dump_name
        tables, migrations = engine.dump(dump)
        manifest = {
            "format": FORMAT,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "app_version": _app_version(),
            "engine": engine.vendor,
            "migrations": migrations,
            "tables": tables,
            "database": {"name": engine.dump_name, "sha256": _sha256(dump)},
            "files": {},
        }
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as out:
                writer = crypto_stream.EncryptingWriter(out, key)
                with tarfile.open(fileobj=writer, mode="w|") as tar:
                    tar.add(dump, arcname=engine.dump_name)
                    for path in sorted(p for p in files_root.rglob("*") if p.is_file()):
                        name = path.relative_to(files_root).as_posix()
                        manifest["files"][name] = _add_hashed(tar, path, f"files/{name}")
                    _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=1).encode())
                writer.close()
                out.flush()
                os.fsync(out.fileno())
            partial.rename(target)
        finally:
            partial.unlink(missing_ok=True)
    return manifest


def restore_backup(source: Path, *, key: bytes, alias: str = "default") -> RestoreReport:
    """Check the archive whole, then replace the database and the private files with it, then
    compare what is now there with the manifest."""
    engine = _engine(alias)
    with tempfile.TemporaryDirectory(prefix="mesoclinic-restore-") as scratch:
        scratch = Path(scratch)
        plain = scratch / "archive.tar"
        try:
            with open(source, "rb") as sealed, open(plain, "wb") as out:
                crypto_stream.decrypt(sealed, key, out)
        except FileNotFoundError as exc:
            raise BackupError(f"No backup at {source}.") from exc
        except crypto_stream.DecryptionError as exc:
            raise BackupError(f"{exc} The database and the files were not touched.") from exc
        manifest = _unpack_and_check(plain, scratch / "out", engine)
        plain.unlink()

        # From here on the current data is replaced.
        for connection in connections.all():
            connection.close()
        report = RestoreReport()
        report.notes += engine.restore(scratch / "out" / engine.dump_name)
        report.notes += _replace_files(scratch / "out" / "files")
    return _compare(manifest, engine, report)


def _unpack_and_check(plain: Path, out: Path, engine) -> dict:
    out.mkdir()
    try:
        with tarfile.open(plain, mode="r:") as tar:
            tar.extractall(out, filter="data")
        manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (tarfile.TarError, OSError, ValueError) as exc:
        raise BackupError(f"The archive inside the backup is unreadable ({exc}).") from exc
    if manifest.get("format") != FORMAT or manifest.get("engine") != engine.vendor:
        raise BackupError(
            f"This backup is of a {manifest.get('engine')} database (format "
            f"{manifest.get('format')}); this installation uses {engine.vendor}."
        )
    unknown = _unknown_migrations(manifest["migrations"])
    if unknown:
        raise BackupError(
            "This backup was made by a newer mesoclinic (migrations this code lacks: "
            f"{', '.join(unknown[:5])}); restore it with that version."
        )
    if _sha256(out / manifest["database"]["name"]) != manifest["database"]["sha256"]:
        raise BackupError("The database dump does not match its manifest; nothing was restored.")
    files = out / "files"
    present = {p.relative_to(files).as_posix() for p in files.rglob("*") if p.is_file()}
    if present != set(manifest["files"]):
        raise BackupError("The files in the backup do not match its manifest; nothing restored.")
    for name, digest in manifest["files"].items():
        if _sha256(files / name) != digest:
            raise BackupError(f"A file in the backup does not match its manifest ({name}).")
    return manifest


def _replace_files(restored: Path) -> list[str]:
    """Put the backup's files in place of PRIVATE_MEDIA_ROOT's; the files there before are
    moved aside, never deleted (a restore may be a mistake). Entries are moved one by one, not
    the folder itself, which may be a mount point."""
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    notes = []
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    present = list(root.iterdir())
    if present:
        aside = root.with_name(f"{root.name}.before-restore-{datetime.now(UTC):%Y%m%dT%H%M%S}")
        aside.mkdir(mode=0o700)
        for entry in present:
            shutil.move(entry, aside / entry.name)
        notes.append(f"The private files that were there are kept in {aside}.")
    if restored.exists():
        for entry in restored.iterdir():
            shutil.move(entry, root / entry.name)
    return notes


def _compare(manifest: dict, engine, report: RestoreReport) -> RestoreReport:
    counts = engine.row_counts()
    for table, expected in manifest["tables"].items():
        if counts.get(table) != expected:
            report.mismatches.append(f"{table}: {counts.get(table)} rows, backup had {expected}")
    report.tables, report.rows = len(manifest["tables"]), sum(manifest["tables"].values())
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    for name, digest in manifest["files"].items():
        path = root / name
        if not path.is_file() or _sha256(path) != digest:
            report.mismatches.append(f"file {name} differs from the backup")
    report.files = len(manifest["files"])
    return report


def _unknown_migrations(migrations: dict[str, str]) -> list[str]:
    from django.db.migrations.loader import MigrationLoader

    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return sorted(f"{app}.{name}" for app, name in migrations.items() if (app, name) not in known)


def _add_hashed(tar: tarfile.TarFile, path: Path, arcname: str) -> str:
    """Archive the file and return the sha256 of exactly the bytes archived."""
    info = tar.gettarinfo(path, arcname=arcname)
    digest = hashlib.sha256()
    with open(path, "rb") as f:

        class Hashing:
            def read(self, size=-1):
                data = f.read(size)
                digest.update(data)
                return data

        tar.addfile(info, Hashing())
    return digest.hexdigest()


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    import io

    info = tarfile.TarInfo(name)
    info.size, info.mode = len(data), 0o600
    info.mtime = int(datetime.now(UTC).timestamp())
    tar.addfile(info, io.BytesIO(data))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def _app_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("mesoclinic")
    except PackageNotFoundError:
        return "unknown"
