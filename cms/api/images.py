"""Named image sizes (presets) and bulk rendition loading.

Clients choose from a small allowlist of presets; arbitrary Wagtail filter specs never come
from clients. Each preset has a base spec (``rendition``) and the widths of its ``srcSet``.
WebP is used throughout: for photos it is a third smaller than JPEG at the same quality.
"""

from dataclasses import dataclass

from django.db.models import Prefetch, prefetch_related_objects
from wagtail.images.models import Filter

from cms.models import CustomRendition


@dataclass(frozen=True)
class Preset:
    name: str
    description: str
    specs: tuple  # base spec first, then the other srcset sizes

    @property
    def base(self):
        return self.specs[0]


def _fill(width, height):
    return f"fill-{width}x{height}|format-webp|webpquality-80"


def _width(width):
    return f"width-{width}|format-webp|webpquality-80"


PRESETS = {
    "THUMBNAIL": Preset("THUMBNAIL", "16:9 crop, 320 px wide", (_fill(320, 180), _fill(640, 360))),
    "CARD": Preset("CARD", "16:9 crop, 640 px wide", (_fill(640, 360), _fill(1280, 720))),
    "SQUARE": Preset("SQUARE", "1:1 crop, 400 px", (_fill(400, 400), _fill(800, 800))),
    "HERO": Preset(
        "HERO", "Full width, 1600 px, uncropped", (_width(1600), _width(800), _width(1200))
    ),
    "CONTENT": Preset("CONTENT", "In-text image, 800 px, uncropped", (_width(800), _width(1600))),
    "SOCIAL": Preset("SOCIAL", "1200x630 crop for link previews", (_fill(1200, 630),)),
}


def spec_width(spec):
    """The pixel width a spec produces at most (for srcset descriptors)."""
    head = spec.split("|", 1)[0]
    size = head.split("-", 1)[1]
    return int(size.split("x")[0])


ALL_SPECS = tuple(sorted({spec for preset in PRESETS.values() for spec in preset.specs}))
#: Parsed once: building a Filter parses its spec and inspects its operations.
FILTERS = {spec: Filter(spec=spec) for spec in ALL_SPECS}


def renditions_of(image, preset_name):
    """spec -> rendition of an image whose renditions were loaded (``load_renditions``).

    Kept on the image for the request: a list asks for the same preset of each image twice
    (once to load them all, once per field), and Wagtail's lookup hashes every filter's
    focal-point key each time.
    """
    kept = image.__dict__.setdefault("_api_renditions", {})
    if preset_name not in kept:
        kept[preset_name] = image.get_renditions(
            *(FILTERS[spec] for spec in PRESETS[preset_name].specs)
        )
    return kept[preset_name]


def load_renditions(images, preset_names):
    """Give each image its renditions for these presets, reading them in one query and
    creating (once) any that do not exist yet.

    The prefetch reads the renditions of every preset, so that asking for another preset
    later in the same request finds what exists instead of creating it twice.
    """
    images = [image for image in images if image is not None]
    fresh = [
        image
        for image in images
        if "renditions" not in getattr(image, "_prefetched_objects_cache", {})
    ]
    if fresh:
        prefetch_related_objects(
            fresh,
            Prefetch(
                "renditions", queryset=CustomRendition.objects.filter(filter_spec__in=ALL_SPECS)
            ),
        )
    for image in images:
        for name in preset_names:
            renditions_of(image, name)
