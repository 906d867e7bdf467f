"""Load test: many browser sessions on one dashboard server, measured in the browser.

Starts ``streamlit run dashboard/app.py`` on a corpus, opens ``--sessions`` headless Chromium
sessions at once (one browser, one context each) and walks every session through every page:
deep links, a filter typed in the sidebar, the period and measure switched, page links in the
sidebar, the article order changed. Sessions start ``--ramp`` seconds apart (0.5 s: twenty
browsers launched in the same instant on two cores mostly measure Chromium starting up). For
each action it measures, in the browser, the time from the action to the end of the script run
it caused (what a user waits for). It records the server's memory (the whole process tree)
before and after, which shows the index is shared by the sessions rather than copied, the CPU
used by the server and by the whole machine, and counts errors (``stException`` elements, page
errors).

    python bench/load.py --corpus /data/c100k --sessions 20 --rounds 2

writes ``bench/RESULTS-browser.json`` (read by ``bench/run.py`` into ``bench/RESULTS.md``, which
labels it as carried over from this measurement: the file records the corpus, its article
count, the commit and the date) and prints a table. ``tests/test_load.py`` runs it at a small
size in CI.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-dev-shm-usage"]
sys.path.insert(0, str(ROOT / "tests"))
# The run counter and idle test used by the browser tests.
from browser import IDLE, RunWatcher  # noqa: E402

T = TypeVar("T")  # what a load test's drive returns

STATE = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return {script: app && app.getAttribute('data-test-script-state'),
          connection: app && app.getAttribute('data-test-connection-state'),
          skeletons: document.querySelectorAll('[data-testid="stSkeleton"]').length};
}"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ServerLog:
    """Reads a server's stderr (unread, a full pipe would stop the server) and keeps its
    tracebacks and error lines."""

    MARKS = ("Traceback", "ERROR", "Exception")

    def __init__(self, stream: Any) -> None:
        self.errors: list[str] = []
        self.tail: deque[str] = deque(maxlen=40)
        self._thread = threading.Thread(target=self._read, args=(stream,),
                                         daemon=True)
        self._thread.start()

    def _read(self, stream: Any) -> None:
        if stream is None:
            return
        for raw in stream:
            line = raw.decode("utf-8", "replace").rstrip()
            self.tail.append(line)
            if any(mark in line for mark in self.MARKS) and len(self.errors) < 50:
                self.errors.append(line[:300])


class Server:
    """``streamlit run dashboard/app.py`` on a corpus, in its own process group."""

    def __init__(self, corpus: Path, cache: Path, port: int | None = None) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, POLICYDATA_CORPUS=str(corpus), POLICYDATA_CACHE_DIR=str(cache))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard" / "app.py"),
             "--server.port", str(self.port), "--server.address", "127.0.0.1",
             "--server.headless", "true"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            start_new_session=True)
        self.log = ServerLog(self.process.stderr)
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as reply:
                    if reply.read().decode() == "ok":
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("the dashboard server did not answer /_stcore/health in 120 s")

    def rss(self) -> int:
        """Resident memory of the server and its children, in bytes."""
        import psutil

        try:
            main = psutil.Process(self.process.pid)
            procs = [main, *main.children(recursive=True)]
            return sum(p.memory_info().rss for p in procs if p.is_running())
        except psutil.NoSuchProcess:
            return 0

    def cpu(self) -> float:
        """CPU seconds (user + system) used so far by the server and its live children."""
        import psutil

        try:
            main = psutil.Process(self.process.pid)
            total = 0.0
            for proc in [main, *main.children(recursive=True)]:
                times = proc.cpu_times()
                total += times.user + times.system
            return total
        except psutil.NoSuchProcess:
            return 0.0

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


@dataclass
class Session:
    """What one browser session saw."""

    number: int
    timings: dict[str, list[float]] = field(default_factory=dict)  # by kind of action
    steps: dict[str, list[float]] = field(default_factory=dict)  # by action
    errors: list[str] = field(default_factory=list)
    done: bool = False


async def _settle(page: Any, watcher: RunWatcher, runs: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while watcher.finished <= runs:
        if time.monotonic() > deadline:
            raise TimeoutError(f"no script run finished in {timeout:.0f} s")
        await asyncio.sleep(0.02)
    await page.wait_for_function(IDLE, timeout=max(deadline - time.monotonic(), 1.0) * 1000,
                                 polling=50)


async def _act(session: Session, page: Any, watcher: RunWatcher, kind: str, action: Any,
               timeout: float, label: str = "") -> None:
    runs = watcher.finished
    started = time.perf_counter()
    try:
        await action()
        await _settle(page, watcher, runs, timeout)
    except Exception as error:
        state = await page.evaluate(STATE)
        raise RuntimeError(f"{kind} #{sum(map(len, session.timings.values())) + 1} "
                           f"on {page.url} (page state {state}, runs before {runs}): "
                           f"{str(error).splitlines()[0]}") from None
    session.timings.setdefault(kind, []).append(time.perf_counter() - started)
    session.steps.setdefault(f"{kind}: {label}", []).append(time.perf_counter() - started)
    count = await page.locator('[data-testid="stException"]').count()
    if count:
        text = await page.locator('[data-testid="stException"]').first.inner_text()
        session.errors.append(f"{kind}: {text[:300]}")


async def _search(page: Any, query: str) -> None:
    """Type into the sidebar's search box and press Enter."""
    box = page.locator('[data-testid="stSidebar"]').get_by_role("textbox", name="Search")
    await box.fill(query)
    await box.press("Enter")


