"""Several browser sessions at once on one server (the full size runs in bench/load.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, small_corpus


@pytest.mark.browser
def test_concurrent_sessions_share_one_index(tmp_path: Path) -> None:
    corpus = small_corpus(tmp_path / "corpus")
    out = tmp_path / "load.json"
    # In its own process: the load test drives Chromium through asyncio.
    process = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "load.py"), "--corpus", str(corpus),
         "--sessions", "4", "--rounds", "1", "--cache-dir", str(tmp_path / "cache"),
         "--out", str(out)], capture_output=True, text=True, timeout=600)
    assert out.exists(), f"bench/load.py wrote no result:\n{process.stdout}\n{process.stderr}"
    result = json.loads(out.read_text())
    assert result["errors"] == [], "\n".join(result["errors"]) + process.stderr[-3000:]
    assert process.returncode == 0, process.stdout + process.stderr
    assert result["completed"] == 4
    assert result["actions"]["filter change"]["n"] == 4 * 5
    # Sessions share the server's index: four more sessions cost far less than what loading
    # it (and the first session) cost the server.
    loaded = result["server_rss_before_mb"] - result["server_rss_start_mb"]
    assert result["server_rss_peak_mb"] - result["server_rss_before_mb"] < loaded
