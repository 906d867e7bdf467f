"""The dashboard in a real headless Chromium, against a served dashboard (issue: browser tests).

Each corpus gets one server for the whole session (``tests/browser.py`` starts it on a free port
of 127.0.0.1 with a private cache folder); each test opens fresh browser contexts on it. The
corpora: the bundled seed (one article), a 40-article multi-month corpus written here with known
counts (plus one article of hostile text), and the real corpora ``../shared/corpora/en-sotu`` and
``en-fomc-minutes`` (one-line bodies of up to 95,000 characters) when they exist.
Screenshots go to tests/artifacts/screenshots/.

Run: ``.venv/bin/python -m pytest tests/test_browser.py -q -p no:cacheprovider -x``.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import browser as b
import pytest
import reference as ref

pytestmark = pytest.mark.browser

PAGES = {
    "/": "Overview",
    "/trends": "Term trends",
    "/themes": "Themes",
    "/words": "Word clouds",
    "/articles": "Articles",
}
CORPORA = ["seeds", "multi", "sotu", "fomc"]


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    if not Path(b.CHROMIUM).exists():
        pytest.fail(f"{b.CHROMIUM} is missing: the browser tests need Debian's Chromium. Run "
                    "scripts/test.sh, which installs it (as CI does).", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=b.CHROMIUM, args=b.CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def multi_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return b.write_multi_corpus(tmp_path_factory.mktemp("multi") / "multi")


_servers: dict[str, b.Server] = {}


def _server(name: str, corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> b.Server:
    if name not in _servers:
        _servers[name] = b.Server(corpus, tmp_path_factory.mktemp(f"{name}-cache") / "cache")
        _servers[name].start()
    return _servers[name]


@pytest.fixture(scope="session", autouse=True)
def _stop_servers() -> Iterator[None]:
    yield
    for server in _servers.values():
        server.stop()
    _servers.clear()


@pytest.fixture(scope="session")
def servers(tmp_path_factory: pytest.TempPathFactory, multi_corpus: Path,
            ) -> Callable[[str], b.Server]:
    """``servers(name)``: the session's server for corpus ``name`` (started on first use)."""

    def get(name: str) -> b.Server:
        if name == "seeds":
            return _server(name, b.SEEDS, tmp_path_factory)
        if name == "multi":
            return _server(name, multi_corpus, tmp_path_factory)
        if name in b.SHARED_CORPORA:
            path = b.SHARED_CORPORA[name]
            if not path.is_dir():
                pytest.skip(f"{path} is not present (the shared corpora exist only beside "
                            "the development checkout)")
            return _server(name, path, tmp_path_factory)
        raise ValueError(name)

    return get


@pytest.fixture(scope="session")
def context(chromium: Any) -> Iterator[Any]:
    """One browser context for the session: its HTTP cache keeps the frontend's chunks, which
    saves seconds per page load on two cores. Each page load is its own Streamlit session."""
    context = chromium.new_context(viewport=b.VIEWPORT, accept_downloads=True)
    context.set_default_timeout(30_000)
    yield context
    context.close()


@pytest.fixture
def app(context: Any) -> Iterator[Callable[[b.Server], b.AppPage]]:
    """``app(server)``: a fresh page on ``server`` (closed after the test)."""
    pages: list[b.AppPage] = []

    def make(server: b.Server) -> b.AppPage:
        pages.append(b.AppPage(context.new_page(), server.url))
        return pages[-1]

    yield make
    for page in pages:
        page.page.close()


# --------------------------------------------------------------------------- helpers


def query(page: b.AppPage) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.page.url).query)


def wait_for_param(page: b.AppPage, name: str, value: str | None = None,
                   timeout: float = 10_000) -> dict[str, list[str]]:
    """Wait until the address bar holds ``name`` (with ``value`` among its values)."""
    def holds(url: str) -> bool:
        values = parse_qs(urlsplit(url).query).get(name, [])
        return bool(values) and (value is None or value in values)

    try:
        page.page.wait_for_url(holds, timeout=timeout)
    except Exception as error:  # playwright's TimeoutError: say what the URL was
        raise AssertionError(f"the URL never held {name}={value!r}: {page.page.url}") from error
    return query(page)


def cli(*args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "policydata.cli", *args], cwd=b.ROOT,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, f"policydata {' '.join(args)} failed:\n{done.stderr}"
    return done.stdout


def download(page: b.AppPage, button: Any, *, named: str = "") -> bytes:
    """The bytes a download button gives (``named``: the file name it must suggest)."""
    with page.page.expect_download(timeout=15_000) as info:
        button.click()
    if named:
        assert info.value.suggested_filename == named
    path = info.value.path()
    return Path(path).read_bytes()


def segmented(page: b.AppPage, label: str) -> Any:
    return page.page.locator('[data-testid="stButtonGroup"]').filter(
        has=page.page.get_by_label(label, exact=True))


def multiselect_chips(page: b.AppPage, label: str) -> list[str]:
    box = page.page.locator('[data-testid="stMultiSelect"]').filter(has_text=label)
    chips = box.locator('[data-testid="stMultiSelectTagsContainer"] [data-tag]')
    return [t.strip() for t in chips.all_inner_texts()]


def search_box(page: b.AppPage) -> Any:
    return page.page.locator('[data-testid="stSidebar"]').get_by_role("textbox", name="Search",
                                                                       exact=True)


def check_page(page: b.AppPage, path: str) -> None:
    """The page at ``path`` drew without an uncaught error or an error box, and shows its
    title."""
    assert page.exceptions() == [], f"{path}: exception on the page: {page.exceptions()}"
    boxes = page.page.locator('[data-testid="stAlertContentError"]').all_inner_texts()
    assert boxes == [], f"{path}: error boxes on the page: {boxes}"
    title = page.page.locator('[data-testid="stMain"] h1').first
    assert title.is_visible(), f"{path}: no visible title"
    shown = title.inner_text()
    assert PAGES[urlsplit(path).path] in shown, f"{path}: title {shown!r}"
    assert page.errors == [], f"{path}: uncaught errors in the page: {page.errors}"


def settle(page: b.AppPage, path: str) -> None:
    """Wait for what a page draws after its run: charts and word cloud images."""
    bare = urlsplit(path).path
    charted = bare in ("/", "/themes", "/words") or "term=" in path
    if charted and page.page.locator('[data-testid="stPlotlyChart"]').count():
        page.wait_chart()
    if bare == "/words":
        page.wait_images()