def _choice(page: Any, label: str, option: str) -> Any:
    """An option of a segmented control, found by the control's label."""
    group = page.locator('[data-testid="stButtonGroup"]').filter(
        has=page.get_by_label(label, exact=True))
    return group.get_by_role("radio", name=option, exact=True)


async def _walk(browser: Any, base: str, session: Session, rounds: int,
                timeout: float, delay: float = 0.0) -> None:
    await asyncio.sleep(delay)
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    # Every wait of the session, navigation included, gets the action timeout (Playwright's
    # own default, 30 s, is shorter than a page load takes with 20 browsers on 2 cores).
    page.set_default_timeout(timeout * 1000)
    page.set_default_navigation_timeout(timeout * 1000)
    watcher = RunWatcher(page)
    page.on("pageerror", lambda error: session.errors.append(f"page error: {error}"))
    try:
        for _ in range(rounds):
            await _act(session, page, watcher, "page load", lambda: page.goto(
                f"{base}/", wait_until="domcontentloaded"), timeout, "overview")
            await _act(session, page, watcher, "page load", lambda: page.goto(
                f"{base}/trends?term=digital+economy&term=real+economy&freq=year",
                wait_until="domcontentloaded"), timeout, "trends deep link")
            await _act(session, page, watcher, "filter change", lambda: _choice(
                page, "Period", "quarter").click(), timeout, "trends, period quarter")
            await _act(session, page, watcher, "filter change", lambda: _choice(
                page, "Measure", "% of articles").click(), timeout, "trends, measure % of articles")
            await _act(session, page, watcher, "filter change",
                       lambda: _search(page, "economy"), timeout, "trends, search 'economy'")
            for link in ("Themes", "Word clouds", "Articles"):
                await _act(session, page, watcher, "page change", lambda link=link: page.locator(
                    '[data-testid="stSidebar"] [data-testid="stPageLink-NavLink"]',
                    has_text=link).first.click(), timeout, link)
            await _act(session, page, watcher, "filter change", lambda: _choice(
                page, "Order", "most hits").click(), timeout, "articles, order by hits")
            await _act(session, page, watcher, "filter change", lambda: _search(page, ""),
                       timeout, "articles, search cleared")
        session.done = True
    except Exception as error:  # a failed session is counted, not hidden
        session.errors.append(f"{type(error).__name__}: {str(error)[:300]}")
    finally:
        await context.close()


def _machine_cpu() -> float:
    """Busy CPU seconds of the whole machine so far."""
    import psutil

    times = psutil.cpu_times()
    return sum(times) - times.idle - getattr(times, "iowait", 0.0)


async def _run(server: Server, sessions: int, rounds: int, timeout: float, ramp: float,
               memory: dict[str, int], cpu: dict[str, float]) -> list[Session]:
    from playwright.async_api import async_playwright

    base = server.url
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            # One session first, alone: it makes the server load (or build) the index.
            warm = Session(-1)
            await _walk(browser, base, warm, 1, timeout * 4)
            if warm.errors:
                raise RuntimeError(f"warm-up session failed: {warm.errors[:3]}")
            memory["warm"] = memory["peak"] = server.rss()
            group = [Session(i) for i in range(sessions)]
            cpu["server"], cpu["machine"], cpu["wall"] = (server.cpu(), _machine_cpu(),
                                                          time.perf_counter())
            await asyncio.gather(*(_walk(browser, base, s, rounds, timeout, i * ramp)
                                   for i, s in enumerate(group)))
            cpu["server"] = server.cpu() - cpu["server"]
            cpu["machine"] = _machine_cpu() - cpu["machine"]
            cpu["wall"] = time.perf_counter() - cpu["wall"]
        finally:
            await browser.close()
    return group


