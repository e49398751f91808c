"""The theme's fonts travel inside the DOCX, so it looks the same on a machine without them
(Word's "Embed fonts in the file"): each face the document uses (body and code, regular and
bold, italic ones when it has italics) as Word stores it, an obfuscated font part in
word/fonts/ named in fontTable.xml, with `w:embedTrueTypeFonts` set. A face is embedded as
the subset a reader needs: the characters of Western European text, punctuation, arrows,
math operators, box drawing and shapes (so a reviewer's edits keep the font too), plus any
other character the document uses; `w:saveSubsetFonts` says so. Subsets are made by
HarfBuzz (hbsubset.py), else by fontTools and cached by content; a font whose license forbids
embedding (OS/2 fsType) is left out."""

from __future__ import annotations

import functools
import hashlib
import io
import uuid
from importlib.metadata import version

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.oxml import serialize_part_xml
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from epdoc.pipeline.config import theme as themes
from epdoc.pipeline.config.fonts import coverage, family_name
from epdoc.pipeline.core import atomic, settings
from epdoc.pipeline.core.memo import stamp
from epdoc.pipeline.render.docx import hbsubset, wordsettings
from epdoc.pipeline.render.docx.writer import postprocess

VERSION = "1"  # bump when the subsetting below changes
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
BASE = ((0x20, 0x7E), (0xA0, 0x17F), (0x2000, 0x206F), (0x20A0, 0x20CF), (0x2100, 0x214F),
        (0x2190, 0x21FF), (0x2200, 0x22FF), (0x2500, 0x257F), (0x25A0, 0x25FF),
        (0x2610, 0x2612), (0x2713, 0x2718))
BASE_CHARS = frozenset(c for a, b in BASE for c in range(a, b + 1))
FACES = {"regular": "embedRegular", "bold": "embedBold", "italic": "embedItalic",
         "bolditalic": "embedBoldItalic"}
RESTRICTED, BITMAP_ONLY = 0x0002, 0x0200  # OS/2 fsType bits that forbid embedding outlines
CODE_STYLES = ("VerbatimChar", "SourceCode")


def _text(d) -> set[int]:
    parts = [d.element.body]
    for section in d.sections:
        for hf in (section.header, section.footer):
            if not hf.is_linked_to_previous:
                parts.append(hf._element)
    chars: set[int] = set()
    for part in parts:
        for t in part.iter(qn("w:t")):
            chars.update(map(ord, t.text or ""))
    return chars


def _italics(d) -> bool:
    for el in d.element.body.iter(qn("w:i")):
        if el.get(qn("w:val"), "1") not in ("0", "false", "off"):
            return True
    return False


def _code(d) -> bool:
    body = d.element.body
    for tag in (qn("w:rStyle"), qn("w:pStyle")):
        for el in body.iter(tag):
            value = el.get(qn("w:val")) or ""
            if value in CODE_STYLES or value.endswith("Tok"):
                return True
    return False


def _embeddable(data: bytes) -> bool:
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(data), lazy=True)
    fs_type = font["OS/2"].fsType if "OS/2" in font else 0
    return not (fs_type & BITMAP_ONLY) and (fs_type & 0x000F) != RESTRICTED


def subset(data: bytes, chars: frozenset[int]) -> bytes:
    """The font with the glyphs of `chars` only (names, hinting and kerning kept), cached."""
    made = hbsubset.subset(data, chars)  # HarfBuzz: milliseconds; fontTools below: a second
    if made is not None:
        return made
    spec = hashlib.sha256(data)
    spec.update(f"{VERSION} {version('fonttools')} ".encode())
    spec.update(",".join(map(str, sorted(chars))).encode())
    target = settings.user_cache() / "fonts" / f"{spec.hexdigest()}.ttf"
    try:
        return target.read_bytes()
    except OSError:
        pass
    from fontTools import subset as ftsubset
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(data), recalcTimestamp=False)
    opts = ftsubset.Options()
    opts.name_IDs, opts.name_languages = ["*"], ["*"]
    opts.notdef_outline, opts.glyph_names, opts.hinting, opts.legacy_kern = True, False, True, True
    opts.drop_tables += ["FFTM"]
    opts.ignore_missing_unicodes = True
    sub = ftsubset.Subsetter(opts)
    sub.populate(unicodes=chars)
    sub.subset(font)
    out = io.BytesIO()
    font.save(out)
    result = out.getvalue()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic.write_bytes(target, result)
    except OSError:
        pass  # not cached: made again next time
    return result


