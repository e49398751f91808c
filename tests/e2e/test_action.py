"""epdoc's GitHub Action (action.yml) run here as a runner would run it: its `run:` steps in
order, in a checkout of proposals, with the inputs in the environment as the action maps
them and GitHub's files (GITHUB_OUTPUT) in place. The steps that need the network or root
(setting up Python, apt, installing epdoc) and the `uses:` steps (cache, upload) are not
run: the epdoc of this checkout is on the PATH instead."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from epdoc.pipeline.cli import main as cli

from helpers import CORPUS, ROOT

ACTION = yaml.safe_load((ROOT / "action.yml").read_text())
SKIPPED = {"system", "install"}  # root and the network: not here
EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def _value(expr: str, inputs: dict, outputs: dict) -> str:
    if expr.startswith("inputs."):
        return inputs[expr[len("inputs."):]]
    m = re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", expr)
    if m:
        return outputs.get(m.group(1), {}).get(m.group(2), "")
    raise AssertionError(f"an expression the test does not know: {expr}")


def _condition(text: str | None, inputs: dict) -> bool:
    if not text:
        return True
    py = re.sub(r"inputs\.([\w-]+)", lambda m: repr(inputs[m.group(1)]), text)
    py = py.replace("always()", "True").replace("&&", " and ").replace("||", " or ")
    return bool(eval(py, {"__builtins__": {}}))  # noqa: S307 - the action's own conditions


def _outputs(path: Path) -> dict:
    """GITHUB_OUTPUT's name=value lines and name<<END ... END blocks."""
    out, lines = {}, path.read_text().splitlines() if path.exists() else []
    i = 0
    while i < len(lines):
        if "<<" in lines[i] and "=" not in lines[i].split("<<")[0]:
            name, end = lines[i].split("<<", 1)
            j = lines.index(end, i + 1)
            out[name] = "\n".join(lines[i + 1:j])
            i = j + 1
            continue
        name, _, value = lines[i].partition("=")
        out[name] = value
        i += 1
    return out


def run_action(checkout: Path, tmp: Path, **given) -> dict:
    """Every run: step of the action; {'steps': outputs by id, 'code': the failing step's
    exit code or 0, 'log': what the steps printed}."""
    inputs = {k: str(v["default"]) for k, v in ACTION["inputs"].items()}
    inputs.update({k.replace("_", "-"): v for k, v in given.items()})
    outputs: dict[str, dict] = {}
    log = []
    for n, step in enumerate(ACTION["runs"]["steps"]):
        if "run" not in step or step.get("id") in SKIPPED:
            continue
        if not _condition(step.get("if"), inputs):
            continue
        assert step["shell"] == "bash"
        out_file = tmp / f"output-{n}"
        env = {**os.environ, "GITHUB_OUTPUT": str(out_file), "GITHUB_ACTIONS": "true",
               "GITHUB_ACTION_PATH": str(ROOT), "GITHUB_WORKSPACE": str(checkout),
               "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
        for k, v in (step.get("env") or {}).items():
            env[k] = EXPR.sub(lambda m: _value(m.group(1), inputs, outputs), str(v))
        script = tmp / f"step-{n}.sh"
        script.write_text(step["run"])
        # how GitHub runs a bash step
        proc = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", script],
                              cwd=checkout, env=env, capture_output=True, text=True,
                              timeout=600)
        log.append(proc.stdout + proc.stderr)
        if step.get("id"):
            outputs[step["id"]] = _outputs(out_file)
        if proc.returncode != 0:
            return {"steps": outputs, "code": proc.returncode, "log": "".join(log)}
    return {"steps": outputs, "code": 0, "log": "".join(log)}


@pytest.fixture
def checkout(tmp_path):
    """A repository's checkout: a clean proposal and one with lint errors in proposals/."""
    root = tmp_path / "repo"
    (root / "proposals").mkdir(parents=True)
    for name in ("EP-001-redfish-support.md", "EP-TEMPLATE.md"):
        shutil.copy(CORPUS / name, root / "proposals" / name)
    return root


def test_action_yaml_is_a_composite_action():
    assert ACTION["runs"]["using"] == "composite"
    uses = [s.get("uses", "").split("@")[0] for s in ACTION["runs"]["steps"]]
    assert {"actions/setup-python", "actions/cache", "actions/upload-artifact"} <= set(uses)
    assert {"paths", "formats", "shard", "lint", "report"} <= set(ACTION["inputs"])
    for step in ACTION["runs"]["steps"]:  # inputs never pasted into a script
        assert "${{" not in step.get("run", ""), step.get("name")


def test_lint_annotates_build_converts_and_the_action_fails(checkout, tmp_path):
    r = run_action(checkout, tmp_path, formats="html", report="build/report.json",
                   artifact="proposals")
    assert r["code"] == 1, r["log"]  # the Result step: lint found errors
    assert r["steps"]["lint"]["exit-code"] == "1"
    assert r["steps"]["build"]["exit-code"] == "0"
    assert "::error file=proposals/EP-TEMPLATE.md,line=" in r["log"]
    assert "::error title=epdoc::lint exited with 1, build with 0" in r["log"]
    built = sorted(p.name for p in (checkout / "build").glob("*.html"))
    assert built == ["EP-001-redfish-support.html", "EP-TEMPLATE.html"]
    report = json.loads((checkout / "build" / "report.json").read_text())
    assert {Path(p["source"]).name for p in report["documents"]} == {
        "EP-001-redfish-support.md", "EP-TEMPLATE.md"}
    assert r["steps"]["artifact"]["name"] == "proposals"
    assert "build/*.html" in r["steps"]["artifact"]["paths"].splitlines()
    assert "build/report.json" in r["steps"]["artifact"]["paths"].splitlines()


def test_shards_split_the_build_and_name_their_artifacts(checkout, tmp_path):
    names, seen = [], []
    for k in (1, 2):
        r = run_action(checkout, tmp_path, formats="html", shard=f"{k}/2", lint="false",
                       output=f"out{k}", artifact="proposals")
        assert r["code"] == 0, r["log"]
        assert f"epdoc build proposals --to html -o out{k} --shard {k}/2" in r["log"]
        names.append(r["steps"]["artifact"]["name"])
        seen += [p.name for p in (checkout / f"out{k}").glob("*.html")]
    assert names == ["proposals-1-of-2", "proposals-2-of-2"]
    assert sorted(seen) == ["EP-001-redfish-support.html", "EP-TEMPLATE.html"]


def test_lint_only_strict_and_bad_input(checkout, tmp_path):
    (checkout / "proposals" / "EP-TEMPLATE.md").unlink()
    r = run_action(checkout, tmp_path, formats="", lint="strict")
    assert r["steps"]["build"]["exit-code"] == "0" and not (checkout / "build").exists()
    assert r["code"] == 0, r["log"]
    r = run_action(checkout, tmp_path, lint="maybe", formats="")
    assert r["code"] == 2
    assert "::error title=epdoc::the lint input is true, false or strict, not 'maybe'" \
        in r["log"]


def test_the_commands_it_composes_are_epdoc_options():
    """Every option the build and lint steps may add is one epdoc has."""
    build = ACTION["runs"]["steps"][[s.get("id") for s in ACTION["runs"]["steps"]]
                                    .index("build")]["run"]
    options = set(re.findall(r"\(?(--[a-z-]+)", build))
    args = ["build", "proposals"]
    for option in sorted(options):
        args += [option] + ([] if option in ("--self-contained",) else
                            {"--to": ["html"], "--shard": ["1/2"]}.get(option, ["x"]))
    cli.parser(args).parse_args(args)  # an unknown option would exit
