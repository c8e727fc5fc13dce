"""Pictures are judged by decoding them, and what is stored is drawn fresh from the pixels: no
EXIF or GPS position, nothing appended after the image, no format Pillow does not decode as
JPEG, PNG or WebP, nothing past the size or pixel caps."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.utils import override_settings
from PIL import Image

from mesoclinic.core import images

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def encoded(fmt, size=(64, 48), mode="RGB", **options) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (200, 150, 120) if mode == "RGB" else 0).save(out, fmt, **options)
    return out.getvalue()


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "LeakyCam"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (33.0, 41.0, 24.0)
    return encoded("JPEG", exif=exif)


def upload(data: bytes, name="photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def test_it_removes_the_exif_and_the_gps_position():
    original = jpeg_with_gps()
    assert b"LeakyCam" in original and b"Exif" in original

    cleaned = images.clean(upload(original))

    assert b"LeakyCam" not in cleaned.data and b"Exif" not in cleaned.data
    with Image.open(io.BytesIO(cleaned.data)) as image:
        assert (image.format, image.size) == ("JPEG", (64, 48))
        assert not image.getexif()


def test_it_refuses_a_png_signature_followed_by_html():
    """The issue's finding: the first bytes said PNG, the rest was a page with a script."""
    hostile = PNG_SIGNATURE + b"<html><script>alert(document.cookie)</script></html>"
    with pytest.raises(images.ImageRefused, match=r"Send a photo \(JPEG, PNG or WebP\)"):
        images.clean(upload(hostile, "photo.png"))


def test_it_drops_html_appended_after_a_real_png():
    hostile = encoded("PNG") + b"<html><script>alert(1)</script></html>"
    cleaned = images.clean(upload(hostile, "photo.png"))
    assert b"<script" not in cleaned.data and b"<html" not in cleaned.data


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (encoded("PNG"), "image/jpeg"),  # no transparency: a JPEG
        (encoded("PNG", mode="RGBA"), "image/png"),  # transparency kept: a PNG
        (encoded("WEBP"), "image/jpeg"),
    ],
    ids=["png", "png-with-alpha", "webp"],
)
def test_it_accepts_png_and_webp_and_reencodes_them(data, content_type):
    cleaned = images.clean(upload(data))
    assert cleaned.content_type == content_type
    assert (cleaned.width, cleaned.height) == (64, 48)


@pytest.mark.parametrize(
    "data",
    [
        encoded("GIF"),
        encoded("BMP"),
        encoded("TIFF"),
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3 not a photo",
        b"\xff\xd8\xff\xe0 a JPEG's first bytes and nothing else",
        b"",
    ],
    ids=["gif", "bmp", "tiff", "pdf", "jpeg-signature-only", "empty"],
)
def test_it_refuses_what_is_not_a_decodable_jpeg_png_or_webp(data):
    with pytest.raises(images.ImageRefused, match="Send a photo"):
        images.clean(upload(data))


@override_settings(PHOTO_MAX_BYTES=1024 * 1024)
def test_it_refuses_a_file_over_the_size_cap_before_decoding_it():
    with pytest.raises(images.ImageRefused, match="larger than 1 MB"):
        images.clean(upload(b"\xff\xd8" + b"0" * (1024 * 1024)))


def test_it_refuses_a_picture_with_too_many_pixels():
    """A decompression bomb: a few kilobytes that would decode to ~30 megapixels."""
    bomb = encoded("PNG", size=(6000, 5000), mode="1")
    assert len(bomb) < 100_000
    with pytest.raises(images.ImageRefused, match="too many pixels"):
        images.clean(upload(bomb, "bomb.png"))


def test_it_makes_a_thumbnail_only_when_asked():
    data = encoded("JPEG", size=(1200, 900))
    assert images.clean(upload(data), thumbnail=False).thumbnail == b""
    with Image.open(io.BytesIO(images.clean(upload(data)).thumbnail)) as small:
        assert max(small.size) == 320