def follow_link(page, text: str) -> None:
    """Click the page link in the main area (not the sidebar's) that says ``text``."""
    page.act(page.page.locator('[data-testid="stMain"] [data-testid="stPageLink-NavLink"]',
                               has_text=text).click)


# --------------------------------------------------------------------------- 1 and 8


@pytest.mark.parametrize("corpus", CORPORA)
def test_every_page_loads_without_error_and_with_its_title(corpus: str, servers: Any,
                                                           app: Any) -> None:
    server = servers(corpus)
    page = app(server)
    for path in PAGES:
        shown = path + ("?term=economy&freq=year" if path == "/trends" else "")
        page.open(shown, timeout=120_000)
        settle(page, shown)
        check_page(page, shown)
        shot = page.screenshot(f"{corpus}-{path.strip('/') or 'overview'}")
        assert shot.stat().st_size > 1000


LAYOUTS = [
    "/?q=economy",
    "/trends?term=digital+economy&term=real+economy&term=new+industrialization&freq=quarter"
    "&period=2023Q1&focus=digital+economy",
    "/themes?freq=quarter",
    "/words?compare=theme&theme=Digital+economy&theme2=Real+economy+and+manufacturing",
    "/articles?q=economy&doc=alpha%2F000",
]


def sideways(page: b.AppPage) -> dict[str, int] | None:
    """The main area's widths when it scrolls sideways, else None."""
    size = page.main_overflow()
    return size if size["scrollWidth"] > size["clientWidth"] + 1 else None


def test_no_horizontal_scrollbar_at_1280(servers: Any, app: Any) -> None:
    page = app(servers("multi"))
    wide = []
    for path in LAYOUTS:
        page.open(path)
        settle(page, path)
        check_page(page, path)
        if sideways(page):
            wide.append((path, sideways(page)))
        page.screenshot("layout-" + (urlsplit(path).path.strip("/") or "overview"))
    assert wide == [], f"stMain scrolls sideways at 1280 px: {wide}"


def test_a_theme_name_at_the_length_limit_keeps_the_themes_page_whole(servers: Any,
                                                                      app: Any) -> None:
    # A name of 199 characters (the limit is 200) from a dictionary the link carries: the
    # dictionary list wraps it, the charts cut it (the hover has it whole), nothing scrolls
    # sideways and the heatmap keeps its size.
    from policydata.themes import dictionary_to_link

    name = "L" * 199
    carried = dictionary_to_link(f'[themes]\n"{name}" = ["digital economy"]\n'
                                 '"Real" = ["real economy"]\n')
    page = app(servers("multi"))
    wide = []
    for tab in ("dictionary", "counts", "together"):
        path = f"/themes?tab={tab}&dict={carried}"
        page.open(path)
        settle(page, path)
        check_page(page, path)
        if sideways(page):
            wide.append((tab, sideways(page)))
        if tab == "together":
            box = page.page.locator('[data-testid="stPlotlyChart"] .nsewdrag').first.bounding_box()
            assert box and box["width"] > 200 and box["height"] > 150, box
        page.screenshot(f"long-theme-name-{tab}")
    assert wide == [], f"the Themes page scrolls sideways: {wide}"


def test_controls_are_not_clipped_at_1024(servers: Any, app: Any) -> None:
    page = app(servers("multi"))
    page.page.set_viewport_size({"width": 1024, "height": 768})
    clipped = []
    for path in LAYOUTS + ["/words?compare=dates&weight=keyness&dates2=2022-01-01"
                          "&dates2=2022-12-31"]:
        page.open(path)
        settle(page, path)
        check_page(page, path)
        # every option of every segmented control fits inside its column
        over = page.page.evaluate("""() => [...document.querySelectorAll(
            '[data-testid="stMain"] [data-testid="stButtonGroup"]')].map(g => {
              const box = g.parentElement.getBoundingClientRect();
              const last = [...g.querySelectorAll('button')].pop().getBoundingClientRect();
              return last.right - box.right; })""")
        if any(o > 1 for o in over):
            clipped.append((path, over))
    page.screenshot("layout-1024-words")
    assert clipped == [], f"segmented controls overflow their column at 1024 px: {clipped}"


# --------------------------------------------------------------------------- 2: deep links


def test_deep_link_opens_terms_period_and_chart(servers: Any, app: Any) -> None:
    page = app(servers("multi"))
    page.open("/trends?term=digital+economy&term=real+economy&freq=year")
    page.wait_chart()
    check_page(page, "/trends")
    assert multiselect_chips(page, "Terms or phrases") == ["digital economy", "real economy"]
    period = segmented(page, "Period")
    assert period.locator('[aria-checked="true"]').all_inner_texts() == ["year"]
    # the chart is drawn with one line per term and one point per year
    traces = page.page.locator('[data-testid="stPlotlyChart"] .scatterlayer .trace')
    assert traces.count() == 2
    assert page.page.locator('[data-testid="stPlotlyChart"] .scatterlayer path.point').count() == 6
    assert "'digital economy', 'real economy' per year in 41 articles" in page.text()
    assert query(page) == {"term": ["digital economy", "real economy"], "freq": ["year"]}


# --------------------------------------------------------------------------- 3: view -> URL


def test_quick_slider_moves_are_kept(servers: Any, app: Any) -> None:
    # Each move reruns the page; a rerun asked for before the last one's address reached the
    # browser carries the old address, which must not undo the moves made meanwhile.
    page = app(servers("multi"))
    page.open("/trends?term=digital+economy&term=real+economy&freq=month")
    page.wait_chart()
    slider = page.page.locator('[data-testid="stSlider"] input[type="range"]').first
    slider.focus()
    for _ in range(4):
        page.page.keyboard.press("ArrowRight")
        page.page.wait_for_timeout(120)
    wait_for_param(page, "smooth", "5")
    page.wait_idle(page.runs() - 1)
    page.page.wait_for_timeout(1500)  # any late rerun would have moved it back by now
    page.wait_idle(page.runs() - 1)
    assert slider.input_value() == "5"
    assert page.page.locator('[data-testid="stSliderThumbValue"]').first.inner_text() == "5"
    assert query(page)["smooth"] == ["5"]
    assert "trailing 5-period average" in " ".join(
        page.page.locator('[data-testid="stPlotlyChart"] .ytitle').all_text_contents())


