"""Tools for the hostile corpus (tests/fixtures/hostile/): a tree with canary files around it, a
loopback HTTP server that records every request, and scanners that look for leaks in the
bytes of PDF, DOCX and HTML outputs.

A fixture names what must happen to it in comments at its top:
    <!-- expect: converted -->            (or `failed: TEXT` or `any`)
    <!-- shows: WORD, WORD -->             (text every output must still show)
Placeholders: @PORT@ (the server), @SECRET@ (a folder outside the tree), @OK_PNG_B64@,
@BOMB_PNG_B64@, @SVG_BOMB_B64@, @SVG_EXTERNAL_B64@.
"""

from __future__ import annotations

import base64
import http.server
import io
import os
import re
import secrets
import shutil
import threading
import zipfile
from pathlib import Path

from lxml import etree
from PIL import Image, PngImagePlugin

HOSTILE = Path(__file__).resolve().parents[1] / "fixtures" / "hostile"
CANARY = "EPDOC-CANARY-" + secrets.token_hex(6)
CANARY_SIZE = (37, 23)  # an image with these dimensions is the secret picture
PASSWD_MARK = "root:x:0:0"
FIELDS_OK = {"PAGE", "NUMPAGES", "SECTIONPAGES"}
# epdoc's table of contents (pipeline/render/docx/toc.py), exactly as it writes it
TOC_FIELDS = re.compile(r'\s*(TOC \\o "\d-\d" \\h \\z \\u|PAGEREF _Toc\d{8} \\h)\s*')


def png(size, text=None, mode="RGB", color=(200, 30, 30)) -> bytes:
    info = PngImagePlugin.PngInfo()
    if text:
        info.add_text("Comment", text)
    out = io.BytesIO()
    Image.new(mode, size, color if mode == "RGB" else 0).save(out, "PNG", pnginfo=info)
    return out.getvalue()


def bomb_png(side=10_000) -> bytes:
    """A 1-bit PNG of side x side pixels: a few kB that decode to side**2 pixels."""
    out = io.BytesIO()
    Image.new("1", (side, side), 0).save(out, "PNG", optimize=True)
    return out.getvalue()


def expectations(path: Path) -> dict:
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    else:
        text = data.decode("utf-8", "replace")
    expect = re.search(r"<!-- expect: (.*?) -->", text)
    shows = re.search(r"<!-- shows: (.*?) -->", text)
    exp = expect.group(1).strip() if expect else "converted"
    return {
        "outcome": exp.split(":", 1)[0].strip(),
        "message": exp.split(":", 1)[1].strip() if ":" in exp else "",
        "shows": [w.strip() for w in shows.group(1).split(",")] if shows else [],
    }


# --- the loopback server ---------------------------------------------------------------

