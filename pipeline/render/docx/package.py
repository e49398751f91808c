"""The DOCX saved as one zip, compressed once: python-docx's parts in python-docx's order,
each entry dated by SOURCE_DATE_EPOCH (with fixed permissions) or as python-docx does (now).
A picture that is compressed already (a photo's PNG or JPEG: deflate would save a few
percent, at a few milliseconds a picture) is stored as it is; one that deflate still shrinks
(a drawn diagram's PNG) is deflated, as every other part. Embedded fonts are deflated at
zlib's fastest level: half the time of its default, 6% more bytes."""

from __future__ import annotations

import datetime as dt
import io
import time
import zipfile
import zlib

from docx.opc.pkgwriter import PackageWriter

from epdoc.pipeline.core.reproducible import ZIP_EPOCH

PICTURES = (".png", ".jpg", ".jpeg", ".gif")
LEVEL = 6  # zlib's default, as python-docx deflates
FONTS, FONT_LEVEL = "word/fonts/", 1
SAMPLE = 32 * 1024  # bytes of a picture deflated (quickly) to see whether deflate pays
PAYS = 0.9  # deflated to less than this share of its size


class _Zip:
    """python-docx's physical package writer (`write(pack_uri, blob)`, `close()`)."""

    def __init__(self, out, moment: dt.datetime | None):
        self.zip = zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED)
        self.stamp = max(moment.astimezone(dt.UTC), ZIP_EPOCH).timetuple()[:6] \
            if moment else None

    def write(self, pack_uri, blob: bytes) -> None:
        name = pack_uri.membername
        entry = zipfile.ZipInfo(name, self.stamp or time.localtime(time.time())[:6])
        if self.stamp:  # a reproducible entry: fixed date, owner-writable file
            entry.create_system = 3
            entry.external_attr = 0o100644 << 16
        else:  # as zipfile.writestr(name, ...) does
            entry.external_attr = 0o600 << 16
        stored = name.lower().endswith(PICTURES) and not _shrinks(blob)
        entry.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
        level = FONT_LEVEL if name.startswith(FONTS) else LEVEL
        self.zip.writestr(entry, blob, compresslevel=None if stored else level)

    def close(self) -> None:
        self.zip.close()


def _shrinks(blob: bytes) -> bool:
    sample = blob[:SAMPLE]
    return len(zlib.compress(sample, 1)) < len(sample) * PAYS


def save(d, moment: dt.datetime | None) -> bytes:
    """The bytes of python-docx's Document `d`: the parts `d.save()` writes, with `moment`
    every entry dated by it."""
    package = d.part.package
    for part in package.parts:
        part.before_marshal()
    out = io.BytesIO()
    z = _Zip(out, moment)
    parts = package.parts
    PackageWriter._write_content_types_stream(z, parts)
    PackageWriter._write_pkg_rels(z, package.rels)
    PackageWriter._write_parts(z, parts)
    z.close()
    return out.getvalue()
