"""What pages say about the library's frames (policydata.analysis, its "summaries" section):
the terms that stand out, a trend's span and empty periods, sources ranked, hits summed.

The small corpus (conftest.small_corpus): article i of 24 is dated on day 1 + i % 27 of month
1 + i % 12 of 2022 + i // 12, is in source "miit" when i is even ("xinhua" when odd), and says
"digital economy" i % 4 times and "real economy" (i + 1) % 3 times.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from policydata import analysis as an
from policydata.filters import Filter

D = dt.date

# --------------------------------------------------------------------------- key and ranked terms


def scored(*scores: float) -> pd.DataFrame:
    """A top_terms frame with these scores (highest first)."""
    return pd.DataFrame({"term": [f"t{i}" for i in range(len(scores))],
                         "count": list(range(len(scores), 0, -1)),
                         "docs": [1] * len(scores), "score": list(scores)})


@pytest.mark.parametrize(("weight", "scores", "key"), [
    ("keyness", (30.0, an.KEYNESS_P001, 10.82, 0.5, -4.0), ["t0", "t1"]),
    ("keyness", (9.0, -1.0), []),
    ("count", (5.0, 1.0), ["t0", "t1"]),
    ("tfidf", (3.2, 0.0, -0.1), ["t0"]),
    ("count", (), []),
])
def test_key_terms(weight: str, scores: tuple[float, ...], key: list[str]) -> None:
    top = scored(*scores)
    assert an.key_terms(top, weight=weight)["term"].tolist() == key


@pytest.mark.parametrize(("weight", "n", "terms", "key"), [
    ("keyness", 10, ["t0", "t1", "t2", "t3"], [True, True, False, False]),
    ("keyness", 3, ["t0", "t1", "t2"], [True, True, False]),
    ("count", 10, ["t0", "t1", "t2", "t3"], [True] * 4),
    ("tfidf", 0, [], []),
])
def test_ranked_terms_are_the_first_positive_ones_with_whether_they_stand_out(
        weight: str, n: int, terms: list[str], key: list[bool]) -> None:
    top = scored(30.0, an.KEYNESS_P001, 10.82, 0.5, 0.0, -4.0)
    ranked = an.ranked_terms(top, weight=weight, n=n)
    assert ranked["term"].tolist() == terms
    assert ranked["key"].tolist() == key
    assert_frame_equal(ranked.drop(columns="key"), top.head(len(terms)))


@pytest.mark.parametrize("weight", ["count", "tfidf", "keyness"])
def test_key_and_ranked_terms_of_a_real_ranking_agree(small_index, weight: str) -> None:
    top = an.top_terms(small_index, Filter(sources=("miit",)), n=60, weight=weight,
                       ngram="1-2")
    key = an.key_terms(top, weight=weight)
    ranked = an.ranked_terms(top, weight=weight, n=25)
    assert (ranked["score"] > 0).all() and len(ranked) <= 25
    # what stands out among the first 25 is what stands out, as far as it goes
    assert ranked.loc[ranked["key"], "term"].tolist() == key["term"].head(
        int(ranked["key"].sum())).tolist()
    if weight != "keyness":
        assert ranked["key"].all()


@pytest.mark.parametrize(("call", "said"), [
    (lambda: an.key_terms(scored(1.0), weight="idf"), "not 'idf'"),
    (lambda: an.ranked_terms(scored(1.0), weight="count", n=-1), "not -1"),
])
def test_bad_options_are_named(call, said: str) -> None:
    with pytest.raises(ValueError, match=said):
        call()


# --------------------------------------------------------------------------- trend spans


@pytest.mark.parametrize(("flt", "freq", "span"), [
    (Filter(), "month", None),
    (Filter(start=D(2022, 1, 1), end=D(2023, 12, 31)), "month", None),
    (Filter(start=D(2021, 6, 1)), "month", ("2022-01", "2023-12")),
    (Filter(start=D(2021, 6, 1)), "year", ("2022", "2023")),
    # (the only article of January 2022 is dated the 1st)
    (Filter(start=D(2022, 1, 15)), "month", ("2022-02", "2023-12")),
    (Filter(start=D(2022, 1, 15)), "quarter", None),
    (Filter(end=D(2024, 3, 1)), "year", ("2022", "2023")),
    (Filter(start=D(2024, 1, 1)), "month", None),  # nothing selected: an empty trend
])
def test_narrowed_span(small_index, flt: Filter, freq: str,
                       span: tuple[str, str] | None) -> None:
    frame = an.term_trend(small_index, ["digital economy", "real economy"], flt, freq=freq)
    assert an.narrowed_span(frame, flt, freq=freq) == span
    assert an.narrowed_span(an.corpus_trend(small_index, flt, freq=freq), flt,
                            freq=freq) == span


# --------------------------------------------------------------------------- empty periods


@pytest.mark.parametrize(("flt", "freq", "counted"), [
    (Filter(), "month", (24, 0)),
    (Filter(), "year", (2, 0)),
    # miit's articles are those of the odd months, 2022-01 to 2023-11
    (Filter(sources=("miit",)), "month", (23, 11)),
    (Filter(sources=("miit",)), "quarter", (8, 0)),
    (Filter(query="no such words"), "month", (0, 0)),
])
def test_count_periods(small_index, flt: Filter, freq: str, counted: tuple[int, int]) -> None:
    assert an.count_periods(an.corpus_trend(small_index, flt, freq=freq)) == counted
    # a period with several terms or themes counts once
    terms = an.term_trend(small_index, ["digital economy", "real economy"], flt, freq=freq)
    assert an.count_periods(terms) == counted
    assert an.count_periods(an.theme_trend(small_index, flt, freq=freq)) == counted


# --------------------------------------------------------------------------- sources


@pytest.mark.parametrize(("sources", "ranked"), [
    ({"b": 2, "a": 2, "c": 5}, [("c", 5), ("a", 2), ("b", 2)]),
    ({"a": 2, "c": 5, "b": 2}, [("c", 5), ("a", 2), ("b", 2)]),
    ({"xinhua": 1}, [("xinhua", 1)]),
    ({}, []),
])
def test_sources_ranked_most_first_then_by_name(sources: dict[str, int],
                                               ranked: list[tuple[str, int]]) -> None:
    frame = an.sources_ranked(sources)
    assert list(frame.columns) == ["source", "articles"]
    assert list(frame.itertuples(index=False, name=None)) == ranked
    assert frame.index.tolist() == list(range(len(ranked)))


def test_sources_with_as_many_articles_keep_one_order(small_index) -> None:
    sources = an.corpus_info(small_index)["sources"]
    assert sources == {"miit": 12, "xinhua": 12}
    assert an.sources_ranked(sources)["source"].tolist() == ["miit", "xinhua"]
    assert an.sources_ranked(dict(reversed(sources.items())))["source"].tolist() == [
        "miit", "xinhua"]


# --------------------------------------------------------------------------- hits


@pytest.mark.parametrize(("flt", "hits"), [
    (Filter(query="digital economy"), sum(i % 4 for i in range(24))),
    (Filter(query="real economy"), sum((i + 1) % 3 for i in range(24))),
    (Filter(query="digital economy", sources=("xinhua",)),
     sum(i % 4 for i in range(1, 24, 2))),
    (Filter(query="no such words"), 0),
    (Filter(), 0),  # (no search and no theme: nothing counted)
])
def test_total_hits_are_the_kwic_lines(small_index, flt: Filter, hits: int) -> None:
    table = an.articles(small_index, flt)
    assert an.total_hits(table) == hits
    if flt.query:
        assert len(an.kwic(small_index, flt.query, flt, limit=None)) == hits