class Server:
    """A loopback HTTP server: records every request; /redirect answers 302 to /redirected,
    anything ending in .png gets a small picture."""

    def __init__(self):
        self.requests: list[str] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _any(self):
                outer.requests.append(f"{self.command} {self.path}")
                if self.path.startswith("/redirect"):
                    self.send_response(302)
                    self.send_header("Location", f"http://127.0.0.1:{outer.port}/redirected.png")
                    self.end_headers()
                    return
                body = png((16, 16), color=(30, 200, 30)) if self.path.endswith(".png") \
                    else b"remote"
                self.send_response(200)
                self.send_header("Content-Type",
                                 "image/png" if self.path.endswith(".png") else "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_HEAD = _any

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


# --- the tree --------------------------------------------------------------------------

def use_bomb_svg(levels=6, fan=10) -> str:
    rows = ['<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><defs>',
            '<rect id="a0" width="1" height="1"/>']
    for i in range(1, levels + 1):
        rows.append(f'<g id="a{i}">' + f'<use href="#a{i - 1}"/>' * fan + "</g>")
    rows.append(f'</defs><use href="#a{levels}"/></svg>')
    return "\n".join(rows)


def substitute(text: str, values: dict) -> str:
    for key, value in values.items():
        text = text.replace(f"@{key}@", value)
    return text


def make_tree(root: Path, port: int) -> dict:
    """root/secret (outside), root/repo/.git/config, root/repo/proposals (the fixtures,
    placeholders filled, plus generated files). Returns the paths."""
    secret = root / "secret"
    repo = root / "repo"
    props = repo / "proposals"
    for d in (secret, repo / ".git", props / "images", props / ".hidden", props / "sub"):
        d.mkdir(parents=True, exist_ok=True)
    (secret / "canary.txt").write_text(f"{CANARY}\n")
    (secret / "canary.png").write_bytes(png(CANARY_SIZE, CANARY))
    (secret / "canary.svg").write_text(
        f'<svg xmlns="http://www.w3.org/2000/svg"><text id="c">{CANARY}</text></svg>')
    (secret / "EP-999-outside.md").write_text(f"# EP-999: Outside\n\n{CANARY}\n")
    (repo / ".git" / "config").write_text(f"[remote]\n  token = {CANARY}\n")
    (repo / ".env").write_text(f"TOKEN={CANARY}\n")

    svg_external = (HOSTILE / "images" / "external.svg").read_text()
    values = {
        "PORT": str(port), "SECRET": str(secret),
        "OK_PNG_B64": base64.b64encode(png((16, 16))).decode(),
        "BOMB_PNG_B64": base64.b64encode(bomb_png()).decode(),
        "SVG_BOMB_B64": base64.b64encode(use_bomb_svg().encode()).decode(),
    }
    values["SVG_EXTERNAL_B64"] = base64.b64encode(
        substitute(svg_external, values).encode()).decode()
    for src in sorted(HOSTILE.glob("*.md")):
        data = src.read_bytes()
        try:
            data = substitute(data.decode("utf-8"), values).encode("utf-8")
        except UnicodeDecodeError:
            pass  # the encoding fixtures are copied byte for byte
        (props / src.name).write_bytes(data)
    for src in (HOSTILE / "images").iterdir():
        (props / "images" / src.name).write_text(substitute(src.read_text(), values))

    images = props / "images"
    (images / "ok.png").write_bytes(png((16, 16)))
    (images / "fake.png").write_text(f"{CANARY} is not a picture\n")
    (images / "bomb.png").write_bytes(bomb_png())
    (props / ".hidden" / "pic.png").write_bytes(png(CANARY_SIZE, CANARY))
    (props / ".env.png").write_bytes(png(CANARY_SIZE, CANARY))
    os.symlink("../../../secret/canary.png", images / "outside.png")
    os.symlink("/etc/passwd", images / "passwd.png")
    os.symlink("../../secret", props / "linked")

    # generated proposals: too large, a symlink out, names like options, clashes, bad names
    big = "<!-- expect: failed: --max-input-bytes -->\n# EP-940: Too large\n\n"
    (props / "EP-940-too-large.md").write_text(big + "word " * (2 * 1024 * 1024 // 5 + 10))
    os.symlink("../../secret/canary.txt", props / "EP-941-symlinked-proposal.md")
    (props / "EP-942-trap.md").write_text(
        f"-- # EP-942: A Lua filter in disguise\nos.execute('touch {secret}/pwned-lua')\n")
    (props / "--lua-filter=EP-942-trap.md").write_text(
        "<!-- expect: failed: starts with '-' -->\n# EP-942: Named like an option\n\nText.\n")
    (props / "-oEP-943-output.md").write_text(
        "<!-- expect: failed: starts with '-' -->\n# EP-943: Named like -o\n\nText.\n")
    (props / "EP-944-clash.md").write_text(
        "<!-- expect: failed: clashes -->\n# EP-944: Clash\n\nOne.\n")
    (props / "ep-944-CLASH.md").write_text(  # one folder: names no path tells apart
        "<!-- expect: failed: clashes -->\n# EP-944: Clash\n\nTwo.\n")
    (props / "EP-945-new\nline.md").write_text(
        "<!-- expect: failed: file name -->\n# EP-945: A newline in the name\n\nText.\n")
    (props / 'EP-945-quote".md').write_text(
        "<!-- expect: failed: file name -->\n# EP-945: A quote in the name\n\nText.\n")
    return {"root": root, "secret": secret, "repo": repo, "proposals": props}


def proposals(props: Path) -> list[Path]:
    """The proposals in the tree, as epdoc finds them (not hidden, not the symlinked dir)."""
    found = []
    for p in sorted(props.rglob("*.md")):
        rel = p.relative_to(props)
        if any(part.startswith(".") for part in rel.parts) or rel.parts[0] == "linked":
            continue
        found.append(p)
    return found


# --- leak scanners ---------------------------------------------------------------------

def _forms(marker: str) -> list[bytes]:
    """The marker as bytes, and as it looks inside base64 at each of the three offsets."""
    raw = marker.encode()
    forms = [raw, raw.hex().encode()]
    for pad in range(3):
        enc = base64.b64encode(b"\0" * pad + raw)[4 if pad else 0:]
        forms.append(enc[: len(enc) - 4])
    return forms


def markers() -> list[str]:
    return [CANARY, PASSWD_MARK]


def found_in(data: bytes, where: str) -> list[str]:
    hits = []
    for m in markers():
        for form in _forms(m):
            if form and form in data:
                hits.append(f"{m} in {where}")
                break
    return hits


def pdf_streams(path: Path):
    """(where, decompressed bytes) of every stream in the PDF."""
    import pypdf
    from pypdf.generic import IndirectObject

    reader = pypdf.PdfReader(str(path))
    ids = {(num, gen) for gen, table in reader.xref.items() for num in table}
    ids |= {(num, 0) for num in reader.xref_objStm}
    for num, gen in sorted(ids):
        obj = reader.get_object(IndirectObject(num, gen, reader))
        if hasattr(obj, "get_data"):
            try:
                yield f"object {num}", obj.get_data()
            except Exception:  # noqa: BLE001 - image codecs pypdf does not decode
                yield f"object {num}", obj._data


def pdf_leaks(path: Path) -> list[str]:
    data = path.read_bytes()
    hits = found_in(data, "the PDF bytes")
    for where, stream in pdf_streams(path):
        hits += found_in(stream, where)
    return hits


def pdf_dangers(path: Path) -> list[str]:
    """Attachments, scripts, launch actions, file links and the secret picture."""
    import pypdf

    reader = pypdf.PdfReader(str(path))
    found = []
    if reader.attachments:
        found.append(f"attachments {list(reader.attachments)}")
    root = reader.trailer["/Root"]
    names = root.get("/Names")
    if names and ("/EmbeddedFiles" in names or "/JavaScript" in names):
        found.append("name tree with files or scripts")
    if "/OpenAction" in root and "/JS" in str(root["/OpenAction"]):
        found.append("open action script")
    for i, page in enumerate(reader.pages):
        for annot in page.get("/Annots") or []:
            a = annot.get_object()
            sub = a.get("/Subtype")
            if sub == "/FileAttachment":
                found.append(f"file attachment on page {i + 1}")
            action = a.get("/A")
            if action:
                action = action.get_object()
                kind = action.get("/S")
                uri = str(action.get("/URI", ""))
                if kind in ("/Launch", "/JavaScript", "/GoToR", "/ImportData", "/SubmitForm"):
                    found.append(f"{kind} action on page {i + 1}")
                if re.match(r"\s*(javascript|vbscript|data|file):", uri, re.I):
                    found.append(f"link to {uri[:40]} on page {i + 1}")
        resources = page.get("/Resources") or {}
        xobjects = resources.get("/XObject") or {}
        for name in xobjects:
            found += _canary_xobject(xobjects[name].get_object(), f"page {i + 1}")
    return found


def _canary_xobject(obj, where, depth=0) -> list[str]:
    if obj.get("/Subtype") == "/Image":
        if (obj.get("/Width"), obj.get("/Height")) == CANARY_SIZE:
            return [f"the secret picture on {where}"]
        return []
    found = []
    res = obj.get("/Resources") or {}
    if depth < 8:
        for name in res.get("/XObject") or {}:
            found += _canary_xobject(res["/XObject"][name].get_object(), where, depth + 1)
    return found


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
REL_TYPE_LINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"


def docx_problems(path: Path) -> list[str]:
    """Leaks, fields, external parts, malformed XML: all that is wrong with a DOCX."""
    import docx

    found = []
    with zipfile.ZipFile(path) as z:
        bad = z.testzip()
        if bad:
            found.append(f"corrupt member {bad}")
        for name in z.namelist():
            data = z.read(name)
            found += found_in(data, name)
            if name.endswith((".xml", ".rels")):
                try:
                    tree = etree.fromstring(data)
                except etree.XMLSyntaxError as e:
                    found.append(f"{name} is not well-formed: {e}")
                    continue
                found += _fields(tree, name)
                found += _external(tree, name)
                if tree.iter(f"{W}altChunk") and list(tree.iter(f"{W}altChunk")):
                    found.append(f"altChunk in {name}")
            elif name.startswith("word/media/"):
                found += _media(name, data)
    try:
        docx.Document(str(path))
    except Exception as e:  # noqa: BLE001
        found.append(f"python-docx cannot open it: {e}")
    return found


def _fields(tree, name) -> list[str]:
    found = []
    for el in tree.iter(f"{W}instrText", f"{W}fldSimple"):
        code = el.text if el.tag == f"{W}instrText" else el.get(f"{W}instr", "")
        word = (code or "").split()[0].upper() if (code or "").split() else ""
        if word not in FIELDS_OK and not TOC_FIELDS.fullmatch(code or ""):
            found.append(f"field {code!r} in {name}")
    return found


def _external(tree, name) -> list[str]:
    found = []
    if not name.endswith(".rels"):
        for el in tree.iter():
            for attr in el.attrib:
                if attr.endswith("}link") and "relationships" in attr:
                    found.append(f"linked (not embedded) picture in {name}")
        return found
    for rel in tree:
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External":
            if rel.get("Type") != REL_TYPE_LINK:
                found.append(f"external {rel.get('Type').rsplit('/', 1)[-1]} {target}")
            elif re.match(r"\s*(javascript|vbscript|data|file):|\\\\", target, re.I):
                found.append(f"hyperlink to {target[:40]}")
    return found


def _media(name, data) -> list[str]:
    if name.endswith(".svg"):
        text = data.decode("utf-8", "replace")
        bad = re.search(r"<script|\son\w+\s*=|javascript:|file:|http://127\.0\.0\.1", text, re.I)
        return [f"unsafe SVG {name}: {bad.group(0)}"] if bad else []
    try:
        with Image.open(io.BytesIO(data)) as im:
            if im.size == CANARY_SIZE:
                return [f"the secret picture as {name}"]
    except Exception:  # noqa: BLE001
        return [f"{name} is not a picture"]
    return []


BANNED_TAGS = {
    "script", "object", "embed", "iframe", "frame", "frameset", "applet", "portal", "form",
    "input", "button", "base", "link", "isindex", "textarea", "select", "video", "audio",
    "track", "source", "picture", "math", "svg", "style", "template", "noscript", "xmp",
    "plaintext", "meta", "param"}
FETCHING_ATTRS = {"srcset", "background", "poster", "lowsrc", "dynsrc", "ping", "formaction",
                  "xlink:href", "data", "codebase", "archive", "classid", "longdesc",
                  "usemap", "manifest", "action"}


def html_problems(path: Path) -> list[str]:
    """Leaks and anything that runs, fetches or attaches in an HTML page."""
    from lxml import html as lxml_html

    data = path.read_bytes()
    text = data.decode("utf-8")
    found = found_in(data, "the HTML")
    if re.search(r"<script", text, re.I):
        found.append("<script in the page")
    head, _, _ = text.partition("<body")
    if 'http-equiv="Content-Security-Policy"' not in head:
        found.append("no Content-Security-Policy")
    metas = re.findall(r"<meta\s+http-equiv=\"([^\"]+)\"", text, re.I)
    if [m.lower() for m in metas] != ["content-security-policy"]:
        found.append(f"meta http-equiv {metas}")
    if re.search(r"<base\b|<link\b", head, re.I):
        found.append("base or link in the head")
    body = lxml_html.fromstring(data).find("body")
    for el in body.iter():
        if not isinstance(el.tag, str):
            continue
        tag = el.tag.lower()
        if tag in BANNED_TAGS:
            found.append(f"a <{tag}> element")
        for attr, value in el.attrib.items():
            a = attr.lower()
            squeezed = re.sub(r"[\x00-\x20]", "", value).lower()
            if a.startswith("on"):
                found.append(f"an event handler {a} on <{tag}>")
            elif a in FETCHING_ATTRS or a == "rel":
                found.append(f"{a}= on <{tag}>")
            elif a == "style" and re.search(r"url\s*\(|expression|@import|behavior", value, re.I):
                found.append(f"a style that loads: {value[:60]}")
            elif a in ("href", "src") and squeezed.startswith(("javascript:", "vbscript:")):
                found.append(f"a script URL in {a}: {value[:60]}")
            elif a == "href" and squeezed.startswith(("data:", "file:")):
                found.append(f"a {squeezed[:5]} link: {value[:60]}")
            elif a == "src" and squeezed.startswith(("http:", "https:", "//", "file:", "/")):
                found.append(f"an outside src: {value[:60]}")
    for uri in re.findall(r"data:[^\"'\s)]+", text):
        if ";base64," in uri:
            try:
                found += found_in(base64.b64decode(uri.split(",", 1)[1] + "=="), "a data URL")
            except ValueError:
                pass
    return found


def copy_outputs(src: Path, dst: Path) -> None:
    shutil.copytree(src, dst, dirs_exist_ok=True)
