"""Helpers for the real-browser tests of the dashboard (tests/test_browser.py).

A dashboard server is started as a child process in its own process group, on a free port of
127.0.0.1, for one corpus and a private cache folder; a :class:`AppPage` wraps a Playwright page
and waits for Streamlit's runs to finish with the run-counting MutationObserver described in
docs/BROWSER-TESTING.md (waiting for ``notRunning`` alone races after a click).
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "dashboard" / "app.py"
SEEDS = ROOT / "seeds"
SHARED = Path(os.environ.get("POLICYDATA_TEST_CORPORA") or ROOT.parent / "shared" / "corpora")
#: Real corpora beside the development checkout, by their short names in the tests.
SHARED_CORPORA = {"sotu": SHARED / "en-sotu", "fomc": SHARED / "en-fomc-minutes"}
ARTIFACTS = ROOT / "tests" / "artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
VIEWPORT = {"width": 1280, "height": 900}
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

# --------------------------------------------------------------------------- corpora

#: The multi-month corpus: article i (0-based, 40 of them) is dated 2022-01-10 + 27 * i days,
#: lives in source folder "alpha" (even i) or "beta" (odd i), and mentions "digital economy"
#: i % 3 times and "real economy" once when i % 4 == 0.
MULTI_ARTICLES = 40
HOSTILE_ID = "beta/zz-hostile"
HOSTILE_DATE = "2023-05-05"
HOSTILE_TITLE = ('<script>window.__pwned=1</script> <img src=x onerror="window.__pwned=2"> '
                 "**bold** $x^2$")
HOSTILE_BODY = (
    "This note quotes markup.\n\n"
    "<script>window.__pwned=1</script>\n\n"
    '<img src=x onerror="window.__pwned=2">\n\n'
    '<img src=x onerror="__pwned=3">\n\n'  # (no full stop: a term can be this whole)
    "Some **bold** words and a [link](javascript:alert(1)) and LaTeX $x^2$ here.\n\n"
    "A bidi override \u202eevil txt\u202c and a zero\u200bwidth space.\n\n"
    "The script " + "Z" * 3000 + " (a scraped blob) tag above is only text."
)


def multi_date(i: int) -> dt.date:
    return dt.date(2022, 1, 10) + dt.timedelta(days=27 * i)


def multi_counts(i: int) -> dict[str, int]:
    return {"digital economy": i % 3, "real economy": 1 if i % 4 == 0 else 0}


def write_multi_corpus(folder: Path) -> Path:
    """The 40-article multi-month corpus (see above) plus one hostile article."""
    for i in range(MULTI_ARTICLES):
        counts = multi_counts(i)
        sentences = ["The council met to discuss the annual plan."]
        sentences += ["Officials backed the digital economy again."] * counts["digital economy"]
        sentences += ["Factories anchor the real economy today."] * counts["real economy"]
        sentences += [f"Note {i} closes here."]
        source = "alpha" if i % 2 == 0 else "beta"
        path = folder / source / f"{i:03d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f" date {multi_date(i).isoformat()} Policy note {i}\n\n"
                        + "\n\n".join(sentences) + "\n", encoding="utf-8")
    hostile = folder / f"{HOSTILE_ID}.txt"
    hostile.write_text(f" date {HOSTILE_DATE} {HOSTILE_TITLE}\n\n{HOSTILE_BODY}\n",
                       encoding="utf-8")
    return folder


def expected_by_year(term: str) -> dict[str, int]:
    """Occurrences of ``term`` per year in the multi-month corpus."""
    out: dict[str, int] = {}
    for i in range(MULTI_ARTICLES):
        year = str(multi_date(i).year)
        out[year] = out.get(year, 0) + multi_counts(i)[term]
    return out


# --------------------------------------------------------------------------- the server


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PortTaken(RuntimeError):
    """The free port was taken before the server bound it."""


@dataclass
class Server:
    """A dashboard server on one corpus."""

    corpus: Path
    cache: Path
    port: int = 0
    process: subprocess.Popen[bytes] | None = None
    log: Path | None = None
    options: tuple[str, ...] = ()  # more of streamlit's options (--server.x value)
    env: dict[str, str] = field(default_factory=dict)  # more environment variables

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60.0, attempts: int = 3) -> Server:
        """Start on a free port (another one if a parallel worker took it first)."""
        for attempt in range(attempts):
            try:
                return self._start(timeout)
            except PortTaken:
                if attempt == attempts - 1:
                    raise
        raise AssertionError("unreachable")

    def _start(self, timeout: float) -> Server:
        self.port = free_port()
        self.cache.mkdir(parents=True, exist_ok=True)
        self.log = self.cache.parent / f"streamlit-{self.port}.log"
        env = dict(os.environ, POLICYDATA_CORPUS=str(self.corpus),
                   POLICYDATA_CACHE_DIR=str(self.cache), PYTHONUNBUFFERED="1",
                   STREAMLIT_BROWSER_GATHER_USAGE_STATS="false") | self.env
        env.pop("POLICYDATA_THEMES", None)
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", str(APP.relative_to(ROOT)),
                 "--server.port", str(self.port), "--server.address", "127.0.0.1",
                 "--server.headless", "true", *self.options],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                if "is not available" in self.logs():
                    raise PortTaken(self.port)
                raise RuntimeError(f"the dashboard server exited with {self.process.returncode}:"
                                   f"\n{self.log.read_text(errors='replace')[-3000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as answer:
                    if answer.read().decode().strip() == "ok":
                        return self
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"the dashboard server did not answer /_stcore/health in {timeout} s")

    def stop(self) -> None:
        process = self.process
        if process is None or process.poll() is not None:
            return
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        except ProcessLookupError:
            pass

    def logs(self) -> str:
        return self.log.read_text(errors="replace") if self.log and self.log.exists() else ""


# --------------------------------------------------------------------------- the browser

class RunWatcher:
    """Counts the script runs a page's server finished, from the websocket frames.

    Streamlit sends a ``script_finished`` message at the end of every run. Counting those is
    exact, where watching the page's ``data-test-script-state`` attribute can miss a fast run
    (React may draw "running" and "notRunning" in one commit). Works for sync and async pages.
    """

    def __init__(self, page: Any) -> None:
        self.finished = 0
        page.on("websocket", lambda ws: ws.on("framereceived", self._frame))

    def _frame(self, payload: Any) -> None:
        if not isinstance(payload, (bytes, bytearray)):
            return
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        message = ForwardMsg()
        try:
            message.ParseFromString(bytes(payload))
        except Exception:  # not a ForwardMsg: nothing to count
            return
        if message.WhichOneof("type") == "script_finished":
            self.finished += 1


#: The page is drawn and waiting: connected, no run going, no placeholder skeletons.
IDLE = """
() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return !!app
    && app.getAttribute('data-test-connection-state') === 'CONNECTED'
    && app.getAttribute('data-test-script-state') === 'notRunning'
    && !document.querySelector('[data-testid="stSkeleton"]');
}
"""


#: The height the whole page needs: the main area's, or the sidebar's when that is longer.
HEIGHT = """
() => Math.max(
  document.querySelector('[data-testid="stMain"]').scrollHeight,
  document.querySelector('[data-testid="stSidebarContent"]')?.scrollHeight || 0,
  window.innerHeight)
