"""A generated corpus of proposals for the benchmark: shaped like real ones (bold-key
metadata, the usual sections, lists, a table, highlighted code, links to siblings, a picture
now and then), the same every time (a fixed seed)."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

WORDS = """power node metrics exporter cluster collector sample interval energy budget
attribution workload container kernel driver device socket latency overhead release
operator reviewers approval scope migration fallback security config compatibility
rollout telemetry dashboard alert threshold schema version interface default storage
network request batch queue shard replica snapshot archive index catalog tracking""".split()
STATUSES = ["Draft", "Accepted", "Implementable", "Implemented", "Deferred", "Rejected"]
PEOPLE = ["Ada Quist", "Chen Li", "@bwhitaker", "Dana Ortiz", "Sunil Thaha", "Mara Voss"]
CODE = {
    "python": ["def collect(node, interval=5):", "    readings = []",
               "    for sensor in node.sensors:",
               "        value = sensor.read()  # watts",
               "        readings.append({'sensor': sensor.name, 'watts': value})",
               "    return summarize(readings, interval)", ""],
    "go": ["func (c *Collector) Collect(ch chan<- prometheus.Metric) {",
           "\tfor _, dev := range c.devices {",
           "\t\twatts, err := dev.Power()",
           "\t\tif err != nil {", "\t\t\tc.log.Warn(\"read failed\", \"device\", dev.ID)",
           "\t\t\tcontinue", "\t\t}",
           "\t\tch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, watts)",
           "\t}", "}"],
    "yaml": ["exporter:", "  interval: 5s", "  collectors:", "    - name: rapl",
             "      enabled: true", "    - name: redfish", "      endpoint: https://bmc.local",
             "      timeout: 10s"],
    "bash": ["#!/bin/sh", "set -eu", "for node in $(kubectl get nodes -o name); do",
             "  kubectl label \"$node\" power.epdoc.dev/monitor=true --overwrite", "done"],
}


def slug(rng: random.Random) -> str:
    return "-".join(rng.sample(WORDS, 2))


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 18))]
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random, links=()) -> str:
    parts = [sentence(rng) for _ in range(rng.randint(3, 6))]
    for label, target in links:
        parts.insert(rng.randint(0, len(parts)), f"See [{label}]({target}).")
    return " ".join(parts)


def proposal(n: int, names: list[str], rng: random.Random, with_image: bool) -> str:
    title = " ".join(w.capitalize() for w in rng.sample(WORDS, rng.randint(2, 4)))
    others = rng.sample([i for i in range(len(names)) if i != n], 2)
    links = [(f"EP-{i + 1:03d}", names[i]) for i in others]
    out = [f"# EP-{n + 1:03d}: {title}", "",
           f"**Status**: {rng.choice(STATUSES)}",
           f"**Authors**: {', '.join(rng.sample(PEOPLE, rng.randint(1, 2)))}",
           f"**Reviewers**: {rng.choice(PEOPLE)}",
           f"**Created**: 2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", "",
           "## Summary", "", paragraph(rng), "",
           "## Problem Statement", "", paragraph(rng, links[:1]), "", paragraph(rng), "",
           "## Goals", ""]
    out += [f"- {sentence(rng)}" for _ in range(rng.randint(3, 5))]
    out += ["", "## Non-Goals", ""]
    out += [f"- {sentence(rng)}" for _ in range(rng.randint(1, 3))]
    out += ["", "## Proposed Solution", "", paragraph(rng, links[1:]), ""]
    if with_image:
        out += ["![How the pieces fit](images/flow.png)", ""]
    for _ in range(rng.randint(0, 2)):
        lang = rng.choice(sorted(CODE))
        out += [f"```{lang}", *CODE[lang], "```", ""]
    out += ["| Option | Default | Meaning |", "|---|---|---|"]
    out += [f"| `{rng.choice(WORDS)}` | {rng.randint(1, 60)} | {sentence(rng)} |"
            for _ in range(rng.randint(2, 5))]
    out += ["", "## Testing Strategy", "", paragraph(rng), ""]
    for _ in range(rng.randint(0, 3)):
        out += [f"### {rng.choice(WORDS).capitalize()}", "", paragraph(rng), ""]
    return "\n".join(out) + "\n"


def generate(dest: Path, count: int = 200, picture: Path | None = None, seed: int = 6) -> list:
    """Write `count` proposals into `dest`; return their paths."""
    rng = random.Random(seed)
    dest.mkdir(parents=True, exist_ok=True)
    names = [f"EP-{i + 1:03d}-{slug(rng)}.md" for i in range(count)]
    if picture:
        (dest / "images").mkdir(exist_ok=True)
        shutil.copyfile(picture, dest / "images" / "flow.png")
    paths = []
    for n, name in enumerate(names):
        path = dest / name
        path.write_text(proposal(n, names, rng, bool(picture) and n % 10 == 0),
                        encoding="utf-8")
        paths.append(path)
    return paths
