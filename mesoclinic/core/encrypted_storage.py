"""Patient files encrypted at rest: the "private" storage writes Fernet tokens, never the photo
or the PDF itself.

A copied disk, a backup left on a shared drive or a misconfigured web server shows nothing but
ciphertext: no JPEG or PDF signature, no EXIF, no face. Fernet (AES-128-CBC with an HMAC-SHA256,
from `cryptography`) also authenticates, so a file altered on disk is refused rather than served.

Keys come from the environment, `MESOCLINIC_FILES_KEYS` (settings.FILES_KEYS), comma-separated:
the first encrypts, every one decrypts, so a key is rotated by putting the new one first, running
`manage.py encrypt_private_files --rotate`, then dropping the old one.

Files written before encryption (plaintext) still open: a Fernet token always begins with the
version byte 0x80, base64-encoded as "gAAAAA", which no JPEG, PNG, WebP or PDF does.
`manage.py encrypt_private_files` rewrites such files in place.

Whole files are held in memory to encrypt and decrypt them; the uploads they hold are capped at
10 MB (`core/uploads.py`) and a consent PDF is far smaller.

Files of any size (the FHIR bulk export's NDJSON) are written and read as *streams*
(`open_stream_writer`, `read_stream`; names ending ".fstream"): Fernet has no streaming mode, so
the plaintext is cut into chunks of STREAM_CHUNK bytes, each encrypted as its own token, one
token per line. Each chunk's plaintext starts with its index ("7:") and a last token says how
many came ("end:8"), so a reordered, dropped or truncated chunk is refused like an altered file.
Memory stays at about one chunk whatever the file's size.
"""

import io
import os
import stat
import tempfile

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile, File
from django.core.files.storage import FileSystemStorage

#: How every Fernet token begins (version byte 0x80 and the first timestamp bytes, base64).
TOKEN_PREFIX = b"gAAAAA"
#: Streamed files: names ending so, and the plaintext bytes per encrypted chunk.
STREAM_SUFFIX = ".fstream"
STREAM_CHUNK = 1 << 20


class UndecryptableFile(OSError):
    """The file is encrypted but no configured key opens it (a wrong or missing key in
    MESOCLINIC_FILES_KEYS), or it was altered on disk. An OSError, so the serving views treat
    it as an unreadable file (logged, never served) rather than as a crash."""


def is_encrypted(data: bytes) -> bool:
    return data.startswith(TOKEN_PREFIX)


def cipher(keys=None) -> MultiFernet:
    keys = list(keys if keys is not None else getattr(settings, "FILES_KEYS", []))
    if not keys:
        raise ImproperlyConfigured("Set the environment variable MESOCLINIC_FILES_KEYS.")
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(
            "MESOCLINIC_FILES_KEYS must list Fernet keys (32 url-safe base64-encoded bytes each; "
            "make one with `python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())'`)."
        ) from exc


class DecryptedFile(File):
    """A private file's plaintext, in memory; reopening it reads and decrypts it again (a
    FieldFile is opened, closed and opened again)."""

    def __init__(self, storage, name):
        self._storage = storage
        super().__init__(self._plaintext(storage, name), name=name)
        self.mode = "rb"

    @staticmethod
    def _plaintext(storage, name):
        with open(storage.path(name), "rb") as raw:
            return io.BytesIO(storage.decrypt(raw.read(), name))

    def open(self, mode=None, *args, **kwargs):
        if self.closed:
            self.file = self._plaintext(self._storage, self.name)
        else:
            self.seek(0)
        return self


