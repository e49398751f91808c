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


def test_workflow_uses_the_action_with_its_inputs():
    """The example workflow is epdoc's action in one step (tests/e2e/test_action.py runs
    the action's commands)."""
    flow = yaml.safe_load((ROOT / "examples" / "ci" / "proposals.yml").read_text())
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    steps = [s for job in flow["jobs"].values() for s in job["steps"]]
    ours = [s for s in steps if s.get("uses", "").split("@")[0].endswith("/epdoc")]
    assert len(ours) == 1
    assert set(ours[0]["with"]) <= set(action["inputs"])
    assert {"paths", "shard", "report", "lint"} <= set(ours[0]["with"])


def test_pre_commit_hook_runs_epdoc_lint():
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    hook = next(h for h in hooks if h["id"] == "epdoc-lint")
    assert hook["language"] == "python"
    _parses(hook["entry"] + " proposals/EP-001-x.md")
