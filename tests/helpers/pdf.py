"""What a PDF holds besides its text: fonts, outline, links, labels, rotated (watermark) text."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pypdf
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject


def font_dicts(reader: pypdf.PdfReader) -> list[DictionaryObject]:
    """Every /Font dictionary reachable from the pages (forms, patterns, annotations)."""
    seen, fonts = set(), []

    def walk(obj):
        if isinstance(obj, IndirectObject):
            key = (obj.idnum, obj.generation)
            if key in seen:
                return
            seen.add(key)
            obj = obj.get_object()
        if isinstance(obj, DictionaryObject):
            if obj.get("/Type") == "/Font":
                fonts.append(obj)
            for k, v in obj.items():
                if k not in ("/Parent", "/P", "/Dest", "/A"):
                    walk(v)
        elif isinstance(obj, ArrayObject):
            for v in obj:
                walk(v)

    for page in reader.pages:
        walk(page)
    return fonts


def embedded_fonts(path: Path) -> set[str]:
    """Every /BaseFont in the file, subset tag removed."""
    fonts = set()
    for font in font_dicts(pypdf.PdfReader(str(path))):
        if "/BaseFont" in font:
            name = str(font["/BaseFont"]).lstrip("/")
            fonts.add(name.split("+", 1)[1] if "+" in name[:7] else name)
    return fonts


def outline(path: Path) -> list[tuple[int, str, int]]:
    """(depth, title, page index) of every bookmark, in order; depth 1 is the top."""
    reader = pypdf.PdfReader(str(path))
    found = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, item.title, reader.get_destination_page_number(item)))

    walk(reader.outline, 1)
    return found


def links(path: Path) -> list[tuple[int, str, object]]:
    """(page index, kind, target) of every link: kind "uri" (address), "file" (another PDF:
    (file name, destination)) or "internal" (target page index)."""
    reader = pypdf.PdfReader(str(path))
    named = {k: reader.get_destination_page_number(v)
             for k, v in reader.named_destinations.items()}
    pages = {p.indirect_reference.idnum: i for i, p in enumerate(reader.pages)}
    found = []
    for i, page in enumerate(reader.pages):
        for annot in page.get("/Annots", []) or []:
            a = annot.get_object()
            if a.get("/Subtype") != "/Link":
                continue
            action = a.get("/A")
            dest = a.get("/Dest")
            if action is not None and action.get("/S") == "/URI":
                found.append((i, "uri", str(action["/URI"])))
                continue
            if action is not None and action.get("/S") == "/GoToR":
                spec = action["/F"]
                name = spec.get("/UF", spec.get("/F")) if hasattr(spec, "get") else spec
                d = action.get("/D")
                found.append((i, "file", (str(name), d if isinstance(d, str) else None)))
                continue
            if action is not None and action.get("/S") == "/GoTo":
                dest = action.get("/D")
            if isinstance(dest, str) or hasattr(dest, "original_bytes"):
                found.append((i, "internal", named.get(str(dest))))
            elif dest is not None:
                ref = dest[0]
                found.append((i, "internal", pages.get(ref.idnum)))
    return found


def page_labels(path: Path) -> list[str]:
    return list(pypdf.PdfReader(str(path)).page_labels)


def rotated_text(path: Path) -> list[str]:
    """The rotated text of each page (a diagonal watermark), in drawing order."""
    with pdfplumber.open(str(path)) as pdf:
        return ["".join(c["text"] for c in page.chars if abs(c["matrix"][1]) > 1e-3)
                for page in pdf.pages]


def metadata(path: Path) -> dict:
    return dict(pypdf.PdfReader(str(path)).metadata or {})


def text_sizes(path: Path) -> list[dict[float, int]]:
    """Per page: printed size in pt (font size times the text matrix's scale, as a reader sees
    it) -> how many visible characters are printed at that size (PDFium)."""
    import ctypes
    import math

    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    pdf = pdfium.PdfDocument(str(path))
    pages = []
    try:
        for page in pdf:
            text = page.get_textpage()
            sizes: dict[float, int] = {}
            for i in range(text.count_chars()):
                if chr(raw.FPDFText_GetUnicode(text.raw, i)).isspace():
                    continue
                m = raw.FS_MATRIX()
                raw.FPDFText_GetMatrix(text.raw, i, ctypes.byref(m))
                size = raw.FPDFText_GetFontSize(text.raw, i) * math.sqrt(abs(m.a * m.d - m.b * m.c))
                sizes[round(size, 1)] = sizes.get(round(size, 1), 0) + 1
            pages.append(sizes)
    finally:
        pdf.close()
    return pages
