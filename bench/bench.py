"""`make bench`: how fast epdoc builds a corpus to HTML, PDF and DOCX, against the script a
user would otherwise write (one pandoc command per file and format), measured in one run.

Corpora: the repository's examples plus tests/fixtures/corpus/ ("real"), and a
generated corpus of 200 proposals ("generated"). For each: the baseline, epdoc cold (empty
output folder and caches), epdoc warm (nothing changed), epdoc after one file changed, and
the peak memory of a cold build (all its processes together, sampled in a run of its own).
Everything is written to a temporary folder, never into the repository.

Also the targets of the speed issue, each measured in the same run and summed up at the end
(met or not, also in bench.json): PDF only, cold, against md-to-pdf (npm, the system
Chromium; --no-md-to-pdf skips it), cold and warm against the baseline, the start-up of
`epdoc --help` and `epdoc lint` of one proposal, the peak memory of the generated corpus,
and its seconds per PDF page against a generated corpus a quarter its size (50 at most).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

import browser  # noqa: E402
from corpus import generate  # noqa: E402
from redline import measure as measure_redline  # noqa: E402
from tagging import measure as measure_tagging  # noqa: E402

from epdoc.pipeline.batch.cache import dependencies  # noqa: E402
from epdoc.pipeline.pandoc import runner as pandoc  # noqa: E402
from epdoc.pipeline.reading.sources import discover  # noqa: E402

FORMATS = "html,pdf,docx"
MiB = 1024 * 1024
# the speed issue's targets
PDF_VS_MD_TO_PDF, COLD_VS_BASELINE, WARM_VS_BASELINE = 1.0, 4.0, 100.0
STARTUP, PEAK_MEMORY = 0.25, 800 * MiB
LINEAR = 1.2  # seconds per page of the whole generated corpus ÷ of a quarter of it (<= 50)


# -- memory of a process tree ---------------------------------------------------------
def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read()
            ppid = int(stat[stat.rindex(b")") + 2:].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        kids.setdefault(ppid, []).append(int(entry))
    return kids


def _tree(pid: int) -> list[int]:
    kids, out, todo = _children(), [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(kids.get(p, []))
    return out


def _kib(path: str, key: str) -> int:
    try:
        with open(path) as f:
            for line in f:
                if line.startswith(key):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class Sampler(threading.Thread):
    """Peak of the summed RSS and PSS of a process and all its descendants."""

    def __init__(self, pid: int, every: float = 0.05):
        super().__init__(daemon=True)
        self.pid, self.every = pid, every
        self.rss = self.pss = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            pids = _tree(self.pid)
            rss = sum(_kib(f"/proc/{p}/status", "VmRSS:") for p in pids)
            pss = sum(_kib(f"/proc/{p}/smaps_rollup", "Pss:") for p in pids)
            self.rss, self.pss = max(self.rss, rss * 1024), max(self.pss, pss * 1024)
            self.done.wait(self.every)


def cpu_of_children() -> float:
    use = resource.getrusage(resource.RUSAGE_CHILDREN)
    return use.ru_utime + use.ru_stime


def timed(cmd, *, cwd=None, env=None, sample=False):
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    sampler = None
    if sample and Path("/proc").is_dir():
        sampler = Sampler(proc.pid)
        sampler.start()
    out, err = proc.communicate()
    seconds = time.perf_counter() - t
    if sampler:
        sampler.done.set()
        sampler.join()
    return seconds, proc.returncode, out, err, sampler


# -- the runs -------------------------------------------------------------------------
def epdoc_cmd() -> list[str]:
    script = Path(sys.executable).with_name("epdoc")
    return [str(script)] if script.exists() else [sys.executable, "-m", "epdoc.pipeline.cli"]


def baseline(files, out: Path) -> tuple[float, float, int]:
    """One pandoc command per file and format, as a user's script would run them:
    (seconds, CPU seconds, failed commands)."""
    exe = pandoc.executable()
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    out.mkdir(parents=True)
    failed = 0
    cpu = cpu_of_children()
    t = time.perf_counter()
    for f in files:
        stem = out / f.stem
        for args in ([f"-o{stem}.pdf", "--pdf-engine=weasyprint"], [f"-o{stem}.html", "-s"],
                     [f"-o{stem}.docx"]):
            proc = subprocess.run([exe, f.name, *args], cwd=f.parent, env=env,
                                  capture_output=True)
            failed += proc.returncode != 0
    return time.perf_counter() - t, cpu_of_children() - cpu, failed


def epdoc_env(work: Path, env=None) -> dict:
    """The environment of an epdoc run: a fresh user cache, no CI annotations."""
    env = dict(os.environ, EPDOC_CACHE=str(tempfile.mkdtemp(prefix="usercache-", dir=work)),
               **(env or {}))
    env.pop("GITHUB_ACTIONS", None)
    return env


def epdoc_run(folders, out: Path, report: Path, jobs, work: Path, sample=False, env=None,
              formats=FORMATS):
    env = epdoc_env(work, env)
    cmd = [*epdoc_cmd(), "build", *map(str, folders), "--to", formats, "-o", str(out), "-q",
           "--report", str(report)]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    cpu = cpu_of_children()
    seconds, code, _, err, sampler = timed(cmd, env=env, sample=sample)
    data = json.loads(report.read_text())
    data["cpu"] = cpu_of_children() - cpu
    if data["counts"]["failed"]:
        failed = [d["error"] for d in data["documents"] if d["status"] == "failed"]
        print(f"  warning: {len(failed)} failed: {failed[:3]}", file=sys.stderr)
    return seconds, data, sampler


def pages(pdfs) -> int:
    import pypdf

    return sum(len(pypdf.PdfReader(str(p)).pages) for p in pdfs)


def linked_file(files) -> tuple[Path, list[Path]]:
    """The first file another one links to (else the first file), and those linking to it."""
    linking: dict[Path, list[Path]] = {f.resolve(): [] for f in files}
    for f in files:
        for dep in dependencies(f, f.read_text(encoding="utf-8")):
            if dep in linking and dep != f.resolve():
                linking[dep].append(f)
    source = next((f for f in files if linking[f.resolve()]), files[0])
    return source, linking[source.resolve()]


def measure(name: str, folders, work: Path, jobs, skip_baseline: bool, repeat: int) -> dict:
    """Baseline and cold build `repeat` times, alternately (the best of each is kept: the
    machine may be busy with other work), then warm and one change."""
    files = discover(folders)
    print(f"\n{name}: {len(files)} proposals", flush=True)
    row: dict = {"corpus": name, "proposals": len(files), "peak_rss": 0, "peak_pss": 0}
    out = None
    for n in range(repeat):
        if not skip_baseline:
            base, base_cpu, failed = baseline(files, work / f"{name}-baseline-{n}")
            print(f"  baseline (pandoc per file and format): {base:.1f} s, CPU {base_cpu:.1f} s"
                  + (f", {failed} commands failed" if failed else ""), flush=True)
            if base < row.get("baseline", 1e9):
                row.update(baseline=base, baseline_cpu=base_cpu, baseline_failed=failed)
        out = work / f"{name}-out-{n}"
        seconds, data, _ = epdoc_run(folders, out, work / f"{name}-cold-{n}.json", jobs, work)
        print(f"  epdoc cold: {seconds:.2f} s, CPU {data['cpu']:.1f} s "
              f"({data['counts']['converted']} converted, {data['jobs']} jobs)", flush=True)
        if seconds < row.get("cold", 1e9):
            row.update(cold=seconds, cold_cpu=data["cpu"], converted=data["counts"]["converted"],
                       jobs=data["jobs"])
    # memory in a cold run of its own: reading /proc while the timed runs ran took CPU from them
    seconds, data, mem = epdoc_run(folders, work / f"{name}-out-memory", work /
                                   f"{name}-memory.json", jobs, work, sample=True)
    if mem:
        row.update(peak_rss=mem.rss, peak_pss=mem.pss)
        print(f"  epdoc cold, memory sampled: {seconds:.2f} s, peak {mem.rss / MiB:.0f} MiB RSS, "
              f"{mem.pss / MiB:.0f} MiB PSS", flush=True)
    row["pages"] = pages(out.glob("*.pdf"))
    drawn = out / ".epdoc-cache" / "diagrams"
    if any(drawn.glob("*.svg")):  # the same, with the diagrams already drawn (mermaid only)
        seconds, data, _ = epdoc_run(folders, work / f"{name}-out-drawn", work /
                                     f"{name}-drawn.json", jobs, work,
                                     env={"EPDOC_DIAGRAM_CACHE": str(drawn)})
        row.update(cold_drawn=seconds, cold_drawn_cpu=data["cpu"])
        print(f"  epdoc cold, diagrams already drawn: {seconds:.2f} s, CPU {data['cpu']:.1f} s",
              flush=True)
    warm = [epdoc_run(folders, out, work / f"{name}-warm.json", jobs, work) for _ in range(3)]
    seconds = min(w[0] for w in warm)  # the best of 3, like the start-up figures
    data = warm[0][1]  # the first says whether anything was converted
    row.update(warm=seconds, warm_converted=data["counts"]["converted"])
    print(f"  epdoc warm: {seconds:.2f} s ({row['warm_converted']} converted"
          + ("; expected none: epdoc's code or its libraries changed during the run?)"
             if row["warm_converted"] else ")"), flush=True)
    changed, linking = linked_file(files)
    changed.write_text(changed.read_text(encoding="utf-8") + "\nOne more sentence.\n",
                       encoding="utf-8")
    seconds, data, _ = epdoc_run(folders, out, work / f"{name}-one.json", jobs, work)
    converted = sorted(Path(d["source"]).name for d in data["documents"]
                       if d["status"] == "converted")
    expected = sorted({changed.name, *(f.name for f in linking)})
    row.update(one_changed=seconds, one_converted=len(converted),
               one_expected=converted == expected)
    print(f"  epdoc after one change: {seconds:.2f} s ({len(converted)} converted: "
          f"{changed.name} and the {len(linking)} linking to it"
          f"{'' if converted == expected else f'; UNEXPECTED: {shown(converted)}'})",
          flush=True)
    return row


def measure_pdf(name: str, folders, work: Path, jobs, repeat: int, md_to_pdf) -> dict:
    """PDF only, cold: md-to-pdf (one command, one browser) and `epdoc build --to pdf`,
    `repeat` times alternately; the best of each counts. Pages counted in the first run."""
    files = discover(folders)
    row: dict = {}
    for n in range(repeat):
        seconds, again, pdfs = browser.run(md_to_pdf, folders, files, work / f"{name}-mdpdf-{n}")
        if not n:
            row["md_to_pdf_pages"] = pages(pdfs)
        print(f"  md-to-pdf, PDF only: {seconds:.2f} s ({len(pdfs)} of {len(files)} PDFs"
              + (f"; {again} converted a second time, timed out)" if again else ")"),
              flush=True)
        if seconds < row.get("md_to_pdf", 1e9):
            row.update(md_to_pdf=seconds, md_to_pdf_pdfs=len(pdfs))
        out = work / f"{name}-pdf-{n}"
        seconds, data, _ = epdoc_run(folders, out, work / f"{name}-pdf-{n}.json", jobs, work,
                                     formats="pdf")
        if not n:
            row["pdf_only_pages"] = pages(out.glob("*.pdf"))
        print(f"  epdoc cold, PDF only: {seconds:.2f} s, CPU {data['cpu']:.1f} s", flush=True)
        row["pdf_only"] = min(seconds, row.get("pdf_only", 1e9))
    print(f"  PDF only, cold: epdoc {row['pdf_only']:.2f} s ({row['pdf_only_pages']} pages), "
          f"md-to-pdf {row['md_to_pdf']:.2f} s ({row['md_to_pdf_pages']} pages): epdoc is "
          f"{row['md_to_pdf'] / row['pdf_only']:.2f}× as fast", flush=True)
    return row


def startup(one: Path, work: Path, runs: int = 5) -> dict:
    """Seconds to start: `epdoc --help` and `epdoc lint ONE.md`, the best of `runs` each."""
    env = epdoc_env(work)
    best = {}
    for key, args in (("help", ["--help"]), ("lint", ["lint", str(one)])):
        best[key] = min(timed([*epdoc_cmd(), *args], env=env)[0] for _ in range(runs))
    print(f"\nstart-up (best of {runs}): epdoc --help {best['help']:.3f} s, "
          f"epdoc lint {one.name} {best['lint']:.3f} s", flush=True)
    return {"help": best["help"], "lint": best["lint"], "lint_file": one.name}


def linearity(row: dict, count: int, work: Path, jobs, picture: Path) -> dict:
    """Seconds per PDF page of a cold build (all formats) of the generated corpus, against
    the same for a generated corpus a quarter its size (50 at most)."""
    small = min(50, count // 4)
    per_page = row["cold"] / max(1, row["pages"])
    found = {"cold_per_page": per_page}
    if small < 1:
        return found
    folder = work / f"generated-{small}"
    generate(folder, small, picture)
    out = work / f"generated-{small}-out"
    seconds, _, _ = epdoc_run([folder], out, work / f"generated-{small}.json", jobs, work)
    small_pages = pages(out.glob("*.pdf"))
    small_per_page = seconds / max(1, small_pages)
    found.update(small_proposals=small, small_cold=seconds, small_pages=small_pages,
                 small_cold_per_page=small_per_page, per_page_ratio=per_page / small_per_page)
    print(f"  linear growth (cold, all formats): {small} proposals {seconds:.1f} s for "
          f"{small_pages} pages, {small_per_page:.3f} s per page; {count} proposals "
          f"{row['cold']:.1f} s for {row['pages']} pages, {per_page:.3f} s per page "
          f"(×{found['per_page_ratio']:.2f})", flush=True)
    return found


def times(ratio: float) -> str:
    return f"{ratio:.0f}×" if ratio >= 10 else f"{ratio:.1f}×"


def targets(rows, start: dict) -> list[dict]:
    """Each target of the speed issue: its figure and whether it is met (None: not measured)."""
    found = []

    def add(target, value, figure, met):
        found.append({"target": target, "value": value, "figure": figure,
                      "met": None if value is None else met})

    for r in rows:
        c, base = r["corpus"], r.get("baseline")
        wrote = r.get("md_to_pdf_pdfs", 0)
        ratio = r["md_to_pdf"] / r["pdf_only"] if wrote == r["proposals"] else None
        add(f"{c}: PDF only, cold, md-to-pdf ÷ epdoc >= {PDF_VS_MD_TO_PDF:g}×", ratio,
            f"{ratio:.2f}× ({r['md_to_pdf']:.1f} s / {r['pdf_only']:.1f} s)" if ratio
            else f"md-to-pdf wrote {wrote} of {r['proposals']} PDFs" if "md_to_pdf" in r
            else "not measured", ratio and ratio >= PDF_VS_MD_TO_PDF)
        ratio = base / r["cold"] if base else None
        add(f"{c}: all formats, cold, vs baseline >= {COLD_VS_BASELINE:g}×", ratio,
            f"{ratio:.2f}× ({base:.1f} s / {r['cold']:.1f} s)" if ratio else "not measured",
            ratio and ratio >= COLD_VS_BASELINE)
        ratio = base / r["warm"] if base else None
        add(f"{c}: warm vs baseline >= {WARM_VS_BASELINE:g}×", ratio,
            f"{times(ratio)} ({base:.1f} s / {r['warm']:.2f} s"
            + (f", {r['warm_converted']} converted)" if r["warm_converted"] else ")")
            if ratio else "not measured",
            ratio and ratio >= WARM_VS_BASELINE)
    for key, what in (("help", "epdoc --help"), ("lint", f"epdoc lint {start['lint_file']}")):
        add(f"{what} < {STARTUP:g} s", start[key], f"{start[key]:.3f} s", start[key] < STARTUP)
    for r in rows:
        if r["corpus"] != "generated":
            continue
        peak = r["peak_rss"] or None
        add(f"generated ({r['proposals']}): peak memory < {PEAK_MEMORY // MiB} MiB", peak,
            f"{r['peak_rss'] / MiB:.0f} MiB RSS ({r['peak_pss'] / MiB:.0f} MiB PSS)" if peak
            else "not measured", peak and peak < PEAK_MEMORY)
        ratio = r.get("per_page_ratio")
        add(f"linear: s/page at {r['proposals']} ÷ at {r.get('small_proposals', '-')} "
            f"<= {LINEAR:g}", ratio,
            f"{ratio:.2f} ({r['cold_per_page']:.3f} / {r['small_cold_per_page']:.3f} s)"
            if ratio else "not measured", ratio and ratio <= LINEAR)
    return found


def summary(found) -> str:
    width, figure = (max(len(t[key]) for t in found) for key in ("target", "figure"))
    status = {True: "met", False: "NOT met", None: "-"}
    return "targets:\n" + "\n".join(f"  {t['target'].ljust(width)}  "
                                     f"{t['figure'].ljust(figure)}  {status[t['met']]}"
                                     for t in found)


def shown(names: list[str], most: int = 5) -> str:
    return ", ".join(names[:most]) + (f" and {len(names) - most} more" if len(names) > most
                                      else "")


def table(rows) -> str:
    head = ("corpus", "docs", "pages", "baseline", "cold", "cold ×", "CPU base/cold", "warm",
            "one change", "peak RSS", "peak PSS")
    lines = [head]
    for r in rows:
        base = r.get("baseline")
        ratio = f"{base / r['cold']:.2f}×" if base else "-"
        lines.append((r["corpus"], str(r["proposals"]), str(r["pages"]),
                      f"{base:.1f} s" if base else "-", f"{r['cold']:.1f} s", ratio,
                      (f"{r['baseline_cpu']:.0f}/{r['cold_cpu']:.0f} s" if base
                       else f"-/{r['cold_cpu']:.0f} s"),
                      f"{r['warm']:.2f} s", f"{r['one_changed']:.1f} s ({r['one_converted']})",
                      f"{r['peak_rss'] / MiB:.0f} MiB" if r["peak_rss"] else "-",
                      f"{r['peak_pss'] / MiB:.0f} MiB" if r["peak_pss"] else "-"))
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True))
                     for line in lines)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--generated", type=int, default=200, metavar="N",
                   help="proposals in the generated corpus (default: 200; 0 to skip it)")
    p.add_argument("--jobs", type=int, default=None, help="epdoc --jobs (default: its own)")
    p.add_argument("--no-baseline", action="store_true",
                   help="skip the pandoc baseline of the generated corpus (the slow part)")
    p.add_argument("--repeat", type=int, default=3, metavar="N",
                   help="baseline and cold runs of the real corpus, alternately; the best "
                   "of each counts (default: 3; the generated corpus: once)")
    p.add_argument("--no-redline", action="store_true",
                   help="skip the redline of the real corpus against an edited copy")
    p.add_argument("--no-tagging", action="store_true",
                   help="skip what tagged PDF costs (each PDF of the real corpus with and "
                   "without tags)")
    p.add_argument("--no-md-to-pdf", action="store_true",
                   help="skip the PDF-only comparison with md-to-pdf (npm, system Chromium)")
    p.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = p.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="epdoc-bench-"))
    print(f"epdoc bench in {work} ({os.cpu_count()} cores, pandoc {pandoc.version()})")
    rows = []
    try:
        real = work / "real"
        folders = []
        for name, folder in (("examples", ROOT / "examples" / "proposals"),
                             ("corpus", ROOT / "tests" / "fixtures" / "corpus")):
            if folder.is_dir():
                shutil.copytree(folder, real / name,
                                ignore=shutil.ignore_patterns("expected", "README.md"))
                folders.append(real / name)
        picture = ROOT / "examples" / "proposals" / "images" / "archive-flow.png"
        start = startup(discover(folders)[0], work)
        md_to_pdf = None
        if not args.no_md_to_pdf:
            md_to_pdf, note = browser.install(work)
            print(note, flush=True)
        rows.append(measure("real", folders, work, args.jobs, False, max(1, args.repeat)))
        if md_to_pdf:
            rows[-1].update(measure_pdf("real", folders, work, args.jobs, max(1, args.repeat),
                                        md_to_pdf))
        if not args.no_redline:
            rows[-1].update(measure_redline(folders, work))
        if not args.no_tagging:
            rows[-1].update(measure_tagging(folders, work))
        if args.generated:
            gen = work / "generated"
            generate(gen, args.generated, picture)
            rows.append(measure("generated", [gen], work, args.jobs, args.no_baseline, 1))
            if md_to_pdf:
                rows[-1].update(measure_pdf("generated", [gen], work, args.jobs, 1, md_to_pdf))
            rows[-1].update(linearity(rows[-1], args.generated, work, args.jobs, picture))
        print("\n" + table(rows))
        for r in rows:
            if r.get("baseline"):
                drawn = (f" ({r['baseline'] / r['cold_drawn']:.2f}× with its diagrams already "
                         "drawn)") if r.get("cold_drawn") else ""
                print(f"{r['corpus']}: cold is {r['baseline'] / r['cold']:.2f}× faster than "
                      f"the baseline{drawn}; warm {r['warm']:.2f} s, "
                      f"{times(r['baseline'] / r['warm'])} faster than the baseline; peak memory "
                      f"{r['peak_rss'] / MiB:.0f} MiB RSS, {r['peak_pss'] / MiB:.0f} MiB PSS")
        found = targets(rows, start)
        print("\n" + summary(found))
        (work / "bench.json").write_text(json.dumps(
            {"corpora": rows, "startup": start, "targets": found}, indent=2, ensure_ascii=False))
    finally:
        if args.keep:
            print(f"kept {work} (bench.json)")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
