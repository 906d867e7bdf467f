"""Every dashboard page through Streamlit's AppTest: renders, URL seeds widgets, numbers match.

AppTest runs the app in this process: the corpus is chosen through ``POLICYDATA_CORPUS`` and the
cache through ``POLICYDATA_CACHE_DIR``, as ``policydata serve`` does.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import io
import json
import os
import re
import zipfile
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

import numpy as np
import pandas as pd
import pytest
import reference as ref
from conftest import ROOT, SEEDS, shared_corpus, small_corpus, worker_sized_corpus, write_article
from streamlit.elements.plotly_chart import PlotlyState
from streamlit.testing.v1 import AppTest

from dashboard import data
from dashboard.state import keyed
from policydata import analysis as an
from policydata.filters import MAX_SMOOTH, Filter
from policydata.store import open_index
from policydata.themes import MAX_LINK_DICTIONARY, parse_themes
from policydata.tokens import MAX_QUERY_LENGTH

APP = str(ROOT / "dashboard" / "app.py")
PAGES = {
    "overview": "Overview", "views/trends.py": "Term trends", "views/themes.py": "Themes",
    "views/words.py": "Word clouds", "views/articles.py": "Articles",
}


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return small_corpus(tmp_path_factory.mktemp("dash") / "corpus")


def app(monkeypatch: pytest.MonkeyPatch, corpus: Path, cache: Path,
        params: dict[str, object] | None = None, page: str | None = None) -> AppTest:
    monkeypatch.setenv("POLICYDATA_CORPUS", str(corpus))
    monkeypatch.setenv("POLICYDATA_CACHE_DIR", str(cache))
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    if page and page != "overview":
        at.switch_page(page).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def upload_zip(at: AppTest, files: dict[str, str]) -> AppTest:
    """Upload a zip of ``files`` (name -> text) in the sidebar and load it for the session."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    at.file_uploader(key="upload_files").set_value(("mine.zip", buffer.getvalue(),
                                                    "application/zip")).run()
    return at.button(key="upload_go").click().run()


_CONCORDANCE = re.compile(
    r"<div class='pd-kwic-doc'>(?P<doc>.*?)</div>|<div class='pd-kwic-line' title=\"[^\"]*\">"
    r"(?:<span class='pd-kwic-date'>(?P<date>.*?)</span>)?<span class='pd-kwic-left'><span>(?P<left>.*?)</span></span>"
    r"<b class='pd-kwic-match'>(?P<match>.*?)</b>"
    r"<span class='pd-kwic-right'>(?P<right>.*?)</span></div>")


def concordance(at: AppTest) -> pd.DataFrame:
    """The keyword-in-context lines the page shows (ui.kwic_table), one row a line: the date
    and title of its article (the heading above it), left, match and right, as text."""
    found = [h.value for h in at.html if "class='pd-kwic'" in h.value]
    assert len(found) == 1, len(found)
    rows, date, title = [], "", ""

    def text(value: str) -> str:
        return html.unescape(value.replace("<wbr>", ""))

    for m in _CONCORDANCE.finditer(found[0]):
        if m["doc"] is not None:
            date, _, title = text(m["doc"]).partition(" · ")
        elif m["date"] is not None:  # (lines sorted by their words: each with its date)
            rows.append((text(m["date"]), "", text(m["left"]), text(m["match"]),
                         text(m["right"])))
        else:
            rows.append((date, title, text(m["left"]), text(m["match"]), text(m["right"])))
    return pd.DataFrame(rows, columns=["date", "title", "left", "match", "right"])


def spec(at: AppTest, i: int = 0) -> dict:
    return json.loads(at.get("plotly_chart")[i].proto.spec)


def values(trace: dict) -> list[float]:
    """Decode a plotly trace's y values (plain list or typed array)."""
    y = trace["y"]
    if isinstance(y, dict):
        import base64

        return np.frombuffer(base64.b64decode(y["bdata"]), dtype=y["dtype"]).tolist()
    return list(y)


@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_renders_on_the_seed(monkeypatch, tmp_path, page) -> None:
    at = app(monkeypatch, SEEDS, tmp_path, {"term": ["digital economy"]}, page)
    assert PAGES[page] in [t.value for t in at.title]
    # each page starts by saying what it shows, in one sentence naming the seed's 1 article
    first = html.unescape(re.sub(r"<[^>]+>", "", at.html[0].value)).strip()
    assert re.search(r"\b1 article\b", first) and first.endswith("."), first
    assert first.count(". ") == 0 or page == "views/themes.py", first  # (one sentence)


@pytest.mark.parametrize("page", list(PAGES))
@pytest.mark.parametrize(("name", "terms"), [("en-sotu", ["economy", "liberty"]),
                                             ("en-fomc-minutes", ["inflation", "labor market"])])
def test_every_page_renders_on_real_corpora(monkeypatch, tmp_path_factory, name, terms,
                                            page) -> None:
    corpus = shared_corpus(name)
    cache = tmp_path_factory.getbasetemp() / f"{name}-cache"
    at = app(monkeypatch, corpus, cache, {"term": terms, "freq": "year"}, page)
    assert PAGES[page] in [t.value for t in at.title]


@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_renders_with_filters_selecting_nothing(monkeypatch, tmp_path, small,
                                                           page) -> None:
    at = app(monkeypatch, small, tmp_path, {"term": ["digital economy"], "q": "no such words"},
             page)
    said = [i.value for i in at.info]
    # (markdown-escaped by ui.plain: compare without the backslashes)
    assert any("No article in the corpus matches the search 'no such words'"
               in v.replace("\\", "") for v in said), said
    assert not at.get("plotly_chart") and not at.get("image"), "an empty panel was drawn"


def test_overview_counts_what_the_filters_select(monkeypatch, tmp_path, small) -> None:
    at = app(monkeypatch, small, tmp_path, {"source": ["miit"], "q": "digital economy"})
    index = open_index(small, cache_dir=tmp_path)
    expected = an.articles(index, Filter(sources=("miit",), query="digital economy"))
    shown = {m.label: m.value for m in at.metric}
    assert shown["Articles"] == f"{len(expected):,}"
    assert shown["Words"] == f"{int(expected['words'].sum()):,}"
    assert shown["Sources"] == "1"
    assert len(expected) < an.corpus_info(index)["documents"]  # (the filter does narrow)


def test_overview_lists_sources_most_articles_first_then_by_name(monkeypatch, tmp_path,
                                                                 small) -> None:
    at = app(monkeypatch, small, tmp_path)
    table = next(t.value for t in at.dataframe if "source" in t.value.columns
                 and "articles" in t.value.columns)
    index = open_index(small, cache_dir=tmp_path)
    assert an.corpus_info(index)["sources"] == {"miit": 12, "xinhua": 12}  # (a tie)
    assert table["source"].tolist() == ["miit", "xinhua"]
    assert table["articles"].tolist() == [12, 12]


def test_a_filter_that_selects_nothing_is_not_an_empty_corpus(monkeypatch, tmp_path,
                                                              small) -> None:
    at = app(monkeypatch, small, tmp_path, {"q": "zebracorn"})
    assert {m.label: m.value for m in at.metric}["Articles"] == "0"
    assert not any("No article was loaded" in w.value for w in at.warning)
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.txt").write_text("no date here\n")
    at = app(monkeypatch, empty, tmp_path / "cache2")
    assert any("No article was loaded" in w.value for w in at.warning)


def test_the_load_report_shows_and_offers_both_its_lists(monkeypatch, tmp_path) -> None:
    corpus = tmp_path / "c"
    write_article(corpus, "a.txt", "2023-01-01", "Kept", "The digital economy grew.")
    write_article(corpus, "b.txt", "2023-01-01", "Kept", "The digital economy grew.")  # (twice)
    (corpus / "c.txt").write_text(" date 2023-01-02\n\nNo title here.\n")  # (a caveat)
    at = app(monkeypatch, corpus, tmp_path / "cache")
    index = open_index(corpus, cache_dir=tmp_path / "cache")
    info = an.corpus_info(index)
    tables = [t.value for t in at.dataframe if list(t.value.columns) == ["path", "reason"]]
    assert [t.to_dict("records") for t in tables] == [info["skipped"], info["warnings"]]
    assert info["skipped"] and info["warnings"]
    labels = [m.value for m in at.markdown]
    assert ("**Not loaded (1)**: each with the reason (double-click a cell to read it whole)."
            in labels)
    assert "**Loaded with a caveat (1)** (double-click a cell to read it whole)" in labels
    ids = [b.proto.id for b in at.get("download_button")]
    assert any("dl_skipped" in i for i in ids) and any("dl_caveats" in i for i in ids), ids


@pytest.mark.parametrize(("page", "freq", "noted"), [
    ("views/trends.py", "month", True), ("views/trends.py", "quarter", True),
    ("views/trends.py", "year", False), ("views/themes.py", "quarter", True),
    ("views/themes.py", "year", False), ("overview", "month", True)])
def test_dates_all_on_1_january_are_noted(monkeypatch, tmp_path, page, freq, noted) -> None:
    corpus = tmp_path / "c"
    for year in (2019, 2020, 2021):
        write_article(corpus, f"{year}.txt", f"{year}-01-01", f"Report {year}",
                      "The digital economy grew.")
    at = app(monkeypatch, corpus, tmp_path / "cache", {"term": ["digital economy"],
                                                       "freq": freq, "tab": "time"}, page)
    shown = [c.value for c in at.caption if "dated 1 January" in c.value]
    assert len(shown) == noted, shown
    if noted:
        assert shown[0].startswith("All 3 articles dated to the day are dated 1 January")


def test_overview_says_how_periods_without_articles_are_drawn(monkeypatch, tmp_path) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.csv").write_text("date,title,text\n2023-01-15,A,digital economy\n"
                                  "2023-04-02,B,real economy\n")
    at = app(monkeypatch, corpus, tmp_path / "cache", {"freq": "month"})
    figure = spec(at)
    drawn = [t for t in figure["data"] if t.get("hoverinfo") != "skip"]  # (not a legend entry)
    assert values(drawn[0]) == [1, 0, 0, 1]  # articles
    words = values(drawn[1])
    assert words[0] == words[3] == 3 and all(np.isnan(words[1:3]))  # a gap, not a fall to 0
    assert any(c.value.startswith("2 of 4 periods have no articles: here their bars are at 0 "
                                  "and the words line breaks there") for c in at.caption)


def test_a_start_date_inside_a_month_says_which_coarse_dates_it_leaves_out(monkeypatch,
                                                                          tmp_path) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.csv").write_text("date,title,text\n2023-09,Month,digital economy\n"
                                  "2023-09-15,Day,digital economy\n2023-10-02,Later,x\n")
    at = app(monkeypatch, corpus, tmp_path / "cache", {"dates": ["2023-09-10", "2023-10-31"]})
    assert any(c.value == "1 article dated only 2023-09 or 2023 is left out: a date without "
               "a day stands on the first of its month or year, before 2023-09-10."
               for c in at.sidebar.caption)
    at = app(monkeypatch, corpus, tmp_path / "cache", {"dates": ["2023-09-01", "2023-10-31"]})
    assert not any("left out" in c.value for c in at.sidebar.caption)
    (corpus / "b.csv").write_text("date,title,text\n2023,Year,digital economy\n")
    at = app(monkeypatch, corpus, tmp_path / "cache2", {"dates": ["2023-09-01", "2023-10-31"]})
    assert any(c.value.startswith("1 article dated only 2023 is left out")  # (not 2023-09)
               for c in at.sidebar.caption)


def test_url_seeds_the_widgets(monkeypatch, tmp_path, small) -> None:
    params = {"term": ["digital economy", "real economy"], "freq": "year", "measure": "count",
              "smooth": "2", "q": "economy", "theme": ["Digital economy"],
              "source": ["miit"], "dates": ["2022-03-01", "2023-10-31"]}
    at = app(monkeypatch, small, tmp_path, params, "views/trends.py")
    assert at.multiselect(key="w_terms").value == ["digital economy", "real economy"]
    assert at.segmented_control(key="w_freq").value == "year"
    assert at.segmented_control(key="w_measure").value == "count"
    assert at.slider(key="w_smooth").value == 2
    assert at.text_input(key="w_q").value == "economy"
    assert at.multiselect(key="w_theme").value == ["Digital economy"]
    assert at.multiselect(key="w_source").value == ["miit"]
    assert [str(d) for d in at.date_input(key="w_dates").value] == ["2022-03-01", "2023-10-31"]
    # single values read back as strings, repeated ones as lists (AppTest's parsing)
    assert dict(at.query_params) == {k: v[0] if isinstance(v, list) and len(v) == 1 else v
                                     for k, v in params.items()}


def test_date_pickers_reach_the_whole_corpus_and_clear_restores_it(monkeypatch,
                                                                    tmp_path) -> None:
    # A corpus of seventy years, the range narrowed to one year (as a drill-down does):
    # Streamlit's own limits (ten years either side) would keep the rest out of reach.
    for day in ("1950-03-01", "1985-06-01", "2020-09-01"):
        write_article(tmp_path / "c", f"{day}.txt", day, f"T {day}", "The economy grows.")
    at = app(monkeypatch, tmp_path / "c", tmp_path / "cache",
             {"dates": ["1980-01-01", "1980-12-31"], "compare": "dates", "q": "economy"},
             "views/words.py")
    for picker in (at.sidebar.date_input(key="w_dates"), at.date_input(key="w_dates2")):
        assert (picker.proto.min, picker.proto.max) == ("1950-03-01", "2020-09-01")
    at.sidebar.date_input(key="w_dates").set_value((dt.date(1950, 3, 1), dt.date(1990, 1, 1)))
    at.run()
    assert at.query_params["dates"] == ["1950-03-01", "1990-01-01"]
    # a link may name dates beyond the corpus: the picker takes them in
    at = app(monkeypatch, tmp_path / "c", tmp_path / "cache",
             {"dates": ["1900-01-01", "1980-12-31"], "q": "economy"})
    assert at.sidebar.date_input(key="w_dates").proto.min == "1900-01-01"
    at.sidebar.button(key="clear_filters").click().run()
    assert not at.exception and "dates" not in at.query_params and "q" not in at.query_params
    assert at.sidebar.text_input(key="w_q").value == ""
    assert [str(d) for d in at.sidebar.date_input(key="w_dates").value] == ["1950-03-01",
                                                                            "2020-09-01"]
    at.run()  # (the next run has nothing to clear)
    assert not [b for b in at.sidebar.button if b.key == "clear_filters"]
    # nor has a link whose dates take in the whole corpus (as the sidebar's link pins them)
    for dates, offered in ((["1950-03-01", "2020-09-01"], False),
                           (["1900-01-01", "2030-01-01"], False),
                           (["1950-03-02", "2020-09-01"], True)):
        at = app(monkeypatch, tmp_path / "c", tmp_path / "cache", {"dates": dates})
        assert bool([b for b in at.sidebar.button if b.key == "clear_filters"]) == offered


def test_the_shared_link_pins_dates_and_period_and_reopens_the_view(monkeypatch, tmp_path,
                                                                     small) -> None:
    from urllib.parse import parse_qs, urlsplit

    at = app(monkeypatch, small, tmp_path, {"term": ["digital economy"]}, "views/trends.py")
    assert "dates" not in at.query_params  # the address bar stays short ...
    shared = parse_qs(urlsplit(at.sidebar.code[0].value).query)
    index = open_index(small, cache_dir=tmp_path)
    info = an.corpus_info(index)
    # ... the link to copy names the corpus's range and the period, which grow with the corpus
    assert shared["dates"] == [info["first_date"], info["last_date"]]
    assert shared["freq"] == [at.segmented_control(key="w_freq").value]
    again = app(monkeypatch, small, tmp_path, shared, "views/trends.py")
    assert spec(again)["data"] == spec(at)["data"]
    assert "dates" not in again.query_params  # (the whole corpus again: nothing to filter)


def test_the_shared_link_pins_the_end_of_a_newest_date_known_only_by_month(
        monkeypatch, tmp_path) -> None:
    from urllib.parse import parse_qs, urlsplit

    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.csv").write_text("date,title,text\n2023-08-14,Day,digital economy\n"
                                  "2023-09,Month,digital economy\n")
    at = app(monkeypatch, corpus, tmp_path / "cache", {"term": ["digital economy"]},
             "views/trends.py")
    shared = parse_qs(urlsplit(at.sidebar.code[0].value).query)
    # "2023-09" stands for the whole of September: a link ending on the 1st would cut it
    assert shared["dates"] == ["2023-08-14", "2023-09-30"]
    again = app(monkeypatch, corpus, tmp_path / "cache", shared, "views/trends.py")
    assert spec(again)["data"] == spec(at)["data"]
    assert [c.value for c in again.caption] == [c.value for c in at.caption]
    assert "dates" not in again.query_params


def test_trend_chart_holds_the_library_numbers(monkeypatch, tmp_path, small) -> None:
    at = app(monkeypatch, small, tmp_path,
             {"term": ["digital economy", "real economy"], "freq": "quarter",
              "measure": "count", "source": ["xinhua"]}, "views/trends.py")
    index = open_index(small, cache_dir=tmp_path)
    expected = an.term_trend(index, ["digital economy", "real economy"],
                             Filter(sources=("xinhua",)), freq="quarter")
    traces = spec(at)["data"]
    for trace, (term, part) in zip(traces, expected.groupby("term", sort=False)):
        assert trace["name"] == term
        assert values(trace) == part["count"].astype(float).tolist()
        assert list(trace["x"]) == part["period"].tolist()
    strip = traces[-1]
    assert values(strip) == expected.drop_duplicates("period")["articles"].tolist()


@pytest.mark.parametrize(("name", "terms"), [("en-sotu", ["economy", "liberty", "united states"]),
                                             ("en-fomc-minutes", ["inflation", "labor market"])])
def test_trend_chart_holds_the_library_numbers_on_real_corpora(monkeypatch, tmp_path_factory,
                                                                name, terms) -> None:
    corpus = shared_corpus(name)
    cache = tmp_path_factory.getbasetemp() / f"{name}-cache"
    at = app(monkeypatch, corpus, cache, {"term": terms, "freq": "year"}, "views/trends.py")
    expected = an.term_trend(open_index(corpus, cache_dir=cache), terms, freq="year")
    traces = spec(at)["data"]
    assert [t["name"] for t in traces[:len(terms)]] == terms
    for trace, (term, part) in zip(traces, expected.groupby("term", sort=False)):
        assert trace["name"] == term and list(trace["x"]) == part["period"].tolist()
        # per 10,000 words; a year without articles is a gap in the line, not a zero
        drawn = values(trace)
        assert [v != v for v in drawn] == [w == 0 for w in part["words"]]  # (NaN: a gap)
        assert [v for v in drawn if v == v] == pytest.approx(
            [v for v, w in zip(part["per_10k"], part["words"], strict=True) if w], rel=1e-12)
        assert sum(part["count"]) > 0
    assert values(traces[-1]) == expected.drop_duplicates("period")["articles"].tolist()


