"""The metadata record (design.md §3) from all three metadata styles."""

import json

import pytest

from epdoc.pipeline.reading.document import load

from helpers import FIXTURES, corpus_files, expected_record, run_epdoc

UNSEEN = sorted((FIXTURES / "unseen").glob("*.md"))


def _record(path):
    rec = load(path).record.as_dict()
    rec.pop("source")
    rec.pop("extra")
    return rec


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.stem)
def test_corpus_record_matches_expected(path):
    assert _record(path) == expected_record(path)


@pytest.mark.parametrize("path", UNSEEN, ids=lambda p: p.stem)
def test_unseen_record_matches_expected(path):
    assert _record(path) == expected_record(path)


def test_unknown_keys_are_kept_in_extra():
    extra = load(FIXTURES / "unseen" / "EP_007-quota-alerts.md").record.extra
    assert extra == {"Target Release": "4.2"}
    extra = load(FIXTURES / "unseen" / "draft-20260105-shard-rebalancing.md").record.extra
    assert extra == {"tracking-links": ["https://example.org/issues/7"]}


def test_meta_json_prints_one_record_per_file(corpus):
    proc = run_epdoc("meta", corpus, "--json")
    assert proc.returncode == 0, proc.stderr
    records = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["source"].split("/")[-1] for r in records] == [p.name for p in corpus_files()]
    for rec, path in zip(records, corpus_files(), strict=True):
        assert rec["source"] == str(path)
        assert {k: v for k, v in rec.items() if k not in ("source", "extra")} \
            == expected_record(path)


@pytest.mark.parametrize("text, expected", [
    ("# EP-5: X\n\n- Status: Accepted\n- Authors: A, B\n\n## S\n", {"status": "Accepted"}),
    ("# Draft: Y\n\n## S\n\ntext\n", {"status": "Draft", "title": "Y"}),
    ("# ep-12. Lower\n\n**STATUS**: draft\n\n## S\n", {"id": "EP-012", "status": "Draft"}),
    ("# T\n\n**Status**: Rejected\n**Authors**: [GitHub IDs]\n\n## S\n", {"authors": []}),
])
def test_small_cases(tmp_path, text, expected):
    f = tmp_path / "x.md"
    f.write_text(text)
    rec = load(f).record.as_dict()
    assert {k: rec[k] for k in expected} == expected
