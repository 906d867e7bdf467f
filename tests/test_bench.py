"""The benchmark's own parts: its generated corpus is deterministic and loads whole, and a
small run of ``bench/run.py`` measures, checks its counts against the regex baseline and
writes its report (the full runs are in ``bench/RESULTS.md``; nothing here is timed)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, bench_script

from policydata import analysis as an
from policydata.corpus import load_corpus
from policydata.store import open_index


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.txt"))}


def test_the_generated_corpus_is_deterministic_and_loads_whole(tmp_path: Path) -> None:
    gen = bench_script("generate")
    articles = gen.CHUNK + 200  # (two chunks: the second drawn from its own seed)
    one = gen.generate(tmp_path / "one", articles, seed=3)
    gen.generate(tmp_path / "two", articles, seed=3, jobs=2)
    gen.generate(tmp_path / "other", articles, seed=4)
    first = _tree(tmp_path / "one")
    assert len(first) == articles == one["files"]
    assert first == _tree(tmp_path / "two")  # the same bytes, however many processes wrote
    assert first != _tree(tmp_path / "other")
    # every file is a document in the seed's format: none skipped, none merged
    docs, report = load_corpus(tmp_path / "one")
    assert len(docs) == articles and report.skipped == []
    assert len({d.source for d in docs}) == 6
    dates = sorted(d.date for d in docs)
    assert dates[0] >= dt.date(2010, 1, 1) and dates[-1] <= dt.date(2024, 12, 31)
    assert (dates[-1] - dates[0]).days > 12 * 365
    # the policy phrases follow their yearly rates: 'digital economy' rises, 'new quality
    # productive forces' appears only at the end (generate.TRENDS)
    index = open_index(tmp_path / "one", cache_dir=tmp_path / "cache")
    trend = an.term_trend(index, ["digital economy", "new quality productive forces"],
                          freq="year").set_index(["term", "period"])["per_10k"]
    assert trend["digital economy", "2023"] > 5 * trend["digital economy", "2011"]
    assert trend["new quality productive forces", "2024"] > 0
    assert trend["new quality productive forces"].loc["2010":"2021"].sum() == 0


@pytest.mark.slow
def test_a_small_benchmark_run_measures_checks_its_counts_and_reports(tmp_path: Path) -> None:
    """``bench/run.py`` end to end on 1,000 generated articles, without the scikit-learn
    baseline (not a test dependency): builds, warm starts, queries, an update, the regex
    baseline's counts, and the report and raw results it writes. Its times mean nothing at
    this size and are not looked at."""
    out, raw = tmp_path / "RESULTS.md", tmp_path / "raw.json"
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--articles", "1000", "--runs", "1",
         "--reps", "2", "--skip-baselines", "--quiet-wait", "0", "--data-dir",
         str(tmp_path / "data"), "--out", str(out), "--json", str(raw)],
        capture_output=True, text=True, timeout=900, cwd=ROOT)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    data = json.loads(raw.read_text(encoding="utf-8"))
    assert data["main"]["articles"] == 1000 and data["crashes"] == []
    assert len(data["main"]["builds"]) == 1 and data["main"]["builds"][0]["tokenised"] == 1000
    assert not any(w["tokenised"] for w in data["main"]["warm"])  # the cache was used
    assert [r["tokenised"] for r in data["incremental"]["runs"]] == [1000]  # (1,000 added)
    # every term's per-month count equals the regex baseline's (the check is not vacuous)
    checks = data["exact"]["checks"]
    assert {c["term"] for c in checks} >= {"china", "digital economy", "real economy"}
    assert all(c["ours"] == c["pandas"] > 0 and c["mismatched_months"] == 0 for c in checks)
    report = out.read_text(encoding="utf-8")
    assert "<!-- BEGIN GENERATED" in report and "<!-- END GENERATED -->" in report
    assert "| counts equal the regex baseline |" in report
    assert f"{len(checks)} of {len(checks)} terms equal in all months" in report