def test_a_trend_narrower_than_the_date_range_says_why(monkeypatch, tmp_path, small) -> None:
    at = app(monkeypatch, small, tmp_path, {"term": ["digital economy"], "freq": "year",
                                            "dates": ["2000-01-01", "2030-12-31"]},
             "views/trends.py")
    x = list(spec(at)["data"][0]["x"])
    assert x[0] != "2000" and x[-1] != "2030"
    assert any(f"runs from {x[0]} to {x[-1]}" in c.value for c in at.caption)
    at = app(monkeypatch, small, tmp_path, {"term": ["digital economy"], "freq": "year"},
             "views/trends.py")
    assert not any("runs from" in c.value for c in at.caption)


def test_changing_a_widget_writes_the_url(monkeypatch, tmp_path, small) -> None:
    at = app(monkeypatch, small, tmp_path, {"term": ["digital economy"]}, "views/trends.py")
    at.segmented_control(key="w_freq").set_value("quarter").run()
    at.text_input(key="w_q").input("real economy").run()
    assert at.query_params["freq"] == "quarter"
    assert at.query_params["q"] == "real economy"
    assert at.query_params["term"] == "digital economy"


def test_filters_survive_moving_between_pages(monkeypatch, tmp_path, small) -> None:
    at = app(monkeypatch, small, tmp_path, {"q": "digital economy", "source": ["miit"]},
             "views/trends.py")
    links = {link.proto.page: link.proto.query_string for link in at.sidebar.get("page_link")}
    assert all("q=digital+economy" in q and "source=miit" in q for q in links.values()), links
    at.switch_page("views/articles.py").run()
    assert at.text_input(key="w_q").value == "digital economy"
    assert at.multiselect(key="w_source").value == ["miit"]


@pytest.mark.parametrize("page", list(PAGES))
def test_every_navigation_link_points_at_its_own_page(monkeypatch, tmp_path, small,
                                                      page) -> None:
    # st.page_link writes a page's url path as the address, relative to the page on show:
    # the Overview's ("") led to the page on show. Here (no browser, so no address to take
    # the app's root from) each is relative to the root as seen from every page; in a browser
    # each is absolute from the root (tests/test_browser.py).
    at = app(monkeypatch, small, tmp_path, {"q": "digital economy"}, page)
    links = at.sidebar.get("page_link")
    assert [link.proto.page for link in links] == [
        "./", "./trends", "./themes", "./words", "./articles"]
    assert all(link.proto.query_string == "q=digital+economy" for link in links)


def test_bad_url_values_are_dropped_with_a_visible_note(monkeypatch, tmp_path, small) -> None:
    at = app(monkeypatch, small, tmp_path,
             {"freq": "weekly", "theme": ["No such theme"], "dates": ["2023-02-30", "x"],
              "q": "x" * 10_000, "junk": "1", "term": ["<script>alert(1)</script>"]},
             "views/trends.py")
    notes = " ".join(w.value for w in at.sidebar.warning)
    for said in ("weekly", "No such theme", "not ISO dates", "characters", "junk"):
        assert said in notes
    assert "freq" not in at.query_params and "theme" not in at.query_params
    assert at.multiselect(key="w_terms").value == ["<script>alert(1)</script>"]


def test_a_links_notes_stay_with_its_view_and_go_when_the_view_changes(monkeypatch, tmp_path,
                                                                         small) -> None:
    at = app(monkeypatch, small, tmp_path, {"freq": "weekly", "term": ["digital economy"],
                                            "junk": "1"}, "views/trends.py")
    said = [w.value.replace("\\", "") for w in at.sidebar.warning]
    assert "Unknown parameter 'junk' ignored" in said and any("weekly" in w for w in said)
    at.switch_page("views/words.py").run()  # the same view on another page: still said
    assert any("weekly" in w.value for w in at.sidebar.warning)
    at.text_input(key="w_q").input("economy").run()  # the user's own view now
    assert not at.sidebar.warning
    at.text_input(key="w_q").input("").run()  # (and back to the link's view: not said again)
    assert not at.sidebar.warning


def test_a_links_not_available_value_stays_said_with_its_view(monkeypatch, tmp_path,
                                                               small) -> None:
    at = app(monkeypatch, small, tmp_path, {"term": ["digital economy"], "freq": "year"},
             "views/trends.py")
    at.query_params["period"] = "1999"  # (a link opened on this page)
    at.run()
    said = "'period'\\: 1999 is not a period of the chart with these filters"
    assert said in " ".join(w.value for w in at.sidebar.warning)
    at.run()  # (a rerun that changes nothing: the note was lost)
    assert said in " ".join(w.value for w in at.sidebar.warning)


def test_the_shared_link_keeps_commas_and_stars_readable(monkeypatch, tmp_path,
                                                       small) -> None:
    from urllib.parse import parse_qs, urlsplit

    at = app(monkeypatch, small, tmp_path, {"term": ["digital economy, real economy"],
                                            "q": "digit*"}, "views/trends.py")
    shared = at.sidebar.code[0].value
    assert "term=digital+economy,+real+economy" in shared and "q=digit*" in shared
    assert parse_qs(urlsplit(shared).query)["term"] == ["digital economy, real economy"]


def test_a_period_left_over_from_a_new_frequency_goes_without_a_note(monkeypatch, tmp_path,
                                                                     small) -> None:
    at = app(monkeypatch, small, tmp_path,
             {"term": ["digital economy"], "freq": "year", "period": "2023"}, "views/trends.py")
    assert at.selectbox(key="w_period").value == "2023" and not at.sidebar.warning
    at.segmented_control(key="w_freq").set_value("quarter").run()
    assert at.selectbox(key="w_period").value == "" and "period" not in at.query_params
    assert not at.sidebar.warning  # the user changed the period: nothing wrong with a link
    # A link naming a period the trend does not have still says so.
    at.query_params["freq"] = "year"
    at.query_params["period"] = "1999"
    at.run()
    assert "'period'\\: 1999 is not a period of the chart" in " ".join(
        w.value for w in at.sidebar.warning)
    # A period of another frequency says which.
    at.query_params["period"] = "2023-09"
    at.run()
    assert "'period': 2023-09 is a month, and the chart is by year" in " ".join(
        w.value for w in at.sidebar.warning).replace("\\", "")


def test_a_click_on_a_trend_point_lists_its_articles(monkeypatch, tmp_path, small) -> None:
    at = app(monkeypatch, small, tmp_path, {"term": ["digital economy"], "freq": "year"},
             "views/trends.py")
    point = {"curve_number": 0, "point_index": 1, "x": "2023", "y": 1.0,
             "customdata": ["2023", "digital economy", 18, 9, 12, 100]}
    at.session_state["trend_chart"] = PlotlyState(
        {"selection": {"points": [point], "point_indices": [1], "box": [], "lasso": []}})
    at.run()
    assert not at.exception
    assert at.query_params["period"] == "2023"
    assert at.query_params["focus"] == "digital economy"
    index = open_index(small, cache_dir=tmp_path)
    expected = an.articles(index, Filter(start=an.period_bounds("2023")[0],
                                         end=an.period_bounds("2023")[1]),
                           sort="hits", mentioning="digital economy")
    table = at.dataframe[0].value
    assert table["title"].tolist() == expected["title"].tolist()
    assert table["hits"].tolist() == expected["hits"].tolist()
    lines = concordance(at)
    assert len(lines) == int(expected["hits"].sum())
    assert set(lines["match"].str.lower()) == {"digital economy"}
    assert list(dict.fromkeys(lines["title"])) == table["title"].tolist()  # (the table's order)


def test_concordance_lines_sorted_by_the_words_after_or_before_the_match(monkeypatch, tmp_path,
                                                                       small) -> None:
    index = open_index(small, cache_dir=tmp_path)
    everything = an.kwic(index, "economy", sort="-date", limit=None)
    lines = everything.head(200)
    assert len(lines) > 30
    for by in ("after", "before"):
        at = app(monkeypatch, small, tmp_path, {"q": "economy", "kwic": by}, "views/articles.py")
        assert not at.exception
        assert at.segmented_control(key="w_kwic").value == by
        shown = concordance(at)
        order = ref.concordance_order(list(zip(everything["left"], everything["right"],
                                               strict=True)), by)
        expected = everything.iloc[order[:200]]  # (all the lines sorted, the first shown)
        assert shown[["date", "left", "match", "right"]].values.tolist() == expected[
            ["date", "left", "match", "right"]].values.tolist()
        assert shown.values.tolist() != lines[["date", "title", "left", "match", "right"]
                                              ].values.tolist()  # (the order did change)
        # by hand: the words after (or before) the matches run A to Z, punctuation aside
        words = [re.findall(r"\w+", text.lower()) for text in shown[
            "right" if by == "after" else "left"]]
        firsts = [(w[:1] if by == "after" else w[-1:]) or [""] for w in words]
        assert firsts == sorted(firsts) and len(set(map(tuple, firsts))) > 1
    at.segmented_control(key="w_kwic").set_value("article").run()
    assert "kwic" not in at.query_params
    assert concordance(at)[["left", "match", "right"]].values.tolist() == lines[
        ["left", "match", "right"]].values.tolist()


def test_the_chosen_point_is_marked_and_only_periods_with_articles_are_offered(
        monkeypatch, tmp_path) -> None:
    corpus = tmp_path / "c"
    write_article(corpus, "a.txt", "2023-01-10", "A", "The digital economy grows.")
    write_article(corpus, "b.txt", "2023-03-10", "B", "The real economy grows.")
    at = app(monkeypatch, corpus, tmp_path / "cache", {"term": "digital economy",
                                                       "freq": "month"}, "views/trends.py")
    # 2023-02 has no articles: a gap in the line, not a period to list articles of
    assert at.selectbox(key="w_period").options == ["choose a period", "2023-01", "2023-03"]
    assert not [s for s in spec(at)["layout"].get("shapes", []) if s["type"] == "line"]
    at.selectbox(key="w_period").set_value("2023-03").run()
    lines = [s for s in spec(at)["layout"]["shapes"] if s["type"] == "line"]
    assert [(s["x0"], s["x1"], s["line"]["dash"]) for s in lines] == [(2, 2, "dot")] * 2
    shown = " ".join(h.value for h in at.html)
    assert "0 articles mentioning 'digital economy' in 2023-03." in (
        shown)


def test_lines_lying_on_top_of_each_other_are_said(monkeypatch, tmp_path) -> None:
    corpus = tmp_path / "c"
    write_article(corpus, "a.txt", "2022-03-01", "A", "Inflation and unemployment rose.")
    write_article(corpus, "b.txt", "2023-03-01", "B", "Inflation, unemployment, inflation.")
    params = {"term": ["inflation", "unemployment", "zebra"], "freq": "year"}
    said = "'inflation' and 'unemployment' have the same value in most periods"
    at = app(monkeypatch, corpus, tmp_path / "cache", {**params, "measure": "docs"},
             "views/trends.py")
    captions = [c.value.replace("\\", "") for c in at.caption]  # (markdown escapes)
    assert any(c.startswith(said) and "'unemployment' (drawn last) over the other;" in c
               for c in captions)
    assert not any("'zebra'" in c and "same value" in c for c in captions)  # (said not to occur)
    at = app(monkeypatch, corpus, tmp_path / "cache", {**params, "measure": "count"},
             "views/trends.py")  # 2023: 2 against 1
    assert not any(c.value.replace("\\", "").startswith(said) for c in at.caption)
    assert not any("(0: none of them occurs there)" in c for c in captions)
    # Lines together at 0 in most periods: said, so that a reader does not look for a
    # common rise (two terms used only in the last of three years).
    write_article(corpus, "c.txt", "2024-03-01", "C", "Quantitative easing and zebra.")
    at = app(monkeypatch, corpus, tmp_path / "cache2",
             {"term": ["quantitative easing", "zebra"], "freq": "year", "measure": "docs"},
             "views/trends.py")
    assert any(c.value.replace("\\", "").startswith(
        "'quantitative easing' and 'zebra' have the same value in most periods (0: none of "
        "them occurs there): their lines lie on top of each other") for c in at.caption)


def test_the_overview_and_themes_say_how_many_themes_hardly_occur(monkeypatch,
                                                                   tmp_path) -> None:
    said = "in under 1% of these articles. A dictionary fits the texts it was"
    corpus = tmp_path / "c"
    write_article(corpus, "a.txt", "2023-01-10", "A", "The digital economy grows.")
    write_article(corpus, "b.txt", "2023-02-10", "B", "The weather was fine.")
    at = app(monkeypatch, corpus, tmp_path / "cache")
    summary = an.theme_summary(open_index(corpus, cache_dir=tmp_path / "cache"))
    rare = int((summary["share"] < 1).sum())
    assert 0 < rare < len(summary)
    said = f"themes {'is' if rare == 1 else 'are'} {said}"
    assert any(c.value == f"{rare} of the {len(summary)} {said} written for: load or write "
               "your own on the Themes page (Dictionary)." for c in at.caption)
    at.switch_page("views/themes.py").run()  # (and where the themes are counted)
    assert any(c.value == f"{rare} of the {len(summary)} {said} written for: load or write "
               "your own in the Dictionary tab." for c in at.caption)
    # every theme of the dictionary in 1% or more of the articles: nothing to say
    from policydata.themes import default_themes

    first_entries = [terms[0].query.replace("*", "s") for _, terms in default_themes().themes]
    write_article(tmp_path / "all", "a.txt", "2023-01-10", "A", "; ".join(first_entries))
    at = app(monkeypatch, tmp_path / "all", tmp_path / "cache")
    assert (an.theme_summary(open_index(tmp_path / "all", cache_dir=tmp_path / "cache"))["share"]
            == 100).all()
    assert not any(said in c.value for c in at.caption)


def test_the_overview_lists_articles_far_shorter_than_the_rest(monkeypatch, tmp_path) -> None:
    # A scrape's error page counts in every "% of articles": the Overview's health says so.
    corpus = tmp_path / "c"
    for i in range(5):
        write_article(corpus, f"a{i}.txt", f"2023-01-{i + 10}", f"Note {i}",
                      "The digital economy grows. " * 20)  # 2 + 80 words
    write_article(corpus, "stub.txt", "2023-02-01", "Page not found", "Sorry.")
    write_article(corpus, "short.txt", "2023-02-02", "Brief", "The plan.")
    at = app(monkeypatch, corpus, tmp_path / "cache")
    said = next(m.value for m in at.markdown if "Very short articles" in m.value)
    assert said.startswith("**Very short articles (2)**: under a tenth of the median "
                           "article's 82 words.")
    table = next(d.value for d in at.dataframe if "words" in d.value.columns
                 and "Page not found" in d.value["title"].tolist() and len(d.value) == 2)
    assert table[["title", "words"]].to_dict("records") == [
        {"title": "Brief", "words": 3}, {"title": "Page not found", "words": 4}]
    index = open_index(corpus, cache_dir=tmp_path / "cache")
    pd.testing.assert_frame_equal(table.reset_index(drop=True),
                                  an.short_articles(index).rows[list(table.columns)]
                                  .reset_index(drop=True), check_dtype=False)
    assert list(table.columns)[:2] == ["date", "words"]
    at = app(monkeypatch, SEEDS, tmp_path / "seeds-cache")  # (one article: none shorter)
    assert not any("Very short articles" in m.value for m in at.markdown)


def test_the_overview_marks_partial_periods(monkeypatch, tmp_path) -> None:
    corpus = tmp_path / "c"
    write_article(corpus, "a.txt", "2022-01-01", "A", "The economy.")
    write_article(corpus, "b.txt", "2023-06-30", "B", "The economy.")
    at = app(monkeypatch, corpus, tmp_path / "cache", {"freq": "year"})
    figure = spec(at)
    bars = figure["data"][0]
    assert bars["marker"]["pattern"]["shape"] == ["", "/"]  # 2023 ends on 30 June
    assert "2023-01-01 to 2023-06-30 only" in bars["customdata"][1]
    assert [(b["x0"], b["x1"]) for b in figure["layout"]["shapes"]] == [(0.5, 1.5)]
    assert [a["text"] for a in figure["layout"]["annotations"]] == ["partial"]
    assert any(c.value.startswith("Partial period (grey band, hatched bar): 2023 covers only "
                                  "2023-01-01 to 2023-06-30.") for c in at.caption)


def test_a_chart_of_too_many_periods_suggests_coarser_ones(monkeypatch, tmp_path) -> None:
    corpus = tmp_path / "c"
    write_article(corpus, "a.txt", "1700-06-01", "A", "Trade and the economy.")
    write_article(corpus, "b.txt", "2000-06-01", "B", "Trade and the economy.")
    said = {}
    for freq in ("month", "quarter", "year"):
        at = app(monkeypatch, corpus, tmp_path / "cache", {"term": "trade", "freq": freq},
                 "views/trends.py")
        assert not at.exception, [e.message for e in at.exception]
        said[freq] = " ".join(i.value for i in at.info)
    assert "3,601 months are shown, 3,599 of them without articles: choose quarter or year" in (
        said["month"])
    assert "1,201 quarters are shown, 1,199 of them without articles: choose year" in (
        said["quarter"])
    assert "301 years are shown, 299 of them without articles: narrow the date range" in (
        said["year"])


def drawn_chart_key(at: AppTest, i: int = 0) -> str:
    """The widget key the ``i``-th Plotly chart was drawn under in the last run (its
    element id ends with it): a click is a selection made on that chart."""
    return at.get("plotly_chart")[i].proto.id.split("-", 2)[2]


def click_point(at: AppTest, period: str, name: str) -> None:
    """Click the point of ``period`` and ``name`` on the trend chart drawn last, as a browser
    does: the selection is that chart's, and the page reruns."""
    point = {"curve_number": 0, "point_index": 1, "x": period, "y": 1.0,
             "customdata": [period, name, 18, 9, 12, 100]}
    at.session_state[drawn_chart_key(at)] = PlotlyState(
        {"selection": {"points": [point], "point_indices": [1], "box": [], "lasso": []}})
    at.run()
    assert not at.exception, [e.message for e in at.exception]