class EncryptedFileSystemStorage(FileSystemStorage):
    """FileSystemStorage whose files are Fernet tokens on disk and plaintext when opened."""

    def __init__(self, *args, keys=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._keys = keys

    @property
    def cipher(self) -> MultiFernet:
        # Read from settings at each use, so a test or a rotation sees the keys of the moment.
        return cipher(self._keys)

    def _save(self, name, content):
        data = b"".join(content.chunks())
        return super()._save(name, ContentFile(self.cipher.encrypt(data)))

    def _open(self, name, mode="rb"):
        if any(flag in mode for flag in "wa+"):
            raise ValueError("The private storage is written only through save().")
        return DecryptedFile(self, name)

    def size(self, name):
        with open(self.path(name), "rb") as raw:
            return len(self.decrypt(raw.read(), name))

    def decrypt(self, data: bytes, name: str = "") -> bytes:
        if not is_encrypted(data):
            return data  # written before encryption; `encrypt_private_files` converts it
        try:
            return self.cipher.decrypt(data)
        except InvalidToken:
            raise UndecryptableFile(
                f"{name or 'A private file'} cannot be decrypted with any key in "
                "MESOCLINIC_FILES_KEYS (a wrong or missing key, or the file was altered)."
            ) from None

    def rewrite(self, name: str, *, rotate: bool = False) -> bool:
        """Encrypt one plaintext file in place (or, with rotate, re-encrypt a token under the
        first key); True when the file changed, UndecryptableFile when no key opens it. The new
        bytes go to a temporary file beside it and replace it in one rename, so a crash leaves
        the old file or the new, never half."""
        if name.endswith(STREAM_SUFFIX):
            return self._rewrite_stream(name, rotate=rotate)
        path = self.path(name)
        with open(path, "rb") as raw:
            data = raw.read()
        if is_encrypted(data):
            self.decrypt(data, name)  # UndecryptableFile when no key opens it
            if not rotate or self._under_first_key(data):
                return False
            token = self.cipher.rotate(data)
        else:
            token = self.cipher.encrypt(data)
        mode = self.file_permissions_mode
        if mode is None:
            mode = stat.S_IMODE(os.stat(path).st_mode)
        folder = os.path.dirname(path)
        fd, temporary = tempfile.mkstemp(dir=folder, prefix=".encrypting-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(token)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temporary, mode)
            os.replace(temporary, path)
        except BaseException:
            if os.path.exists(temporary):
                os.unlink(temporary)
            raise
        return True

    def open_stream_writer(self, name: str) -> "StreamWriter":
        """A writer for a streamed file `name` (ending STREAM_SUFFIX): `write(bytes)` as often as
        needed, then `close()`; it appears under `name` only when closed (a temporary file
        beside it until then). Use it as a context manager: an exception discards the file."""
        if not name.endswith(STREAM_SUFFIX):
            raise ValueError(f"A streamed file's name ends with {STREAM_SUFFIX}.")
        return StreamWriter(self, name)

    def read_stream(self, name: str):
        """The plaintext of a streamed file, chunk by chunk (bytes); UndecryptableFile when a
        chunk does not open, is out of order, or the file ends early."""
        cipher = self.cipher
        expected = 0
        with open(self.path(name), "rb") as raw:
            for line in raw:
                try:
                    plain = cipher.decrypt(line.rstrip(b"\n"))
                except InvalidToken:
                    raise UndecryptableFile(f"{name}: chunk {expected} does not open.") from None
                head, _sep, data = plain.partition(b":")
                if head == b"end":
                    if data != str(expected).encode():
                        break
                    return
                if head != str(expected).encode():
                    break
                expected += 1
                yield data
        raise UndecryptableFile(f"{name} is truncated or its chunks are out of order.")

    def _rewrite_stream(self, name: str, *, rotate: bool) -> bool:
        """A streamed file is always encrypted; with rotate, each token is re-encrypted under the
        first key, line by line (memory: one chunk)."""
        path = self.path(name)
        with open(path, "rb") as raw:
            first = raw.readline().rstrip(b"\n")
        if not rotate or self._under_first_key(first):
            return False
        cipher = self.cipher
        fd, temporary = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".encrypting-")
        try:
            with os.fdopen(fd, "wb") as out, open(path, "rb") as raw:
                for line in raw:
                    try:
                        out.write(cipher.rotate(line.rstrip(b"\n")) + b"\n")
                    except InvalidToken:
                        raise UndecryptableFile(f"{name} cannot be decrypted.") from None
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temporary, self.file_permissions_mode or 0o600)
            os.replace(temporary, path)
        except BaseException:
            if os.path.exists(temporary):
                os.unlink(temporary)
            raise
        return True

    def _under_first_key(self, token: bytes) -> bool:
        keys = list(self._keys if self._keys is not None else settings.FILES_KEYS)
        try:
            Fernet(keys[0]).decrypt(token)
        except InvalidToken:
            return False
        return True

    def names(self):
        """Every file under the storage's root, as storage names."""
        root = self.location
        for folder, _, files in os.walk(root):
            for file in sorted(files):
                if file.startswith(".encrypting-"):
                    continue
                yield os.path.relpath(os.path.join(folder, file), root).replace(os.sep, "/")


class StreamWriter:
    """Writes a streamed file (see the module's docstring): plaintext in, one Fernet token per
    STREAM_CHUNK bytes out, into a temporary file renamed into place on `close()`."""

    def __init__(self, storage: EncryptedFileSystemStorage, name: str):
        self.name = name
        self._cipher = storage.cipher
        self._path = storage.path(name)
        self._mode = storage.file_permissions_mode or 0o600
        folder = os.path.dirname(self._path)
        os.makedirs(folder, mode=storage.directory_permissions_mode or 0o700, exist_ok=True)
        fd, self._temporary = tempfile.mkstemp(dir=folder, prefix=".encrypting-")
        self._out = os.fdopen(fd, "wb")
        self._buffer = bytearray()
        self._index = 0

    def write(self, data: bytes) -> None:
        self._buffer += data
        if len(self._buffer) >= STREAM_CHUNK:
            self._flush()

    def _flush(self) -> None:
        chunk = str(self._index).encode() + b":" + bytes(self._buffer)
        self._out.write(self._cipher.encrypt(chunk) + b"\n")
        self._index += 1
        self._buffer.clear()

    def close(self) -> str:
        if self._buffer:
            self._flush()
        self._out.write(self._cipher.encrypt(b"end:" + str(self._index).encode()) + b"\n")
        self._out.flush()
        os.fsync(self._out.fileno())
        self._out.close()
        os.chmod(self._temporary, self._mode)
        os.replace(self._temporary, self._path)
        return self.name

    def discard(self) -> None:
        self._out.close()
        if os.path.exists(self._temporary):
            os.unlink(self._temporary)

    def __enter__(self):
        return self

    def __exit__(self, kind, value, traceback):
        if kind is not None:
            self.discard()
        elif not self._out.closed:
            self.close()
