"""Uploaded pictures as they are stored: decoded and re-encoded, so nothing but pixels survives.

A camera's EXIF (its make, the time, the GPS position of the patient's home), XMP, comments and
anything appended after the image data (a PNG signature followed by HTML, say) are dropped
because the stored file is written fresh from the decoded pixels. A file Pillow cannot decode as
JPEG (or MPO, a phone's JPEG with a second picture), PNG or WebP is refused, whatever its name or
first bytes say; so is one above the size limit, judged by the upload's size before a byte is
decoded (the upload handler in `core/uploads.py` has already stopped reading past it), and one
whose pixel count would exhaust memory (a decompression bomb).

It knows no domain: care's baseline photos and aftercare's check-in and course photos both come
through `clean`.
"""

import io
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

#: MPO is a JPEG carrying more than one picture (phones' HDR gain maps, some Samsung and
#: iPhone cameras): its first frame is the photo, and only that is kept.
ACCEPTED = {"JPEG", "MPO", "PNG", "WEBP"}
#: 24 megapixels: more than any phone photo needs, and a decoded image of at most ~100 MB.
MAX_PIXELS = 24_000_000
THUMBNAIL = (320, 320)


class ImageRefused(ValueError):
    """Why an upload is not stored, in words for the form."""


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    thumbnail: bytes
    content_type: str
    extension: str
    width: int
    height: int


def max_bytes() -> int:
    """The largest photo accepted, in bytes (settings.PHOTO_MAX_BYTES, 10 MB by default)."""
    return getattr(settings, "PHOTO_MAX_BYTES", 10 * 1024 * 1024)


def too_large_message(limit: int | None = None) -> str:
    limit = max_bytes() if limit is None else limit
    return _("The photo is larger than %(mb)s MB: send a smaller one.") % {
        "mb": max(1, limit // (1024 * 1024))
    }


def clean(upload, *, thumbnail: bool = True) -> CleanImage:
    """The upload as a fresh JPEG (PNG when it has transparency) and, when asked, its
    thumbnail, with no metadata; ImageRefused naming the problem otherwise."""
    limit = max_bytes()
    if upload.size is None or upload.size > limit:
        raise ImageRefused(too_large_message(limit))
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            if probe.format not in ACCEPTED:
                raise ImageRefused(_("Send a photo (JPEG, PNG or WebP)."))
            if probe.width * probe.height > MAX_PIXELS:
                raise ImageRefused(_("The photo has too many pixels: send a smaller one."))
            probe.load()
            # The camera's orientation applied to the pixels, since the tag that held it goes.
            image = ImageOps.exif_transpose(probe)
    except ImageRefused:
        raise
    except Image.DecompressionBombError:
        raise ImageRefused(_("The photo has too many pixels: send a smaller one.")) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ImageRefused(_("Send a photo (JPEG, PNG or WebP).")) from None
    keep_alpha = image.mode in ("RGBA", "LA") or "transparency" in image.info
    image = image.convert("RGBA" if keep_alpha else "RGB")
    fmt, content_type, extension = (
        ("PNG", "image/png", "png") if keep_alpha else ("JPEG", "image/jpeg", "jpg")
    )
    data = _encode(image, fmt)
    small = b""
    if thumbnail:
        copy = image.copy()
        copy.thumbnail(THUMBNAIL)
        small = _encode(copy, fmt)
    return CleanImage(
        data=data,
        thumbnail=small,
        content_type=content_type,
        extension=extension,
        width=image.width,
        height=image.height,
    )


def _encode(image: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    # No exif=, no pnginfo=: Pillow writes no metadata unless asked.
    if fmt == "JPEG":
        image.save(out, "JPEG", quality=88, optimize=True)
    else:
        image.save(out, "PNG", optimize=True)
    return out.getvalue()