def test_every_click_on_a_trend_point_is_taken_and_a_chosen_period_kept(
        monkeypatch, tmp_path, small) -> None:
    # The chart keeps its selection: a period chosen in the box afterwards was undone by it
    # before its click was remembered, and once remembered a second click on the same point
    # (after another period was chosen) was ignored. Then the chart was drawn anew one run
    # after a click, so the next click, made on the chart still shown, was lost: every other
    # click did nothing. The page takes the click before it draws the chart, anew
    # (state.take_click).
    at = app(monkeypatch, small, tmp_path,
             {"term": ["digital economy", "real economy"], "freq": "year"}, "views/trends.py")
    click_point(at, "2023", "digital economy")
    assert (at.query_params["period"], at.query_params["focus"]) == ("2023", "digital economy")
    click_point(at, "2022", "real economy")  # (straight after: another point)
    assert (at.query_params["period"], at.query_params["focus"]) == ("2022", "real economy")
    click_point(at, "2023", "real economy")
    assert at.query_params["period"] == "2023"
    at.selectbox(key="w_period").set_value("2022").run()
    assert at.query_params["period"] == "2022"
    at.run()  # (another rerun: the chart's old selection does not come back)
    assert at.query_params["period"] == "2022"
    click_point(at, "2023", "real economy")  # (the same point again)
    assert at.query_params["period"] == "2023"
    # a bar of the articles strip under the lines (its customdata: words, partial) is no
    # point of a term: the listed period and term stay
    bars = next(t for t in spec(at)["data"] if t["type"] == "bar")
    bar = {"curve_number": 2, "point_index": 0, "x": "2022", "y": 12,
           "customdata": bars["customdata"][0]}
    at.session_state[drawn_chart_key(at)] = PlotlyState(
        {"selection": {"points": [bar], "point_indices": [0], "box": [], "lasso": []}})
    at.run()
    assert (at.query_params["period"], at.query_params["focus"]) == ("2023", "real economy")


def test_themes_page_counts_and_a_session_dictionary(monkeypatch, tmp_path, small) -> None:
    at = app(monkeypatch, small, tmp_path, {"freq": "year"}, "views/themes.py")
    table = at.dataframe[0].value
    index = open_index(small, cache_dir=tmp_path)
    summary = an.theme_summary(index)
    assert table["articles"].tolist() == summary["docs"].tolist()
    at.session_state["w_tab"] = "Dictionary"
    at.run()
    assert at.query_params["tab"] == "dictionary"
    at.text_area(key="themes_editor").set_value(OWN_THEMES)  # (defined below)
    apply_button(at).click().run()
    assert not at.exception
    at.session_state["w_tab"] = "Counts"
    at.run()
    assert "tab" not in at.query_params
    table = at.dataframe[0].value
    own = an.theme_summary(index, themes=parse_themes(OWN_THEMES))
    assert table["theme"].tolist() == own["theme"].tolist() == ["Digital", "Real"]
    assert table["matches"].tolist() == own["count"].tolist()
    assert table["articles"].tolist() == own["docs"].tolist()
    # (and as the corpus is written: article i says "digital economy" i % 4 times and "real
    # economy" (i + 1) % 3 times)
    assert own["count"].tolist() == [sum(i % 4 for i in range(24)),
                                     sum((i + 1) % 3 for i in range(24))]
    at.session_state["w_tab"] = "Dictionary"
    at.run()
    at.text_area(key="themes_editor").set_value("[themes\n")
    apply_button(at).click().run()
    assert any("not valid TOML" in e.value for e in at.error)
    at.session_state["w_tab"] = "Counts"
    at.run()
    assert at.dataframe[0].value["theme"].tolist() == ["Digital", "Real"]  # still applied
    # An edit over the size limit is refused with its reason (the browser used to drop the
    # paste without a word, and Apply applied the text before it).
    at.session_state["w_tab"] = "Dictionary"
    at.run()
    from dashboard.data import MAX_THEME_FILE
    long = OWN_THEMES + "# " + "x" * MAX_THEME_FILE + "\n"
    at.text_area(key="themes_editor").set_value(long)
    apply_button(at).click().run()
    assert any(f"your theme file is {len(long):,} characters long; the limit is "
               f"{MAX_THEME_FILE:,}" in e.value.replace("\\", "") for e in at.error)
    at.session_state["w_tab"] = "Counts"
    at.run()
    assert at.dataframe[0].value["theme"].tolist() == ["Digital", "Real"]


OWN_THEMES = '[themes]\n"Digital" = ["digital economy"]\n"Real" = ["real economy"]\n'


def test_a_link_carries_its_authors_theme_dictionary(monkeypatch, tmp_path, small) -> None:
    from policydata.themes import dictionary_to_link

    index = open_index(small, cache_dir=tmp_path)
    own = parse_themes(OWN_THEMES)
    carried = dictionary_to_link(OWN_THEMES)
    at = app(monkeypatch, small, tmp_path, {"dict": carried, "theme": "Real", "freq": "year"},
             "views/themes.py")
    notes = " ".join(w.value.replace("\\", "") for w in at.sidebar.info)
    assert "This link carries its author's own theme dictionary" in notes
    assert not at.sidebar.warning and not at.main.warning  # (no fault: no "1 note" either)
    expected = an.theme_summary(index, Filter(themes=("Real",)), themes=own)
    table = at.dataframe[0].value
    assert table["theme"].tolist() == ["Digital", "Real"]
    assert table["articles"].tolist() == expected["docs"].tolist()
    assert table["matches"].tolist() == expected["count"].tolist()
    assert expected["docs"].iat[1] > 0 and expected["docs"].iat[0] < an.theme_summary(
        index, themes=own)["docs"].iat[0]  # (the link's theme filter, Real, is applied)
    assert at.query_params["dict"] == carried and at.query_params["theme"] == "Real"
    # Back to the default dictionary: not taken again from the address on the next runs.
    at.session_state["w_tab"] = "Dictionary"
    at.run()
    at.button(key="themes_reset").click().run()
    at.session_state["w_tab"] = "Counts"
    at.run().run()
    assert at.dataframe[0].value["theme"].tolist() == an.theme_summary(index)["theme"].tolist()
    assert "dict" not in at.query_params


def test_a_damaged_or_too_long_linked_dictionary(monkeypatch, tmp_path, small) -> None:
    at = app(monkeypatch, small, tmp_path, {"dict": "z.eNoLycgsVgCi", "theme": "Real"},
             "views/themes.py")
    notes = " ".join(w.value.replace("\\", "") for w in at.sidebar.warning)
    assert "The theme dictionary in this link is damaged" in notes
    assert "Unknown theme 'Real'; ignored" in notes  # (not in the dictionary in use)
    index = open_index(small, cache_dir=tmp_path)
    assert at.dataframe[0].value["theme"].tolist() == an.theme_summary(index)["theme"].tolist()
    # A dictionary too long to carry travels as its fingerprint, and the sidebar says so.
    words = [f"w{i * 7919 % 100003}x" for i in range(1500)]
    text = '[themes]\n"Many" = [' + ", ".join(f'"{w}"' for w in words) + "]\n"
    at.session_state["w_tab"] = "Dictionary"
    at.run()
    at.text_area(key="themes_editor").set_value(text)
    apply_button(at).click().run()
    assert len(at.query_params["dict"]) == 12 and len(text) > MAX_LINK_DICTIONARY
    assert any("too long to travel in a link" in c.value for c in at.sidebar.caption)


def test_a_link_opens_the_themes_tab_it_names(monkeypatch, tmp_path, small) -> None:
    at = app(monkeypatch, small, tmp_path, {"tab": "time", "freq": "year", "measure": "count"},
             "views/themes.py")
    assert at.session_state["w_tab"] == "Over time"
    index = open_index(small, cache_dir=tmp_path)
    expected = an.theme_trend(index, freq="year")
    traces = [t for t in spec(at)["data"] if t.get("name") in set(expected["theme"])]
    assert {t["name"]: values(t) for t in traces} == {
        theme: part["count"].astype(float).tolist()
        for theme, part in expected.groupby("theme", sort=False)}
    assert not at.text_area  # (the dictionary tab is not drawn)


def test_the_dictionary_tab_counts_each_entry_and_names_those_matching_nothing(
        monkeypatch, tmp_path, small) -> None:
    # small_corpus: article i says "digital economy" i % 4 times, "real economy" (i + 1) % 3
    # times, and "The state council met on the plan." once.
    at = app(monkeypatch, small, tmp_path, {"tab": "dictionary", "q": "digital economy"},
             "views/themes.py")
    text = ('[themes]\n"Economy" = ["digital economy", "economy", "econmy"]\n'
            '"Council" = ["state council*", "counsil"]\n')
    at.text_area(key="themes_editor").set_value(text)
    apply_button(at).click().run()
    assert not at.exception, [e.message for e in at.exception]
    table = at.dataframe[0].value
    # by hand, over the 18 articles mentioning 'digital economy' (i % 4 != 0)
    with_de = [i for i in range(24) if i % 4]
    digital = sum(i % 4 for i in with_de)
    real = sum((i + 1) % 3 for i in with_de)
    assert table.to_dict("list") == {
        "theme": ["Economy"] * 3 + ["Council"] * 2,
        "entry": ["economy", "digital economy", "econmy", "state council*", "counsil"],
        "matches": [digital + real, digital, 0, 18, 0],
        "articles": [18, 18, 0, 18, 0],
        # every 'digital economy' is an 'economy' too: these articles hold Economy through
        # 'economy' (and the longer entry holding it) alone, never through 'digital economy'
        "articles as its only entry": [18, 0, 0, 18, 0]}
    index = open_index(small, cache_dir=tmp_path)
    expected = an.theme_entries(index, Filter(query="digital economy"),
                                themes=parse_themes(text))
    assert table["matches"].tolist() == expected["count"].tolist()
    said = " ".join(c.value for c in at.caption).replace("\\", "")
    assert "2 entries match nothing here: 'econmy' and 'counsil'. Check the spelling" in said
    # the sentence naming the articles quotes the link's search as text, not Markdown
    at = app(monkeypatch, small, tmp_path, {"tab": "dictionary", "q": "[Log in](//evil/x)"},
             "views/themes.py")
    said = next(c.value for c in at.caption if c.value.startswith("Each entry"))
    assert "\\[Log in\\]\\(\\/\\/evil\\/x\\)" in said and "](" not in said


def apply_button(at: AppTest):
    return next(b for b in at.button if b.label == "Apply for this session")


def test_word_cloud_link_seeds_its_widgets_and_widgets_write_the_link(monkeypatch, tmp_path,
                                                                      small) -> None:
    params = {"weight": "tfidf", "ngram": "1-3", "compare": "theme", "theme": ["Digital economy"],
              "theme2": "Real economy and manufacturing", "stop": ["-us", "plan"]}
    at = app(monkeypatch, small, tmp_path, params, "views/words.py")
    assert at.segmented_control(key="w_weight").value == "tfidf"
    assert at.segmented_control(key="w_ngram").value == "1-3"
    assert at.segmented_control(key="w_compare").value == "theme"
    assert at.selectbox(key="w_theme2").value == "Real economy and manufacturing"
    assert at.text_area(key="w_stop").value == "-us\nplan"
    assert len(at.get("plotly_chart")) == 2  # one ranked bar chart beside each cloud
    at.segmented_control(key="w_weight").set_value("count")
    at.segmented_control(key="w_compare").set_value("dates")
    at.run()
    at.date_input(key="w_dates2").set_value((dt.date(2023, 1, 1), dt.date(2023, 6, 30)))
    at.run()
    assert not at.exception
    assert "weight" not in at.query_params  # (count, the default, is left out of links)
    assert at.query_params["dates2"] == ["2023-01-01", "2023-06-30"]
    # the link reopens the same two clouds
    again = app(monkeypatch, small, tmp_path, dict(at.query_params), "views/words.py")
    assert [spec(again, i)["data"] for i in range(2)] == [spec(at, i)["data"] for i in range(2)]
    # the second cloud's bars are the library's top terms of that period, by count
    index = open_index(small, cache_dir=tmp_path)
    b = Filter(themes=("Digital economy",), start=dt.date(2023, 1, 1), end=dt.date(2023, 6, 30))
    shown = list(spec(at, 1)["data"][0]["y"])
    expected = an.top_terms(index, b, n=120, ngram="1-3", keep_nested=False,
                            stopwords=list(an.stopwords_with(["-us", "plan"])))
    assert shown and shown == expected["term"].head(len(shown)).tolist()


def test_word_clouds_draw_and_compare(monkeypatch, tmp_path, small) -> None:
    at = app(monkeypatch, small, tmp_path, {"weight": "count"}, "views/words.py")
    assert len(at.get("image")) == 1
    bars = spec(at)["data"][0]
    index = open_index(small, cache_dir=tmp_path)
    top = an.top_terms(index, n=120)
    assert list(bars["y"])[:5] == top["term"].head(5).tolist()
    # each bar carries its exact count beside it
    assert list(bars["text"])[:5] == [f"{int(c):,}" for c in top["count"].head(5)]
    # the first half of 2022 uses "real" more, the second half of 2023 "digital"
    at = app(monkeypatch, small, tmp_path, {"weight": "keyness", "compare": "dates",
                                            "dates": ["2022-01-01", "2022-06-30"],
                                            "dates2": ["2023-07-01", "2023-12-31"]},
             "views/words.py")
    left, right = (list(spec(at, i)["data"][0]["y"]) for i in range(2))
    assert "real" in left and "digital" not in left  # only terms key to each side
    assert "digital" in right and "real" not in right
    # in so few articles no term is key at p < 0.001: no cloud, pale bars, and a note
    assert len(at.get("image")) == 0
    assert sum("significantly more frequent" in i.value for i in at.info) == 2


@pytest.mark.parametrize(("dates", "dates2", "said"), [
    # 2022: 12 articles, 2023: 12 (small_corpus)
    (["2022-01-01", "2023-06-30"], ["2023-01-01", "2023-12-31"],
     "6 articles are in both A and B (12 in A only, 6 in B only): their words count on both "
     "sides, so the comparison rests on the others."),
    (["2022-01-01", "2023-12-31"], ["2023-01-01", "2023-12-31"],
     "Every article of B is also in A (12 articles): B is compared with a whole it is part "
     "of."),
    (["2022-01-01", "2022-12-31"], ["2023-01-01", "2023-12-31"], None),
])
def test_two_clouds_say_which_articles_they_share(monkeypatch, tmp_path, small, dates, dates2,
                                                  said) -> None:
    # Keyness between two clouds weighs their shared articles on both sides: said.
    at = app(monkeypatch, small, tmp_path, {"weight": "keyness", "compare": "dates",
                                            "dates": dates, "dates2": dates2},
             "views/words.py")
    index = open_index(small, cache_dir=tmp_path)
    a = Filter(start=dt.date.fromisoformat(dates[0]), end=dt.date.fromisoformat(dates[1]))
    b = Filter(start=dt.date.fromisoformat(dates2[0]), end=dt.date.fromisoformat(dates2[1]))
    only_a, both, only_b = an.overlap(index, a, b)
    assert (only_a + both, both + only_b) == (int(an.select(index, a).sum()),
                                              int(an.select(index, b).sum()))
    captions = [c.value for c in at.caption]
    if said is None:
        assert both == 0 and not any("in both" in c or "also in" in c for c in captions)
    else:
        assert said in captions, captions
    at = app(monkeypatch, small, tmp_path, {"weight": "keyness", "compare": "dates",
                                            "dates": dates2, "dates2": dates2},
             "views/words.py")
    assert any("A and B hold the same articles" in w.value for w in at.warning)


def test_a_keyness_cloud_names_what_it_is_compared_with(monkeypatch, tmp_path, small) -> None:
    at = app(monkeypatch, small, tmp_path, {"weight": "keyness",
                                            "dates": ["2022-01-01", "2022-12-31"]},
             "views/words.py")
    said = " ".join(h.value for h in at.html)
    assert ("12 articles between 2022-01-01 and 2022-12-31, against the other 12 articles of "
            "the corpus: the terms used more here than there.") in said
    # With every article selected there is nothing to compare with: said, and not as "the
    # other 0 articles".
    at = app(monkeypatch, small, tmp_path, {"weight": "keyness"}, "views/words.py")
    said = " ".join(h.value for h in at.html)
    assert "24 articles." in said and "against the other" not in said
    assert any("leaves nothing to compare with" in i.value for i in at.info)
    # Two periods chosen but not B yet: what the cloud shows until then is said, so the
    # message above does not read as the comparison's
    at = app(monkeypatch, small, tmp_path, {"weight": "keyness", "compare": "dates"},
             "views/words.py")
    said = [i.value for i in at.info]
    assert ("Choose the second period to compare with. Until then the cloud below is of the "
            "articles the sidebar selects, by keyness against the rest of the corpus.") in said


def test_tfidf_over_terms_in_nearly_every_article_says_it_ranks_as_count(monkeypatch, tmp_path,
                                                                         small) -> None:
    # small_corpus: every article says "The state council met on the plan."
    said = "here it ranks about as the count does"
    index = open_index(small, cache_dir=tmp_path)
    top = an.top_terms(index, n=25, weight="tfidf")
    assert (top["corpus_docs"].head(25) == 24).sum() >= 3  # (state, council, plan...)
    at = app(monkeypatch, small, tmp_path, {"weight": "tfidf"}, "views/words.py")
    assert any(said in c.value for c in at.caption)
    at = app(monkeypatch, small, tmp_path, {"weight": "count"}, "views/words.py")
    assert not any(said in c.value for c in at.caption)
    # the idf is the whole corpus's: a filter to 2022 ranks the same words as it did (they
    # are in every article of the corpus), not as a filter of their own (says the note)
    at = app(monkeypatch, small, tmp_path, {"weight": "tfidf", "dates": ["2022-01-01",
                                                                         "2022-12-31"]},
             "views/words.py")
    assert any(said in c.value and "the corpus's 24 articles" in c.value for c in at.caption)


def test_a_minus_keeps_a_word_of_the_default_stopword_list(monkeypatch, tmp_path) -> None:
    # "US" (the country) is read as the pronoun "us", a default stopword: "-us" keeps it.
    corpus = tmp_path / "c"
    for i in range(3):
        write_article(corpus, f"{i}.txt", f"2023-0{i + 1}-01", f"T{i}",
                      "US tariffs hit the US economy. " * (i + 1))
    at = app(monkeypatch, corpus, tmp_path / "cache", {"weight": "count"}, "views/words.py")
    assert "us" not in spec(at)["data"][0]["y"]
    at = app(monkeypatch, corpus, tmp_path / "cache", {"weight": "count",
                                                       "stop": ["-us", "tariffs"]},
             "views/words.py")
    bars = spec(at)["data"][0]
    terms = list(bars["y"])
    assert "us" in terms and "tariffs" not in terms
    index = open_index(corpus, cache_dir=tmp_path / "cache")
    expected = an.top_terms(index, n=120, stopwords=list(an.stopwords_with(["-us", "tariffs"])))
    assert terms == expected["term"].head(len(terms)).tolist()
    assert list(bars["text"])[terms.index("us")] == "12"  # 2 a sentence, 1 + 2 + 3 sentences
    assert at.query_params["stop"] == ["-us", "tariffs"]


