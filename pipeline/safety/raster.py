"""An SVG as a PNG, bounded: the SVG is checked and scrubbed first (pipeline/safety/pictures.py),
the PNG has at most `settings.SVG_RASTER_MAX_PIXELS` pixels, and novasvg (the rasterizer that
draws mermaid's PNGs, through mermaidx) runs in a child process stopped after
`settings.SVG_RASTER_TIMEOUT` seconds, so a picture that takes too long or crashes it costs
that picture only. Protocol: the SVG on standard input, the PNG on standard output."""

from __future__ import annotations

import math
import subprocess
import sys

from epdoc.pipeline.core import lifetime, settings


class RasterError(ValueError):
    """The SVG could not be drawn as a PNG; the message says why."""


def pixels(width: float, height: float, limit: int | None = None) -> tuple[int, int]:
    """(width, height) in whole pixels, scaled down to at most `limit` pixels in all,
    keeping the proportions."""
    limit = limit or settings.SVG_RASTER_MAX_PIXELS
    w, h = max(width, 1.0), max(height, 1.0)
    if w * h > limit:
        shrink = math.sqrt(limit / (w * h))
        w, h = w * shrink, h * shrink
    return max(1, math.floor(w)), max(1, math.floor(h))


def png(svg: bytes, width: float, height: float, options=None, fonts=()) -> bytes:
    """The PNG of `svg` drawn `width` x `height` pixels (fewer when over the pixel limit).
    `fonts`: (family, bold, italic, file) the drawing may use before the system's.
    Raises RasterError, or what the picture policy raises for an SVG it refuses."""
    from epdoc.pipeline.safety import pictures as imagesafe  # not in the child: it starts light

    picture = imagesafe.vet(svg, "SVG picture", options)  # scrubbed, within the limits
    if picture.mime != imagesafe.SVG:
        raise RasterError("not an SVG picture")
    w, h = pixels(width, height)
    args = [sys.executable, "-m", __name__, str(w), str(h)]
    for family, bold, italic, path in fonts:
        args += [family, str(int(bold)), str(int(italic)), str(path)]
    timeout = settings.SVG_RASTER_TIMEOUT
    try:
        proc = subprocess.run(args, input=picture.data, capture_output=True, timeout=timeout,
                              preexec_fn=lifetime.child_setup())  # noqa: PLW1509
    except subprocess.TimeoutExpired:
        raise RasterError(f"drawing it took longer than {timeout:g} s") from None
    if proc.returncode != 0 or not proc.stdout.startswith(b"\x89PNG"):
        why = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RasterError(f"the rasterizer failed ({why[-1] if why else proc.returncode})")
    return proc.stdout


def _main(argv: list[str]) -> int:  # pragma: no cover - runs in the child process
    import novasvg
    import novasvg.fonts

    lifetime.die_with_parent()
    w, h, rest = int(argv[0]), int(argv[1]), argv[2:]
    for i in range(0, len(rest) - 3, 4):
        family, bold, italic, path = rest[i:i + 4]
        novasvg.fonts.add_font_face_from_file(family, bold == "1", italic == "1", path)
    doc = novasvg.Document.load_from_data(sys.stdin.buffer.read().decode("utf-8"))
    bitmap = doc.render_to_bitmap(w, h, 0x00000000)  # transparent, as the SVG is
    sys.stdout.buffer.write(bitmap.to_bytes("png"))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(_main(sys.argv[1:]))
