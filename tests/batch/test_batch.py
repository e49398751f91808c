"""`epdoc build` in CI: incremental (cache), parallel and isolated (workers, time limit),
selective (--changed-since, --shard), reported (--report, GitHub annotations)."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from epdoc.pipeline.batch.cache import Cache, local_refs
from epdoc.pipeline.batch.selection import select_shard, shard_of
from epdoc.pipeline.config import theme
from epdoc.pipeline.core.options import Options

from helpers import EXAMPLES, run_epdoc
from helpers.readers import docx_text, html_text

FORMATS = ("html", "docx")
PROPOSAL = """# {id}: {title}

**Status**: Draft
**Authors**: Ada Quist
**Created**: 2026-01-05

## Summary

{body}
"""


def proposal(id_, title, body=""):
    return PROPOSAL.format(id=id_, title=title, body=body or f"The {title.lower()} proposal.")


def write_corpus(src: Path) -> None:
    src.mkdir(parents=True, exist_ok=True)
    shutil.copytree(EXAMPLES / "images", src / "images")
    (src / "EP-501-linking.md").write_text(proposal(
        "EP-501", "Linking", "Builds on [the base](EP-502-base.md#summary) and on "
        "[a missing one](EP-599-gone.md)."))
    (src / "EP-502-base.md").write_text(proposal("EP-502", "Base", "BASEWORD one."))
    (src / "EP-503-picture.md").write_text(proposal(
        "EP-503", "Picture", "See ![the flow](images/archive-flow.png)."))
    (src / "EP-504-plain.md").write_text(proposal("EP-504", "Plain"))


def build(src, out, *extra, env=None, cwd=None):
    proc = run_epdoc("build", src, "--to", ",".join(FORMATS), "-o", out,
                     "--report", out.parent / f"{out.name}-report.json", *extra, env=env,
                     cwd=cwd)
    report = json.loads((out.parent / f"{out.name}-report.json").read_text())
    return proc, report


def statuses(report) -> dict:
    return {Path(d["source"]).name: d["status"] for d in report["documents"]}


def stamps(out: Path) -> dict:
    return {p.name: p.stat().st_mtime_ns for p in out.iterdir() if p.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A small corpus built once (cold), then again with nothing changed (warm)."""
    root = tmp_path_factory.mktemp("batch")
    src, out = root / "src", root / "out"
    write_corpus(src)
    cold = build(src, out, "--jobs", "2")
    before = stamps(out)
    warm = build(src, out, "--jobs", "2")
    return src, out, cold, warm, before


def test_cold_build_converts_everything_and_reports_it(built):
    src, out, (proc, report), _, _ = built
    assert proc.returncode == 0, proc.stderr
    assert set(statuses(report).values()) == {"converted"}
    assert report["counts"] == {"converted": 4, "up-to-date": 0, "failed": 0}
    assert report["jobs"] == 2 and report["formats"] == list(FORMATS)
    doc = next(d for d in report["documents"] if d["source"].endswith("EP-501-linking.md"))
    assert sorted(Path(p).name for p in doc["outputs"]) == [
        "EP-501-linking.docx", "EP-501-linking.html"]
    assert {"parse", "html", "docx", "total"} <= set(doc["seconds"])
    assert "link-missing" in [d["code"] for d in doc["diagnostics"]]
    assert "BASEWORD" in html_text(out / "EP-502-base.html")
    assert "BASEWORD" in docx_text(out / "EP-502-base.docx")


def test_warm_build_converts_nothing_and_repeats_diagnostics(built):
    _, out, _, (proc, report), before = built
    assert proc.returncode == 0, proc.stderr
    assert set(statuses(report).values()) == {"up-to-date"}
    assert stamps(out) == before  # not one file written again
    assert "link-missing" in proc.stderr  # a warning stays until it is fixed
    assert "0 converted, 4 up to date" in proc.stdout
    doc = next(d for d in report["documents"] if d["source"].endswith("EP-503-picture.md"))
    assert sorted(Path(p).name for p in doc["outputs"]) == [
        "EP-503-picture.docx", "EP-503-picture.html"]