def test_keyness_clouds_draw_only_significant_terms(monkeypatch, tmp_path) -> None:
    from dashboard.figures import PALE

    corpus = tmp_path / "c"
    for i in range(12):  # "alpha" is key to 2022 and "beta" to 2023, "gamma" is not
        year = 2022 + i % 2
        body = (("alpha " * 12 if year == 2022 else "beta " * 12) + "gamma delta. "
                + ("gamma " * (2 if year == 2022 else 1)) + "epsilon zeta eta theta.")
        write_article(corpus, f"{i}.txt", f"{year}-03-{i + 1:02d}", f"T{i}", body)
    at = app(monkeypatch, corpus, tmp_path / "cache",
             {"weight": "keyness", "compare": "dates", "dates": ["2022-01-01", "2022-12-31"],
              "dates2": ["2023-01-01", "2023-12-31"]}, "views/words.py")
    assert len(at.get("image")) == 2
    for i, key in enumerate(["alpha", "beta"]):
        bars = spec(at, i)["data"][0]
        assert bars["y"][0] == key and bars["x"][0] >= an.KEYNESS_P001
        assert [c == PALE for c in bars["marker"]["color"]] == [
            x < an.KEYNESS_P001 for x in bars["x"]]
    assert any(c == PALE for c in spec(at, 0)["data"][0]["marker"]["color"])  # gamma
    assert any("key at p < 0.001" in c.value for c in at.caption)
    # the hover says what each score compares: by hand, alpha 12 times in each of the six
    # 2022 articles and never in 2023; gamma 3 times in each 2022 article, 2 in each 2023 one
    hover = dict(zip(spec(at, 0)["data"][0]["y"], spec(at, 0)["data"][0]["hovertext"]))
    assert hover["alpha"].endswith("72 matches in 6 articles; 0 in the comparison")
    assert hover["gamma"].endswith("18 matches in 6 articles; 12 in the comparison")


def test_word_clouds_of_phrases_leave_out_nested_words(monkeypatch, tmp_path, small) -> None:
    at = app(monkeypatch, small, tmp_path, {"weight": "count", "ngram": "1-3"},
             "views/words.py")
    index = open_index(small, cache_dir=tmp_path)
    shown = list(spec(at)["data"][0]["y"])
    top = an.top_terms(index, n=120, ngram="1-3", keep_nested=False)
    assert shown == top["term"].head(len(shown)).tolist()
    every = an.top_terms(index, n=120, ngram="1-3")
    assert shown != every["term"].head(len(shown)).tolist()  # some were nested here


def test_keyness_over_the_whole_corpus_explains_itself(monkeypatch, tmp_path, small) -> None:
    at = app(monkeypatch, small, tmp_path, {"weight": "keyness"}, "views/words.py")
    assert any("nothing to compare" in i.value for i in at.info)


def test_trend_terms_are_offered_as_the_articles_search(monkeypatch, tmp_path, small) -> None:
    # Terms brought from the trends page are no filter: "most hits" had nothing to count.
    # The page offers them as its search, and then lists what the library lists.
    at = app(monkeypatch, small, tmp_path, {"term": ["digital economy", "real economy"],
                                            "sort": "hits"}, "views/articles.py")
    offer = at.button(key="search_terms")
    assert offer.label.startswith("Search for the trend terms")
    offer.click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.query_params["q"] == "digital economy, real economy"
    assert at.query_params["sort"] == "hits"
    assert at.sidebar.text_input(key="w_q").value == "digital economy, real economy"
    index = open_index(small, cache_dir=tmp_path)
    expected = an.articles(index, Filter(query="digital economy, real economy"),
                           sort="hits")
    table = at.dataframe[0].value
    assert table["hits"].tolist() == expected["hits"].tolist()[:len(table)]
    assert table["hits"].iloc[0] > 0 and len(table) == len(expected)
    assert not [b for b in at.button if b.key == "search_terms"]


def test_articles_page_table_reader_and_kwic(monkeypatch, tmp_path, small) -> None:
    at = app(monkeypatch, small, tmp_path, {"q": "digital economy", "sort": "hits"},
             "views/articles.py")
    index = open_index(small, cache_dir=tmp_path)
    expected = an.articles(index, Filter(query="digital economy"), sort="hits")
    assert at.dataframe[0].value["id"].tolist() == expected["id"].tolist()
    assert f"{int(expected['hits'].sum()):,} lines" in at.expander[0].label  # a line a match
    key = keyed("articles_table", Filter(query="digital economy"), "hits")
    at.session_state[key] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    assert at.query_params["doc"] == expected["id"].iat[0]
    reader = " ".join(h.value for h in at.html)
    assert reader.count("<mark>") == int(expected["hits"].iat[0])


def test_a_long_article_list_keeps_only_the_rows_it_shows(monkeypatch, tmp_path, small) -> None:
    # The cache holds an article list's first data.LISTED rows, its length and its hits, not
    # the whole list; the page says so, and the CSV computes the whole list when asked for.
    from dashboard import data

    monkeypatch.setattr(data, "LISTED", 5)
    data._articles.clear()  # (lists cached by other tests hold more rows)
    try:
        at = app(monkeypatch, small, tmp_path, {"q": "digital economy", "sort": "date"},
                 "views/articles.py")
        index = open_index(small, cache_dir=tmp_path)
        flt = Filter(query="digital economy")
        expected = an.articles(index, flt, sort="date")
        assert len(expected) == 18
        assert at.dataframe[0].value["id"].tolist() == expected["id"].head(5).tolist()
        assert any(c.value == "The first 5 rows are shown; the CSV holds all 18."
                   for c in at.caption)
        assert at.get("download_button")[0].proto.label == "Download all 18 rows (CSV)"
        assert at.expander[0].label.endswith(f"({an.total_hits(expected)} lines)")
        listed = data.Corpus(index, index.themes, data.corpus_source()).articles(
            flt, sort="date")
        assert (len(listed.rows), listed.count, listed.hits) == (5, 18, 36)
        pd.testing.assert_frame_equal(listed.whole(), expected)
    finally:
        data._articles.clear()


def test_a_new_order_keeps_the_open_article(monkeypatch, tmp_path, small) -> None:
    """The table's selection is a row number: after a new order the same row holds another
    article, which must not replace the one being read."""
    at = app(monkeypatch, small, tmp_path, {"sort": "hits"}, "views/articles.py")
    flt = Filter()
    table = at.dataframe[0].value
    by_hits = table["id"].tolist()
    # (without a search or theme, no hits to count: the sentence says what the order is)
    assert by_hits == an.articles(open_index(small, cache_dir=tmp_path))["id"].tolist()
    assert ("24 articles, newest first (no search or theme to count hits of)."
            in " ".join(h.value for h in at.html))
    title = table.set_index("id").loc[by_hits[2], "title"]
    at.session_state[keyed("articles_table", flt, "hits")] = {
        "selection": {"rows": [2], "columns": [], "cells": []}}
    at.run()
    assert at.query_params["doc"] == by_hits[2]
    links = [link.proto.query_string for link in at.sidebar.get("page_link")]
    assert all(urlencode({"doc": by_hits[2]}) in q for q in links), links  # as the page left the view
    at.segmented_control(key="w_sort").set_value("date").run()
    by_date = at.dataframe[0].value["id"].tolist()
    assert by_date[2] != by_hits[2]  # (the same row now holds another article)
    assert at.query_params["doc"] == by_hits[2]
    assert f"{title}</div>" in " ".join(h.value for h in at.html)  # the reader's heading


