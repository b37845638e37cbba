"""People's portraits: cropped to 4:5 and resized with Pillow into a few widths, as WebP (small, every current
browser) and JPEG (the <picture> fallback), when staff save a photo in the admin.

Pages then serve a small file at the size it is shown, with its width and height known in advance (no layout
shift), instead of the original upload.
"""

import io
import secrets
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps

from articles import images

WIDTHS = (96, 200, 400)  # byline avatar, About card / profile at 1x, profile at 2x
ASPECT = (4, 5)  # width : height
MIN_WIDTH = 200
FORMATS = {
    "webp": ("WEBP", {"quality": 80, "method": 6}),
    "jpeg": ("JPEG", {"quality": 82, "optimize": True}),
}
DIRECTORY = PurePosixPath("people")
ORIGINAL_MAX = 1600  # the kept original: big enough to re-crop later, small enough not to matter


UnusablePhoto = images.UnusableImage  # the message is for the staff member


def open_portrait(file) -> Image.Image:
    """The uploaded image, upright, in RGB and with no metadata, or UnusablePhoto with a plain reason.

    Decoded by Pillow whatever the browser called it (articles/images.py), refused above MAX_PIXELS before
    decoding, and a large JPEG is decoded at a reduced scale.
    """
    image, _format = images.decode(
        file, max_bytes=images.UPLOAD_MAX_BYTES, allowed=("JPEG", "PNG", "WEBP"), max_side=ORIGINAL_MAX
    )
    if image.width < MIN_WIDTH:
        raise UnusablePhoto(
            f"The photo is only {image.width} pixels wide; please use one at least {MIN_WIDTH}."
        )
    # Re-encoding from a metadata-free copy: a JPEG comment or EXIF block in the upload never reaches a file.
    return images.without_metadata(image).convert("RGB")


def cleaned_original(photo_file) -> ContentFile:
    """The upload as a plain JPEG: upright, at most 1600 pixels, with no EXIF or other metadata (a phone's
    photo can carry where and when it was taken), since everything under MEDIA_ROOT is public."""
    image = open_portrait(photo_file)
    image.thumbnail((ORIGINAL_MAX, ORIGINAL_MAX), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)  # no exif/comment/icc arguments: the file carries pixels only
    return ContentFile(buffer.getvalue())


def make_renditions(photo_file, *, stem: str) -> dict:
    """Write the resized copies to storage and return what templates need (see Person.photo_renditions)."""
    image = open_portrait(photo_file)
    widths = [w for w in WIDTHS if w <= image.width] or [image.width]
    token = secrets.token_hex(4)  # a new name per upload, so browsers never show a cached old face
    renditions: dict = {"width": widths[-1], "height": widths[-1] * ASPECT[1] // ASPECT[0]}
    for key, (pillow_format, options) in FORMATS.items():
        renditions[key] = {}
        for width in widths:
            height = width * ASPECT[1] // ASPECT[0]
            resized = ImageOps.fit(
                image, (width, height), method=Image.Resampling.LANCZOS, centering=(0.5, 0.35)
            )
            buffer = io.BytesIO()
            resized.save(buffer, pillow_format, **options)
            extension = "jpg" if key == "jpeg" else key
            name = str(DIRECTORY / f"{stem}-{token}-{width}.{extension}")
            renditions[key][str(width)] = default_storage.save(name, ContentFile(buffer.getvalue()))
    return renditions


def delete_renditions(renditions: dict) -> None:
    for key in FORMATS:
        for name in (renditions.get(key) or {}).values():
            default_storage.delete(name)