def key_for(data: bytes) -> str:
    """The font's key (a GUID), from its bytes: the same font gives the same DOCX."""
    return "{" + str(uuid.UUID(bytes=hashlib.sha256(data).digest()[:16])).upper() + "}"


def obfuscate(data: bytes, key: str) -> bytes:
    """ECMA-376 font obfuscation: the first 32 bytes XORed with the key's 16 bytes, which are
    the GUID's hex digits read from the last pair to the first."""
    k = bytes.fromhex(key.strip("{}").replace("-", ""))[::-1]
    head = bytes(b ^ k[i % 16] for i, b in enumerate(data[:32]))
    return head + data[32:]


def _font_entry(table, name: str):
    for font in table.findall(qn("w:font")):
        if font.get(qn("w:name")) == name:
            return font
    font = parse_xml(f'<w:font {nsdecls("w")} w:name="{name}"/>')
    table.append(font)
    return font


def _face(path, chars: frozenset[int]) -> tuple[str, bytes] | None:
    """(key, obfuscated subset of `chars`) of the face in `path`, None when its license
    forbids embedding; remembered in this process by the file's path, size and time."""
    return _made(tuple(stamp(path)), path, chars)


@functools.lru_cache(maxsize=32)
def _made(_stamp: tuple, path, chars: frozenset[int]) -> tuple[str, bytes] | None:
    data = path.read_bytes()
    if not _embeddable(data):
        return None
    font = subset(data, chars)
    key = key_for(font)
    return key, obfuscate(font, key)


@postprocess
def embed_fonts(d, document, options) -> None:
    theme = themes.load(options.theme)
    families = [theme.body_font] + ([theme.mono_font] if _code(d) else [])
    faces = ("regular", "bold", "italic", "bolditalic") if _italics(d) else ("regular", "bold")
    chars = _text(d)
    table_part = d.part.part_related_by(RT.FONT_TABLE)
    table = parse_xml(table_part.blob)
    package = d.part.package
    n = sum(1 for p in package.iter_parts() if p.partname.startswith("/word/fonts/"))
    embedded = 0
    for family in dict.fromkeys(families):
        files = theme.font_files(family)
        for face in faces:
            path = files.get(face)
            if path is None or not path.is_file():
                continue
            extra = frozenset(c for c in chars - BASE_CHARS if c in coverage([path]))
            made = _face(path, BASE_CHARS | extra)
            if made is None:
                continue
            key, blob = made
            n += 1
            part = Part(PackURI(f"/word/fonts/font{n}.odttf"), CONTENT_TYPE, blob, package)
            r_id = table_part.relate_to(part, RT.FONT)
            entry = _font_entry(table, family_name(files["regular"]))
            tag = qn(f"w:{FACES[face]}")
            for old in entry.findall(tag):
                entry.remove(old)
            el = parse_xml(f'<w:{FACES[face]} {nsdecls("w", "r")} r:id="{r_id}" '
                           f'w:fontKey="{key}"/>')
            later = [qn(f"w:{FACES[f]}") for f in list(FACES)[list(FACES).index(face) + 1:]]
            successor = next((c for c in entry if c.tag in later), None)
            if successor is not None:
                successor.addprevious(el)
            else:
                entry.append(el)
            embedded += 1
    if not embedded:
        return
    table_part._blob = serialize_part_xml(table)
    wordsettings.switch_on(d, "embedTrueTypeFonts")
    wordsettings.switch_on(d, "saveSubsetFonts")