def test_changing_filters_updates_the_url(servers: Any, app: Any) -> None:
    page = app(servers("multi"))
    page.open("/articles")
    search = search_box(page)
    search.fill("real economy")
    page.act(lambda: search.press("Enter"))
    assert wait_for_param(page, "q", "real economy")["q"] == ["real economy"]
    assert "10 articles mentioning 'real economy'" in page.text()

    page.open("/trends?term=digital+economy")
    page.wait_chart()
    quarter = segmented(page, "Period").get_by_role("radio", name="quarter")
    page.act(quarter.click)
    params = wait_for_param(page, "freq", "quarter")
    assert params["term"] == ["digital economy"]
    assert "per quarter in 41 articles" in page.text()
    assert segmented(page, "Period").locator('[aria-checked="true"]').all_inner_texts() == [
        "quarter"]


# --------------------------------------------------------------------------- 4: between pages


def test_moving_between_pages_keeps_the_filters(servers: Any, app: Any) -> None:
    page = app(servers("multi"))
    page.open("/trends?q=digital+economy&theme=Digital+economy")
    assert search_box(page).input_value() == "digital economy"
    link = page.page.locator('[data-testid="stSidebar"] [data-testid="stPageLink-NavLink"]',
                             has_text="Articles")
    page.act(link.click)
    page.page.wait_for_url(re.compile(r"/articles\?"))
    check_page(page, "/articles")
    params = wait_for_param(page, "q", "digital economy")
    assert params["theme"] == ["Digital economy"]
    assert search_box(page).input_value() == "digital economy"
    assert multiselect_chips(page, "Themes") == ["Digital economy"]
    assert ("26 articles mentioning 'digital economy' in the theme 'Digital economy'"
            in page.text())

    # and on to the word clouds and back to the overview, still filtered
    link = page.page.locator('[data-testid="stSidebar"] [data-testid="stPageLink-NavLink"]',
                             has_text="Overview")
    page.act(link.click)
    check_page(page, "/")
    params = wait_for_param(page, "q", "digital economy")
    assert params["theme"] == ["Digital economy"]
    assert "26 articles mentioning 'digital economy'" in page.text()


def nav_links(page: b.AppPage) -> dict[str, str]:
    """The sidebar's page links: each page's title -> the address its link resolves to."""
    links = page.page.locator('[data-testid="stSidebar"] [data-testid="stPageLink-NavLink"]')
    return {link.inner_text().strip().splitlines()[-1].strip(): link.evaluate("a => a.href")
            for link in links.all()}


def test_every_navigation_link_leads_to_its_own_page(servers: Any, app: Any) -> None:
    # What "open in a new tab" or "copy link address" takes: the link's address, which must
    # lead to its page from every page (the Overview's once led to the page on show).
    server = servers("multi")
    page = app(server)
    paths = {title: path for path, title in PAGES.items()}
    for path in PAGES:
        page.open(f"{path}?q=digital+economy")
        links = nav_links(page)
        assert set(links) == set(paths), links
        for title, href in links.items():
            address = urlsplit(href)
            assert (address.scheme, address.netloc) == ("http", urlsplit(server.url).netloc)
            assert address.path == paths[title], (path, title, href)
            assert parse_qs(address.query)["q"] == ["digital economy"], (path, title, href)
    # followed as a new tab would: the Overview's link from the Articles page is the Overview
    overview = urlsplit(nav_links(page)["Overview"])
    page.open(f"{overview.path}?{overview.query}")
    check_page(page, "/")
    assert "mentioning 'digital economy'" in page.text()


def test_the_overview_opened_at_its_own_path_shares_a_link_to_the_root(servers: Any,
                                                                       app: Any) -> None:
    # Streamlit serves the default page at the root only ("/overview" opens a "Page not
    # found" dialog), yet names its path in the page's address: the sidebar's link once
    # passed "/overview?..." on, so whoever opened it met that dialog.
    server = servers("multi")
    page = app(server)
    page.open("/overview?q=digital+economy")
    shared = page.page.locator('[data-testid="stSidebar"] [data-testid="stCode"]').inner_text()
    address = urlsplit("".join(shared.split()))
    assert address.path in ("", "/"), shared
    assert parse_qs(address.query)["q"] == ["digital economy"]
    links = nav_links(page)
    assert urlsplit(links["Term trends"]).path == "/trends", links
    page.open(f"/?{address.query}")  # the shared link: no dialog, the same view
    check_page(page, "/")
    assert page.page.locator('[role="dialog"]').count() == 0
    assert "mentioning 'digital economy'" in page.text()


# --------------------------------------------------------------------------- 5: drill down


def expected_behind(term: str, period: str) -> int:
    return sum(1 for i in range(b.MULTI_ARTICLES)
               if str(b.multi_date(i).year) == period and b.multi_counts(i)[term] > 0)


def expected_matches(term: str, period: str) -> int:
    return sum(b.multi_counts(i)[term] for i in range(b.MULTI_ARTICLES)
               if str(b.multi_date(i).year) == period)


def click_point(page: b.AppPage, i: int, *, of: int) -> None:
    """Click the ``i``-th of the ``of`` points of the page's first chart as a user would
    (the pointer moved onto it first, so plotly sees a hover), and wait for the run."""
    points = page.page.locator('[data-testid="stPlotlyChart"] .scatterlayer path.point')
    assert points.count() == of
    points.nth(i).evaluate("e => e.scrollIntoView({block: 'center'})")
    page.page.wait_for_timeout(200)
    box = points.nth(i).bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2

    def click() -> None:
        page.page.mouse.move(x - 20, y - 20)
        page.page.mouse.move(x, y, steps=5)
        page.page.mouse.click(x, y)

    page.act(click)


def test_a_click_on_a_point_at_zero_is_taken(servers: Any, app: Any) -> None:
    # A point at zero sat on the chart's lower edge and took a click only on its upper half;
    # the click here is on its centre (a term no article uses: every point at zero).
    page = app(servers("multi"))
    page.open("/trends?term=zqxv&freq=year")
    page.wait_chart()
    click_point(page, 1, of=3)
    params = wait_for_param(page, "period")
    assert params["period"] == ["2023"] and params["focus"] == ["zqxv"], params
    assert "No article in this period mentions" in page.text()
    check_page(page, "/trends")