def under_load(corpus: Path, cache: Path | None, drive: Callable[[Server], Awaitable[T]],
               memory: dict[str, int]) -> tuple[T, float, int, int | None, Server]:
    """Start a server on ``corpus`` (its index cache in ``cache``, else a temporary folder),
    run ``drive(server)`` and stop the server.

    ``memory`` gets the server's memory at ``start``, and its ``peak`` sampled every 0.25 s
    once ``drive`` sets ``memory["warm"]``. Returns what ``drive`` returned, the seconds it
    took, the server's memory when it was done, the articles in the index (None if unread)
    and the stopped server (its ``log``)."""
    with tempfile.TemporaryDirectory() as tmp:
        server = Server(Path(corpus), Path(cache or tmp))
        try:
            memory["start"] = server.rss()
            started = time.perf_counter()

            async def sample() -> None:
                while True:
                    if memory["warm"]:
                        memory["peak"] = max(memory["peak"], server.rss())
                    await asyncio.sleep(0.25)

            async def main() -> T:
                sampler = asyncio.create_task(sample())
                try:
                    return await drive(server)
                finally:
                    sampler.cancel()

            result = asyncio.run(main())
            elapsed = time.perf_counter() - started
            after = server.rss()
        finally:
            server.stop()
        articles = _indexed_articles(Path(corpus), Path(cache or tmp))
    return result, elapsed, after, articles, server


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _indexed_articles(corpus: Path, cache: Path) -> int | None:
    """Documents in the index the server built or opened (from its cache's manifest)."""
    try:
        from policydata.store import cache_folder

        manifest = json.loads((cache_folder(corpus, cache) / "manifest.json").read_text("utf-8"))
        return sum(int(segment["documents"]) for segment in manifest["segments"])
    except (ImportError, OSError, ValueError, KeyError, TypeError):
        return None


def _provenance() -> dict[str, str]:
    """The commit (marked when src/ or dashboard/ had uncommitted changes) and the date."""
    try:
        commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                                capture_output=True, text=True).stdout.strip()
        changed = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--",
                                  "src", "dashboard"], capture_output=True, text=True).stdout
        if commit and changed.strip():
            commit += " with uncommitted changes under src/ or dashboard/"
    except OSError:
        commit = ""
    now = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    return {"commit": commit, "date": now}


def run(corpus: Path, *, sessions: int = 20, rounds: int = 2, cache: Path | None = None,
        timeout: float = 120.0, ramp: float = 0.5) -> dict[str, Any]:
    """Run the load test and return its figures (see the module docstring)."""
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} is missing: install Debian's chromium (scripts/test.sh)")
    memory = {"warm": 0, "peak": 0}
    cpu = {"server": 0.0, "machine": 0.0, "wall": 0.0}
    group, elapsed, after, articles, _ = under_load(
        corpus, cache, lambda server: _run(server, sessions, rounds, timeout, ramp, memory, cpu),
        memory)
    timings: dict[str, list[float]] = {}
    for session in group:
        for kind, values in session.timings.items():
            timings.setdefault(kind, []).extend(values)
    reruns = timings.get("filter change", [])
    steps: dict[str, list[float]] = {}
    for session in group:
        for label, values in session.steps.items():
            steps.setdefault(label, []).extend(values)
    return {
        "corpus": str(corpus),
        # What was measured, so that bench/run.py can tell these figures from its own run's.
        "articles": articles,
        **_provenance(),
        "sessions": sessions,
        "rounds": rounds,
        "ramp_s": ramp,
        "completed": sum(s.done for s in group),
        "errors": [e for s in group for e in s.errors],
        "seconds": round(elapsed, 1),
        "rerun_p50_s": round(statistics.median(reruns), 3) if reruns else None,
        "rerun_p95_s": round(percentile(reruns, 0.95), 3) if reruns else None,
        "rerun_max_s": round(max(reruns), 3) if reruns else None,
        "actions": {kind: {"n": len(v), "p50_s": round(statistics.median(v), 3),
                           "p95_s": round(percentile(v, 0.95), 3)}
                    for kind, v in sorted(timings.items())},
        "steps": {label: {"n": len(v), "p50_s": round(statistics.median(v), 3),
                          "p95_s": round(percentile(v, 0.95), 3)}
                  for label, v in steps.items()},
        # While the sessions ran together: CPU seconds of the server, of the whole machine
        # (the browsers, run on the same cores, are most of the rest) and what was available.
        "cpu_server_s": round(cpu["server"], 1),
        "cpu_machine_s": round(cpu["machine"], 1),
        "cpu_available_s": round(cpu["wall"] * (os.cpu_count() or 1), 1),
        "server_rss_start_mb": round(memory["start"] / 2**20),
        "server_rss_before_mb": round(memory["warm"] / 2**20),
        "server_rss_peak_mb": round(memory["peak"] / 2**20),
        "server_rss_after_mb": round(after / 2**20),
        "rss_per_session_mb": round((memory["peak"] - memory["warm"]) / 2**20
                                    / max(sessions, 1), 1),
    }