def test_one_change_converts_it_and_the_proposals_linking_to_it(built, tmp_path):
    src, out, *_ = built
    work_src, work_out = tmp_path / "src", tmp_path / "out"
    shutil.copytree(src, work_src)
    build(work_src, work_out)
    base = work_src / "EP-502-base.md"
    base.write_text(base.read_text().replace("BASEWORD", "CHANGEDWORD"))
    proc, report = build(work_src, work_out)
    assert statuses(report) == {"EP-501-linking.md": "converted", "EP-502-base.md": "converted",
                                "EP-503-picture.md": "up-to-date",
                                "EP-504-plain.md": "up-to-date"}
    assert "CHANGEDWORD" in html_text(work_out / "EP-502-base.html")

    # a changed picture converts the proposal that shows it
    picture = work_src / "images" / "archive-flow.png"
    picture.write_bytes(picture.read_bytes() + b"\0")
    _, report = build(work_src, work_out)
    assert [n for n, s in statuses(report).items() if s == "converted"] == ["EP-503-picture.md"]

    # an output removed or edited comes back from the cache, without converting
    (work_out / "EP-504-plain.docx").unlink()
    html = work_out / "EP-504-plain.html"
    good = html.read_bytes()
    html.write_bytes(b"edited")
    _, report = build(work_src, work_out)
    assert set(statuses(report).values()) == {"up-to-date"}
    assert html.read_bytes() == good
    assert "Plain" in docx_text(work_out / "EP-504-plain.docx")


def test_cache_folder_alone_restores_every_output(built, tmp_path):
    """CI that keeps only the cache folder gets all outputs back without converting."""
    src, out, *_ = built
    cache, fresh = tmp_path / "cache", tmp_path / "fresh"
    build(src, fresh, "--cache-dir", cache)
    shutil.rmtree(fresh)  # a new CI run: a fresh checkout, the cache folder restored
    proc, report = build(src, fresh, "--cache-dir", cache)
    assert proc.returncode == 0, proc.stderr
    assert set(statuses(report).values()) == {"up-to-date"}
    assert sorted(p.name for p in fresh.glob("*.html")) == sorted(p.name for p in
                                                                   out.glob("*.html"))
    # what the HTML loads (the copied picture, the fonts) comes back too
    assert (fresh / "images" / "archive-flow.png").read_bytes() == \
        (src / "images" / "archive-flow.png").read_bytes()
    assert list((fresh / "assets" / "fonts").glob("*.ttf"))
    assert "Picture" in html_text(fresh / "EP-503-picture.html")


def test_no_cache_converts_everything(built, tmp_path):
    src, out, *_ = built
    shutil.copytree(out, tmp_path / "out")
    _, report = build(src, tmp_path / "out", "--no-cache")
    assert set(statuses(report).values()) == {"converted"}


def test_key_follows_everything_outputs_depend_on(tmp_path):
    src = tmp_path / "src"
    write_corpus(src)
    opts = Options(outdir=tmp_path / "out", formats=FORMATS)
    digest = theme.load().digest
    cache = Cache(tmp_path / "cache", opts, digest)
    linking, base = src / "EP-501-linking.md", src / "EP-502-base.md"
    first = cache.key(linking)
    assert cache.key(linking) == first
    base.write_text(base.read_text() + "\nMore.\n")
    assert Cache(tmp_path / "cache", opts, digest).key(linking) != first
    second = Cache(tmp_path / "cache", opts, digest).key(linking)
    (src / "EP-599-gone.md").write_text(proposal("EP-599", "Back"))  # a missing link appears
    assert Cache(tmp_path / "cache", opts, digest).key(linking) != second
    third = Cache(tmp_path / "cache", opts, digest).key(linking)
    assert Cache(tmp_path / "cache", opts, "another-theme").key(linking) != third
    assert Cache(tmp_path / "cache", opts.with_(allow_network=True), digest).key(linking) \
        != third
    assert Cache(tmp_path / "cache", opts.with_(jobs=7, timeout=5), digest).key(linking) \
        == third  # how a build runs is not what it writes
    (src / "epdoc.toml").write_text('[lint]\ndisable = ["link-missing"]\n')
    assert Cache(tmp_path / "cache", opts, digest).key(linking) != third


def test_local_refs_finds_links_images_and_html():
    text = ("[a](EP-2.md#x) ![b](<img dir/p q.png> \"t\") [c]: refs/c.md\n"
            "<img src=\"raw.svg\"> [web](https://x.org/a.md) [here](#top)\n"
            "[c]: refs/c.md\n[pct](a%20b.md?x=1)")
    assert local_refs(text) == ["EP-2.md", "a b.md", "img dir/p q.png", "raw.svg", "refs/c.md"]


def test_shards_split_every_proposal_once_and_stay_put():
    names = [Path(f"proposals/EP-{i:03d}-x.md") for i in range(200)]
    shards = [select_shard(names, k, 4) for k in range(1, 5)]
    assert sorted(p for s in shards for p in s) == sorted(names)
    assert all(30 < len(s) < 70 for s in shards)
    # adding a proposal moves no other one
    more = [*names, Path("proposals/EP-999-new.md")]
    assert [shard_of(p, 4) for p in names] == [shard_of(p, 4) for p in more[:-1]]


