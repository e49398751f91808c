"""The DOCX saved in one pass (render/docx/package.py) holds what python-docx's save, then a
second pass dating each entry (`fixed_zip` below: what the writers did before), held: the same
entries in the same order, the same bytes, the same dates and permissions; a compressed
picture stored, everything else deflated."""

import datetime as dt
import io
import os
import zipfile

import docx
import pytest
from PIL import Image

from epdoc.pipeline.core.reproducible import ZIP_EPOCH
from epdoc.pipeline.render.docx import package

MOMENT = dt.datetime(2023, 11, 14, 22, 13, 20, tzinfo=dt.UTC)


def png(noisy: bool) -> bytes:
    """A photo-like PNG (noise: deflate does not shrink it) or a flat one (it does)."""
    size = (120, 90)
    data = os.urandom(size[0] * size[1] * 3) if noisy else bytes(size[0] * size[1] * 3)
    out = io.BytesIO()
    Image.frombytes("RGB", size, data).save(out, "PNG", compress_level=0)
    return out.getvalue()


def document():
    d = docx.Document()
    d.add_paragraph("Hello, DOCX")
    d.add_picture(io.BytesIO(png(noisy=True)))
    d.add_picture(io.BytesIO(png(noisy=False)))
    return d


def fixed_zip(data: bytes, moment: dt.datetime) -> bytes:
    """The same zip with every entry dated `moment`, fixed permissions and compression,
    entries kept in their order (so [Content_Types].xml stays first in a DOCX)."""
    moment = max(moment.astimezone(dt.UTC), ZIP_EPOCH)
    stamp = moment.timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, stamp)
            entry.create_system = 3
            entry.external_attr = (0o40755 if info.is_dir() else 0o100644) << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, src.read(info), compresslevel=6)
    return out.getvalue()


def entries(data: bytes) -> list[tuple]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.testzip() is None
        return [(i.filename, z.read(i), i.date_time, i.external_attr, i.create_system)
                for i in z.infolist()]


def test_dated_as_fixed_zip_dates():
    d = document()
    out = io.BytesIO()
    d.save(out)
    assert entries(package.save(d, MOMENT)) == entries(fixed_zip(out.getvalue(), MOMENT))


def test_undated_as_python_docx_writes():
    d = document()
    out = io.BytesIO()
    d.save(out)
    mine, theirs = entries(package.save(d, None)), entries(out.getvalue())
    assert [e[:2] + e[3:] for e in mine] == [e[:2] + e[3:] for e in theirs]


@pytest.mark.parametrize("moment", [MOMENT, None])
def test_compressed_pictures_stored(moment):
    with zipfile.ZipFile(io.BytesIO(package.save(document(), moment))) as z:
        kinds = {i.filename: i.compress_type for i in z.infolist()}
    pictures = sorted(v for k, v in kinds.items() if k.startswith("word/media/"))
    assert pictures == [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]  # the noisy one, the flat one
    assert kinds["word/document.xml"] == zipfile.ZIP_DEFLATED
