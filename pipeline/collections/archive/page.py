"""The archive's own index: index.json and index.html, every proposal and version."""

from __future__ import annotations

import json
from pathlib import Path

from epdoc.pipeline.collections import index as indexes
from epdoc.pipeline.collections.archive.formats import FORMAT, MANIFEST, SOURCE_DIR, SUMS
from epdoc.pipeline.collections.archive.versions import versions
from epdoc.pipeline.core import atomic


def data(root: Path) -> dict:
    """Every proposal and version in the archive, for index.json and index.html."""
    proposals: dict[str, dict] = {}
    for v in versions(root):
        m = v.manifest
        rec = m.get("record", {})
        base = v.path.relative_to(root).as_posix()
        files = {fmt: f"{base}/{name}" for fmt, name in m.get("outputs", {}).items()}
        files["source"] = f"{base}/{SOURCE_DIR}/{rec.get('source', '')}"
        files["manifest"] = f"{base}/{MANIFEST}"
        entry = proposals.setdefault(v.key, {"key": v.key, "id": None, "title": None,
                                             "status": None, "authors": [],
                                             "versions": []})
        entry.update({k: rec.get(k) for k in ("id", "title", "status", "authors")})
        entry["versions"].append({
            "version": v.name, "path": base + "/", "status": rec.get("status"),
            "status_note": rec.get("status_note"), "created": rec.get("created"),
            "updated": rec.get("updated"), "archived_at": m.get("archived_at"),
            "files": files})
    return {"format": FORMAT, "count": len(proposals),
            "proposals": list(proposals.values())}

def write(root: Path, theme) -> None:
    """index.json and index.html, rewritten only when they change."""
    data_ = data(root)
    write_if_changed(root / "index.json",
                     json.dumps(data_, ensure_ascii=False, indent=2) + "\n")
    sections = []
    for p in data_["proposals"]:
        rows = []
        for v in reversed(p["versions"]):
            f = v["files"]
            status = v["status"] or ""
            if v["status_note"]:
                status += f" ({v['status_note']})"
            rows.append([
                [(v["version"], v["path"])],
                [(status, None)],
                [(v["created"] or "", None)],
                [(v["updated"] or "", None)],
                [(v["archived_at"] or "", None)],
                [(label, f[k]) for k, label in (("pdf", "PDF/A"), ("html", "HTML"),
                                                ("docx", "DOCX"), ("source", "source"),
                                                ("manifest", "manifest")) if k in f],
            ])
        title = " — ".join(x for x in (p.get("id"), p.get("title")) if x) or p["key"]
        sections.append({"title": title, "id": f"p-{p['key']}", "rows": rows,
                         "columns": ["Version", "Status", "Created", "Updated",
                                     "Archived", "Files"], "nowrap": [0, 2, 3, 4]})
    n = data_["count"]
    intro = (f"{n} archived proposal{'s' if n != 1 else ''}. Every version is kept "
             f"unchanged; check them with `epdoc archive verify` or `sha256sum -c {SUMS}`.")
    write_if_changed(root / "index.html",
                     indexes.html_page("Archived proposals", intro, sections, theme))


def write_if_changed(path: Path, text: str) -> None:
    data = text.encode("utf-8")
    if path.is_file() and path.read_bytes() == data:
        return
    atomic.write_bytes(path, data)
