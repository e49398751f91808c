"""Whether two output folders show a reader the same thing (a speed change must not change
the outputs): each PDF's pages, text, fonts, bookmarks and links; each HTML byte for byte;
each DOCX's parts, and their bytes where they differ (the embedded fonts' bytes may differ
when their subsetter changes). Exit 1 on any difference.

    python bench/compare.py BEFORE AFTER
"""

from __future__ import annotations

import re
import sys
import zipfile
from pathlib import Path

import pypdf


def pdf_view(path: Path) -> dict:
    reader = pypdf.PdfReader(str(path))
    fonts = set()
    for page in reader.pages:
        for ref in ((page.get("/Resources") or {}).get("/Font") or {}).values():
            fonts.add(str(ref.get_object().get("/BaseFont")).split("+")[-1])

    def outline(items, depth=0):
        out = []
        for item in items:
            if isinstance(item, list):
                out += outline(item, depth + 1)
            else:
                out.append((depth, item.title, reader.get_destination_page_number(item)))
        return out

    return {
        "pages": len(reader.pages),
        "text": [re.sub(r"\s+", " ", p.extract_text() or "").strip() for p in reader.pages],
        "fonts": sorted(fonts),
        "bookmarks": outline(reader.outline),
        "links": sum(len(p.get("/Annots") or []) for p in reader.pages),
    }


def compare(before: Path, after: Path) -> list[str]:
    problems = []
    names = sorted({p.name for p in before.iterdir() if p.is_file()})
    for name in names:
        a, b = before / name, after / name
        if not b.is_file():
            problems.append(f"{name}: missing after")
        elif name.endswith(".pdf"):
            va, vb = pdf_view(a), pdf_view(b)
            changed = [k for k in va if va[k] != vb[k]]
            problems += [f"{name}: {k} differ" for k in changed]
        elif name.endswith(".html"):
            if a.read_bytes() != b.read_bytes():
                problems.append(f"{name}: differs")
        elif name.endswith(".docx"):
            za, zb = zipfile.ZipFile(a), zipfile.ZipFile(b)
            if sorted(za.namelist()) != sorted(zb.namelist()):
                problems.append(f"{name}: parts differ")
                continue
            for part in za.namelist():
                fonts = part.startswith("word/fonts/") or part == "word/fontTable.xml"
                if za.read(part) != zb.read(part) and not fonts:
                    problems.append(f"{name}: {part} differs")
    return problems


def main(argv=None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    if len(args) != 2:
        print(__doc__.strip().splitlines()[-1].strip(), file=sys.stderr)
        return 2
    problems = compare(Path(args[0]), Path(args[1]))
    for p in problems:
        print(p)
    print(f"{len(problems)} difference(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
