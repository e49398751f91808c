"""The redline measure of `make bench`: every proposal of the real corpus edited (a word
changed, a sentence added) and compared with its original (`epdoc redline NEW --against
OLD`, all formats, in this process), timed per proposal."""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

from epdoc.pipeline.core.options import Options
from epdoc.pipeline.reading.sources import discover


def edit(text: str) -> str:
    """One word changed in the first paragraph that has a ' the ', one sentence added."""
    return re.sub(r"(?m)^([A-Z][^\n|#>`-]*?) the ", r"\1 a ", text, count=1) + \
        "\nOne sentence added for the review.\n"


def measure(folders, work: Path) -> dict:
    from epdoc.pipeline.redline.run import Redliner

    old_root, new_root, out = work / "redline-old", work / "redline-new", work / "redline-out"
    for folder in folders:
        shutil.copytree(folder, old_root / folder.name)
        shutil.copytree(folder, new_root / folder.name)
    files = discover([new_root / f.name for f in folders])
    for f in files:
        f.write_text(edit(f.read_text(encoding="utf-8")), encoding="utf-8")
    options = Options(outdir=out)
    times, failed = [], []
    for f in files:
        old = old_root / f.relative_to(new_root)
        t = time.perf_counter()
        outcome = Redliner(options, against=old).one(f, out)
        times.append(time.perf_counter() - t)
        if outcome.state != "changed":
            failed.append(outcome.error or f"{f.name}: {outcome.state}")
    if failed:
        print(f"  warning: redline failed for {len(failed)}: {failed[:3]}")
    total = sum(times)
    per = total / max(1, len(times))
    print(f"  redline (all formats) of {len(times)} edited proposals: {total:.1f} s, "
          f"{per:.2f} s per proposal (slowest {max(times, default=0):.1f} s)", flush=True)
    return {"redline": total, "redline_proposals": len(times), "redline_per_proposal": per}
