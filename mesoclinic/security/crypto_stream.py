"""Streamed authenticated encryption for backups: AES-256-GCM in fixed-size chunks.

Why chunks: a backup is larger than memory, and one GCM message cannot be checked until its end.
Why this layout: each chunk is checked on its own, and its place in the stream is part of what is
checked, so a flipped byte, a truncated file, a dropped, repeated or swapped chunk, or a file
made with another key are all refused (the "STREAM" construction of Hoang, Reyhanitabar, Rogaway
and Vizár, 2015, as in age and Tink):

    header  = MAGIC (8) | chunk size (4, big-endian) | nonce prefix (8, random) | key check (8)
    chunk i = AES-GCM(key, nonce = prefix | i (4, big-endian), data, aad = header | last flag)

Every chunk but the last holds exactly `chunk size` bytes of data; the last holds 0 to `chunk
size` bytes and is sealed with the last flag set, so a file cut at a chunk boundary fails. The key
check (HMAC-SHA256 of a fixed label under the key) only turns "wrong key" into its own message;
it reveals nothing about the key. No Django here: a pure module.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import struct
from typing import BinaryIO

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MAGIC = b"MESOBAK1"
CHUNK_SIZE = 1024 * 1024
TAG = 16
HEADER = struct.Struct(">8sI8s8s")
MAX_CHUNKS = 2**32


class DecryptionError(Exception):
    """The file is not a backup made with this key, or it was changed."""


class WrongKey(DecryptionError):
    pass


def new_key() -> str:
    """A fresh key, as the environment variable holds it (URL-safe base64 of 32 bytes)."""
    return base64.urlsafe_b64encode(os.urandom(32)).decode("ascii")


def parse_key(text: str) -> bytes:
    try:
        key = base64.urlsafe_b64decode(text.strip().encode("ascii"))
    except (ValueError, UnicodeEncodeError) as exc:
        raise ValueError(
            "The backup key is not base64 (make one with `backup --new-key`)."
        ) from exc
    if len(key) != 32:
        raise ValueError("The backup key must be 32 bytes (make one with `backup --new-key`).")
    return key


def _key_check(key: bytes) -> bytes:
    return hmac.new(key, b"mesoclinic backup key check", hashlib.sha256).digest()[:8]


class EncryptingWriter:
    """A file-like `write()` target: buffers data and writes sealed chunks to `out`. Call
    `close()` to seal the last chunk (nothing is readable without it)."""

    def __init__(self, out: BinaryIO, key: bytes, chunk_size: int = CHUNK_SIZE):
        if not 1 <= chunk_size < 2**31:
            raise ValueError("chunk size out of range")
        self._out, self._aead, self._size = out, AESGCM(key), chunk_size
        self._prefix = os.urandom(8)
        self._header = HEADER.pack(MAGIC, chunk_size, self._prefix, _key_check(key))
        self._buffer = bytearray()
        self._counter = 0
        self._closed = False
        out.write(self._header)

    def write(self, data: bytes) -> int:
        if self._closed:
            raise ValueError("write to a closed backup stream")
        self._buffer += data
        # Keep at least one byte back until close(): the last chunk must carry the last flag,
        # and a stream whose length is a multiple of the chunk size still ends with one.
        while len(self._buffer) > self._size:
            self._seal(bytes(self._buffer[: self._size]), last=False)
            del self._buffer[: self._size]
        return len(data)

    def close(self) -> None:
        if not self._closed:
            self._seal(bytes(self._buffer), last=True)
            self._buffer.clear()
            self._closed = True

    def _seal(self, chunk: bytes, *, last: bool) -> None:
        if self._counter >= MAX_CHUNKS:
            raise ValueError("backup too large for one stream")
        nonce = self._prefix + struct.pack(">I", self._counter)
        self._out.write(self._aead.encrypt(nonce, chunk, self._header + bytes([last])))
        self._counter += 1

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if exc[0] is None:
            self.close()


def decrypt(source: BinaryIO, key: bytes, out: BinaryIO) -> int:
    """Check and decrypt the whole stream into `out`; returns the plaintext length. Raises
    DecryptionError (WrongKey for another key) at the first chunk that does not check: data
    already written to `out` must then be discarded, so write to a scratch file."""
    header = source.read(HEADER.size)
    if len(header) != HEADER.size:
        raise DecryptionError("This is not a mesoclinic backup (too short).")
    magic, chunk_size, prefix, check = HEADER.unpack(header)
    if magic != MAGIC:
        raise DecryptionError("This is not a mesoclinic backup (no backup header).")
    if not hmac.compare_digest(check, _key_check(key)):
        raise WrongKey("This backup was made with another key (MESOCLINIC_BACKUP_KEY).")
    if not 1 <= chunk_size < 2**31:
        raise DecryptionError("This backup is damaged (its header does not check).")
    aead, total, counter = AESGCM(key), 0, 0
    sealed = source.read(chunk_size + TAG)
    while True:
        following = source.read(chunk_size + TAG)
        last = not following
        if len(sealed) < TAG or (not last and len(sealed) != chunk_size + TAG):
            raise DecryptionError("This backup is damaged or cut short.")
        nonce = prefix + struct.pack(">I", counter)
        try:
            chunk = aead.decrypt(nonce, sealed, header + bytes([last]))
        except Exception as exc:  # cryptography's InvalidTag
            raise DecryptionError(
                f"This backup is damaged, cut short or reordered (part {counter + 1} does not "
                "check)."
            ) from exc
        out.write(chunk)
        total += len(chunk)
        if last:
            return total
        sealed, counter = following, counter + 1