def test_click_on_a_theme_point_lists_its_articles(servers: Any, app: Any) -> None:
    # A one-theme dictionary carried by the link: its matches are those of "digital economy".
    from policydata.themes import dictionary_to_link

    carried = dictionary_to_link('[themes]\n"Digital" = ["digital economy"]\n')
    page = app(servers("multi"))
    page.open(f"/themes?tab=time&freq=year&measure=count&dict={carried}")
    page.wait_chart()
    click_point(page, 1, of=3)
    params = wait_for_param(page, "period")
    assert params["period"] == ["2023"] and params["focus_theme"] == ["Digital"], params
    count = expected_behind("digital economy", "2023")
    assert f"{count} articles with the theme 'Digital' in 2023, most matches first." in (
        page.text())
    assert page.page.locator('[data-testid="stDataFrame"]').count() >= 1  # the articles
    lines = page.page.locator(".pd-kwic-line")  # and a keyword-in-context line a match
    assert lines.count() == expected_matches("digital economy", "2023")
    page.screenshot("multi-themes-clicked-point")
    click_point(page, 0, of=3)  # (straight after: another point)
    assert wait_for_param(page, "period", "2022")["period"] == ["2022"]
    click_point(page, 1, of=3)
    wait_for_param(page, "period", "2023")
    follow_link(page, "Read these articles")
    params = wait_for_param(page, "theme", "Digital")
    assert urlsplit(page.page.url).path == "/articles"
    check_page(page, "/articles")
    assert params["dates"] == ["2023-01-01", "2023-12-31"] and params["sort"] == ["hits"]
    assert f"{count} articles in the theme 'Digital' between 2023-01-01 and 2023-12-31" in (
        page.text()), page.text()[:400]


def test_click_on_a_trend_point_lists_its_articles(servers: Any, app: Any) -> None:
    page = app(servers("multi"))
    page.open("/trends?term=digital+economy&freq=year")
    page.wait_chart()
    click_point(page, 1, of=3)
    params = wait_for_param(page, "period")
    assert params["period"] == ["2023"], params
    assert params["focus"] == ["digital economy"], params
    count = expected_behind("digital economy", "2023")
    assert (f"{count} articles mentioning 'digital economy' in 2023, most matches first."
            in page.text())
    behind = page.page.locator('[data-testid="stDataFrame"]')
    assert behind.count() >= 1 and behind.first.is_visible()  # the articles
    lines = page.page.locator(".pd-kwic-line")  # and their keyword-in-context lines
    assert lines.count() == expected_matches("digital economy", "2023")
    assert lines.first.locator(".pd-kwic-match").inner_text().lower() == "digital economy"
    page.screenshot("multi-trends-clicked-point")
    # straight after, a click on another point is taken (every other click was lost once)
    click_point(page, 0, of=3)
    assert wait_for_param(page, "period", "2022")["period"] == ["2022"]
    # another period chosen in the box stays; a second click on the same point is taken
    page.select("Period", "2024")
    wait_for_param(page, "period", "2024")
    page.wait_chart()
    click_point(page, 1, of=3)
    assert wait_for_param(page, "period", "2023")["period"] == ["2023"]

    # and "Read these articles" opens them on the Articles page, ordered by hits
    follow_link(page, "Read these articles")
    params = wait_for_param(page, "q", "digital economy")
    assert urlsplit(page.page.url).path == "/articles"
    assert params["dates"] == ["2023-01-01", "2023-12-31"] and params["sort"] == ["hits"]
    check_page(page, "/articles")
    assert f"{count} articles mentioning 'digital economy' between 2023-01-01 and 2023-12-31" in (
        page.text())
    # the trend's terms travel along, and the article with the most matches is open
    assert params["term"] == ["digital economy"] and params.get("doc"), params
    assert page.page.locator("mark").count() >= 1
    # the link carries the way back: a fresh session opened from it has it too
    assert "term=digital+economy" in params["back"][0], params
    page.open(f"/articles?{urlsplit(page.page.url).query}")
    check_page(page, "/articles")
    # the way back restores the trend's filters (the period and the term were only for this)
    follow_link(page, "Back to the trend")
    wait_for_param(page, "period", "2023")
    params = parse_qs(urlsplit(page.page.url).query)
    assert urlsplit(page.page.url).path == "/trends"
    assert "q" not in params and "dates" not in params, params
    assert params["term"] == ["digital economy"], params


def test_a_drag_across_the_trend_zooms_in_on_those_periods(servers: Any, app: Any) -> None:
    # (Streamlit's default for a chart whose points are clicked is to pan: a drag slid the
    # lines aside and left part of the chart empty)
    page = app(servers("multi"))
    page.open("/trends?term=digital+economy&freq=quarter")
    page.wait_chart()
    ranges = ("e => [e._fullLayout.xaxis.range.slice(), e._fullLayout.yaxis.range.slice()]")
    chart = page.page.locator('[data-testid="stPlotlyChart"] .js-plotly-plot').first
    chart.evaluate("e => e.scrollIntoView({block: 'center'})")
    (x_before, y_before) = chart.evaluate(ranges)
    points = page.page.locator('[data-testid="stPlotlyChart"] .scatterlayer path.point')
    first, third = points.nth(0).bounding_box(), points.nth(2).bounding_box()
    assert first and third
    y = first["y"] - 15
    page.page.mouse.move(first["x"] - 5, y)
    page.page.mouse.down()
    page.page.mouse.move(third["x"] + 10, y, steps=8)
    page.page.mouse.up()
    page.page.wait_for_timeout(500)
    (x_after, y_after) = chart.evaluate(ranges)
    assert x_after[1] - x_after[0] < x_before[1] - x_before[0]  # zoomed in on those periods
    assert x_before[0] - 0.5 <= x_after[0] and x_after[1] <= x_before[1] + 0.5  # (not panned)
    assert y_after == y_before  # the counts keep their scale from zero
    check_page(page, "/trends")


def test_choosing_a_period_lists_its_articles(servers: Any, app: Any) -> None:
    page = app(servers("multi"))
    page.open("/trends?term=digital+economy&term=real+economy&freq=year")
    page.wait_chart()
    page.select("Period", "2022")
    params = wait_for_param(page, "period", "2022")
    assert params["focus"] == ["digital economy"]
    count = expected_behind("digital economy", "2022")
    assert (f"{count} articles mentioning 'digital economy' in 2022, most matches first."
            in page.text())

    page.select("Term", "real economy")
    wait_for_param(page, "focus", "real economy")
    count = expected_behind("real economy", "2022")
    assert (f"{count} article{'s' if count != 1 else ''} mentioning 'real economy' in 2022"
            + (", most matches first." if count > 1 else ".")) in page.text()


# --------------------------------------------------------------------------- 6: downloads


