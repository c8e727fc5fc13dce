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
