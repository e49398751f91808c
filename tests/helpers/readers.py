"""What a reader sees in each output: text of PDF, DOCX and HTML, normalized."""

from __future__ import annotations

import re
import subprocess
import unicodedata
from pathlib import Path

import docx
import pypdfium2 as pdfium
from lxml import etree
from lxml import html as lxml_html


def pdf_pages(path: Path) -> list[str]:
    """Text of each page as PDFium (Chrome's PDF engine) extracts it."""
    pdf = pdfium.PdfDocument(str(path))
    try:
        return [page.get_textpage().get_text_bounded().replace("\r\n", "\n") for page in pdf]
    finally:
        pdf.close()


def pdf_text(path: Path) -> str:
    return "\n".join(pdf_pages(path))


def docx_text(path: Path) -> str:
    """Paragraphs and table cells, in body order, plus headers and footers."""
    d = docx.Document(str(path))
    parts = []
    for block in d.element.body.iter():
        if block.tag.endswith("}p"):
            parts.append("".join(t.text or "" for t in block.iter() if t.tag.endswith("}t")))
    for section in d.sections:
        for part in (section.header, section.footer):
            parts.extend(p.text for p in part.paragraphs)
    for rel in d.part.rels.values():  # footnotes, where Word keeps them
        if rel.reltype.endswith("/footnotes"):
            notes = etree.fromstring(rel.target_part.blob)
            parts.extend("".join(t.text or "" for t in p.iter() if t.tag.endswith("}t"))
                         for p in notes.iter() if p.tag.endswith("}p"))
    return "\n".join(parts)


def html_text(path: Path) -> str:
    tree = lxml_html.fromstring(Path(path).read_bytes())
    for bad in tree.xpath("//style|//script"):
        bad.drop_tree()
    return tree.text_content()


def squash(text: str) -> str:
    """Lower-case, compatibility-normalized, with every non-word character removed."""
    text = unicodedata.normalize("NFKC", text).lower()
    return re.sub(r"[\W_]+", "", text)


def words(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text).lower()
    return [w for w in re.split(r"[\W_]+", text) if w]


META_LINE = re.compile(r"^\s*(?:[-*]\s+)?(?:\*\*[^*\n]+\*\*|[A-Za-z -]+:)")


def body_markdown(text: str) -> str:
    """The source without its metadata block (the lines of `Key: value` before the first
    `##`): the record's values are checked on their own, under normalized labels."""
    lines = text.splitlines()
    out, in_head = [], True
    for line in lines:
        if line.startswith("## "):
            in_head = False
        if in_head and not line.startswith("#") and META_LINE.match(line):
            continue
        out.append(line)
    return "\n".join(out) + "\n"


MERMAID = re.compile(r"^(`{3,}|~{3,})[ \t]*mermaid\b[^\n]*\n.*?^\1[ \t]*$", re.M | re.S)


def source_words(path: Path) -> list[str]:
    """Every word a reader of the body on GitHub sees (plain text by pandoc, no comments;
    a mermaid fence is a picture there, not its source)."""
    text = MERMAID.sub("", body_markdown(Path(path).read_text(encoding="utf-8-sig")))
    out = subprocess.run(
        [_pandoc(), "-f", "gfm", "-t", "plain", "--wrap=none"],
        input=text.encode(),
        capture_output=True, check=True,
    ).stdout.decode()
    out = re.sub(r"<!--.*?-->", "", out, flags=re.S)
    out = re.sub(r"(?m)^\s*\d+[.)]\s+", "", out)  # list numbers are list structure, not text
    return words(out)


def _pandoc() -> str:
    import pypandoc

    return pypandoc.get_pandoc_path()


def missing_words(source: Path, output_text: str) -> list[str]:
    squashed = squash(output_text)
    return sorted({w for w in source_words(source) if squash(w) not in squashed})