def test_trend_download_equals_the_command_line(servers: Any, app: Any) -> None:
    server = servers("multi")
    page = app(server)
    page.open("/trends?term=digital+economy&term=real+economy&freq=year")
    page.wait_chart()
    button = page.page.locator('[data-testid="stDownloadButton"] button', has_text="Download CSV")
    # (named for what it holds: a second download of other terms is not "term-trends (1)")
    got = download(page, button.first, named="term-trends-digital-economy-real-economy-year.csv")
    expected = cli("trend", "digital economy", "real economy", "--corpus", str(server.corpus),
                   "--cache-dir", str(server.cache), "--freq", "year", "--format", "csv")
    # the command line's columns, then the articles per period (the denominator of "% of
    # articles", which the command line leaves out)
    got_lines = got.decode("utf-8").splitlines()
    cli_lines = expected.splitlines()
    assert got_lines[0] == cli_lines[0] + ",articles"
    assert [line.rsplit(",", 1)[0] for line in got_lines] == cli_lines
    articles = {b.HOSTILE_DATE[:4]: 1}  # (the hostile article)
    for i in range(b.MULTI_ARTICLES):
        year = str(b.multi_date(i).year)
        articles[year] = articles.get(year, 0) + 1
    assert {line.split(",")[0]: int(line.rsplit(",", 1)[1]) for line in got_lines[1:]} == articles
    rows = list(csv.DictReader(io.StringIO(expected)))
    for term in ("digital economy", "real economy"):
        counts = {r["period"]: int(r["count"]) for r in rows if r["term"] == term}
        assert counts == b.expected_by_year(term)


def test_theme_downloads_equal_the_command_line(servers: Any, app: Any) -> None:
    server = servers("multi")
    page = app(server)
    page.open("/themes?freq=year&source=alpha&tab=time")
    check_page(page, "/themes")
    where = ["--source", "alpha", "--corpus", str(server.corpus), "--cache-dir",
             str(server.cache), "--format", "csv"]
    expected = cli("themes", "--freq", "year", *where)
    cli_lines = expected.splitlines()
    # themes over time: the command line's columns, then the words and articles per period
    got = download(page, page.page.locator(".st-key-dl_theme_trend button"),
                   named="theme-trend-year-alpha.csv").decode("utf-8").splitlines()
    assert got[0] == cli_lines[0] + ",words,articles"
    assert [",".join(line.split(",")[:4]) for line in got] == cli_lines
    rows = list(csv.DictReader(io.StringIO(expected)))
    assert sum(int(r["count"]) for r in rows) > 0  # (the comparison means something)
    # the counts per theme: the command line's rows summed over the periods
    page.open("/themes?source=alpha&tab=counts")
    check_page(page, "/themes")
    summary = list(csv.DictReader(io.StringIO(download(
        page, page.page.locator(".st-key-dl_theme_summary button")).decode("utf-8"))))
    totals: dict[str, list[int]] = {}
    for r in rows:
        t = totals.setdefault(r["theme"], [0, 0])
        t[0] += int(r["count"])
        t[1] += int(r["docs"])
    assert {r["theme"]: [int(r["count"]), int(r["docs"])] for r in summary} == totals
    # ... and the Overview's themes at a glance are the same numbers
    page.open("/?source=alpha")
    check_page(page, "/?source=alpha")
    glance = list(csv.DictReader(io.StringIO(download(
        page, page.page.locator(".st-key-dl_overview_themes button")).decode("utf-8"))))
    assert {r["theme"]: [int(r["count"]), int(r["docs"])] for r in glance} == totals


def test_keyness_download_equals_the_command_line_and_says_what_it_compares(
        servers: Any, app: Any) -> None:
    server = servers("multi")
    page = app(server)
    page.open("/words?weight=keyness&dates=2022-01-01&dates=2022-12-31")
    check_page(page, "/words")
    button = page.page.locator('[data-testid="stDownloadButton"] button', has_text="CSV")
    got = download(page, button.last,
                   named="top-terms-keyness-1-word-2022-01-01-to-2022-12-31.csv")
    rows = list(csv.DictReader(io.StringIO(got.decode("utf-8"))))
    assert rows and list(rows[0]) == ["term", "count", "docs", "score", "reference_count",
                                      "words", "reference_words"]
    expected = cli("top", "--weight", "keyness", "--n", str(len(rows)), "--from", "2022-01-01",
                   "--to", "2022-12-31", "--corpus", str(server.corpus), "--cache-dir",
                   str(server.cache), "--format", "csv")
    # the command line's four columns, row for row, then what each score compares
    assert [",".join(line.split(",")[:4]) for line in got.decode("utf-8").splitlines()] == (
        expected.splitlines())
    for row in rows:
        assert float(row["score"]) == pytest.approx(ref.log_likelihood(
            int(row["count"]), int(row["reference_count"]), int(row["words"]),
            int(row["reference_words"])))
    # the words of 2022's articles and of the rest, as the article list counts them
    listed = list(csv.DictReader(io.StringIO(cli(
        "articles", "--corpus", str(server.corpus), "--cache-dir", str(server.cache),
        "--format", "csv"))))
    words = sum(int(r["words"]) for r in listed if r["date"].startswith("2022"))
    total = sum(int(r["words"]) for r in listed)
    assert 0 < words < total
    assert {(int(r["words"]), int(r["reference_words"])) for r in rows} == {
        (words, total - words)}


def test_articles_download_equals_the_command_line(servers: Any, app: Any) -> None:
    server = servers("multi")
    page = app(server)
    page.open("/articles?q=digital+economy&source=beta&sort=hits")
    button = page.page.locator('[data-testid="stDownloadButton"] button',
                               has_text="Download all")
    assert button.count() == 2
    label = button.first.inner_text()
    got = download(page, button.first)
    where = ["--source", "beta", "--sort", "hits", "--corpus", str(server.corpus),
             "--cache-dir", str(server.cache), "--format", "csv"]
    expected = cli("articles", "--query", "digital economy", *where)
    assert got.decode("utf-8") == expected
    rows = list(csv.DictReader(io.StringIO(expected)))
    wanted = sum(1 for i in range(b.MULTI_ARTICLES)
                 if i % 2 == 1 and b.multi_counts(i)["digital economy"])
    assert len(rows) == wanted and f"Download all {wanted} rows" in label
    assert {r["source"] for r in rows} == {"beta"}
    # the keyword-in-context lines: one a match, article by article in the table's order
    label = button.last.inner_text()
    got = download(page, button.last)
    expected = cli("kwic", "digital economy", "--limit", "all", *where)
    assert got.decode("utf-8") == expected
    lines = list(csv.DictReader(io.StringIO(expected)))
    assert len(lines) == sum(int(r["hits"]) for r in rows)
    assert f"Download all {len(lines)} lines" in label
    assert list(dict.fromkeys(line["id"] for line in lines)) == [r["id"] for r in rows]


