"""epdoc comments: what reviewers wrote in a DOCX epdoc made, back to the proposal's lines."""

from __future__ import annotations

import json
from pathlib import Path

from epdoc.pipeline.core.errors import UsageError

NAME = "comments"
HELP = "list the comments and tracked changes reviewers made in a DOCX, by source line"
POSITION = 45
FORMATS = ("text", "json", "github")


def add_arguments(p):
    p.add_argument("docx", type=Path, metavar="REVIEWED.docx",
                   help="a DOCX that epdoc wrote, as a reviewer returned it")
    p.add_argument("--source", type=Path, metavar="PROPOSAL.md",
                   help="the proposal it was made from: names the file in the output and finds "
                        "the exact line of each remark (default: the file name the DOCX records)")
    p.add_argument("--format", choices=FORMATS, default=None,
                   help="text (default), json, or github annotations (the default when "
                        "GITHUB_ACTIONS=true)")


def _where(file: str, line) -> str:
    return f"{file}:{line}" if line else file


def _describe(r) -> str:
    under = f" under '{r.heading}'" if r.heading else ""
    who = f"{r.author or 'someone'}" + (f", {r.date[:10]}" if r.date else "")
    if r.kind == "comment":
        about = f" on \"{r.quoted}\"" if r.quoted else ""
        return f"comment by {who}{under}{about}: {r.text}"
    return f"{r.kind} by {who}{under}: \"{r.text}\""


def run(args) -> int:
    from epdoc.pipeline.batch.progress import annotation, in_github_actions
    from epdoc.pipeline.reading.sources import read_source
    from epdoc.pipeline.render.docx import review

    if not args.docx.is_file():
        raise UsageError(f"no such file: {args.docx}", hint="give the .docx a reviewer returned")
    remarks, recorded = review.read(args.docx)
    if args.source is not None:
        if not args.source.is_file():
            raise UsageError(f"no such file: {args.source}", hint="give the proposal's .md")
        review.refine(remarks, read_source(args.source))
        file = str(args.source)
    else:
        file = recorded or str(args.docx)
    fmt = args.format or ("github" if in_github_actions() else "text")
    if fmt == "json":
        print(json.dumps({"docx": str(args.docx), "source": file,
                          "remarks": [r.as_dict() for r in remarks]},
                         ensure_ascii=False, indent=2))
    elif fmt == "github":
        for r in remarks:
            print(annotation("info", file, _describe(r), r.line,
                             title=f"review {r.kind}"))
    else:
        for r in remarks:
            print(f"{_where(file, r.line)}: {_describe(r)}")
        kinds = [r.kind for r in remarks]
        print(f"{len(remarks)} remarks: {kinds.count('comment')} comments, "
              f"{kinds.count('insertion')} insertions, {kinds.count('deletion')} deletions")
    return 0
