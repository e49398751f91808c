"""The ready-to-use CI files: the GitHub Actions workflow and the pre-commit hook call epdoc
with options it has."""

import shlex

import yaml

from epdoc.pipeline.cli import main as cli

from helpers import ROOT


def _parses(command: str) -> None:
    words = shlex.split(command.replace("${{ matrix.shard }}", "1"))
    assert words[0] == "epdoc"
    args = [w.replace("$PROPOSALS", "proposals") for w in words[1:]]
    cli.parser(args).parse_args(args)  # a wrong option would exit


def test_workflow_runs_epdoc_with_real_options():
    flow = yaml.safe_load((ROOT / "examples" / "ci" / "proposals.yml").read_text())
    runs = [step["run"] for job in flow["jobs"].values() for step in job["steps"]
            if "run" in step and step["run"].lstrip().startswith("epdoc ")]
    assert {r.split()[1] for r in runs} == {"lint", "build"}
    for run in runs:
        _parses(" ".join(run.split()))
    build = next(r for r in runs if r.split()[1] == "build")
    assert "--shard" in build and "--report" in build
    uses = [step.get("uses", "") for step in flow["jobs"]["build"]["steps"]]
    assert any(u.startswith("actions/cache") for u in uses)
    assert any(u.startswith("actions/upload-artifact") for u in uses)


def test_pre_commit_hook_runs_epdoc_lint():
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    hook = next(h for h in hooks if h["id"] == "epdoc-lint")
    assert hook["language"] == "python"
    _parses(hook["entry"] + " proposals/EP-001-x.md")