def test_word_cloud_downloads_are_named_for_what_they_show(servers: Any, app: Any) -> None:
    page = app(servers("multi"))
    page.open("/words?compare=dates&dates=2022-01-01&dates=2022-12-31&dates2=2023-01-01"
              "&dates2=2023-12-31&weight=count")
    check_page(page, "/words")
    buttons = page.page.locator('[data-testid="stDownloadButton"] button')
    names = []
    for k in range(buttons.count()):
        with page.page.expect_download(timeout=15_000) as info:
            buttons.nth(k).click()
        names.append(info.value.suggested_filename)
        data = Path(info.value.path()).read_bytes()
        assert data.startswith(b"\x89PNG") if names[-1].endswith(".png") else b"term," in data
    assert sorted(names) == sorted([
        "cloud-A-count-1-word-2022-01-01-to-2022-12-31.png", "top-terms-A-count-1-word-"
        "2022-01-01-to-2022-12-31.csv", "cloud-B-count-1-word-2023-01-01-to-2023-12-31.png",
        "top-terms-B-count-1-word-2023-01-01-to-2023-12-31.csv"]), names


# --------------------------------------------------------------------------- 7: hostile text


#: A trend term that is markup, and matches the hostile article's body.
HOSTILE_TERM = '<img src=x onerror="__pwned=3">'


def test_hostile_text_shows_literally_and_runs_nothing(servers: Any, app: Any) -> None:
    page = app(servers("multi"))
    paths = [f"/articles?q=script&doc={quote(b.HOSTILE_ID, safe='')}", "/articles?q=script",
             "/words",
             "/words?q=script&ngram=1-3", "/trends?term=script&term=pwned&freq=quarter",
             # markup as the trend's term itself: in the legend, the sentence, the hovers
             # and the point's drill-down (the term matches the hostile article's body)
             "/trends?term=" + quote(HOSTILE_TERM) + "&term=%3Cb%3Ebold%3C%2Fb%3E&freq=year"
             "&period=2023&focus=" + quote(HOSTILE_TERM),
             "/?q=script"]
    for path in paths:
        page.open(path)
        settle(page, path)
        page.page.wait_for_timeout(300)  # give an injected handler (onerror) time to fire
        check_page(page, path)
        assert page.page.evaluate("window.__pwned") is None, path
        assert page.dialogs == [], f"{path}: a dialog opened: {page.dialogs}"
        assert page.page.locator('[data-testid="stMain"] script, [data-testid="stMain"] '
                                 'img[src="x"], a[href^="javascript:"]').count() == 0, path
        if path.startswith("/trends?term=%3C"):
            legend = page.page.locator('[data-testid="stPlotlyChart"] .legendtext')
            assert sorted(legend.all_text_contents()) == sorted([HOSTILE_TERM, "<b>bold</b>"])
            assert HOSTILE_TERM in page.text()  # the sentence and the drill-down's heading
            lines = page.page.locator(".pd-kwic-line").all_inner_texts()
            assert lines and all("onerror" in line for line in lines), lines
            page.screenshot("multi-trends-hostile-term")
        if path == "/articles?q=script":  # the keyword-in-context lines, as text
            heading = page.page.locator(".pd-kwic-doc").first
            assert "<script>window.__pwned=1</script>" in heading.inner_text()
            lines = page.page.locator(".pd-kwic-line").all_inner_texts()
            # 'script' twice in the title, three times in the body
            assert len(lines) == 5 and 'onerror="window.__pwned=2"' in " ".join(lines), lines
            # one line a match, also the one whose right context is a 3,000-letter blob
            heights = [box["height"] for box in page.page.locator(".pd-kwic-line").evaluate_all(
                "lines => lines.map(line => line.getBoundingClientRect().toJSON())")]
            assert max(heights) < 1.5 * min(heights), heights
            page.screenshot("multi-articles-hostile-kwic")
        elif path.startswith("/articles"):
            reader = page.page.locator(".pd-title, .pd-reader")
            assert reader.count() == 2  # the title and the body
            text = "\n".join(reader.all_inner_texts())
            # Markup shows as text; direction overrides and zero-width characters are shown
            # as codes, so they cannot make the text read differently from what it holds.
            for literal in ["<script>window.__pwned=1</script>",
                            '<img src=x onerror="window.__pwned=2">', "**bold**",
                            "[link](javascript:alert(1))", "$x^2$", "[U+202E]evil txt",
                            "zero[U+200B]width"]:
                assert literal in text, f"{literal!r} is not shown literally in the reader"
            assert "\u202e" not in text and "\u200b" not in text
            assert reader.first.locator("mark").count() >= 1  # 'script' is highlighted
            title = reader.first
            assert title.is_visible() and "<script>window.__pwned=1</script>" in title.inner_text()
            assert "<script>" in page.text()
            page.screenshot("multi-articles-hostile")


def test_link_values_cannot_disguise_links_or_load_images(servers: Any, app: Any) -> None:
    # Notes quote the dropped values of a link: Markdown in them stays text, so a shared link
    # cannot show "Click to log in" over another address or load a tracking image; nor can a
    # bare address, a www. name or an e-mail address become a link to click in the
    # dashboard's own notes (Markdown links them however escaped: ui.plain breaks them).
    page = app(servers("multi"))
    path = ("/articles?theme=%5BClick+to+log+in%5D(https%3A%2F%2Fevil.example%2Flogin)"
            "&theme=admin%40evil.example&source=www.evil.example"
            "&source=!%5Bi%5D(https%3A%2F%2Fevil.example%2Ft.png)&q=%24economy%24"
            "&doc=https%3A%2F%2Fevil.example%2Fdoc"
            "&theme=a%26ZeroWidthSpace%3B%26rlm%3Bb%26lt%3Bi%26gt%3B")  # character references
    page.open(path)
    settle(page, path)
    check_page(page, path)
    assert page.page.locator('img[src*="evil.example"]').count() == 0
    links = page.page.locator('a[href*="evil.example"]')
    assert links.count() == 0, [links.nth(i).get_attribute("href") for i in range(links.count())]
    notes = " ".join(page.page.locator('[data-testid="stAlertContentWarning"]')
                     .all_inner_texts()).replace("\u2060", "")
    for value in ("[Click to log in](https://evil.example/l", "admin@evil.example",
                  "www.evil.example", "https://evil.example/doc",
                  "a&ZeroWidthSpace;&rlm;b&lt;i&gt;"):  # (quoted as written, not decoded)
        assert value in notes, (value, notes)
    assert page.page.locator(".katex").count() == 0  # $economy$ is not a formula