"""


@dataclass
class AppPage:
    """A Playwright page on a dashboard server, with waits that follow Streamlit's runs."""

    page: Any
    base: str
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.watcher = RunWatcher(self.page)
        self.page.on("dialog", self._dialog)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def runs(self) -> int:
        return self.watcher.finished

    def wait_idle(self, after: int = 0, timeout: float = 30_000) -> None:
        """Wait until the server finished more than ``after`` runs and the page is idle."""
        deadline = time.monotonic() + timeout / 1000
        while self.watcher.finished <= after:
            if time.monotonic() > deadline:
                raise TimeoutError(f"no script run finished in {timeout / 1000:.0f} s "
                                   f"(runs so far: {self.watcher.finished})")
            self.page.wait_for_timeout(30)  # lets Playwright deliver websocket events
        remaining = max(deadline - time.monotonic(), 1.0) * 1000
        self.page.wait_for_function(IDLE, timeout=remaining, polling=50)

    def open(self, path: str = "/", timeout: float = 45_000) -> None:
        """Load ``path`` (e.g. ``/trends?term=x``) and wait until its first run is drawn."""
        before = self.runs()
        self.page.goto(self.base + path, wait_until="domcontentloaded", timeout=timeout)
        self.wait_idle(before, timeout=timeout)
        self.page.locator('[data-testid="stMain"]').wait_for(timeout=timeout)

    def act(self, action: Any, runs: int = 1, timeout: float = 30_000) -> Any:
        """Do ``action`` (a callable), then wait for ``runs`` more finished runs."""
        before = self.runs()
        result = action()
        self.wait_idle(before + runs - 1, timeout=timeout)
        return result

    def select(self, label: str, option: str) -> None:
        """Choose ``option`` in the selectbox labelled ``label`` and wait for the rerun.

        The box is scrolled to the middle of the view first: react-aria closes an open list
        when the page scrolls, which happens if the click itself has to scroll it into view.
        """
        combobox = self.page.locator('[data-testid="stMain"]').get_by_role(
            "combobox", name=label, exact=True)
        combobox.evaluate("e => e.scrollIntoView({block: 'center'})")
        self.page.wait_for_timeout(200)
        item = self.page.get_by_role("option", name=option, exact=True)
        for _ in range(3):
            combobox.click()
            try:
                item.wait_for(state="visible", timeout=3_000)
                break
            except Exception:  # the list closed again: try once more
                continue
        self.act(item.click)

    def wait_chart(self, timeout: float = 20_000) -> None:
        self.page.locator('[data-testid="stPlotlyChart"] .main-svg').first.wait_for(
            timeout=timeout)

    def wait_images(self, timeout: float = 20_000) -> None:
        self.page.wait_for_function(
            "() => [...document.querySelectorAll('[data-testid=\"stImage\"] img')]"
            ".every(img => img.complete && img.naturalWidth > 0)", timeout=timeout)

    def text(self) -> str:
        return str(self.page.locator('[data-testid="stApp"]').inner_text())

    def exceptions(self) -> list[str]:
        return self.page.locator('[data-testid="stException"]').all_inner_texts()

    def main_overflow(self) -> dict[str, int]:
        return dict(self.page.evaluate(
            "() => { const m = document.querySelector('[data-testid=\"stMain\"]');"
            " return {scrollWidth: m.scrollWidth, clientWidth: m.clientWidth}; }"))

    def screenshot(self, name: str) -> Path:
        """A PNG of the whole page: the viewport grows to stMain's height first."""
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        height = int(self.page.evaluate(HEIGHT))
        size = self.page.viewport_size or VIEWPORT
        try:
            self.page.set_viewport_size({"width": size["width"], "height": min(height, 12000)})
            self.page.wait_for_timeout(300)  # let charts and the grid redraw at the new size
            self.page.screenshot(path=str(path), full_page=True)
        finally:
            self.page.set_viewport_size(size)
        data = path.read_bytes()
        if not (len(data) > 1000 and data.startswith(PNG_MAGIC)):
            raise AssertionError(f"{path} is not a non-empty PNG ({len(data)} bytes)")
        return path
