"""`epdoc lint` on the command line: formats, exit codes, configuration; `epdoc build` prints
the same diagnostics."""

import json
import re
import shutil

import pytest

from epdoc.pipeline.cli import main as cli
from epdoc.pipeline.lint import CODES, load_file

from helpers import FIXTURES, ROOT, run_epdoc

BROKEN = FIXTURES / "lint" / "broken"
TEXT_LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): "
                       r"(?P<severity>error|warning|info) (?P<code>[a-z-]+) (?P<message>.+)$")
CLEAN = """# EP-{n}: Clean Enough

- **Status**: {status}
- **Authors**: Ana Lima
- **Created**: {created}

## Summary

Something small.

## Problem

Something hurts.

## Goals

- Stop it.

## Non-Goals

- Everything else.

## Solution

Do the obvious thing.

## Testing

Check that it stopped.
"""


@pytest.fixture(autouse=True)
def _no_ci(monkeypatch):
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


def _lint(capsys, *args):
    code = cli.main(["lint", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


def _write(folder, name, text):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text)
    return folder / name


def test_text_is_one_located_line_per_diagnostic_grouped_by_file(capsys):
    code, out, _ = _lint(capsys, BROKEN)
    assert code == 1
    *lines, summary = out.splitlines()
    parsed = [TEXT_LINE.match(line) for line in lines]
    assert all(parsed), [line for line, m in zip(lines, parsed, strict=True) if not m]
    files = [m["file"] for m in parsed]
    assert files == sorted(files, key=files.index)  # each file's lines together
    assert [f.split("/")[-1] for f in dict.fromkeys(files)] == [
        "EP-012-broken-on-purpose.md", "EP-014-sibling.md"]
    assert summary == "2 files checked: 15 errors, 5 warnings, 1 info"


def test_json_is_a_list_of_located_objects(capsys):
    code, out, _ = _lint(capsys, BROKEN, "--format", "json")
    assert code == 1
    items = json.loads(out)
    assert {tuple(sorted(i)) for i in items} == {
        ("code", "column", "file", "line", "message", "severity")}
    assert {"file": str(BROKEN / "EP-012-broken-on-purpose.md"), "line": 26, "column": 1,
            "severity": "error", "code": "link-missing",
            "message": "link target ./nowhere.md does not exist"} in items
    assert len(items) == 21


def test_github_format_is_chosen_on_github_actions():
    proc = run_epdoc("lint", BROKEN, env={"GITHUB_ACTIONS": "true"})
    assert proc.returncode == 1, proc.stderr
    *lines, summary = proc.stdout.splitlines()
    assert lines and all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines)
    path = BROKEN / "EP-012-broken-on-purpose.md"
    rel = path.relative_to(BROKEN.parents[3]).as_posix()  # relative to the working folder
    proc2 = run_epdoc("lint", path, "--format", "github", cwd=BROKEN.parents[3])
    assert f"::error file={rel},line=26,col=1,title=link-missing::link target ./nowhere.md " \
           "does not exist" in proc2.stdout.splitlines()
    assert f"::notice file={rel},line=9,col=1,title=key-unknown::" in proc2.stdout
    assert summary == "2 files checked: 15 errors, 5 warnings, 1 info"


def test_exit_codes(capsys, tmp_path):
    warn = _write(tmp_path / "w", "EP-021-warn.md",
                  CLEAN.format(n="021", status="Draft", created="2024-05"))
    assert _lint(capsys, warn)[0] == 0                    # warnings allowed
    assert _lint(capsys, warn, "--strict")[0] == 1        # not with --strict
    clean = _write(tmp_path / "c", "EP-022-clean.md",
                   CLEAN.format(n="022", status="Implemented", created="2024-05-01"))
    code, out, _ = _lint(capsys, clean, "--strict")
    assert (code, out.strip()) == (0, "1 file checked: no problems")
    code, _, err = _lint(capsys, tmp_path / "nope.md")
    assert code == 2 and "no such file or folder" in err
    assert _lint(capsys)[0] == 2
    with pytest.raises(SystemExit) as e:
        cli.main(["lint", str(clean), "--format", "xml"])
    assert e.value.code == 2


def test_a_bad_file_is_one_diagnostic_and_the_run_goes_on(capsys, tmp_path):
    folder = tmp_path / "mixed"
    _write(folder, "EP-023-ok.md", CLEAN.format(n="023", status="Draft", created="2024-05-01"))
    (folder / "EP-024-latin1.md").write_bytes("# EP-024: Caf\xe9\n".encode("latin-1"))
    code, out, err = _lint(capsys, folder, "--format", "json")
    assert code == 1 and "Traceback" not in err
    items = json.loads(out)
    assert [(i["file"].split("/")[-1], i["line"], i["code"]) for i in items] == [
        ("EP-024-latin1.md", 1, "unreadable")]
    assert "not valid UTF-8" in items[0]["message"]


CONFIG = """\
[lint]
statuses = ["Proposed", "Done"]
required-sections = ["Summary", "Design"]
disable = ["key-unknown"]

[lint.severity]
section-empty = "error"
date-partial = "off"

[lint.aliases]
Design = ["How"]
"""
CONFIGURED = """# EP-030: Configured

**Status**: proposd
**Authors**: Ana Lima
**Created**: 2024-05
**Sponsor**: Bo

## Summary

Short.

## How

## Notes

Nothing.
"""


