"""epdoc new: a proposal from its process's template, the next free id, today, the author."""

from __future__ import annotations

import os
import subprocess

import yaml

from helpers import FIXTURES, run_epdoc
from helpers.lifecycle import DAY, EPOCH, git

ENV = {"SOURCE_DATE_EPOCH": EPOCH}


def _new(repo, *args, env=None):
    return run_epdoc("new", *args, cwd=repo, env={**ENV, **(env or {})})


def test_ep_from_the_built_in_template_gets_the_next_id_date_and_author(repo):
    proc = _new(repo, "Faster Exports", "--dir", "proposals")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "proposals/EP-005-faster-exports.md"
    text = (repo / proc.stdout.strip()).read_text()
    assert text.startswith("# EP-005: Faster Exports\n\n**Status**: Draft\n"
                           "**Authors**: Ada Lovelace\n")
    assert f"**Created**: {DAY}\n**Last Updated**: {DAY}\n" in text
    meta = run_epdoc("meta", "--json", proc.stdout.strip(), cwd=repo)
    rec = __import__("json").loads(meta.stdout)
    assert (rec["id"], rec["title"], rec["status"], rec["authors"], rec["created"]) == (
        "EP-005", "Faster Exports", "Draft", ["Ada Lovelace"], DAY)
    # the next one takes the next number; the same title never replaces a file
    again = _new(repo, "Faster Exports", "--dir", "proposals")
    assert again.stdout.strip() == "proposals/EP-006-faster-exports.md"
    taken = _new(repo, "Faster Exports", "--dir", "proposals", "--number", "5")
    assert taken.returncode == 2 and "EP-005 is taken" in taken.stderr
    assert (repo / "proposals" / "EP-005-faster-exports.md").read_text() == text


def test_the_project_template_wins_over_the_built_in_one(repo):
    template = FIXTURES / "corpus" / "EP-TEMPLATE.md"
    (repo / "proposals" / "EP-TEMPLATE.md").write_bytes(template.read_bytes())
    proc = _new(repo, "Quota Alerts", "--dir", "proposals", "--number", "40")
    assert proc.returncode == 0, proc.stderr
    path = repo / "proposals" / "EP-040-quota-alerts.md"
    text = path.read_text()
    want = template.read_text()
    for old, new in (("# EP-XXX: [Enhancement Title]", "# EP-040: Quota Alerts"),
                     ("**Authors**: [GitHub IDs]", "**Authors**: Ada Lovelace"),
                     ("**Created**: YYYY-MM-DD", f"**Created**: {DAY}"),
                     ("**Last Updated**: YYYY-MM-DD", f"**Last Updated**: {DAY}")):
        want = want.replace(old, new)
    assert text == want  # everything else as the project's template has it


def test_existing_file_is_never_replaced(repo):
    target = repo / "proposals" / "EP-005-same-name.md"
    target.write_text("mine\n")
    proc = _new(repo, "Same Name", "--dir", "proposals", "--number", "5")
    assert proc.returncode != 0
    assert target.read_text() == "mine\n"
    assert "Traceback" not in proc.stderr


def test_kep_gets_its_folder_and_kep_yaml(repo):
    proc = _new(repo, "Swap Accounting", "--dir", "keps/sig-node")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "keps/sig-node/2101-swap-accounting/README.md"
    folder = repo / "keps" / "sig-node" / "2101-swap-accounting"
    assert sorted(os.listdir(folder)) == ["README.md", "kep.yaml"]
    assert (folder / "README.md").read_text().startswith("# KEP-2101: Swap Accounting\n")
    data = yaml.safe_load((folder / "kep.yaml").read_text())
    assert data["title"] == "Swap Accounting"
    assert data["kep-number"] == 2101
    assert data["authors"] == ["Ada Lovelace"]
    assert data["status"] == "provisional"
    assert data["owning-sig"] == "sig-node"
    assert str(data["creation-date"]) == DAY and str(data["last-updated"]) == DAY
    meta = run_epdoc("meta", "--json", proc.stdout.strip(), cwd=repo)
    rec = __import__("json").loads(meta.stdout)
    assert (rec["id"], rec["status"]) == ("KEP-2101", "provisional")


def test_kep_from_the_project_template_folder(repo):
    template = repo / "keps" / "NNNN-kep-template"
    template.mkdir()
    (template / "README.md").write_text("# KEP-NNNN: Your short, descriptive title\n\n"
                                        "## Summary\n\nOur own words.\n")
    (template / "kep.yaml").write_text("title: KEP Template\nkep-number: NNNN\nauthors:\n"
                                       '  - "@jane.doe"\nowning-sig: sig-xyz\n'
                                       "status: provisional|implementable|implemented\n"
                                       "creation-date: yyyy-mm-dd\n")
    proc = _new(repo, "Cgroup Swap", "--dir", "keps/sig-node", "--number", "4242")
    assert proc.returncode == 0, proc.stderr
    folder = repo / "keps" / "sig-node" / "4242-cgroup-swap"
    assert (folder / "README.md").read_text() == ("# KEP-4242: Cgroup Swap\n\n## Summary\n\n"
                                                  "Our own words.\n")
    assert (folder / "kep.yaml").read_text() == (
        "title: Cgroup Swap\nkep-number: 4242\nauthors:\n  - Ada Lovelace\n"
        f"owning-sig: sig-node\nstatus: provisional\ncreation-date: {DAY}\n")


def test_no_git_user_leaves_the_template_authors_with_a_warning(repo, tmp_path_factory):
    git(repo, "config", "--unset", "user.name")
    home = tmp_path_factory.mktemp("home")
    proc = _new(repo, "Nameless", "--dir", "proposals", env={"HOME": str(home)})
    assert proc.returncode == 0, proc.stderr
    assert "git config user.name is not set" in proc.stderr
    text = (repo / proc.stdout.strip()).read_text()
    assert "**Authors**: [Your Name]" in text
    # the user's own (global) user.name is used when the repository has none
    (home / ".gitconfig").write_text("[user]\n\tname = Grace Hopper\n")
    proc = _new(repo, "Named", "--dir", "proposals", env={"HOME": str(home)})
    assert "**Authors**: Grace Hopper" in (repo / proc.stdout.strip()).read_text()


def test_bad_input_is_one_line(repo):
    for args, words in ((["", "--dir", "proposals"], "the title is empty"),
                        (["X", "--dir", "nowhere"], "no such folder: nowhere"),
                        (["X", "--dir", "proposals", "--process", "kepp"], "did you mean kep")):
        proc = _new(repo, *args)
        assert proc.returncode == 2, proc.stderr
        assert words in proc.stderr and "Traceback" not in proc.stderr
    assert subprocess.run(["git", "status", "--porcelain"], cwd=repo, capture_output=True,
                          text=True).stdout == ""