def test_an_article_whose_id_is_too_long_for_a_link_is_linked_by_its_digest(monkeypatch,
                                                                            tmp_path) -> None:
    # A scrape's id can be anything (a whole address, or worse): the link must still reopen
    # the article, and the reader shows the id itself.
    from policydata.filters import LINK_ID_MAX, link_id

    corpus = tmp_path / "c"
    corpus.mkdir()
    long_id = "https://example.org/" + "x" * (LINK_ID_MAX + 100)
    rows = [{"id": long_id, "date": "2023-10-09", "title": "Huge id", "text": "Digital economy."},
            {"id": "short", "date": "2023-10-10", "title": "Short id", "text": "Real economy."},
            # (an id written as the long one's link writes it: its own article)
            {"id": link_id(long_id), "date": "2023-10-11", "title": "Lookalike",
             "text": "Real economy, again."}]
    (corpus / "a.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    index = open_index(corpus, cache_dir=tmp_path / "cache")
    assert index.row_of(link_id(long_id)) == 2 and index.row_of(long_id) == 0
    corpus.joinpath("a.jsonl").write_text("\n".join(json.dumps(r) for r in rows[:2]) + "\n")
    at = app(monkeypatch, corpus, tmp_path / "cache", {"sort": "date"}, "views/articles.py")
    assert at.dataframe[0].value["id"].tolist() == [long_id, "short"]
    at.session_state[keyed("articles_table", Filter(), "date")] = {
        "selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    linked = at.query_params["doc"]
    assert linked == link_id(long_id) and len(linked) < 50
    assert "Huge id</div>" in " ".join(h.value for h in at.html)
    again = app(monkeypatch, corpus, tmp_path / "cache", {"doc": linked, "sort": "date"},
                "views/articles.py")
    assert not again.warning, [w.value for w in again.warning]
    assert "Huge id</div>" in " ".join(h.value for h in again.html)
    assert again.query_params["doc"] == linked


def test_a_link_to_an_article_not_loaded_says_why(monkeypatch, tmp_path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("a", "b"):  # (b is a's exact duplicate: counted once, as a)
        (corpus / f"{name}.txt").write_text(" date 2023-01-01 Same\n\nThe same text.\n")
    (corpus / "c.txt").write_text(" date 2023-02-30 Bad date\n\nText.\n")
    (corpus / "t.csv").write_text("date,title,text\n2023-01-02,Row one,x\n2023-02-30,Row two,y\n")
    said = {}
    for doc in ("b", "c", "zzz", "t#2", "t"):
        at = app(monkeypatch, corpus, tmp_path / "cache", {"doc": doc}, "views/articles.py")
        assert not at.exception
        said[doc] = " ".join(w.value for w in at.warning).replace("\\", "")
        assert "doc" not in at.query_params
    assert ("No article with the id 'b' in this corpus: its file b.txt was not loaded (exact "
            "duplicate of 'a' (a.txt); counted once).") in said["b"]
    assert ("No article with the id 'c' in this corpus: its file c.txt was not loaded (header: "
            "impossible date '2023-02-30'") in said["c"]
    assert "No article with the id 'zzz' in this corpus." in said["zzz"]
    # a row of a table file: its row's reason (and a file that loaded in part is not said to
    # have been left out)
    assert ("No article with the id 't#2' in this corpus: in its file t.csv, row 2 (line 3): "
            "impossible date '2023-02-30'") in said["t#2"]
    # 't#1' typed bare in an address: the browser keeps '#1' to itself, and the page says so
    assert ("No article with the id 't' in this corpus: ids such as 't#1' start so; a # in a "
            "link is written %23 (the browser keeps what follows a bare # to itself).") in said["t"]
    # a table's row is read with its id beside where it is in its file (they differ)
    at = app(monkeypatch, corpus, tmp_path / "cache", {"doc": "t#1"}, "views/articles.py")
    assert "t.csv#1 (id t#1)" in " ".join(h.value for h in at.html)


def test_the_reader_can_show_only_the_paragraphs_with_a_match(monkeypatch, tmp_path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    body = "\n\n".join(["The real economy grows.", "Nothing to see.", "Still nothing.",
                         "A real economy, and the real economy again."])
    (corpus / "x.txt").write_text(f" date 2023-01-01 A title\n\n{body}\n")
    at = app(monkeypatch, corpus, tmp_path / "cache", {"doc": "x", "q": "real economy"},
             "views/articles.py")
    reader = at.html[-1].value
    assert "Nothing to see" in reader and reader.count("<mark>") == 3  # the whole article
    at.toggle(key="w_passages").set_value(True).run()
    assert at.query_params["passages"] == "1"
    reader = at.html[-1].value
    assert "Nothing to see" not in reader and "Still nothing" not in reader
    assert reader.count("<mark>") == 3 and reader.count("[...]") == 1


def test_reader_escapes_hostile_text(monkeypatch, tmp_path) -> None:
    corpus = tmp_path / "hostile"
    corpus.mkdir()
    (corpus / "x.txt").write_text(
        " date 2023-01-01 <script>alert(1)</script> **bold** $x^2$\n\n"
        "Body with <img src=x onerror=alert(2)> and [link](javascript:alert(3)).\n")
    at = app(monkeypatch, corpus, tmp_path / "cache", {"doc": "x", "q": "script"},
             "views/articles.py")
    html = " ".join(h.value for h in at.html)
    assert "<script>" not in html and "<img" not in html
    assert "&lt;<mark>script</mark>&gt;" in html and "&lt;img src=x onerror=alert(2)&gt;" in html
    assert "**bold**" in html and "$x^2$" in html


def test_one_sessions_upload_and_dictionary_stay_in_that_session(monkeypatch, tmp_path,
                                                                  small) -> None:
    # Two sessions of one server process share its cached calls (as on a hosted dashboard):
    # what one user uploads or edits must not reach the other.
    first = upload_zip(app(monkeypatch, small, tmp_path),
                       {"mine/a.txt": " date 2021-05-01 Mine\n\nThe digital economy.\n"})
    first.switch_page("views/themes.py").run()
    first.session_state["w_tab"] = "Dictionary"
    first.run()
    first.text_area(key="themes_editor").set_value('[themes]\n"Mine" = ["digital economy"]\n')
    apply_button(first).click().run()
    first.session_state["w_tab"] = "Counts"
    first.run()
    assert not first.exception, [e.message for e in first.exception]
    assert first.dataframe[0].value["theme"].tolist() == ["Mine"]

    second = app(monkeypatch, small, tmp_path)
    index = open_index(small, cache_dir=tmp_path)
    shown = {m.label: m.value for m in second.metric}
    assert shown["Articles"] == f"{an.corpus_info(index)['documents']:,}"
    assert not any("your upload" in e.label for e in second.sidebar.expander)
    second.switch_page("views/themes.py").run()
    expected = an.theme_summary(index)
    assert second.dataframe[0].value["theme"].tolist() == expected["theme"].tolist()
    # and the first session still has its own corpus and dictionary after the second ran
    first.run()
    assert first.dataframe[0].value["theme"].tolist() == ["Mine"]
    assert any("your upload" in e.label for e in first.sidebar.expander)
    assert not first.warning
    # The first session's link, opened by someone else, says what they do not have.
    from urllib.parse import parse_qs, urlsplit

    from dashboard.state import MARK_NOTES

    link = parse_qs(urlsplit(first.sidebar.code[0].value).query)
    assert set(link) >= {"dict", "corpus"} and link["dict"][0].startswith("z.")
    captions = " ".join(c.value for c in first.sidebar.caption)
    assert "only you can see" in captions and "carries your own theme dictionary" in captions
    third = app(monkeypatch, small, tmp_path, link, "views/themes.py")
    shown = [w.value.replace("\\", "") for w in third.sidebar.warning]  # (markdown escapes)
    # (each note shown as a sentence, with a capital): the corpus stays the author's, the
    # dictionary travels with the link and is used
    corpus_note = MARK_NOTES["corpus"]
    assert any(corpus_note[0].upper() + corpus_note[1:] in w for w in shown), shown
    brought = [i.value.replace("\\", "") for i in third.sidebar.info]
    assert any("This link carries its author's own theme dictionary" in w for w in brought)
    assert not any("not in use here" in w for w in shown), shown
    # (The link does not pin the dates of the author's corpus, as a link on the shared corpus
    # does: no one else has it, and its dates left the shared corpus's view empty.)
    assert "dates" not in link
    mine = an.theme_summary(index,
                            themes=parse_themes('[themes]\n"Mine" = ["digital economy"]\n'))
    assert third.dataframe[0].value["theme"].tolist() == ["Mine"]
    assert third.dataframe[0].value["articles"].tolist() == mine["docs"].tolist()
    assert third.query_params["dict"] == link["dict"][0] and "corpus" not in third.query_params
    # Opened in a session with an upload of its own, the note says which corpus is shown.
    first.query_params["corpus"] = "0123456789ab"
    first.run()
    shown = [w.value.replace("\\", "") for w in first.sidebar.warning]
    assert any("this is the corpus you uploaded" in w for w in shown), shown


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc/self/fd")
def test_going_back_to_the_shared_corpus_frees_the_uploads_open_files(monkeypatch,
                                                                       tmp_path) -> None:
    import gc

    at = upload_zip(app(monkeypatch, SEEDS, tmp_path),
                    {"mine/a.txt": " date 2021-05-01 Mine\n\nThe digital economy.\n"})
    folder = at.session_state["upload_folder"]

    def held() -> list[str]:  # (deleted files too, which psutil leaves out)
        gc.collect()
        paths = []
        for fd in os.listdir("/proc/self/fd"):
            try:
                paths.append(os.readlink(f"/proc/self/fd/{fd}"))
            except OSError:
                continue
        return [path for path in paths if path.startswith(folder)]

    assert held(), "the upload's index holds no file open: the test shows nothing"
    at.button(key="upload_reset").click().run()
    assert not at.exception, [e.message for e in at.exception]
    at.run()  # (Streamlit keeps the last run's session values until the next run)
    assert held() == []  # (the folder is removed: files held open would still use the disk)


def test_upload_a_corpus_for_the_session(monkeypatch, tmp_path) -> None:
    at = upload_zip(app(monkeypatch, SEEDS, tmp_path),
                    {"mine/a.txt": " date 2021-05-01 Mine\n\nThe digital economy.\n",
                     "mine/broken.txt": "no date here\n"})
    assert not at.exception, [e.message for e in at.exception]
    assert any("your upload" in e.label for e in at.sidebar.expander)
    skipped = at.dataframe[-1].value if at.dataframe else None
    assert skipped is not None and "mine/broken.txt" in skipped["path"].tolist()
    zip_bomb = io.BytesIO()
    with zipfile.ZipFile(zip_bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("big.txt", b"0" * 5_000_000)
    at.file_uploader(key="upload_files").set_value(("bomb.zip", zip_bomb.getvalue(),
                                                    "application/zip")).run()
    at.button(key="upload_go").click().run()
    assert any("zip bomb" in e.value for e in at.error)


def test_what_an_upload_leaves_out_is_counted_and_listed_in_the_load_report(
        monkeypatch, tmp_path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mine/a.txt", " date 2021-05-01 Mine\n\nThe digital economy.\n")
        archive.writestr("mine/broken.txt", "no date here\n")  # (the corpus's own report)
        archive.writestr("mine/inner.zip", b"PK")  # (not unpacked)
        link = zipfile.ZipInfo("mine/evil")
        link.external_attr = (0o120777) << 16  # (a symbolic link: never followed)
        archive.writestr(link, "/etc/passwd")
    at = app(monkeypatch, SEEDS, tmp_path)
    at.file_uploader(key="upload_files").set_value(("mine.zip", buffer.getvalue(),
                                                    "application/zip")).run()
    at.button(key="upload_go").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert {m.label: m.value for m in at.metric}["Not loaded"] == "3"
    skipped = at.dataframe[-1].value
    assert skipped["path"].tolist() == ["mine.zip: mine/inner.zip", "mine.zip: mine/evil",
                                        "mine/broken.txt"]
    assert skipped["reason"].tolist()[:2] == [
        "a zip inside the zip is not unpacked (upload it on its own); not saved",
        "a symbolic link; not saved"]
    captions = " ".join(c.value for c in at.sidebar.caption)
    assert "1 article, 4 words; 3 not loaded" in captions, captions  # (title and text)
    assert not at.success  # ("Every file was loaded" is not said)


def test_invisible_characters_are_revealed_not_obeyed() -> None:
    from dashboard.ui import rows
    from policydata.columns import reveal

    assert reveal("evil\u202etxt.exe\u200b") == "evil[U+202E]txt.exe[U+200B]"
    assert reveal("plain <b>text</b>") == "plain <b>text</b>"
    assert (rows(1), rows(2, "article")) == ("1 row", "2 articles")


def test_marks_no_link_could_hold_are_said_to_be_ignored(monkeypatch, tmp_path) -> None:
    """A link's corpus= and dict= are fingerprints (or a carried dictionary): other values
    were read as "made on a corpus its author uploaded", which says what is not so."""
    at = app(monkeypatch, SEEDS, tmp_path, {"corpus": "notHex", "dict": "zzz",
                                            "back": "javascript:window.__pwned=1"},
             "views/trends.py")
    shown = " ".join(w.value for w in at.sidebar.warning).replace("\\", "")
    assert "'corpus': 'notHex' is not a fingerprint of an uploaded corpus; ignored" in shown
    assert "'dict': 'zzz' is not a fingerprint of a theme dictionary; ignored" in shown
    assert "'back': the way back to the trend is lost (unknown parameter" in shown
    assert "its author uploaded" not in shown and "own theme dictionary" not in shown
    assert not [b for b in at.sidebar.get("page_link") if "Back" in str(b.proto.label)]
    # a well-formed fingerprint that is not this session's still gets its note
    at = app(monkeypatch, SEEDS, tmp_path, {"corpus": "0123456789ab"}, "views/trends.py")
    shown = " ".join(w.value for w in at.sidebar.warning).replace("\\", "")
    assert "its author uploaded" in shown


def test_chips_and_options_show_invisible_characters_as_codes(monkeypatch, tmp_path) -> None:
    """A shared link's terms, themes and sources read as what they are: three terms that all
    read "digital economy" or a source "xin\u200bhua" that reads "xinhua" misled (the tables
    showed the codes, the chips did not)."""
    corpus = tmp_path / "corpus"
    for source in ("xinhua", "xin\u200bhua"):
        (corpus / source).mkdir(parents=True)
        (corpus / source / "a.txt").write_text(
            f" date 2023-0{len(source) - 5}-02 T\n\nThe digital economy of {source}.\n")
    terms = ["digital economy", "digi\u200btal economy", "\u202eymonoce latigid"]
    at = app(monkeypatch, corpus, tmp_path / "cache",
             {"term": terms, "source": ["xin\u200bhua"], "freq": "year"}, "views/trends.py")
    chosen = at.multiselect(key="w_terms")
    # a term's invisible characters separate words (rule 3): the term shows the space
    # they count as, and a note says so
    assert chosen.value == chosen.options == ["digital economy", "digi tal economy",
                                              "ymonoce latigid"]
    notes = " ".join(w.value.replace("\\", "") for w in at.sidebar.warning)
    assert "'term': 'digi[U+200B]tal economy' holds invisible or direction-changing" in notes
    sources = at.sidebar.multiselect(key="w_source")  # (a name in the corpus: as codes)
    assert sources.value == ["xin\u200bhua"]
    assert sorted(sources.options) == ["xin[U+200B]hua", "xinhua"]
    at.multiselect(key="w_terms").unselect("digi tal economy").run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.query_params["term"] == ["digital economy", "ymonoce latigid"]


def test_chart_labels_show_markup_and_control_characters_as_text(monkeypatch) -> None:
    monkeypatch.syspath_prepend(str(ROOT))
    from dashboard.figures import esc

    assert esc("<b>x</b> \x1b[31m red\u202e") == "&lt;b&gt;x&lt;/b&gt; \\x1b[31m red[U+202E]"


def test_bar_labels_write_numbers_in_full(monkeypatch) -> None:
    # Counts of 10,000 and more once showed as "1.288e+04" beside the word cloud's bars.
    monkeypatch.syspath_prepend(str(ROOT))
    from dashboard.figures import bar_figure

    fig = bar_figure(["a", "b", "c", "d"], [12880.0, 7, 1234.567, 0.25], hover=[""] * 4,
                     title="count")
    assert list(fig.data[0].text) == ["12,880.00", "7.00", "1,234.57", "0.25"]
    # one number of places for every bar: a whole score is not written unlike its neighbours
    fig = bar_figure(["a", "b"], [12880.0, 7], hover=[""] * 2, title="count", decimals=0)
    assert list(fig.data[0].text) == ["12,880", "7"]


@pytest.mark.parametrize("largest", [99.6, 80.0, 50.0, 5.0])
def test_theme_shares_have_no_tick_past_100_percent(monkeypatch, largest) -> None:
    monkeypatch.syspath_prepend(str(ROOT))
    from dashboard.figures import theme_share_figure

    summary = pd.DataFrame({"theme": ["a", "b"], "share": [largest, 1.0], "docs": [9, 1],
                            "count": [12, 1]})
    fig = theme_share_figure(summary, "% of articles")
    high = fig.layout.xaxis.range[1]
    assert high > largest  # room for the number beside the longest bar
    ticks = fig.layout.xaxis.tickvals
    assert (ticks is None and high <= 100) or max(ticks) == 100


def test_word_cloud_bars_show_exact_counts_on_a_real_corpus(monkeypatch, tmp_path_factory,
                                                            ) -> None:
    corpus = shared_corpus("en-fomc-minutes")
    cache = tmp_path_factory.getbasetemp() / "en-fomc-minutes-cache"
    at = app(monkeypatch, corpus, cache, {"weight": "count"}, "views/words.py")
    bars = spec(at)["data"][0]
    top = an.top_terms(open_index(corpus, cache_dir=cache), n=len(bars["y"]))
    assert list(bars["y"]) == top["term"].tolist()
    assert list(bars["text"]) == [f"{int(c):,}" for c in top["count"]]
    assert int(top["count"].max()) >= 10_000


def test_the_dashboard_builds_a_corpus_read_by_build_processes(monkeypatch, tmp_path) -> None:
    # Streamlit runs the page as __main__, and spawned build processes used to run it again
    # and wait for the build's own lock: the first visitor's page never finished.
    corpus = worker_sized_corpus(tmp_path / "corpus")
    at = app(monkeypatch, corpus, tmp_path / "cache")
    assert "Overview" in [t.value for t in at.title]
    assert "220 articles" in " ".join(h.value for h in at.html)


@pytest.mark.parametrize("page", ["views/trends.py", "views/themes.py"])
def test_the_largest_smoothing_the_url_allows_opens(monkeypatch, tmp_path, small, page) -> None:
    at = app(monkeypatch, small, tmp_path, {"term": ["economy"], "smooth": str(MAX_SMOOTH),
                                            "tab": "time"}, page)
    assert at.slider(key="w_smooth").value == MAX_SMOOTH


def test_terms_at_the_length_limit_open_the_trends_page(monkeypatch, tmp_path, small) -> None:
    # The page looks for each term's other number form ("... sheet" -> "... sheets"), which
    # is over the limit for such a term: it stopped the page with a ValueError.
    terms = ["x" * MAX_QUERY_LENGTH, "a" * (MAX_QUERY_LENGTH - 8) + " economy"]
    at = app(monkeypatch, small, tmp_path, {"term": terms}, "views/trends.py")
    assert not at.exception
    assert at.multiselect(key="w_terms").value == terms


def test_a_link_with_many_bad_values_gets_a_few_boxes(monkeypatch, tmp_path, small) -> None:
    at = app(monkeypatch, small, tmp_path, {f"zz{i}": "1" for i in range(200)})
    boxes = [w.value for w in at.sidebar.warning]
    assert len(boxes) == 6 and boxes[-1].startswith("195 more")
    assert "zz0" in boxes[0] and "zz5" in boxes[-1]


def test_url_values_in_notes_are_shown_as_written(monkeypatch, tmp_path, small) -> None:
    # A shared link must not turn its values into links, images or formulas in the notes.
    at = app(monkeypatch, small, tmp_path,
             {"theme": "[Click to log in](https://evil.example/login)",
              "source": "![i](https://evil.example/track.png)", "q": "$economy$"},
             "views/articles.py")
    notes = [w.value for w in at.sidebar.warning]
    assert len(notes) == len(set(notes)) == 2
    # (a bare address gets a word joiner, or Markdown would still make it a link)
    assert any("\\[Click to log in\\]\\(https\\:\u2060\\/\\/evil" in n for n in notes)
    assert any("\\!\\[i\\]\\(https\\:\u2060\\/\\/evil\\.example\\/track\\.png\\)" in n
               for n in notes)
    assert not any("](" in n or "![" in n for n in notes)
    # the search (a valid query) names the keyword-in-context lines without becoming LaTeX
    assert any("\\$economy\\$" in e.label for e in at.expander)


def test_trends_offer_the_corpus_phrases_and_add_one_on_click(monkeypatch, tmp_path,
                                                              small) -> None:
    at = app(monkeypatch, small, tmp_path, page="views/trends.py")
    index = open_index(small, cache_dir=tmp_path)
    expected = an.top_terms(index, n=8, ngram=2, stopwords=list(an.default_stopwords()))
    buttons = {b.key: b.label for b in at.button if b.key and b.key.startswith("suggest_")}
    offered = [buttons[f"suggest_{i}"] for i in range(len(buttons))]  # (drawn in columns)
    assert offered == expected["term"].tolist() and "digital economy" in offered
    # only the chosen terms are options of the terms box (Enter adds what was typed)
    assert at.multiselect(key="w_terms").options == []
    next(b for b in at.button if b.label == "digital economy").click().run()
    assert not at.exception
    assert at.query_params["term"] == "digital economy"
    assert spec(at)["data"][0]["name"] == "digital economy"


def test_a_term_found_nowhere_is_said_so(monkeypatch, tmp_path, small) -> None:
    at = app(monkeypatch, small, tmp_path, {"term": ["digital economy", "zebra crossing"]},
             "views/trends.py")
    assert any("'zebra crossing' does not occur" in c.value for c in at.caption)
    assert not any("'digital economy' does not occur" in c.value for c in at.caption)


def test_default_period_depends_on_the_corpus_span(monkeypatch, tmp_path) -> None:
    # 1990 to 2023: 408 months would be drawn by month; quarters are 136.
    corpus = tmp_path / "long"
    for year in (1990, 2001, 2023):
        write_article(corpus, f"{year}.txt", f"{year}-03-01", f"A {year}", "The real economy.")
    at = app(monkeypatch, corpus, tmp_path / "cache", {"term": ["real economy"]},
             "views/trends.py")
    assert at.segmented_control(key="w_freq").value == "quarter"
    assert "freq" not in at.query_params  # the default stays out of the link
    periods = list(spec(at)["data"][0]["x"])
    assert periods[0] == "1990Q1" and periods[-1] == "2023Q1" and len(periods) == 133
    # a period without articles is a gap, not a zero
    assert values(spec(at)["data"][0])[1] != values(spec(at)["data"][0])[1]  # NaN
    at = app(monkeypatch, corpus, tmp_path / "cache", {"term": ["real economy"],
                                                       "freq": "month"}, "views/trends.py")
    assert at.segmented_control(key="w_freq").value == "month"
    assert at.query_params["freq"] == "month"


def test_two_clouds_side_by_side_are_drawn_for_their_width(monkeypatch, tmp_path,
                                                           small) -> None:
    # Shown about 400 pixels wide, a cloud drawn 900 wide had 4-pixel words that ran together.
    import io

    from PIL import Image

    from dashboard import figures

    asked: list[bool] = []
    real = data.cloud_png

    def spy(terms, weights, *, narrow=False):
        asked.append(narrow)
        return real(terms, weights, narrow=narrow)

    monkeypatch.setattr(data, "cloud_png", spy)
    app(monkeypatch, small, tmp_path, {"weight": "count"}, "views/words.py")
    assert asked == [False]
    asked.clear()
    app(monkeypatch, small, tmp_path, {"weight": "count", "compare": "dates",
                                       "dates": ["2022-01-01", "2022-12-31"],
                                       "dates2": ["2023-01-01", "2023-12-31"]},
        "views/words.py")
    assert asked == [True, True]
    for canvas in (figures.CLOUD_WIDE, figures.CLOUD_NARROW):
        png = figures.wordcloud_png(["digital economy", "real", "plan"], [3.0, 2.0, 1.0],
                                    canvas=canvas)
        assert png is not None and Image.open(io.BytesIO(png)).size == canvas[:2]


def test_two_clouds_share_one_scale(monkeypatch, tmp_path, small) -> None:
    at = app(monkeypatch, small, tmp_path, {"weight": "count", "compare": "dates",
                                            "dates": ["2022-01-01", "2022-03-31"],
                                            "dates2": ["2022-01-01", "2023-12-31"]},
             "views/words.py")
    left, right = spec(at, 0), spec(at, 1)
    assert left["layout"]["xaxis"]["range"] == right["layout"]["xaxis"]["range"]
    assert max(values({"y": right["data"][0]["x"]})) > 2 * max(
        values({"y": left["data"][0]["x"]}))  # the shorter bars are shorter to the eye


def test_an_upload_removed_after_its_time_falls_back_to_the_shared_corpus(
        monkeypatch, tmp_path) -> None:
    import shutil

    at = upload_zip(app(monkeypatch, SEEDS, tmp_path),
                    {"mine/a.txt": " date 1999-05-01 Mine\n\nThe digital economy.\n"})
    assert any("your upload" in e.label for e in at.sidebar.expander)
    # the upload's own dates, not the shared corpus's, fill the date range
    assert at.date_input(key="w_dates").value == (dt.date(1999, 5, 1), dt.date(1999, 5, 1))
    shutil.rmtree(at.session_state["upload_folder"])  # as sweep_uploads does when unused
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert any("seeds" in e.label for e in at.sidebar.expander)
    assert any("removed after 2 hours" in t.value for t in at.toast)
    assert at.date_input(key="w_dates").value == (dt.date(2023, 9, 2), dt.date(2023, 9, 2))


def test_partial_periods_are_banded_and_smoothing_shows_the_period_alone() -> None:
    from dashboard import figures

    frame = pd.DataFrame({"period": ["2021", "2022"], "term": ["x", "x"], "count": [10, 2],
                          "docs": [5, 1], "articles": [10, 4], "words": [1000, 400]})
    partial = {"2022": (dt.date(2022, 1, 1), dt.date(2022, 3, 31))}
    fig = figures.trend_figure(frame, "count", 2, partial=partial)
    line, bars = fig.data
    assert [(band.x0, band.x1) for band in fig.layout.shapes] == [(0.5, 1.5)] * 2  # 2022, both panels
    assert [note.text for note in fig.layout.annotations] == ["partial"]
    note = fig.layout.annotations[0]  # above the plot area, clear of a point at its top
    assert (note.y, note.yanchor, note.yref) == (1, "bottom", "y domain")
    assert list(bars.marker.pattern.shape) == ["", "/"]
    assert list(line.y) == [10.0, 6.0]  # the 2-period average...
    assert [row[6] for row in line.customdata] == ["10", "2"]  # ...beside each period alone
    assert "this period alone" in line.hovertemplate
    assert "2022-01-01 to 2022-03-31" in line.customdata[1][7]
    assert "this period alone" not in figures.trend_figure(frame, "count", 1).data[0].hovertemplate
    # matches are whole numbers in the hover; rates and averages have two decimals
    assert "%{y:,.0f}" in figures.trend_figure(frame, "count", 1).data[0].hovertemplate
    assert "%{y:,.2f}" in line.hovertemplate
    assert "%{y:,.2f}" in figures.trend_figure(frame, "per_10k", 1).data[0].hovertemplate


def test_a_trend_point_is_as_large_as_the_articles_behind_it() -> None:
    # A period of one article must not look as solid as one of many (the strip below the
    # chart says how many; the points say it too).
    from dashboard import figures

    frame = pd.DataFrame({"period": ["2021", "2022", "2023"] * 2, "term": ["a"] * 3 + ["b"] * 3,
                          "count": [1, 5, 2, 0, 1, 1], "docs": [1, 4, 1, 0, 1, 1],
                          "articles": [1, 16, 4, 1, 16, 4], "words": [50, 800, 200] * 2})
    for line in figures.trend_figure(frame, "per_10k", 1).data[:2]:
        sizes = list(line.marker.size)
        assert sizes[1] == figures.POINT_SIZES[1]  # the period with the most articles
        assert figures.POINT_SIZES[0] < sizes[0] < sizes[2] < sizes[1]  # 1 < 4 < 16 articles


def test_a_line_without_matches_is_drawn_under_the_others() -> None:
    # At zero it hid a term with a match or two, said nowhere (its caption names only the
    # term that does not occur); the legend keeps the order the terms were asked in.
    from dashboard import figures

    frame = pd.DataFrame({"period": ["2021", "2022"] * 3, "term": ["a", "a", "b", "b", "c", "c"],
                          "count": [0, 1, 0, 0, 3, 2], "docs": [0, 1, 0, 0, 2, 2],
                          "articles": [5] * 6, "words": [100] * 6})
    lines = figures.trend_figure(frame, "count", 1).data[:3]
    assert [line.name for line in lines] == ["b", "a", "c"]
    assert [line.legendrank for line in lines] == [1001, 1000, 1002]
    assert [line.line.color for line in lines] == [figures.PALETTE[1], figures.PALETTE[0],
                                                   figures.PALETTE[2]]


def test_each_trend_line_has_its_own_marker_shape() -> None:
    # Terms at the same values (all at 100% of articles) hide each other's lines; their
    # points still show, each in its own shape.
    from dashboard import figures

    frame = pd.DataFrame({"period": ["2021", "2021", "2021"], "term": ["a", "b", "c"],
                          "count": [1, 1, 1], "docs": [1, 1, 1], "articles": [1, 1, 1],
                          "words": [10, 10, 10]})
    lines = figures.trend_figure(frame, "docs", 1).data[:3]
    assert [line.marker.symbol for line in lines] == figures.SYMBOLS[:3]
    assert len(set(figures.SYMBOLS)) == len(figures.SYMBOLS)


@pytest.mark.parametrize(("labels", "ticks"), [
    (["2020", "2021"], ["2020", "2021"]),
    ([str(y) for y in range(1790, 2024)], [str(y) for y in range(1790, 2024, 10)]),
    ([f"{y}Q{q}" for y in range(2010, 2024) for q in range(1, 5)],
     [f"{y}Q1" for y in range(2010, 2024)]),
    ([f"{y}-{m:02d}" for y in range(2009, 2024) for m in range(1, 13)],
     [f"{y}-01" for y in range(2009, 2024)]),
    ([f"{y}-{m:02d}" for y in range(2021, 2024) for m in range(1, 13)],
     [f"{y}-{m:02d}" for y in range(2021, 2024) for m in (1, 4, 7, 10)]),
])
def test_crowded_period_axes_label_round_periods(labels: list[str], ticks: list[str]) -> None:
    from dashboard.figures import period_ticks

    assert period_ticks(labels) == ticks


def test_theme_names_are_not_read_as_hover_templates() -> None:
    from dashboard import figures

    frame = pd.DataFrame({"period": ["2023"], "theme": ["%{x} fake %{y}"], "count": [1],
                          "docs": [1], "articles": [1], "words": [10]})
    trace = figures.trend_figure(frame, "count", 1, by="theme").data[0]
    assert "fake" not in trace.hovertemplate and "%{customdata[1]}" in trace.hovertemplate
    assert trace.customdata[0][1] == "%{x} fake %{y}"


def test_damaged_texts_found_by_the_reader_are_rebuilt(monkeypatch, tmp_path) -> None:
    corpus = tmp_path / "corpus"
    write_article(corpus, "a.txt", "2023-01-01", "T", "The digital economy grows.")
    at = app(monkeypatch, corpus, tmp_path / "cache")
    texts = next((tmp_path / "cache").glob("*/segments/*/texts.parquet"))
    data = bytearray(texts.read_bytes())
    data[len(data) // 2] ^= 0x01
    texts.write_bytes(bytes(data))
    at.switch_page("views/articles.py")
    at.query_params["doc"] = "a"
    at.query_params["q"] = "digital economy"
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert "<mark>digital economy</mark>" in " ".join(h.value for h in at.html)


def test_kwic_lines_show_the_words_next_to_the_match(monkeypatch, tmp_path) -> None:
    # A concordance: each line's whole context, as the CSV has it, laid out by the page (the
    # browser cuts the far ends to the width it has); hostile text stays text.
    corpus = tmp_path / "c"
    body = ("Participants in the long meeting of the committee generally noted that the "
            "pandemic weighed heavily on economic activity, employment and inflation in the "
            "second quarter of the year. <script>alert(1)</script> the pandemic again.")
    write_article(corpus, "a.txt", "2020-06-10", "Minutes <b>x</b>", body)
    at = app(monkeypatch, corpus, tmp_path / "cache", {"q": "pandemic"}, "views/articles.py")
    index = open_index(corpus, cache_dir=tmp_path / "cache")
    whole = an.kwic(index, "pandemic")
    shown = concordance(at)
    assert len(whole) == 2
    for column in ("date", "title", "left", "match", "right"):
        assert shown[column].astype(str).tolist() == whole[column].astype(str).tolist()
    assert shown["left"].iat[0] == "meeting of the committee generally noted that the"  # 8 words
    page = " ".join(h.value for h in at.html)
    assert "<script>" not in page and "<b>x</b>" not in page
    # a scraped blob makes one "word" of 100,000 letters: the page holds a bounded part of it
    blob = "q" * 100_000
    write_article(tmp_path / "blob", "b.txt", "2020-06-11", "Blob",
                  f"{blob} pandemic {blob}. Pandemic{blob}")
    at = app(monkeypatch, tmp_path / "blob", tmp_path / "cache", {"q": "pandemic*"},
             "views/articles.py")
    lines = concordance(at)
    assert len(lines) == 2 and max(lines[c].str.len().max() for c in lines.columns) <= 301
    assert sum(len(h.value) for h in at.html) < 20_000


def test_a_drill_down_under_a_search_says_what_the_articles_page_lists(monkeypatch, tmp_path,
                                                                      small) -> None:
    # One search box: the articles page searches for the trend term in place of the
    # sidebar's search, so it can list more articles than the point counted. Said, with the
    # number it lists.
    at = app(monkeypatch, small, tmp_path, {"term": ["digital economy"], "q": "real economy",
                                            "freq": "year", "period": "2022",
                                            "focus": "digital economy"}, "views/trends.py")
    index = open_index(small, cache_dir=tmp_path)
    year = Filter(start=dt.date(2022, 1, 1), end=dt.date(2022, 12, 31))
    behind = an.articles(index, dataclasses.replace(year, query="real economy"),
                         mentioning="digital economy", sort="hits")
    listed = an.articles(index, dataclasses.replace(year, query="digital economy"))
    assert len(listed) > len(behind) > 0  # (the two differ in this corpus)
    assert at.dataframe[0].value["title"].tolist() == behind["title"].tolist()
    said = [c.value for c in at.caption if "searches for" in c.value]
    assert len(said) == 1 and f"it lists {len(listed)} articles of 2022" in said[0], said
    # without a sidebar search the page lists the same articles: nothing to say
    at = app(monkeypatch, small, tmp_path / "2", {"term": ["digital economy"], "freq": "year",
                                                  "period": "2022"}, "views/trends.py")
    assert not [c.value for c in at.caption if "searches for" in c.value]


def test_word_cloud_colours_are_readable_on_white() -> None:
    # WCAG 2 contrast of each colour against white, at least 4.5:1 (AA for normal text), and
    # the drawn cloud uses no other colour for its words' cores.
    from PIL import Image

    from dashboard.figures import CLOUD_COLORS, wordcloud_png

    def luminance(rgb: tuple[int, ...]) -> float:
        channels = [c / 255 for c in rgb[:3]]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    palette = {tuple(int(c[i:i + 2], 16) for i in (1, 3, 5)) for c in CLOUD_COLORS}
    assert all(1.05 / (luminance(rgb) + 0.05) >= 4.5 for rgb in palette)
    words = [f"term{i}" for i in range(40)]
    png = wordcloud_png(words, [float(40 - i) for i in range(40)], canvas=(400, 240, 8))
    image = Image.open(io.BytesIO(png)).convert("RGB")
    counts = Counter(image.get_flattened_data())
    inked = sum(n for rgb, n in counts.items() if rgb != (255, 255, 255))
    cores = sum(n for rgb, n in counts.items() if rgb in palette)
    assert cores > inked / 2, (cores, inked)  # (the edges blend into white; the cores do not)


def test_a_click_on_a_theme_point_lists_its_articles_and_lines(monkeypatch, tmp_path,
                                                               small) -> None:
    at = app(monkeypatch, small, tmp_path, {"tab": "time", "freq": "year", "measure": "count"},
             "views/themes.py")
    index = open_index(small, cache_dir=tmp_path)
    trend = an.theme_trend(index, freq="year")
    theme = trend.loc[trend["count"] > 0, "theme"].iat[0]
    point = {"curve_number": 0, "point_index": 1, "x": "2023", "y": 1.0,
             "customdata": ["2023", theme, 1, 1, 1, 1]}
    at.session_state["themes_trend"] = PlotlyState(
        {"selection": {"points": [point], "point_indices": [1], "box": [], "lasso": []}})
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.query_params["period"] == "2023" and at.query_params["focus_theme"] == theme
    year = an.in_period(Filter(), "2023")
    expected = an.articles(index, year, sort="hits", with_theme=theme)
    point_count = trend.set_index(["period", "theme"]).loc[("2023", theme)]
    table = at.dataframe[0].value
    assert table["title"].tolist() == expected["title"].tolist()
    # the point's own numbers: its articles and its matches, one line a match
    assert len(table) == point_count["docs"] and table["hits"].sum() == point_count["count"]
    lines = concordance(at)
    assert len(lines) == min(point_count["count"], data.KWIC_SHOWN)
    assert list(dict.fromkeys(lines["title"])) == table["title"].tolist()  # (the table's order)
    entries = {str(t) for t in index.themes.entries(theme)}
    assert all(any(m.lower().startswith(e.rstrip("*")) for e in entries)
               for m in lines["match"]), set(lines["match"])
    link = next(p for p in at.get("page_link") if p.proto.label == "Read these articles")
    assert f"theme={theme.replace(' ', '+')}" in link.proto.query_string
    assert "dates=2023-01-01&dates=2023-12-31" in link.proto.query_string.replace("%2C", ",")
    other = trend.loc[(trend["count"] > 0) & (trend["theme"] != theme), "theme"].iat[0]
    click_point(at, "2022", other)  # (straight after: a click on another point is taken)
    assert at.query_params["period"] == "2022" and at.query_params["focus_theme"] == other


def test_the_second_period_starts_empty_and_any_range_can_be_chosen(monkeypatch, tmp_path,
                                                                    small) -> None:
    at = app(monkeypatch, small, tmp_path, {"compare": "dates"}, "views/words.py")
    assert not at.date_input(key="w_dates2").value  # (nothing that looks chosen)
    assert any("Choose the second period" in i.value for i in at.info)
    assert len(at.get("image")) == 1
    # the whole corpus is a second period like any other
    bounds = (dt.date(2022, 1, 1), dt.date(2023, 12, 24))
    index = open_index(small, cache_dir=tmp_path)
    assert (str(index.dates.min()), str(index.dates.max())) == tuple(map(str, bounds))
    at.date_input(key="w_dates2").set_value(bounds).run()
    assert list(at.query_params["dates2"]) == ["2022-01-01", "2023-12-24"]
    assert len(at.get("image")) == 2 and not at.info


def test_the_passages_of_a_one_paragraph_article_are_its_sentences(monkeypatch,
                                                                   tmp_path) -> None:
    # Minutes scraped as one block: "only the passages" shows the sentences with a match.
    filler = "Members reviewed the staff outlook in detail. " * 50
    body = (filler + "The pandemic weighed on activity. " + filler
            + "Officials expected the pandemic to fade. " + filler).strip()
    write_article(tmp_path / "c", "m.txt", "2020-06-10", "Minutes", body)
    at = app(monkeypatch, tmp_path / "c", tmp_path / "cache",
             {"doc": "m", "q": "pandemic", "passages": "1"}, "views/articles.py")
    reader = at.html[-1].value
    assert "Members reviewed" not in reader and reader.count("<mark>") == 2
    assert "The <mark>pandemic</mark> weighed on activity." in reader
    assert reader.count("[...]") == 1
    assert any(c.value.startswith("2 passages of the article") for c in at.caption)


def test_a_search_with_no_article_says_where_the_term_occurs(monkeypatch, tmp_path,
                                                             small) -> None:
    at = app(monkeypatch, small, tmp_path, {"q": "real economy", "dates": ["2021-01-01",
                                                                           "2021-12-31"]},
             "views/articles.py")
    index = open_index(small, cache_dir=tmp_path)
    found = an.corpus_info(index, Filter(query="real economy"))
    assert found["documents"] > 0
    said = [c.value.replace("\\", "") for c in at.caption if "occurs in" in c.value]
    assert said == [f"'real economy' occurs in {found['documents']} articles of the corpus "
                    f"without the other filters, dated {found['first_date']} to "
                    f"{found['last_date']}."]
    assert [i.value for i in at.info] == [
        "No articles match the filters. Widen the date range or clear a filter."]
    # A date range outside the corpus: where the articles the other filters select are dated
    everything = an.corpus_info(index, Filter(sources=("miit",)))
    for page in ("views/trends.py", "views/articles.py"):
        at = app(monkeypatch, small, tmp_path, {"term": "economy", "source": "miit",
                                                "dates": ["2030-01-01", "2030-12-31"]}, page)
        assert [c.value for c in at.caption if c.value.startswith("Without the date")] == [
            f"Without the date range the filters select {everything['documents']} articles, "
            f"dated {everything['first_date']} to {everything['last_date']}."], page
    # A search that matches nowhere: said on every page, not "widen the filters" (there are
    # none to widen), with how a search engine's operators were read
    for page in ("views/articles.py", "views/trends.py", "views/overview.py",
                 "views/themes.py"):
        at = app(monkeypatch, small, tmp_path, {"q": "zebracorn", "term": "economy"}, page)
        assert not [c.value for c in at.caption if "occurs in" in c.value]
        assert [i.value.replace("\\", "") for i in at.info][:1] == [
            "No article in the corpus matches the search 'zebracorn'. Check its spelling, or "
            "search for another form (a * ends a prefix, as in industr*; commas separate "
            "alternatives)."], page
    at = app(monkeypatch, small, tmp_path, {"q": "digital OR real"}, "views/articles.py")
    assert at.info[0].value.replace("\\", "") == (
        "No article in the corpus matches the search 'digital OR real': 'digital OR real' is "
        "searched as the phrase 'digital or real': quotes, -, + and AND, OR, NOT are not "
        "operators here (commas separate alternatives: digital economy, data element*).")


def test_the_heatmap_of_many_themes_draws_those_in_the_most_articles(monkeypatch, tmp_path,
                                                                     small) -> None:
    from dashboard.figures import HEATMAP_THEMES
    from policydata.themes import dictionary_to_link

    words = ["digital", "real", "economy", "the", "a", "and", "of", "china", "growth"]
    many = "[themes]\n" + "".join(f'"T{i:02d}" = ["{words[i % len(words)]}", "zz{i}"]\n'
                                  for i in range(HEATMAP_THEMES + 5))
    at = app(monkeypatch, small, tmp_path, {"dict": dictionary_to_link(many), "tab": "together"},
             "views/themes.py")
    drawn = spec(at)["data"][0]
    assert len(drawn["y"]) == HEATMAP_THEMES
    index = open_index(small, cache_dir=tmp_path)
    frame = an.theme_cooccurrence(index, themes=parse_themes(many))
    own = frame[frame["theme"] == frame["other"]].set_index("theme")["articles"]
    most = own.sort_values(ascending=False, kind="stable").index[:HEATMAP_THEMES]
    assert set(drawn["y"]) == set(drawn["x"]) == set(most)
    left_out = own.drop(most)
    assert len(left_out) == 5 and left_out.max() <= own[most].min()
    assert own[most].sum() > own.sum() - own[most].sum()  # (the test picks something)
    assert any(f"The {HEATMAP_THEMES} themes found in the most articles are drawn, of "
               f"{HEATMAP_THEMES + 5}; the CSV holds every pair." in c.value for c in at.caption)
    # over time, the themes with the most matches (the legend outgrew the chart)
    from dashboard.figures import TREND_THEMES

    at = app(monkeypatch, small, tmp_path, {"dict": dictionary_to_link(many), "tab": "time",
                                            "freq": "year"}, "views/themes.py")
    lines = [t["name"] for t in spec(at)["data"] if t.get("mode", "").startswith("lines")]
    totals = an.theme_trend(index, freq="year", themes=parse_themes(many)).groupby(
        "theme", sort=False)["count"].sum()
    most = totals.sort_values(ascending=False, kind="stable").index[:TREND_THEMES]
    assert sorted(lines) == sorted(most) and len(totals) == HEATMAP_THEMES + 5
    assert totals.drop(most).max() <= totals[most].min()
    assert any(f"The {TREND_THEMES} themes with the most matches are drawn, of "
               f"{HEATMAP_THEMES + 5}" in c.value for c in at.caption)


def test_a_moving_average_that_averages_nothing_is_said(monkeypatch, tmp_path) -> None:
    # One article a year (as addresses or annual reports): by quarter, three quarters in a row
    # never hold two periods with articles, so a 3-quarter average is the unsmoothed line
    for year in range(2015, 2021):
        write_article(tmp_path / "c", f"{year}.txt", f"{year}-02-01", f"Report {year}",
                      "The economy grew. " * (year - 2013))
    said = "Here the moving average averages nothing"
    for page, smooth, quiet in [("views/trends.py", 3, False), ("views/trends.py", 5, True),
                                ("views/themes.py", 3, False), ("views/trends.py", 1, True)]:
        at = app(monkeypatch, tmp_path / "c", tmp_path / "cache",
                 {"term": "economy", "freq": "quarter", "smooth": str(smooth), "tab": "time"},
                 page)
        captions = [c.value for c in at.caption]
        assert any(said in c for c in captions) != quiet, (page, smooth, captions)
        # the chart does equal the periods' own values when nothing is averaged
        index = open_index(tmp_path / "c", cache_dir=tmp_path / "cache")
        frame = an.term_trend(index, ["economy"], freq="quarter")
        assert an.smoothing_averages(frame, smooth) == (smooth == 5)
        # where nothing is averaged, each quarter with the report keeps its own value and
        # the empty quarters after it (up to smooth - 1 of them) carry that value on
        alone = an.measure_values(frame, "per_10k")
        smoothed = an.measure_values(frame, "per_10k", window=smooth)
        measured = frame["articles"].to_numpy() > 0
        same = smoothed[measured].tolist() == alone[measured].tolist()
        assert same != an.smoothing_averages(frame, smooth)
        if smooth > 1 and not an.smoothing_averages(frame, smooth):
            carried = alone.ffill(limit=smooth - 1)
            assert smoothed.fillna(-1).tolist() == carried.fillna(-1).tolist()


def test_a_term_too_long_for_the_cloud_is_cut_not_a_crash() -> None:
    # wordcloud raises when its largest word cannot be placed (a base64 blob, unspaced text)
    from dashboard.figures import CLOUD_TERM, LABEL, bar_figure, short, wordcloud_png

    assert wordcloud_png(["x" * 300, "economy", "digital"], [5.0, 3.0, 2.0]) is not None
    assert wordcloud_png(["x" * 100_000], [1.0]) is not None
    assert len(short("x" * 300, CLOUD_TERM)) == CLOUD_TERM
    fig = bar_figure(["y" * 300, "economy"], [2.0, 1.0], hover=["y" * 300, "economy"], title="t")
    assert max(len(t) for t in fig.layout.yaxis.ticktext) <= LABEL
    assert fig.data[0].hovertext[0] == "y" * 300  # (whole in the hover)


def test_the_together_tab_draws_the_librarys_cooccurrence(monkeypatch, tmp_path, small) -> None:
    at = app(monkeypatch, small, tmp_path, {"tab": "together"}, "views/themes.py")
    text = '[themes]\n"D" = ["digital economy"]\n"R" = ["real economy"]\n'
    at.session_state["w_tab"] = "Dictionary"
    at.run()
    at.text_area(key="themes_editor").set_value(text)
    apply_button(at).click().run()
    at.session_state["w_tab"] = "Together"
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    heatmap = spec(at)["data"][0]
    index = open_index(small, cache_dir=tmp_path)
    co = an.theme_cooccurrence(index, themes=parse_themes(text))
    z = heatmap["z"]
    if isinstance(z, dict):  # (a typed array: plotly's base64 of the whole matrix)
        import base64

        flat = np.frombuffer(base64.b64decode(z["bdata"]), dtype=z["dtype"]).tolist()
    else:
        flat = [v for row in z for v in row]
    assert flat == co["articles"].tolist()
    # by hand (small_corpus): "digital economy" in i % 4 != 0, "real economy" in
    # (i + 1) % 3 != 0, of 24 articles
    d = [i for i in range(24) if i % 4]
    both = [i for i in d if (i + 1) % 3]
    assert heatmap["customdata"][0][1] == (f"{len(both)} of the {len(d)} articles with D "
                                           f"({len(both) / len(d) * 100:.1f}%) also have R")


def test_theme_names_on_the_cooccurrence_axes_are_broken_not_cut() -> None:
    from dashboard.figures import cooccurrence_figure

    names = ["High-quality development and modernisation", "Digital economy"]
    frame = pd.DataFrame([(a, b, 3 if a == b else 1) for a in names for b in names],
                         columns=["theme", "other", "articles"]).assign(share=0.0)
    fig = cooccurrence_figure(frame)
    assert [t.replace("<br>", " ") for t in fig.layout.yaxis.ticktext] == names
    assert fig.layout.yaxis.ticktext[0] == "High-quality development<br>and modernisation"
    assert [t.replace("<br>", " ") for t in fig.layout.xaxis.ticktext] == names
    frame = frame.assign(share=[100.0, 33.3, 33.3, 100.0])  # (as theme_cooccurrence adds)
    hover = cooccurrence_figure(frame).data[0].customdata
    assert hover[0][1] == ("1 of the 3 articles with High-quality development and "
                           "modernisation (33.3%) also have Digital economy")
    assert hover[1][1] == "3 articles with Digital economy"


def test_a_new_period_keeps_the_moving_averages_span(monkeypatch, tmp_path, small) -> None:
    at = app(monkeypatch, small, tmp_path, {"term": ["digital economy"], "freq": "quarter",
                                            "smooth": "4"}, "views/trends.py")
    at.segmented_control(key="w_freq").set_value("month").run()
    assert at.query_params.get("freq", "month") == "month"  # (the default here: not written)
    assert at.query_params["smooth"] == "12"
    assert at.slider(key="w_smooth").value == 12
    at.segmented_control(key="w_freq").set_value("year").run()
    assert "smooth" not in at.query_params and at.slider(key="w_smooth").value == 1
    at.slider(key="w_smooth").set_value(3).run()  # (the slider itself still moves freely)
    assert at.query_params["smooth"] == "3" and at.query_params["freq"] == "year"


def open_page(monkeypatch: pytest.MonkeyPatch, corpus: Path, cache: Path,
              params: dict[str, object], page: str) -> AppTest:
    """A link to ``page`` opened as it is: its first run is that page's (``app`` runs the
    Overview first, which drops what only the Articles page keeps, such as the way back)."""
    monkeypatch.setenv("POLICYDATA_CORPUS", str(corpus))
    monkeypatch.setenv("POLICYDATA_CACHE_DIR", str(cache))
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(page).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_the_dictionary_editor_shows_the_dictionary_in_use_after_leaving_it(monkeypatch,
                                                                            tmp_path,
                                                                            small) -> None:
    # Streamlit forgets a widget's state when a run does not draw it (another tab, another
    # page): the editor was left blank, and Apply then refused the empty text.
    at = app(monkeypatch, small, tmp_path, {"tab": "dictionary"}, "views/themes.py")
    index = open_index(small, cache_dir=tmp_path)
    assert at.text_area(key="themes_editor").value == index.themes.text
    at.session_state["w_tab"] = "Counts"
    at.run()
    at.session_state["w_tab"] = "Dictionary"
    at.run()
    assert at.text_area(key="themes_editor").value == index.themes.text
    apply_button(at).click().run()
    assert not at.error
    # the session's own dictionary, after a visit to another page
    at.text_area(key="themes_editor").set_value(OWN_THEMES)
    apply_button(at).click().run()
    at.switch_page("views/articles.py").run()
    at.switch_page("views/themes.py").run()
    assert at.session_state["w_tab"] == "Dictionary"
    assert at.text_area(key="themes_editor").value == OWN_THEMES
    apply_button(at).click().run()
    assert not at.error and not at.exception
    # a rejected edit is not shown again with the dictionary in use after leaving the tab
    at.text_area(key="themes_editor").set_value("[themes\n")
    apply_button(at).click().run()
    assert any("not valid TOML" in e.value for e in at.error)
    at.session_state["w_tab"] = "Counts"
    at.run()
    at.session_state["w_tab"] = "Dictionary"
    at.run()
    assert at.text_area(key="themes_editor").value == OWN_THEMES and not at.error


def test_the_dictionary_shows_its_entries_as_written(monkeypatch, tmp_path, small) -> None:
    own = '[themes]\n"Trade" = ["e-commerce", "R&D spending", "Supply-chain*"]\n'
    at = app(monkeypatch, small, tmp_path, {}, "views/themes.py")
    at.session_state["w_tab"] = "Dictionary"
    at.run()
    at.text_area(key="themes_editor").set_value(own)
    apply_button(at).click().run()
    listed = next(h.value for h in at.html if "<dl" in h.value)
    assert "e-commerce, R&amp;D spending, Supply-chain*" in listed, listed


def theme_point(index) -> tuple[str, str]:
    """A theme and a year of the small corpus where it has matches."""
    trend = an.theme_trend(index, freq="year")
    found = trend.loc[trend["count"] > 0].iloc[0]
    return str(found["theme"]), str(found["period"])


def test_the_way_back_from_a_drill_down_is_offered_on_every_page(monkeypatch, tmp_path,
                                                                  small) -> None:
    # "Read these articles" sets the point's filters on every page: wherever the user goes
    # next, the sidebar leads back to the trend with the filters as they were.
    from urllib.parse import parse_qs

    at = app(monkeypatch, small, tmp_path, {"term": "digital economy", "freq": "year",
                                            "period": "2023"}, "views/trends.py")
    link = next(p for p in at.get("page_link") if p.proto.label == "Read these articles")
    drill = parse_qs(link.proto.query_string)
    back = parse_qs(drill["back"][0])
    assert back["period"] == ["2023"] and "q" not in back and "dates" not in back
    at = open_page(monkeypatch, small, tmp_path, drill, "views/articles.py")
    assert not [p for p in at.sidebar.get("page_link") if p.proto.label.startswith("Back")]
    assert [p for p in at.main.get("page_link") if p.proto.label.startswith("Back")]
    for page in ("views/trends.py", "views/words.py", "views/overview.py"):
        at.switch_page(page).run()
        assert not at.exception, [e.message for e in at.exception]
        assert at.sidebar.text_input(key="w_q").value == "digital economy"  # (the point's)
        way_back = [p for p in at.sidebar.get("page_link") if p.proto.label.startswith("Back")]
        assert len(way_back) == 1, page
        assert way_back[0].proto.page.endswith("trends")
        assert parse_qs(way_back[0].proto.query_string) == back
    # the way back itself leads nowhere further
    at = open_page(monkeypatch, small, tmp_path, back, "views/trends.py")
    assert not [p for p in at.get("page_link") if p.proto.label.startswith("Back")]
    assert not at.sidebar.text_input(key="w_q").value


def test_a_theme_drill_down_marks_the_theme_in_the_reader_and_leads_back(monkeypatch,
                                                                         tmp_path,
                                                                         small) -> None:
    from urllib.parse import parse_qs

    index = open_index(small, cache_dir=tmp_path)
    theme, year = theme_point(index)
    at = app(monkeypatch, small, tmp_path, {"tab": "time", "freq": "year", "period": year,
                                            "focus_theme": theme}, "views/themes.py")
    link = next(p for p in at.get("page_link") if p.proto.label == "Read these articles")
    drill = parse_qs(link.proto.query_string)
    assert drill["focus_theme"] == [theme] and drill["theme"] == [theme]
    back = parse_qs(drill["back"][0])
    assert back["tab"] == ["time"] and back["period"] == [year]
    assert back["focus_theme"] == [theme] and back["freq"] == ["year"]
    at = open_page(monkeypatch, small, tmp_path, drill, "views/articles.py")
    doc = drill["doc"][0]
    marked = an.article(index, doc, theme=theme)
    assert marked["hits"] > 0
    reader = at.html[-1].value
    assert reader.count("<mark>") == len(marked["body_marks"])
    assert any(f"of the theme {theme!r}" in c.value.replace("\\", "") for c in at.caption)
    assert at.toggle(key="w_passages").value is False  # (offered)
    inside = an.in_period(Filter(themes=(theme,)), year)
    lines = an.kwic(index, index.themes.entries(theme), inside, limit=None, sort="-date")
    label = next(e.label for e in at.expander if "Keyword in context" in e.label)
    assert theme in label.replace("\\", "") and f"({len(lines)} lines)" in label
    assert concordance(at)["match"].tolist() == lines["match"].tolist()
    way_back = next(p for p in at.get("page_link") if p.proto.label.startswith("Back"))
    assert way_back.proto.page.endswith("themes")
    assert parse_qs(way_back.proto.query_string) == back
    # the passages toggle shows only the paragraphs with a match of the theme
    at.toggle(key="w_passages").set_value(True).run()
    assert at.query_params["passages"] == "1" and at.query_params["focus_theme"] == theme
    assert at.html[-1].value.count("<mark>") == len(marked["body_marks"])
    # a search marks the search's matches, as before
    at.sidebar.text_input(key="w_q").input("state council").run()
    assert any("of the search" in c.value for c in at.caption)
    assert not any(f"of the theme {theme!r}" in c.value.replace("\\", "") for c in at.caption)


def test_the_reader_says_when_the_filters_no_longer_select_its_article(monkeypatch, tmp_path,
                                                                       small) -> None:
    index = open_index(small, cache_dir=tmp_path)
    only_digital = an.articles(index, Filter(query="digital economy"))
    only_digital = only_digital[~only_digital["id"].isin(
        an.articles(index, Filter(query="real economy"))["id"])]
    doc = str(only_digital["id"].iat[0])
    at = app(monkeypatch, small, tmp_path, {"q": "digital economy", "doc": doc},
             "views/articles.py")
    said = "not among the articles the filters select"
    assert not any(said in c.value for c in at.caption)
    at.sidebar.text_input(key="w_q").input("real economy").run()
    assert at.query_params["doc"] == doc  # (still open, and said so above it)
    assert any(said in c.value for c in at.caption), [c.value for c in at.caption]
    at.button(key="close_article").click().run()
    assert "doc" not in at.query_params
    assert any("Select a row" in i.value for i in at.info)
    assert not any(said in c.value for c in at.caption)
    # a shared link still opens the article it names, with the same caption
    at = app(monkeypatch, small, tmp_path, {"q": "real economy", "doc": doc},
             "views/articles.py")
    assert at.query_params["doc"] == doc
    assert any(said in c.value for c in at.caption)
    title = only_digital.set_index("id").loc[doc, "title"]
    assert f"{title}</div>" in " ".join(h.value for h in at.html)  # the reader's heading


def test_a_links_notes_are_pointed_at_from_the_top_of_the_page(monkeypatch, tmp_path,
                                                               small) -> None:
    at = app(monkeypatch, small, tmp_path, {"freq": "weekly", "junk": "1",
                                            "term": ["digital economy"]}, "views/trends.py")
    notes = [w.value for w in at.sidebar.warning]
    assert len(notes) == 2
    hints = [w.value for w in at.main.warning]
    assert hints == ["2 notes on this link: see the sidebar."], hints
    assert "weekly" not in hints[0] and "junk" not in hints[0]  # (not said twice)
    at.text_input(key="w_q").input("economy").run()  # the user's own view: notes gone
    assert not at.sidebar.warning and not at.main.warning
    at = app(monkeypatch, small, tmp_path, {"term": ["digital economy"]}, "views/trends.py")
    assert not at.main.warning


def test_keyword_in_context_says_its_order_and_pickers_their_prompt(monkeypatch, tmp_path,
                                                                    small) -> None:
    for sort, said in [("-date", "newest first"), ("hits", "most hits"), ("date", "oldest")]:
        at = app(monkeypatch, small, tmp_path, {"q": "digital economy", "sort": sort},
                 "views/articles.py")
        assert any(f"in the table's order ({said}" in c.value for c in at.caption), sort
        table, lines = at.dataframe[0].value, concordance(at)
        assert list(dict.fromkeys(lines["title"])) == table["title"].tolist(), sort
        assert len(lines) == table["hits"].sum()
    at = app(monkeypatch, small, tmp_path, {"tab": "time", "freq": "year"}, "views/themes.py")
    assert at.selectbox(key="w_period").format_func("") == "choose a period"
    assert at.selectbox(key="w_focus_theme").proto.placeholder == "choose a theme"


def test_a_keyword_in_context_download_reads_a_bounded_amount_of_text(monkeypatch, tmp_path,
                                                                      small) -> None:
    # All the lines when their articles are short enough to read at a click; else those of
    # the first articles, said; none when the first article alone is too long.
    index = open_index(small, cache_dir=tmp_path)
    query = {"q": "digital economy", "sort": "hits"}
    listed = an.articles(index, Filter(query="digital economy"), sort="hits")
    total = int(listed["hits"].sum())
    words = index.words[[index.row_of(doc) for doc in listed["id"]]]

    def download_label(max_words: int) -> tuple[list[str], str]:
        monkeypatch.setattr(data, "KWIC_WORDS", max_words)
        at = app(monkeypatch, small, tmp_path, query, "views/articles.py")
        assert not at.exception, [e.message for e in at.exception]
        labels = [b.proto.label for b in at.get("download_button")]
        return labels, " ".join(c.value for c in at.caption)

    labels, _ = download_label(10_000_000)
    assert f"Download all {total} lines (CSV)" in labels
    cut = int(words[:3].sum())  # the first three articles' words, to the word
    labels, said = download_label(cut)
    lines = int(listed["hits"].head(3).sum())
    assert f"Download {lines} of the {total} lines (CSV)" in labels
    assert "the lines of the first 3 articles" in said and "policydata kwic" in said
    labels, said = download_label(int(words[0]) - 1)
    assert not any("lines" in label for label in labels) and "No download of the lines" in said


@pytest.mark.parametrize("by", ["", "after", "before"])
def test_a_keyword_in_context_download_holds_its_own_lines(tmp_path, small, by) -> None:
    # Sorted, the lines shown are the first of all the lines; a download bounded to the first
    # articles' lines must hold those lines (sorted), not the first lines shown.
    from functools import partial

    from dashboard.ui import download_lines

    index = open_index(small, cache_dir=tmp_path)
    listed = an.articles(index, Filter(query="economy"), sort="date")
    words = index.words[[index.row_of(doc) for doc in listed["id"]]]
    total = int(listed["hits"].sum())
    for max_words, shown in [(int(words[:3].sum()), 40), (10**9, 10), (10**9, total)]:
        rows = an.kwic(index, "economy", limit=shown, by=by)
        whole = partial(an.kwic, index, "economy", limit=None, by=by, max_words=max_words)
        extent = an.kwic_extent(index, "economy", max_words=max_words)
        lines = data.KwicLines(rows, whole, *extent)
        got = download_lines(lines, total, by)
        got = got() if callable(got) else got
        expected = whole()
        assert got.reset_index(drop=True).equals(expected.reset_index(drop=True)), (
            max_words, shown)
        assert len(expected) == extent[1] and 0 < len(expected) <= total


def test_trends_name_the_singular_or_plural_forms_not_counted(monkeypatch, tmp_path) -> None:
    corpus = tmp_path / "c"
    write_article(corpus, "a.txt", "2023-01-05", "Sheets",
                  "The balance sheet grew. Balance sheets shrank; balance sheets again.")
    write_article(corpus, "b.txt", "2023-02-05", "Policy", "Supply chain policies.")
    at = app(monkeypatch, corpus, tmp_path / "cache",
             {"term": ["balance sheet", "supply chain policy", "inflation*"]}, "views/trends.py")
    said = " ".join(c.value for c in at.caption).replace("\\", "")
    # by hand: "balance sheets" twice, "supply chain policies" once
    assert ("Not counted: 'balance sheets' (2 matches) and 'supply chain policies' (1 match). "
            "A term counts the words as written; to count forms together, join them with a "
            "comma: balance sheet, balance sheets.") in said
    at = app(monkeypatch, corpus, tmp_path / "cache",
             {"term": ["balance sheet, balance sheets"]}, "views/trends.py")
    assert not any("Not counted" in c.value for c in at.caption)


def test_a_refused_trend_term_is_said_once_and_leaves_the_box(monkeypatch, tmp_path,
                                                              small) -> None:
    at = app(monkeypatch, small, tmp_path, {"term": ["digital economy"]}, "views/trends.py")
    at.multiselect(key="w_terms").set_value(["digital economy", "x" * 300]).run()
    notes = " ".join(w.value for w in at.sidebar.warning).replace("\\", "")
    assert "A trend term: 300 characters long (limit 200); ignored" in notes
    assert at.multiselect(key="w_terms").value == ["digital economy"]
    at.multiselect(key="w_terms").set_value(["digital economy", "real economy"]).run()
    assert not any("300 characters" in w.value for w in at.sidebar.warning)
    assert at.query_params["term"] == ["digital economy", "real economy"]


def test_a_search_engines_operators_typed_are_said_to_be_words(monkeypatch, tmp_path,
                                                                small) -> None:
    at = app(monkeypatch, small, tmp_path, {"term": ["digital economy"]}, "views/trends.py")
    at.text_input(key="w_q").set_value("digital OR real").run()
    notes = " ".join(w.value for w in at.sidebar.warning).replace("\\", "")
    assert "The search: 'digital OR real' is searched as the phrase 'digital or real'" in notes
    assert at.query_params["q"] == "digital OR real"  # (kept as typed)
    at.multiselect(key="w_terms").set_value(["digital economy", "-economy"]).run()
    notes = " ".join(w.value for w in at.sidebar.warning).replace("\\", "")
    assert "A trend term: '-economy' is searched as the phrase 'economy'" in notes
    assert "The search:" not in notes  # (said once, when typed)
    # a link with such a search or term says so too: its reader did not type it
    at = app(monkeypatch, small, tmp_path, {"q": "digital OR real", "term": ["economy", "-real"]},
             "views/trends.py")
    notes = [w.value.replace("\\", "") for w in at.sidebar.warning]
    assert any("The search: 'digital OR real' is searched as the phrase 'digital or real'" in n
               for n in notes), notes
    assert any("A trend term: '-real' is searched as the phrase 'real'" in n for n in notes)
    assert not any("'economy'" in n for n in notes)
    at.run()  # (and the notes stay while the view is the one the link opened)
    assert len(at.sidebar.warning) == len(notes)


def test_searches_and_dictionaries_too_costly_for_the_corpus_are_refused(monkeypatch,
                                                                         tmp_path, small) -> None:
    # A search of one-letter prefixes goes through most of a large corpus's postings (seconds
    # for each new spelling of it): over Index.check_work's limit it is dropped with a note,
    # as a term, in the search box and as a theme of one's own. The limit is lowered here so
    # that the small corpus stands for a large one.
    import policydata.index

    index = open_index(small, cache_dir=tmp_path)
    costly = "d*, r*, e*"
    cheap = "digital economy"
    limit = index.query_work(an.parse_query(costly)) - 1
    assert index.query_work(an.parse_query(cheap)) <= limit
    monkeypatch.setattr(policydata.index, "MAX_QUERY_WORK", limit)
    at = app(monkeypatch, small, tmp_path, {"q": costly, "term": [cheap, costly]},
             "views/trends.py")
    notes = " ".join(w.value for w in at.sidebar.warning)
    assert "matches too much of this corpus" in notes
    assert "q" not in at.query_params
    assert at.query_params["term"] == cheap
    at.text_input(key="w_q").set_value(costly).run()
    assert not at.exception and "q" not in at.query_params
    # (typed, the note names the search box, not the link's parameter)
    said = " ".join(w.value for w in at.sidebar.warning).replace("\\", "")
    assert "The search: the search 'd*, r*, e*' matches too much" in said, said
    at.switch_page("views/themes.py").run()
    at.session_state["w_tab"] = "Dictionary"
    at.run()
    at.text_area(key="themes_editor").set_value(f'[themes]\nWide = ["{costly}"]\n'.replace(
        ", ", '", "'))
    apply_button(at).click().run()
    assert not at.exception
    assert any("theme 'Wide'" in e.value and "too much" in e.value for e in at.error)
    assert at.dataframe, "the Themes page drew no table after the refused dictionary"
    assert "Wide" not in at.dataframe[0].value["theme"].tolist()
    # Many themes, each under the limit, that together pass the dictionary's (a link could
    # carry 200 themes of two-letter prefixes: ten seconds at 100,000 articles).
    many = [f'T{i} = ["{cheap}"]' for i in range(40)]
    work = index.query_work(an.parse_query(cheap))
    monkeypatch.setattr(policydata.index, "MAX_DICTIONARY_WORK", 40 * work - 1)
    at.text_area(key="themes_editor").set_value("[themes]\n" + "\n".join(many) + "\n")
    apply_button(at).click().run()
    assert not at.exception
    said = " ".join(e.value for e in at.error).replace("\\", "")  # (markdown escapes)
    assert ("the dictionary's 40 themes match too much of this corpus to count at once "
            f"({40 * work:,} postings and positions") in said, said
    monkeypatch.setattr(policydata.index, "MAX_DICTIONARY_WORK", 40 * work)
    apply_button(at).click().run()  # (at the limit: counted)
    assert not at.error
    at.session_state["w_tab"] = "Counts"
    at.run()
    assert at.dataframe[0].value["theme"].tolist()[:1] == ["T0"]


def test_a_theme_resting_on_one_entry_is_named_on_the_overview_and_themes(monkeypatch,
                                                                          tmp_path) -> None:
    # Minutes that say "manufacturing" every time hold the default dictionary's real economy
    # theme in every article through that one word: both pages say so, with the numbers
    for i in range(6):
        write_article(tmp_path / "c", f"{i}.txt", f"2020-0{i + 1}-10", f"Minutes {i}",
                      "Manufacturing output rose. " + ("The real economy grew." if i == 0 else ""))
    index = open_index(tmp_path / "c", cache_dir=tmp_path / "cache")
    resting = an.one_entry_themes(an.theme_summary(index), an.theme_entries(index))
    assert resting[["entry", "only", "docs"]].values.tolist() == [["manufacturing", 5, 6]]
    name = resting["theme"].iat[0]
    said = (f"1 theme rests on one entry in most of its articles: {name!r} on 'manufacturing' "
            "(alone, or with longer entries holding it, in 5 of its 6 articles)")
    for page in ("overview", "views/themes.py"):
        at = app(monkeypatch, tmp_path / "c", tmp_path / "cache", None, page)
        assert any(said in c.value.replace("\\", "") for c in at.caption), (
            page, [c.value for c in at.caption])
    at = app(monkeypatch, tmp_path / "c", tmp_path / "cache", {"tab": "dictionary"},
             "views/themes.py")
    table = at.dataframe[0].value.set_index("entry")
    assert table.loc["manufacturing", "articles as its only entry"] == 5
    assert table.loc["real economy", "articles as its only entry"] == 0


def test_a_charts_png_is_named_for_what_it_shows(monkeypatch, tmp_path, small) -> None:
    # The camera button's PNG carries the terms, period and filters, like the CSV beside it:
    # two saved charts no longer both land as term-trends.png
    def names(at: AppTest) -> list[str]:
        return [json.loads(c.proto.config)["toImageButtonOptions"]["filename"]
                for c in at.get("plotly_chart")]

    at = app(monkeypatch, small, tmp_path, {"term": ["digital economy", "real economy"],
                                            "freq": "year", "q": "economy",
                                            "dates": ["2022-01-01", "2022-12-31"]},
             "views/trends.py")
    assert names(at) == ["term-trends-digital-economy-real-economy-year-economy-2022-01-01-to-"
                         "2022-12-31"]
    at = app(monkeypatch, small, tmp_path, {"tab": "time", "freq": "quarter",
                                            "theme": "Digital economy"}, "views/themes.py")
    assert names(at) == ["theme-trend-quarter-digital-economy"]
    at = app(monkeypatch, small, tmp_path, {"freq": "year", "source": "miit"})
    assert names(at)[:2] == ["articles-per-period-year-miit", "themes-miit"]
    at = app(monkeypatch, small, tmp_path, {"weight": "tfidf", "dates": [
        "2023-01-01", "2023-12-31"]}, "views/words.py")
    assert names(at) == ["top-terms-tfidf-1-word-2023-01-01-to-2023-12-31"]
    # a search and edited stopwords name the cloud's downloads too (two views, two names)
    at = app(monkeypatch, small, tmp_path, {"weight": "count", "q": "economy",
                                            "stop": ["digital", "-the"]}, "views/words.py")
    assert names(at) == ["top-terms-count-1-word-economy-2-stopword-edits"]


def test_a_click_on_a_smoothed_point_without_articles_says_so(monkeypatch, tmp_path) -> None:
    # A moving average draws a point in a month without articles (the mean of the months
    # before it); a click there has no articles to list, and says so instead of doing nothing
    for month in (1, 3, 4):
        write_article(tmp_path / "c", f"{month}.txt", f"2020-{month:02d}-10", f"M{month}",
                      "The economy grew.")
    for page in ("views/trends.py", "views/themes.py"):
        at = app(monkeypatch, tmp_path / "c", tmp_path / "cache",
                 {"term": "economy", "freq": "month", "smooth": "2", "tab": "time",
                  "period": "2020-03"}, page)
        trace = next(t for t in spec(at)["data"] if t.get("customdata"))
        point = {"curve_number": 0, "point_index": 1, "x": "2020-02", "y": 1.0,
                 "customdata": trace["customdata"][1]}
        assert point["customdata"][0] == "2020-02" and point["customdata"][8] == "0"
        at.session_state[drawn_chart_key(at)] = PlotlyState(
            {"selection": {"points": [point], "point_indices": [1], "box": [], "lasso": []}})
        at.run()
        assert not at.exception, [e.message for e in at.exception]
        assert any(i.value.startswith("2020-02 has no articles: the moving average runs "
                                      "through it") for i in at.info), (page, at.info)
        assert at.query_params["period"] == "2020-03"  # (the period listed stays)
        at.run()  # (said once: the next rerun lists 2020-03 as before)
        assert not any(i.value.startswith("2020-02") for i in at.info)


def test_a_keyness_cloud_against_an_empty_other_cloud_says_which(monkeypatch, tmp_path,
                                                                  small) -> None:
    # "the reference selects none; widen it" named no reference: here it is cloud B
    at = app(monkeypatch, small, tmp_path, {"weight": "keyness", "compare": "dates",
                                            "dates": ["2022-01-01", "2022-12-31"],
                                            "dates2": ["2030-01-01", "2030-12-31"]},
             "views/words.py")
    said = [i.value.replace("\\", "") for i in at.info]
    assert any(s.startswith("Cloud B has no articles, so keyness has nothing to compare "
                            "these with: choose another second period") for s in said), said
    # (what selects none is B's period, not the sidebar's filters: B says so)
    assert any(s.startswith("No article is in B: its period selects none of the articles "
                            "the sidebar's other filters select") for s in said), said
    assert not any(s.startswith("No articles match the filters") for s in said), said
    # so with a second theme no article has (by count: B draws nothing, A draws its cloud)
    at = app(monkeypatch, small, tmp_path, {"weight": "count", "compare": "theme",
                                            "theme2": "Party leadership"}, "views/words.py")
    said = [i.value.replace("\\", "") for i in at.info]
    assert any(s.startswith("No article is in B: its theme selects none") for s in said), said
    assert len(at.get("image")) == 1


def test_the_reader_links_an_articles_address_only_when_it_is_plain_http(monkeypatch,
                                                                          tmp_path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "t.csv").write_text(
        "date,title,text,url\n"
        '2023-01-02,Web,x,"https://example.org/a?b=1&c=""2"""\n'
        "2023-01-03,Script,y,javascript:alert(1)\n"
        "2023-01-04,Hidden,z,https://evil.example/\u202egnp.exe\n")
    reader = {}
    for doc in ("t#1", "t#2", "t#3"):
        at = app(monkeypatch, corpus, tmp_path / "cache", {"doc": doc}, "views/articles.py")
        reader[doc] = " ".join(h.value for h in at.html)
    assert ('<a href="https://example.org/a?b=1&amp;c=&quot;2&quot;" target=\'_blank\' '
            "rel='noopener noreferrer nofollow'>") in reader["t#1"]
    # another scheme, or a character that hides what the address is: text, not a link
    assert "<a " not in reader["t#2"] and "javascript:alert(1)" in reader["t#2"]
    assert "<a " not in reader["t#3"] and "[U+202E]gnp.exe" in reader["t#3"]


def _shown(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_a_look_for_new_files_shows_them_to_every_session(monkeypatch, tmp_path) -> None:
    corpus = small_corpus(tmp_path / "corpus")
    cache = tmp_path / "cache"
    first = app(monkeypatch, corpus, cache)
    other = app(monkeypatch, corpus, cache, {"term": "digital economy"}, page="views/trends.py")
    assert _shown(first)["Articles"] == "24"
    assert "The server read this corpus at" in " ".join(c.value for c in first.caption)
    before = spec(other)
    # (One new article is dated after the corpus's last date: the date range that was the
    # whole corpus grows to it.)
    write_article(corpus / "xinhua", "new.txt", "2023-12-30", "New", "Digital economy. " * 5)
    write_article(corpus / "miit", "new.txt", "2023-06-30", "New too", "The real economy.")
    (corpus / "miit" / "000.txt").unlink()

    first.button(key="rescan").click().run()
    assert not first.exception
    assert _shown(first)["Articles"] == "25"
    said = " ".join(s.value for s in first.success)
    assert "Files added: 2, changed: 0, removed: 1 (2 articles read;" in said, said
    assert not first.toast  # (the session that looked is told on the page)
    index = open_index(corpus, cache_dir=cache)
    assert int(index.words.sum()) == int(_shown(first)["Words"].replace(",", ""))

    # Another session draws from the new index on its next run, and is told why its numbers
    # moved; the trend holds the new article's matches.
    other.run()
    assert not other.exception
    assert "read again" in " ".join(t.value for t in other.toast)
    after = spec(other)
    assert after != before
    trend = an.term_trend(index, ["digital economy"], Filter(), freq="month")
    assert values(after["data"][0])[-1] == pytest.approx(trend["per_10k"].iloc[-1])
    other.run()
    assert not other.toast  # (told once)

    # A second look at once is refused, saying when to look again; after the wait, a look
    # that finds nothing says so and leaves the index as it was.
    first.button(key="rescan").click().run()
    assert "less than 30 seconds ago" in " ".join(i.value for i in first.info)
    monkeypatch.setattr(data, "RESCAN_SECONDS", 0.0)
    first.button(key="rescan").click().run()
    assert "No file was added, changed or removed since (25 files)" in " ".join(
        s.value for s in first.success)
    other.run()
    assert not other.toast


def test_an_uploaded_corpus_offers_no_look_for_new_files(monkeypatch, tmp_path) -> None:
    at = app(monkeypatch, SEEDS, tmp_path / "cache")
    assert at.button(key="rescan")
    upload_zip(at, {"a.txt": " date 2023-01-02 A\n\nDigital economy.\n"})
    assert not [b for b in at.button if b.key == "rescan"]
    with pytest.raises(ValueError):
        data.look_for_new_files(data.upload_source(tmp_path))


def test_date_notes_and_the_moving_average_describe_the_filtered_articles(monkeypatch,
                                                                          tmp_path) -> None:
    """A note that some articles are dated only to a year is about the articles the filters
    select (an analyst's daily source was told of another source's years); the sentence of a
    smoothed trend says the window is shorter at the start of the range."""
    corpus = tmp_path / "c"
    for month in (3, 5, 7):
        write_article(corpus, f"daily/{month}.txt", f"2023-{month:02d}-12", f"D{month}",
                      "Trade grew.")
    write_article(corpus, "yearly/a.txt", "2022", "Y", "Trade fell.")
    coarse = "Some articles are dated only to a month or a year"
    params = {"term": "trade", "freq": "month", "smooth": "3"}
    at = app(monkeypatch, corpus, tmp_path / "cache", params, "views/trends.py")
    assert any(c.value.startswith(coarse) for c in at.caption)
    at = app(monkeypatch, corpus, tmp_path / "cache", {**params, "source": "daily"},
             "views/trends.py")
    assert not any(c.value.startswith(coarse) for c in at.caption)
    shown = " ".join(h.value for h in at.html)
    assert ("each month averaged with the 2 before it that have articles (a trailing moving "
            "average: fewer at the start of the date range).") in shown
    at = app(monkeypatch, corpus, tmp_path / "cache", {**params, "source": "yearly",
                                                        "tab": "time"}, "views/themes.py")
    assert any(c.value.startswith(coarse) for c in at.caption)
    at = app(monkeypatch, corpus, tmp_path / "cache", {**params, "source": "daily",
                                                        "tab": "time"}, "views/themes.py")
    assert any(c.value.startswith("Click a point") for c in at.caption)  # (the chart's tab)
    assert not any(c.value.startswith(coarse) for c in at.caption)


def test_the_reader_and_tables_give_a_year_only_date_as_a_year(monkeypatch, tmp_path) -> None:
    corpus = tmp_path / "c"
    write_article(corpus, "a.txt", "1979", "State of the Union", "Inflation is our enemy.")
    write_article(corpus, "b.txt", "1980-01-21", "Another", "Inflation again.")
    at = app(monkeypatch, corpus, tmp_path / "cache", {"q": "inflation"}, "views/articles.py")
    assert sorted(at.dataframe[0].value["date"].tolist()) == ["1979", "1980-01-21"]
    at = app(monkeypatch, corpus, tmp_path / "cache", {"q": "inflation", "doc": "a"},
             "views/articles.py")
    shown = " ".join(h.value for h in at.html)
    assert "1979 · c · " in shown and "1979-01-01" not in shown


def test_points_resting_on_one_or_two_articles_are_said(monkeypatch, tmp_path) -> None:
    """Years with one article each (an address a year) make a share leap between 0% and 100%:
    said under the trend, with how to pool them; a corpus with many articles a period is not
    told so."""
    corpus = tmp_path / "c"
    for year in range(2001, 2011):
        write_article(corpus, f"{year}.txt", f"{year}-02-01", f"Address {year}",
                      "Inflation rose." if year % 2 else "Jobs grew.")
    said = ("10 of the 10 years with articles have only one or two of them (the smallest "
            "points): there one article moves a line between 0% and 100%, which says little "
            "about the language.")
    at = app(monkeypatch, corpus, tmp_path / "cache",
             {"term": "inflation", "freq": "year", "measure": "docs"}, "views/trends.py")
    assert said in [c.value for c in at.caption]
    at = app(monkeypatch, corpus, tmp_path / "cache",
             {"freq": "month", "tab": "time"}, "views/themes.py")
    assert any(c.value.startswith("10 of the 10 months with articles have only one or two")
               and c.value.endswith("from nothing to a peak, which says little about the "
                                    "language; choose quarter or year to pool them.")
               for c in at.caption)
    for month in range(1, 13):  # three articles a month: nothing to say
        for k in range(3):
            write_article(tmp_path / "many", f"{month}-{k}.txt", f"2020-{month:02d}-0{k + 1}",
                          f"A {month} {k}", "Inflation rose.")
    at = app(monkeypatch, tmp_path / "many", tmp_path / "cache",
             {"term": "inflation", "freq": "month", "measure": "docs"}, "views/trends.py")
    assert not any("only one or two" in c.value for c in at.caption)