def table(result: dict[str, Any]) -> str:
    lines = [f"Load test: {result['sessions']} concurrent browser sessions x "
             f"{result['rounds']} rounds on {result['corpus']} "
             f"({result.get('articles') or '?'} articles, commit {result.get('commit') or '?'}, "
             f"{result.get('date') or '?'}) "
             f"({result['completed']} of {result['sessions']} completed, "
             f"{len(result['errors'])} errors, {result['seconds']} s)", "",
             "| action | count | median | 95th percentile |", "| --- | --- | --- | --- |"]
    for kind, figures in [*result["actions"].items(), *result["steps"].items()]:
        lines.append(f"| {kind} | {figures['n']} | {figures['p50_s']:.2f} s | "
                     f"{figures['p95_s']:.2f} s |")
    lines += ["", f"Server memory (process tree): {result['server_rss_start_mb']:,} MB at "
              f"start, {result['server_rss_before_mb']:,} MB after "
              f"the first session loaded the index, {result['server_rss_peak_mb']:,} MB at "
              f"the peak with {result['sessions']} session{'s' * (result['sessions'] > 1)}"
              + (f" ({result['rss_per_session_mb']} MB per extra session): the index is "
                 "shared." if result["sessions"] > 1 else
                 " (the server's warm-up tables and caches fill meanwhile)."),
              "", f"CPU while the sessions ran: the server {result['cpu_server_s']:,} s, the "
              f"whole machine {result['cpu_machine_s']:,} s of {result['cpu_available_s']:,} s "
              "available (the browsers run on the same cores)."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--cache-dir", type=Path)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "RESULTS-browser.json")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per action")
    parser.add_argument("--ramp", type=float, default=0.5,
                        help="seconds between the starts of two sessions (default 0.5)")
    args = parser.parse_args(argv)
    return measure_and_write(
        lambda: run(args.corpus, sessions=args.sessions, rounds=args.rounds,
                    cache=args.cache_dir, timeout=args.timeout, ramp=args.ramp),
        table, args.out, corpus=args.corpus, sessions=args.sessions, rounds=args.rounds)


def measure_and_write(measure: Callable[[], dict[str, Any]],
                      table: Callable[[dict[str, Any]], str], out: Path, *, corpus: Path,
                      sessions: int, rounds: int) -> int:
    """Run ``measure()``, write its result to ``out`` as JSON and print ``table(result)``;
    exit status 1 on any error or a session not completed. A measurement that raises still
    writes a result naming the error, so a caller sees what went wrong (also used by
    ``load_ws.py``)."""
    try:
        result = measure()
    except Exception as error:
        result = {"corpus": str(corpus), **_provenance(), "sessions": sessions,
                  "rounds": rounds, "completed": 0,
                  "errors": [f"{type(error).__name__}: {error}"]}
        out.write_text(json.dumps(result, indent=1) + "\n", "utf-8")
        print("error:", result["errors"][0], file=sys.stderr)
        return 1
    out.write_text(json.dumps(result, indent=1) + "\n", "utf-8")
    print(table(result))
    for line in result["errors"][:20]:
        print("error:", line)
    return 1 if result["errors"] or result["completed"] < result["sessions"] else 0


if __name__ == "__main__":
    sys.exit(main())