# --------------------------------------------------------------------------- 9: serve, proxy


def test_policydata_serve_behind_a_base_url_path(tmp_path: Path, app: Any) -> None:
    """``policydata serve --base-url-path`` serves every page under that prefix (a reverse
    proxy forwards /policydata/ to it), and links between pages keep the prefix."""
    port = b.free_port()
    command = [sys.executable, "-m", "policydata.cli", "serve", "--corpus", str(b.ROOT / "seeds"),
               "--cache-dir", str(tmp_path / "cache"), "--port", str(port),
               "--host", "127.0.0.1", "--base-url-path", "/policydata/"]  # slashes as typed
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}/policydata"
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as answer:
                    if answer.read().decode().strip() == "ok":
                        break
            except OSError:
                pass
            assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
            assert time.monotonic() < deadline, "policydata serve did not come up"
            time.sleep(0.3)
        page = app(b.Server(b.ROOT / "seeds", tmp_path / "cache", port=port))
        page.base = base
        page.open("/trends?term=digital+economy")
        check_page(page, "/trends")
        assert "digital economy" in multiselect_chips(page, "Terms or phrases")
        # every page link's address keeps the prefix, the Overview's too (/policydata/)
        links = {title: urlsplit(href) for title, href in nav_links(page).items()}
        assert {title: address.path for title, address in links.items()} == {
            title: "/policydata" + path for path, title in PAGES.items()}, links
        assert all("term=digital+economy" in address.query for address in links.values())
        link = page.page.locator('[data-testid="stSidebar"] [data-testid="stPageLink-NavLink"]',
                                 has_text="Articles").first
        assert "/policydata/articles?" in link.evaluate("a => a.href")  # resolved address
        page.act(link.click)
        assert urlsplit(page.page.url).path == "/policydata/articles"
        assert "term=digital+economy" in page.page.url
        check_page(page, "/articles")
        # the server serve started protects against cross-site requests: Streamlit sets its
        # token cookie only with server.enableXsrfProtection on (.streamlit/config.toml)
        cookies = {c["name"] for c in page.page.context.cookies()}
        assert "_streamlit_xsrf" in cookies, cookies
        # Stopping the process serve started (as a process manager or `docker stop` does:
        # one signal, to that process only) stops the server; none is left serving.
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=20)
        with pytest.raises(OSError):
            urllib.request.urlopen(f"{base}/_stcore/health", timeout=2)
        assert process.stderr is not None
        said = process.stderr.read().decode()
        assert f"on http://127.0.0.1:{port}/policydata/\n" in said, said
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)


# --------------------------------------------------------------------------- audit fixes


def test_a_theme_drill_down_marks_the_theme_and_leads_back(servers: Any, app: Any) -> None:
    from policydata.themes import dictionary_to_link

    carried = dictionary_to_link('[themes]\n"Digital" = ["digital economy"]\n')
    page = app(servers("multi"))  # (a point's articles, as a click lists them: see above)
    page.open("/themes?tab=time&freq=year&measure=count&period=2023&focus_theme=Digital"
              f"&dict={carried}")
    follow_link(page, "Read these articles")
    params = wait_for_param(page, "focus_theme", "Digital")
    assert urlsplit(page.page.url).path == "/articles"
    check_page(page, "/articles")
    back = parse_qs(params["back"][0])
    assert back["tab"] == ["time"] and back["period"] == ["2023"], back
    # the reader marks the theme's matches, offers its passages, and its lines are listed
    reader = page.page.locator(".pd-reader")
    assert reader.locator("mark").count() >= 1
    assert all(m.lower() == "digital economy" for m in reader.locator("mark").all_inner_texts())
    assert page.page.get_by_text("Only the passages with a match").is_visible()
    assert "Keyword in context for the theme 'Digital'" in page.text()
    assert "of the theme 'Digital' are marked" in page.text() or (
        "of the theme 'Digital' is marked" in page.text())
    page.screenshot("multi-articles-theme-drill-down")
    # and the way back returns to the theme's point, on its tab
    follow_link(page, "Back to the theme's trend")
    params = wait_for_param(page, "tab", "time")
    assert urlsplit(page.page.url).path == "/themes"
    assert params["period"] == ["2023"] and params["focus_theme"] == ["Digital"], params
    page.wait_chart()
    count = expected_behind("digital economy", "2023")
    assert f"{count} articles with the theme 'Digital' in 2023, most matches first." in (
        page.text())
    selected = page.page.locator('[data-testid="stTab"][aria-selected="true"]')
    assert selected.inner_text().strip() == "Over time"
    page.screenshot("multi-themes-back-from-articles")


def test_the_dictionary_editor_keeps_the_dictionary_across_tabs_and_pages(servers: Any,
                                                                          app: Any) -> None:
    page = app(servers("multi"))
    page.open("/themes?tab=dictionary")
    editor = page.page.locator('[data-testid="stMain"] [data-testid="stTextArea"] textarea')
    text = editor.input_value()
    assert text.startswith("# Default theme dictionary") and len(text) > 1000
    page.act(page.page.get_by_role("tab", name="Counts").click)
    page.act(page.page.get_by_role("tab", name="Dictionary").click)
    assert editor.input_value() == text
    nav = page.page.locator('[data-testid="stSidebar"] [data-testid="stPageLink-NavLink"]')
    page.act(nav.filter(has_text="Articles").click)
    page.act(nav.filter(has_text="Themes").click)
    editor.wait_for()
    assert editor.input_value() == text
    page.act(page.page.get_by_role("button", name="Apply for this session").click)
    assert "needs a [themes] table" not in page.text()
    assert page.page.locator('[data-testid="stMain"] [data-testid="stAlertContentError"]'
                             ).count() == 0
    page.screenshot("multi-themes-dictionary-after-tabs")


def test_a_long_link_scrolls_in_a_small_box(servers: Any, app: Any) -> None:
    # A link carrying an edited dictionary runs to thousands of characters: shown whole, it
    # pushed the sidebar (and the page) thousands of pixels long.
    from dashboard.sidebar import LINK_BOX, LONG_LINK
    from policydata.themes import dictionary_to_link

    own = "[themes]\n" + "".join(f'"Theme {i}" = ["word{i} alpha{i}", "beta{i}*", "gamma{i}"]\n'
                                 for i in range(40))
    page = app(servers("multi"))
    page.open("/trends?term=digital+economy&dict=" + dictionary_to_link(own))
    page.wait_chart()
    box = page.page.locator('[data-testid="stSidebar"] [data-testid="stCode"]')
    link = box.inner_text()
    assert len(link) > LONG_LINK and "dict=" in link
    height = box.bounding_box()["height"]
    assert height <= LINK_BOX + 2, height
    page.screenshot("multi-long-link")


