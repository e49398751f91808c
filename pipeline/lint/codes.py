"""Every diagnostic code epdoc lint knows: its group, default severity and meaning.

The codes are stable: CI configurations and `epdoc.toml` files name them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple


@dataclass(frozen=True)
class Code:
    code: str
    group: str
    severity: str
    meaning: str


_TABLE = (
    # metadata
    ("status-missing", "metadata", "error", "no Status in the metadata"),
    ("status-unknown", "metadata", "error",
     "Status is not in the vocabulary (matched ignoring case; suggests near misses)"),
    ("authors-missing", "metadata", "error", "no Authors in the metadata"),
    ("created-missing", "metadata", "error", "no Created date in the metadata"),
    ("date-invalid", "metadata", "error", "a date that is not ISO YYYY-MM-DD, or not a real day"),
    ("date-partial", "metadata", "warning", "a partial date such as 2023-05"),
    ("date-form", "metadata", "info",
     "a date in another form the process accepts (8 February 2021), read as ISO YYYY-MM-DD"),
    ("date-future", "metadata", "error", "a date after today"),
    ("date-order", "metadata", "error", "Updated is before Created"),
    ("reviewer-is-author", "metadata", "error", "a reviewer is also an author"),
    ("superseded-by-missing", "metadata", "error", "Status Superseded without a Superseded-By"),
    ("key-duplicate", "metadata", "warning", "a metadata key given twice (the first one counts)"),
    ("key-unknown", "metadata", "info", "a metadata key epdoc does not know (kept as extra)"),
    ("approvals-missing", "metadata", "error",
     "a status that needs approvals (Accepted, Implementable; the process's [approvals]) "
     "without the approvals it needs"),
    ("approvals-invalid", "metadata", "warning",
     "approvals epdoc cannot read (a table without a Name column, a broken prod-readiness "
     "file)"),
    # identity
    ("id-mismatch", "identity", "error", "the id in the title (or metadata) disagrees with the "
     "file name"),
    ("id-in-draft", "identity", "warning", "a numbered id in a file named draft-…"),
    ("id-duplicate", "identity", "error", "two files in one run use the same id"),
    # template
    ("placeholder", "template", "error",
     "a template placeholder left in ([Your Name], YYYY-MM-DD, EP-XXX, [Enhancement Title], "
     "'- ...' items)"),
    ("template-instructions", "template", "error",
     "a bracketed instruction paragraph copied from the template"),
    ("section-missing", "template", "error", "a required section is missing"),
    ("section-empty", "template", "warning", "a section with nothing in it"),
    ("heading-skip", "template", "warning", "a heading level skipped (## then ####)"),
    # content
    ("link-missing", "content", "error", "a relative link whose target file does not exist"),
    ("link-outside", "content", "warning",
     "a relative link out of the proposal's folder (not checked: lint looks only inside it)"),
    ("anchor-missing", "content", "error",
     "a link to a heading anchor that does not exist in the target"),
    ("anchor-duplicate", "content", "warning",
     "two headings with the same anchor (links reach only the first)"),
    ("image-missing", "content", "error",
     "a local image that does not exist, is outside the proposal's folder, or has a path no "
     "file can have (a NUL, a name over 255 bytes)"),
    ("image-remote", "content", "info", "a remote image, shown as a link"),
    ("image-alt-missing", "content", "warning",
     "a picture (markdown or raw HTML <img>) without alternative text for screen readers"),
    ("glyph-missing", "content", "warning",
     "a character no theme font has (readers would see a box)"),
    ("math-invalid", "content", "warning",
     "a formula ($...$, $$...$$, ```math) that does not parse as TeX math (shown as code)"),
    # reading
    ("unreadable", "input", "error",
     "the file cannot be read as a proposal (encoding, size, YAML, pandoc)"),
    ("sidecar-invalid", "input", "error",
     "a metadata sidecar (kep.yaml) that is not YAML, not a mapping or over its size limit"),
    ("front-matter-invalid", "input", "error",
     "the YAML front matter does not parse (what reads line by line is used; the page shows "
     "it as written)"),
    ("internal-error", "input", "error", "epdoc itself failed on the file (please report it)"),
    # reported while converting (epdoc build), configurable like the rest
    ("diagram", "build", "warning", "a mermaid diagram that could not be drawn (shown as code)"),
    ("html-inline", "build", "warning", "a resource the self-contained HTML could not inline"),
    ("html-dropped", "build", "warning",
     "raw HTML the DOCX cannot show (an iframe, a video, an SVG, a script): its text is kept"),
    ("pdf-render", "build", "warning", "a problem WeasyPrint reported while making the PDF"),
)

CODES: dict[str, Code] = {row[0]: Code(*row) for row in _TABLE}
GROUPS = ("metadata", "identity", "template", "content", "input", "build")


class Finding(NamedTuple):
    """What a rule yields: a code, where (source line and column) and a message; `file` when
    it is in another file than the proposal (its kep.yaml)."""
    code: str
    line: int | None
    column: int | None
    message: str
    file: str | None = None
