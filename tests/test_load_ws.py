"""Several websocket clients at once on one server, speaking Streamlit's protocol without a
browser (the full size runs in bench/load_ws.py), and the checks that make a walk fail."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, bench_script, small_corpus

L = bench_script("load_ws")


def test_concurrent_clients_walk_every_page(tmp_path: Path) -> None:
    corpus = small_corpus(tmp_path / "corpus")
    out = tmp_path / "load-ws.json"
    process = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "load_ws.py"), "--corpus", str(corpus),
         "--sessions", "4", "--rounds", "1", "--think", "0.2", "--ramp", "0.2",
         "--cache", str(tmp_path / "cache"), "--json", str(out)],
        capture_output=True, text=True, timeout=600)
    assert out.exists(), f"bench/load_ws.py wrote no result:\n{process.stdout}\n{process.stderr}"
    result = json.loads(out.read_text())
    assert result["errors"] == [], "\n".join(result["errors"]) + process.stderr[-3000:]
    assert process.returncode == 0, process.stdout + process.stderr
    assert result["completed"] == 4
    assert result["articles"] == 24
    # Every step of the walk was measured for every client, and nothing else was.
    assert {label: figures["n"] for label, figures in result["steps"].items()} == {
        f"{kind}: {label}": 4 for kind, label, *_ in L.WALK}
    assert {kind: figures["n"] for kind, figures in result["actions"].items()} == {
        "filter change": 4 * 5, "page change": 4 * 3, "page load": 4 * 2}
    assert result["runs"] == 4 * len(L.WALK)
    assert result["connect"]["n"] == 4 * 2 and result["error_kinds"] == {}
    assert all(0 < f["p50_s"] <= f["p95_s"] <= f["max_s"] for f in result["steps"].values())
    assert result["cpu_server_s"] > 0 and result["received_mb"] > 0
    # Clients share the server's index: four more sessions cost far less than what loading
    # it (and the first client) cost the server.
    loaded = result["server_rss_before_mb"] - result["server_rss_start_mb"]
    assert result["server_rss_peak_mb"] - result["server_rss_before_mb"] < loaded
    assert "| filter change: articles, search cleared | 4 |" in process.stdout


def test_the_checks_catch_a_walk_that_draws_nothing_or_fails(tmp_path: Path) -> None:
    corpus = small_corpus(tmp_path / "corpus")
    server = L.Server(corpus, tmp_path / "cache")

    async def scenario() -> None:
        client = L.Client(server.url, timeout=60)
        # Term trends without a term draws no chart: the check says so.
        bare = await client.open("trends")
        assert bare.status == "FINISHED_SUCCESSFULLY" and bare.page == "trends"
        assert "Term trends" in bare.headings and not bare.kinds["plotly_chart"]
        assert any("drew no plotly_chart" in p for p in L.problems(bare, "trends"))
        # With terms it draws one, and the same check passes.
        deep = await client.open("trends", "term=digital+economy&freq=year")
        assert L.problems(deep, "trends", {"freq": ["year"]}) == []
        # Another page than the one asked for, or a query string the change should have
        # left, fails it.
        assert any("ran page" in p for p in L.problems(deep, "articles"))
        assert L.problems(deep, "trends", {"freq": ["quarter"]})
        # A widget change reruns with the new value: the address follows.
        changed = await client.change("w_freq", "quarter")
        assert L.problems(changed, "trends", {"freq": ["quarter"]}) == []
        with pytest.raises(L.WalkError, match="no option"):
            await client.change("w_freq", "decade")
        with pytest.raises(L.WalkError, match="no widget"):
            await client.change("w_sort", "most hits")  # (an Articles widget)
        # An exception element, or a run that does not finish well, is an error.
        failing = L.ForwardMsg()
        failing.delta.new_element.exception.type = "ValueError"
        failing.delta.new_element.exception.message = "boom"
        run = L.Run()
        client._take(failing, run)
        finished = L.ForwardMsg()
        finished.script_finished = L.ForwardMsg.FINISHED_WITH_COMPILE_ERROR
        assert client._take(finished, run)
        said = L.problems(run, "trends")
        assert "exception: ValueError: boom" in said
        assert "script_finished FINISHED_WITH_COMPILE_ERROR" in said
        # No answer in time is a timeout; a server gone is a dropped connection.
        client.timeout = 1e-4
        with pytest.raises(TimeoutError, match="no script_finished"):
            await client.change("w_freq", "year")
        client.timeout = 60
        await client.open("trends", "term=digital+economy")  # (a new connection)
        server.stop()
        with pytest.raises(ConnectionError, match="connection dropped"):
            await client.change("w_freq", "month")
        # A whole walk against no server fails and says why, not completed.
        session = L.Session(0)
        await L._walk(server.url, session, 1, timeout=5, think=0)
        assert not session.done and session.errors
        assert L._error_kind(session.errors[0]) == "connection dropped", session.errors
        assert {"exception element", "script not finished successfully",
                "page not drawn as asked"} == {L._error_kind(e) for e in said}
        await client.close()

    try:
        asyncio.run(scenario())
    finally:
        server.stop()