def test_epdoc_toml_beside_the_proposals(capsys, tmp_path):
    folder = tmp_path / "proposals"
    _write(folder, "epdoc.toml", CONFIG)
    path = _write(folder, "EP-030-configured.md", CONFIGURED)
    code, out, _ = _lint(capsys, path, "--format", "json")
    got = [(i["line"], i["severity"], i["code"]) for i in json.loads(out)]
    assert got == [(3, "error", "status-unknown"), (12, "error", "section-empty")]
    assert "did you mean Proposed?" in json.loads(out)[0]["message"]
    assert code == 1
    # the same folder without the file: the default rules
    (folder / "epdoc.toml").unlink()
    code, out, _ = _lint(capsys, path, "--format", "json")
    codes = [i["code"] for i in json.loads(out)]
    assert "date-partial" in codes and "key-unknown" in codes and "section-missing" in codes


def test_pyproject_tool_epdoc_above_the_proposals(capsys, tmp_path):
    _write(tmp_path, "pyproject.toml", '[project]\nname = "x"\n\n[tool.epdoc.lint]\n'
           'disable = ["section-missing", "key-unknown"]\n'
           '[tool.epdoc.lint.severity]\nstatus-unknown = "warning"\n')
    path = _write(tmp_path / "docs" / "ep", "EP-030-configured.md", CONFIGURED)
    code, out, _ = _lint(capsys, path, "--format", "json")
    got = [(i["line"], i["severity"], i["code"]) for i in json.loads(out)]
    assert got == [(3, "warning", "status-unknown"), (5, "warning", "date-partial"),
                   (12, "warning", "section-empty")]
    assert code == 0
    # an epdoc.toml nearer the proposal wins
    _write(path.parent, "epdoc.toml", CONFIG)
    assert _lint(capsys, path)[0] == 1


@pytest.mark.parametrize("text, message", [
    ('[lint]\ndisable = ["placeholders"]\n',
     "epdoc.toml:2: unknown rule code 'placeholders' in disable (did you mean placeholder?)"),
    ('[lint]\nstatus = ["Draft"]\n',
     "epdoc.toml:2: unknown lint setting 'status' (did you mean statuses?)"),
    ('[lint.severity]\nplaceholder = "fatal"\n',
     "epdoc.toml:2: severity of placeholder must be one of error, warning, info, off"),
    ('[lint\n', "epdoc.toml:1: not valid TOML"),
])
def test_a_bad_configuration_is_a_usage_error(capsys, tmp_path, text, message):
    _write(tmp_path, "epdoc.toml", text)
    path = _write(tmp_path, "EP-032-x.md", CONFIGURED)
    code, out, err = _lint(capsys, path)
    assert code == 2
    assert message in err and "Traceback" not in err


def test_list_rules_names_every_code(capsys):
    code, out, _ = _lint(capsys, "--list-rules")
    assert code == 0
    listed = [line.split()[0] for line in out.splitlines()]
    assert listed == list(CODES)


def test_build_prints_the_same_diagnostics_and_converts(tmp_path, capsys):
    src = tmp_path / "src"
    shutil.copytree(BROKEN, src)
    code, out, _ = _lint(capsys, src)
    lint_lines = out.splitlines()[:-1]
    proc = run_epdoc("build", src, "--to", "html", "-o", tmp_path / "out")
    assert proc.returncode == 0, proc.stderr   # errors and warnings are printed, not fatal
    printed = [line for line in proc.stderr.splitlines() if TEXT_LINE.match(line)]
    assert sorted(printed) == sorted(lint_lines)
    assert (tmp_path / "out" / "EP-012-broken-on-purpose.html").is_file()
    # a broken configuration stops the build before any work, as a usage error
    _write(src, "epdoc.toml", '[lint]\ndisable = ["nope"]\n')
    proc = run_epdoc("build", src, "--to", "html", "-o", tmp_path / "out2")
    assert proc.returncode == 2 and "epdoc.toml:2: unknown rule code 'nope'" in proc.stderr
    assert not (tmp_path / "out2").exists()


def test_readme_documents_every_rule_and_a_working_configuration(tmp_path):
    readme = (ROOT / "README.md").read_text()
    for c in CODES.values():
        assert re.search(rf"^\| `{re.escape(c.code)}` \| {c.severity} \|", readme, re.M), c.code
    section = readme[readme.index("### Configuring lint"):]
    example = section.split("```toml\n", 1)[1].split("```", 1)[0]
    (tmp_path / "pyproject.toml").write_text(example)
    config = load_file(tmp_path / "pyproject.toml")
    assert config.statuses == ("Draft", "Proposed", "Accepted", "Done")
    assert [name for name, _ in config.sections] == ["Summary", "Motivation", "Design"]
    assert config.severity_of("date-partial", "warning") is None
    assert config.severity_of("key-unknown", "info") is None
    assert config.severity_of("section-empty", "warning") == "error"
    assert "Architecture" in dict(config.sections)["Design"]
