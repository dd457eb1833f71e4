"""Pixels as published copies carry them: in a mode colour management and resizing work in, upright as their EXIF
orientation says, in sRGB (the copies keep no EXIF or ICC profile to say otherwise)."""

from __future__ import annotations

import io
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image, ImageCms


def plain_mode(image: Image.Image) -> Image.Image:
    """The pixels in a mode colour management and resizing work in (RGB, RGBA, CMYK or L). A PNG's colour or grey
    level marked transparent (its tRNS chunk, as optimisers such as OptiPNG write a logo of transparent and opaque
    pixels) becomes alpha: copies of it in RGB showed that colour, a magenta or black box, where the original is
    see-through."""
    if image.mode in ("RGB", "L") and "transparency" in image.info:
        return image.convert("RGBA")
    if image.mode in ("RGB", "RGBA", "CMYK", "L"):
        image.load()
        return image
    if image.mode.startswith("I"):  # 16- or 32-bit grey, as some PNGs are
        return image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    alpha = image.mode in ("LA", "La", "PA", "RGBa") or "transparency" in image.info
    return image.convert("RGBA" if alpha else "RGB")


def upright(image: Image.Image, orientation: int) -> Image.Image:
    """Turned and flipped as the EXIF orientation says it is shown (the copies keep no EXIF to say it)."""
    from PIL import Image

    turns = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180, 4: Image.Transpose.FLIP_TOP_BOTTOM,
             5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
             8: Image.Transpose.ROTATE_90}
    return image.transpose(turns[orientation]) if orientation in turns else image


def in_srgb(image: Image.Image, icc: bytes | None) -> Image.Image:
    """The image in sRGB, what browsers assume without a profile: converted from its own profile if any."""
    from PIL import ImageCms

    mode = "RGBA" if image.mode == "RGBA" else "RGB"
    if icc:
        try:
            profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            if image.mode != mode or "srgb" not in ImageCms.getProfileDescription(profile).lower():
                converted = ImageCms.profileToProfile(image, profile, srgb_profile(), outputMode=mode)
                if converted is not None:
                    if mode == "RGBA":  # colour management leaves alpha alone only in newer Pillows
                        converted.putalpha(image.getchannel("A"))
                    return converted
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            pass  # a profile lcms cannot use: the pixels as they are
    return image if image.mode == mode else image.convert(mode)


@cache
def srgb_profile() -> ImageCms.ImageCmsProfile:
    from PIL import ImageCms

    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