def test_a_links_notes_are_pointed_at_above_the_fold_at_1024(servers: Any, app: Any) -> None:
    page = app(servers("multi"))
    page.page.set_viewport_size({"width": 1024, "height": 768})
    page.open("/trends?freq=weekly&junk=1&term=digital+economy")
    page.wait_chart()
    hint = page.page.locator('[data-testid="stMain"] [data-testid="stAlertContentWarning"]')
    shown = [t.split("\n")[-1] for t in hint.all_inner_texts()]  # (after the icon's name)
    assert shown == ["2 notes on this link: see the sidebar."], shown
    box = hint.bounding_box()
    assert box and box["y"] + box["height"] <= 768, box
    b.ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.page.screenshot(path=str(b.ARTIFACTS / "multi-notes-hint-1024.png"))


def test_the_reader_says_its_article_is_no_longer_selected(servers: Any, app: Any) -> None:
    page = app(servers("multi"))
    page.open("/articles?q=digital+economy&doc=beta%2F001")  # (no "real economy" in it)
    said = "This article is not among the articles the filters select"
    assert said not in page.text()
    search = search_box(page)
    search.fill("real economy")
    page.act(lambda: search.press("Enter"))
    wait_for_param(page, "q", "real economy")
    assert said in page.text() and query(page)["doc"] == ["beta/001"]
    assert page.page.locator(".pd-title").inner_text() == "Policy note 1"
    page.screenshot("multi-articles-not-selected")
    page.act(page.page.get_by_role("button", name="Close the article").click)
    page.page.wait_for_url(lambda url: "doc" not in parse_qs(urlsplit(url).query))
    assert said not in page.text() and page.page.locator(".pd-title").count() == 0
    assert "Select a row in the table to read the article." in page.text()


def test_an_upload_is_removed_once_its_tab_is_closed(tmp_path: Path, chromium: Any) -> None:
    """A reload or a closed tab ends a Streamlit session, and with it the only way to its
    upload: the upload's folder goes as soon as the session can no longer reconnect (here
    after 1 s), not two hours later (uploads left by reloads filled the room for everyone's).
    Another server's uploads in the same temporary folder are not its to judge: they stay.
    The link to an upload's view does not pin its dates either: no one else has its corpus."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    server = b.Server(b.SEEDS, tmp_path / "cache", options=(
        "--server.disconnectedSessionTTL", "1"), env={"TMPDIR": str(temp)}).start()
    upload = tmp_path / "mine.zip"
    with zipfile.ZipFile(upload, "w") as archive:
        archive.writestr("mine/a.txt", " date 2021-05-01 Mine\n\nThe digital economy.\n")
    first_context = chromium.new_context(viewport=b.VIEWPORT)
    try:
        page = b.AppPage(first_context.new_page(), server.url)
        page.open("/")
        sidebar = page.page.locator('[data-testid="stSidebar"]')
        sidebar.get_by_text("Corpus: seeds").click()
        sidebar.locator('input[type="file"]').set_input_files(str(upload))
        button = sidebar.get_by_role("button", name="Load these files")
        button.wait_for()
        page.act(button.click, runs=2)  # (the upload, then the rerun on the new corpus)
        sidebar.get_by_text("Corpus: your upload").wait_for()
        (folder,) = temp.glob("policydata-upload-*")
        assert (folder / "corpus" / "mine" / "a.txt").is_file()
        others = temp / "policydata-upload-other-server"  # (its session unknown here)
        others.mkdir()
        (others / "owner").write_text(f"1-{'0' * 12}/{(folder / 'owner').read_text()}")
        # (the link is written at the end of the run that drew the label: wait for it)
        code = sidebar.locator('[data-testid="stCode"]', has_text="corpus=")
        code.wait_for()
        link = code.inner_text()
        assert "dates=" not in link, link
        assert not page.exceptions() and not page.errors
        page.page.close()  # (the session's websocket closes: it may reconnect for 1 s)
        time.sleep(3)
        second = b.AppPage(first_context.new_page(), server.url)
        second.open("/")  # (a new session's first run looks for abandoned uploads)
        deadline = time.monotonic() + 10
        while folder.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not folder.exists(), "the closed tab's upload is still on disk"
        assert others.is_dir()
        assert "Corpus: seeds" in second.text()
    finally:
        first_context.close()
        server.stop()
    assert "Traceback" not in server.logs(), server.logs()[-3000:]


def test_a_look_for_new_files_reaches_every_open_page(tmp_path: Path, app: Any) -> None:
    """A file added to the corpus of a running server: one page presses 'Look for new files'
    and sees it counted; another open page is told, and counts it, on its next run."""
    corpus = b.write_multi_corpus(tmp_path / "grows")
    server = b.Server(corpus, tmp_path / "cache")
    server.start()
    try:
        looker, other = app(server), app(server)
        looker.open("/")
        other.open("/trends?term=economy&freq=year")
        articles = looker.page.locator('[data-testid="stMetric"]', has_text="Articles")
        before = int(articles.locator('[data-testid="stMetricValue"]').inner_text()
                     .replace(",", ""))
        (corpus / "later").mkdir()
        (corpus / "later" / "new.txt").write_text(
            " date 2025-06-01 Much later\n\nThe digital economy grows.\n", encoding="utf-8")

        button = looker.page.get_by_role("button", name="Look for new files")
        button.scroll_into_view_if_needed()
        looker.act(button.click, runs=2)  # (the look's run, then the run it asks for)
        looker.page.get_by_text("Files added: 1, changed: 0, removed: 0 (1 article read").wait_for()
        after = int(articles.locator('[data-testid="stMetricValue"]').inner_text()
                    .replace(",", ""))
        assert after == before + 1
        check_page(looker, "/")
        looker.screenshot("look-for-new-files")

        # The other page's next run draws from the new index, up to 2025-06-01, and says
        # why.
        other.act(segmented(other, "Period").get_by_text("quarter", exact=True).click)
        other.page.get_by_text("The corpus was read again").wait_for()
        check_page(other, "/trends")
        dates = other.page.locator('[data-testid="stSidebar"] [data-testid="stDateInput"] input')
        shown = " ".join(dates.nth(i).input_value() for i in range(dates.count()))
        assert "2025-06-01" in shown, shown
    finally:
        server.stop()
