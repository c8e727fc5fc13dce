"""Where patient files live: the "private" storage (settings.STORAGES), never under a URL."""

import hashlib
import uuid

from django.core.files.storage import storages


def private_storage():
    """Callable for FileField(storage=...), so migrations do not pin a path."""
    return storages["private"]


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def random_name(folder: str, extension: str) -> str:
    """A name that says nothing about the patient: folder/yyyy/uuid.ext."""
    return f"{folder}/{uuid.uuid4().hex}.{extension}"
