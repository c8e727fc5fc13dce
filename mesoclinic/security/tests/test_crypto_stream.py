"""The backup stream's encryption: what goes in comes out, and any change to the file is refused."""

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mesoclinic.security import crypto_stream
from mesoclinic.security.crypto_stream import DecryptionError, WrongKey

KEY = bytes(range(32))
OTHER_KEY = bytes(range(1, 33))


def seal(data: bytes, chunk_size: int, key: bytes = KEY) -> bytes:
    out = io.BytesIO()
    with crypto_stream.EncryptingWriter(out, key, chunk_size=chunk_size) as writer:
        # In uneven pieces, as tarfile writes.
        for start in range(0, len(data), 7):
            writer.write(data[start : start + 7])
    return out.getvalue()


def open_(sealed: bytes, key: bytes = KEY) -> bytes:
    out = io.BytesIO()
    crypto_stream.decrypt(io.BytesIO(sealed), key, out)
    return out.getvalue()


def chunks_of(sealed: bytes, chunk_size: int) -> tuple[bytes, list[bytes]]:
    header = sealed[: crypto_stream.HEADER.size]
    body = sealed[crypto_stream.HEADER.size :]
    step = chunk_size + crypto_stream.TAG
    return header, [body[i : i + step] for i in range(0, len(body), step)]


data_and_size = st.tuples(st.binary(max_size=300), st.integers(min_value=1, max_value=64))


@given(data_and_size)
def test_it_gives_back_what_it_was_given(case):
    data, chunk_size = case
    assert open_(seal(data, chunk_size)) == data


@given(data_and_size, st.data())
def test_it_refuses_any_flipped_byte(case, draw):
    data, chunk_size = case
    sealed = bytearray(seal(data, chunk_size))
    position = draw.draw(st.integers(min_value=0, max_value=len(sealed) - 1))
    sealed[position] ^= draw.draw(st.integers(min_value=1, max_value=255))
    with pytest.raises(DecryptionError):
        open_(bytes(sealed))


@given(data_and_size, st.data())
def test_it_refuses_a_file_cut_short(case, draw):
    data, chunk_size = case
    sealed = seal(data, chunk_size)
    keep = draw.draw(st.integers(min_value=0, max_value=len(sealed) - 1))
    with pytest.raises(DecryptionError):
        open_(sealed[:keep])


@given(data_and_size, st.data())
def test_it_refuses_dropped_repeated_or_swapped_chunks(case, draw):
    data, chunk_size = case
    header, chunks = chunks_of(seal(data, chunk_size), chunk_size)
    changed = draw.draw(
        st.permutations(chunks) | st.lists(st.sampled_from(chunks), min_size=1, max_size=6)
    )
    if list(changed) == chunks:
        return
    with pytest.raises(DecryptionError):
        open_(header + b"".join(changed))


def test_it_refuses_a_whole_chunk_cut_at_a_chunk_boundary():
    header, chunks = chunks_of(seal(b"x" * 40, 8), 8)
    assert len(chunks) == 5
    with pytest.raises(DecryptionError, match="part 4"):
        open_(header + b"".join(chunks[:4]))


def test_it_names_a_wrong_key():
    with pytest.raises(WrongKey, match="another key"):
        open_(seal(b"records", 16), key=OTHER_KEY)


def test_it_reads_a_key_from_the_environment_form():
    key = crypto_stream.new_key()
    assert len(crypto_stream.parse_key(key)) == 32
    for bad in ("not base64!", "c2hvcnQ="):
        with pytest.raises(ValueError, match="backup key"):
            crypto_stream.parse_key(bad)


def test_it_hides_the_data_and_varies_between_runs():
    data = b"patient record " * 20
    first, second = seal(data, 64), seal(data, 64)
    assert b"patient record" not in first
    assert first != second
