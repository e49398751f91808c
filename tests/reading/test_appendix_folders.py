"""A folder named as a proposal beside it holds that proposal's appendices, not proposals
(a Rust RFC's text/3392-leadership-council/alternatives.md), however the run is invoked."""

from __future__ import annotations

from helpers import run_epdoc


def test_appendix_folders_are_not_proposals(tmp_path):
    text = tmp_path / "text"
    (text / "3392-leadership-council").mkdir(parents=True)
    (text / "3392-leadership-council.md").write_text(
        "- Feature Name: leadership_council\n- Start Date: 2023-01-05\n\n# Summary\n\nA council.\n")
    (text / "3392-leadership-council" / "alternatives.md").write_text("# Alternatives\n\nNone.\n")
    (text / "other").mkdir()
    (text / "other" / "0002-y.md").write_text("- Feature Name: y\n- Start Date: 2020-01-01\n\n"
                                             "# Summary\n\ny\n")
    for process in ([], ["--process", "rust-rfc"]):
        proc = run_epdoc("meta", "text", *process, cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
        assert "alternatives.md" not in proc.stdout
        assert "text/3392-leadership-council.md" in proc.stdout
        assert "text/other/0002-y.md" in proc.stdout  # an ordinary subfolder still counts


def test_a_kep_whose_readme_is_spelled_in_capitals(tmp_path):
    """The real keps/sig-api-machinery/365-paginated-lists has README.MD."""
    kep = tmp_path / "keps" / "sig-api-machinery" / "365-paginated-lists"
    kep.mkdir(parents=True)
    (kep / "README.MD").write_text("# KEP-365: Paginated lists\n\n## Summary\n\nPages.\n")
    (kep / "kep.yaml").write_text("title: Paginated lists\nkep-number: 365\nstatus: "
                                  "implemented\ncreation-date: 2017-08-29\nauthors: ['@x']\n")
    proc = run_epdoc("meta", "keps", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert '"id": "KEP-365"' in proc.stdout and '"status": "implemented"' in proc.stdout