def test_shard_and_changed_since_select_the_right_proposals(built, tmp_path):
    src, out, *_ = built
    repo = tmp_path / "repo"
    shutil.copytree(src, repo)
    work_out = tmp_path / "out"
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-C", str(repo)]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "proposals"], check=True)
    base = repo / "EP-502-base.md"
    base.write_text(base.read_text() + "\nA change.\n")
    (repo / "EP-505-new.md").write_text(proposal("EP-505", "New"))
    env = {"GIT_CONFIG_GLOBAL": os.devnull}
    # git runs in the repository of the working directory, as in CI
    proc, report = build(repo, work_out, "--changed-since", "HEAD", env=env, cwd=repo)
    assert proc.returncode == 0, proc.stderr
    assert sorted(statuses(report)) == ["EP-501-linking.md", "EP-502-base.md", "EP-505-new.md"]
    assert report["selection"]["found"] == 5 and report["selection"]["selected"] == 3

    seen = []
    for k in (1, 2):
        proc, report = build(repo, work_out, "--shard", f"{k}/2")
        assert proc.returncode == 0, proc.stderr
        seen += list(statuses(report))
    assert sorted(seen) == sorted(p.name for p in repo.glob("*.md"))

    bad = run_epdoc("build", repo, "-o", work_out, "--shard", "3/2")
    assert bad.returncode == 2 and "--shard 3/2" in bad.stderr
    bad = run_epdoc("build", repo, "-o", work_out, "--changed-since", "no-such-ref", cwd=repo)
    assert bad.returncode == 2 and "no-such-ref" in bad.stderr
    outside = run_epdoc("build", repo, "-o", work_out, "--changed-since", "HEAD",
                        cwd=tmp_path)
    assert outside.returncode == 2 and "not in one" in outside.stderr, outside.stderr


def test_github_actions_get_annotations(built):
    src, out, *_ = built
    proc, _ = build(src, out, env={"GITHUB_ACTIONS": "true"})
    lines = [line for line in proc.stdout.splitlines() if line.startswith("::")]
    assert any(line.startswith("::error file=") and "EP-501-linking.md,line=" in line
               and "title=link-missing::" in line for line in lines), proc.stdout


SLOW = "# EP-520: Slow\n\n**Status**: Draft\n\n## Summary\n\n" + \
    "".join(f"| a{i} | b | c |\n|---|---|---|\n| 1 | 2 | 3 |\n\nText {i}.\n\n"
            for i in range(4000))


def test_a_proposal_over_the_time_limit_is_stopped_and_the_rest_finish(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "EP-520-slow.md").write_text(SLOW)
    (src / "EP-521-quick.md").write_text(proposal("EP-521", "Quick"))
    out = tmp_path / "out"
    proc = run_epdoc("build", src, "--to", "pdf", "-o", out, "--timeout", "10", "--jobs", "2",
                     "--report", tmp_path / "report.json")
    assert proc.returncode == 1
    report = json.loads((tmp_path / "report.json").read_text())
    slow, quick = report["documents"]
    assert slow["status"] == "failed"
    assert "EP-520-slow.md" in slow["error"] and "longer than 10 s" in slow["error"]
    assert quick["status"] == "converted"
    assert (out / "EP-521-quick.pdf").is_file() and not (out / "EP-520-slow.pdf").exists()
    assert [p.name for p in out.rglob("*.tmp")] == []
    assert "error: " in proc.stderr and "Traceback" not in proc.stderr


def test_diagrams_are_drawn_ahead_and_used(tmp_path):
    from epdoc.pipeline.batch import ahead as prefetch

    src = tmp_path / "src"
    src.mkdir()
    catalog = src / "EP-011-proposal-catalog.md"
    shutil.copy(EXAMPLES / "EP-011-proposal-catalog.md", catalog)
    (src / "EP-504-plain.md").write_text(proposal("EP-504", "Plain"))
    assert prefetch.has_diagrams(catalog) and not prefetch.has_diagrams(src / "EP-504-plain.md")
    [code] = prefetch.diagram_sources(catalog, Options())
    assert code.startswith("flowchart")
    out = tmp_path / "out"
    proc, report = build(src, out)
    assert proc.returncode == 0, proc.stderr
    assert set(statuses(report).values()) == {"converted"}
    assert "data:image/svg+xml" in (out / "EP-011-proposal-catalog.html").read_text()
    assert list((out / ".epdoc-cache" / "diagrams").glob("*.svg"))  # kept with the build
