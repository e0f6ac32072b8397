"""Logos: an uploaded image is opened by Pillow, checked, resized and re-encoded on the
server, so that what is stored and served is a fresh PNG or JPEG with no metadata (EXIF,
GPS, comments, ICC profiles are not copied) and no bytes of the upload.

Refused with a clear message: anything Pillow cannot open as a raster image (SVG, HTML, PDF,
a renamed file), a file over ``MAX_UPLOAD_BYTES``, an image over ``MAX_PIXELS`` (a
decompression bomb is refused before it is decoded).
"""

from __future__ import annotations

import io
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 400
ACCEPTED_FORMATS = frozenset({"PNG", "JPEG", "GIF", "WEBP"})
# What is served: the content type comes from the re-encoded format, never from the upload.
CONTENT_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg"}


def _refuse() -> ValidationError:
    return ValidationError(
        {"logo": [_("Upload a PNG, JPEG, GIF or WebP image (SVG is not accepted).")]}
    )


def clean_logo(upload) -> tuple[ContentFile, str]:
    """The re-encoded logo (a ``ContentFile`` with its name) and its content type."""
    size = getattr(upload, "size", None)
    if size is None or size > MAX_UPLOAD_BYTES:
        raise ValidationError({"logo": [_("The image is too large: at most %(n)s MB.") % {"n": 2}]})
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError({"logo": [_("The image is too large: at most %(n)s MB.") % {"n": 2}]})
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in ACCEPTED_FORMATS:
                    raise _refuse()
                if probe.width * probe.height > MAX_PIXELS:
                    raise ValidationError(
                        {"logo": [_("The image has too many pixels; send a smaller one.")]}
                    )
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                image = ImageOps.exif_transpose(image)
                image.thumbnail((MAX_SIDE, MAX_SIDE))
                has_alpha = image.mode in ("RGBA", "LA", "P")
                image = image.convert("RGBA" if has_alpha else "RGB")
                # A new image from the pixels only: Pillow would otherwise write what its
                # ``info`` holds (a JPEG comment, EXIF, an ICC profile) into the new file.
                image = Image.frombytes(image.mode, image.size, image.tobytes())
                out = io.BytesIO()
                fmt = "PNG" if has_alpha else "JPEG"
                image.save(out, fmt, optimize=True, **({"quality": 85} if fmt == "JPEG" else {}))
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise _refuse() from None
    except Image.DecompressionBombWarning:
        raise ValidationError(
            {"logo": [_("The image has too many pixels; send a smaller one.")]}
        ) from None
    extension = "png" if fmt == "PNG" else "jpg"
    return ContentFile(out.getvalue(), name=f"logo.{extension}"), CONTENT_TYPES[fmt]
