"""Every image staff upload goes through here before it is stored (article images in the editor, the social
image, people's photos).

Everything under MEDIA_ROOT is public, and the client's word about a file means nothing, so each upload is:
- decoded by Pillow, whatever name or content type the browser gave it (a non-image, or an image Pillow
  cannot read, is refused with a plain message: a form error or a 400, never a 500);
- refused before decoding when it has more pixels than MAX_PIXELS (a small PNG can expand to gigabytes of
  memory: a 12000 × 12000 PNG took a worker from ~290 MB to ~730 MB before this limit);
- turned upright, scaled down to a sensible size and re-encoded from the pixels alone, so no metadata from
  the original survives (EXIF with a phone's GPS position and camera, XMP, JPEG comments, text chunks);
- named by the format Pillow detected (`.jpg`, `.png`, `.webp`, `.gif`), never by the client's file name.
"""

import io
import secrets
import warnings
from dataclasses import dataclass
from pathlib import PurePosixPath

from django import forms
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

# About 40 megapixels: a current phone's full-size photo fits; decoding one costs at most ~160 MB (RGBA),
# and a JPEG is decoded at a reduced scale anyway (Image.draft) when it is far larger than what is kept.
MAX_PIXELS = 40_000_000
# The largest file the admin's image forms accept: an article's social image and a person's photo
# (articles/photos.py). nginx's client_max_body_size is set just above it (deploy/nginx/lawsite.conf;
# tests/test_deploy.py keeps them in step).
UPLOAD_MAX_BYTES = 8 * 1024 * 1024
# The social image: link previews show about 1200 × 630, so twice that is plenty.
SOCIAL_IMAGE_MAX_SIDE = 2400
# Pillow's format name -> (file extension, encoder options). Nothing else is accepted (no SVG: it can carry
# script; no TIFF/BMP/ICO: browsers do not all show them and they are a large attack surface).
FORMATS = {
    "JPEG": ("jpg", {"quality": 88, "optimize": True}),
    "PNG": ("png", {"optimize": True}),
    "WEBP": ("webp", {"quality": 85, "method": 6}),
    "GIF": ("gif", {}),
}


class UnusableImage(ValueError):
    """The upload is not an image we can use; the message is for the staff member."""


@dataclass(frozen=True)
class CleanImage:
    content: bytes
    extension: str  # from the detected format, without the dot
    width: int
    height: int

    def as_file(self, stem: str) -> ContentFile:
        return ContentFile(self.content, name=f"{stem}.{self.extension}")


def decode(file, *, max_bytes: int, allowed: tuple[str, ...] = tuple(FORMATS), max_side: int | None = None):
    """The upload as a loaded, upright Pillow image and its detected format, or UnusableImage.

    `max_side` lets a large JPEG be decoded at a reduced scale (Pillow's draft mode), which keeps memory low.
    """
    size = getattr(file, "size", None)
    if size is not None and size > max_bytes:
        raise UnusableImage(
            _("The file is larger than %(megabytes)d MB. Please upload a smaller copy.")
            % {"megabytes": max_bytes // (1024 * 1024)}
        )
    readable = ", ".join(
        "JPEG" if name == "JPEG" else name.title().replace("Webp", "WebP") for name in allowed
    )
    too_many_pixels = _(
        "The image has too many pixels. Please upload a smaller copy (at most %(megapixels)d megapixels)."
    ) % {"megapixels": MAX_PIXELS // 1_000_000}
    try:
        file.seek(0)
        with warnings.catch_warnings():
            # Pillow warns (and refuses at twice its own limit); ours, below, is lower and gives a message.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(file)
        detected = image.format
        if detected not in allowed:
            raise UnusableImage(_("Please upload one of these image types: %(types)s.") % {"types": readable})
        if image.width * image.height > MAX_PIXELS:
            raise UnusableImage(too_many_pixels)
        if detected == "JPEG" and max_side:
            image.draft("RGB", (max_side, max_side))
        image.load()
    except UnusableImage:
        raise
    except Image.DecompressionBombError as error:
        raise UnusableImage(too_many_pixels) from error
    except Exception as error:  # Pillow raises many kinds (and DecompressionBombError) for a bad file
        raise UnusableImage(
            _("This file is not an image we can read. Please upload one of these: %(types)s.")
            % {"types": readable}
        ) from error
    finally:
        file.seek(0)
    return ImageOps.exif_transpose(image), detected


def without_metadata(image: Image.Image) -> Image.Image:
    """A copy holding only the pixels (and a palette's transparency): no EXIF, XMP, ICC text, comments."""
    if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
        image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    clean = image.copy()
    transparency = image.info.get("transparency")
    clean.info = {}
    if transparency is not None and image.mode in ("P", "L", "RGB"):
        clean.info["transparency"] = transparency
    return clean


def clean_image(
    file, *, max_bytes: int, max_side: int, allowed: tuple[str, ...] = tuple(FORMATS)
) -> CleanImage:
    """The upload decoded, scaled to fit `max_side` and re-encoded in its own format without metadata."""
    image, detected = decode(file, max_bytes=max_bytes, allowed=allowed, max_side=max_side)
    if detected == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    image = without_metadata(image)
    image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    extension, options = FORMATS[detected]
    buffer = io.BytesIO()
    image.save(buffer, detected, **options)  # only the options above: nothing copied from the original
    return CleanImage(buffer.getvalue(), extension, image.width, image.height)


def random_stem(directory: str) -> str:
    """A new, unguessable name in `directory`, so an upload never overwrites or reveals another."""
    return str(PurePosixPath(directory) / secrets.token_hex(12))


class CleanImageField(forms.ImageField):
    """An admin form's image field whose cleaned value is the clean re-encoding (clean_image), never the
    upload: a file that is no usable image is a form error with the reason, and what is stored carries no
    metadata and a random name under the detected format's extension."""

    def __init__(self, *, max_bytes: int, max_side: int, allowed: tuple[str, ...] = tuple(FORMATS), **kwargs):
        self.max_bytes, self.max_side, self.allowed = max_bytes, max_side, allowed
        super().__init__(**kwargs)

    def to_python(self, data):
        if data in self.empty_values:
            return None
        try:  # decoded here first: Django's own check would call a bomb only "not a valid image"
            clean = clean_image(data, max_bytes=self.max_bytes, max_side=self.max_side, allowed=self.allowed)
        except UnusableImage as error:
            raise forms.ValidationError(str(error), code="invalid_image") from error
        return clean.as_file(secrets.token_hex(12))
