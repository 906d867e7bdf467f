"""Analyses against hand-counted expectations on small corpora."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import reference as ref
from conftest import write_article
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as hst

from policydata import analysis as an
from policydata.filters import Filter
from policydata.store import open_index
from policydata.themes import parse_themes
from policydata.tokens import MAX_QUERY_LENGTH

# The small corpus (tests/conftest.py): article i is in month 1 + i % 12 of 2022 + i // 12;
# "digital economy" occurs i % 4 times, "real economy" (i + 1) % 3 times.
DIGITAL = [i % 4 for i in range(24)]
REAL = [(i + 1) % 3 for i in range(24)]


def test_a_term_with_commas_is_one_series_of_alternatives(small_index) -> None:
    # As in a search: a trend point and the articles listed behind it count the same matches
    # (the point counted the phrase "digital economy real economy", the list either term).
    frame = an.term_trend(small_index, ["digital economy, real economy"], freq="year")
    both = [d + r for d, r in zip(DIGITAL, REAL, strict=True)]
    assert frame["count"].tolist() == [sum(both[:12]), sum(both[12:])]
    assert frame["docs"].tolist() == [sum(1 for c in both[:12] if c),
                                      sum(1 for c in both[12:] if c)]
    listed = an.articles(small_index, Filter(query="digital economy, real economy"))
    assert int(listed["hits"].sum()) == sum(both)


def test_trend_by_year_hand_counted(small_index) -> None:
    frame = an.term_trend(small_index, ["digital economy", "real economy"], freq="year")
    assert frame[an.TREND_COLUMNS[:4]].values.tolist() == [
        ["2022", "digital economy", sum(DIGITAL[:12]), sum(1 for c in DIGITAL[:12] if c)],
        ["2022", "real economy", sum(REAL[:12]), sum(1 for c in REAL[:12] if c)],
        ["2023", "digital economy", sum(DIGITAL[12:]), sum(1 for c in DIGITAL[12:] if c)],
        ["2023", "real economy", sum(REAL[12:]), sum(1 for c in REAL[12:] if c)],
    ]
    # words by hand: the title "Policy note i" (3), "The state council met on the plan." (7),
    # "It backs the digital economy." (5) i % 4 times, "The real economy is the base." (6)
    # (i + 1) % 3 times, "Item number i ends here." (5)
    words = [3 + 7 + 5 * DIGITAL[i] + 6 * REAL[i] + 5 for i in range(24)]
    by_year = [sum(words[:12]), sum(words[12:])]
    assert frame.drop_duplicates("period")["words"].tolist() == by_year
    assert frame["per_10k"].tolist() == pytest.approx([
        sum(DIGITAL[:12]) / by_year[0] * 10000, sum(REAL[:12]) / by_year[0] * 10000,
        sum(DIGITAL[12:]) / by_year[1] * 10000, sum(REAL[12:]) / by_year[1] * 10000])


def test_trend_lists_every_period_with_zeros(tmp_path: Path, cache: Path) -> None:
    write_article(tmp_path / "c", "a.txt", "2023-01-15", "A", "Digital economy.")
    write_article(tmp_path / "c", "b.txt", "2023-04-02", "B", "Nothing here.")
    index = open_index(tmp_path / "c", cache_dir=cache)
    frame = an.term_trend(index, ["digital economy"], freq="month")
    assert frame["period"].tolist() == ["2023-01", "2023-02", "2023-03", "2023-04"]
    assert frame["count"].tolist() == [1, 0, 0, 0]
    assert frame["words"].tolist() == [3, 0, 0, 3]
    assert frame["per_10k"].tolist() == pytest.approx([1 / 3 * 10000, 0.0, 0.0, 0.0])
    quarters = an.term_trend(index, ["digital economy"], freq="quarter")
    assert quarters["period"].tolist() == ["2023Q1", "2023Q2"]


def test_dates_all_on_new_years_day_stand_for_whole_years(tmp_path: Path, cache: Path) -> None:
    # Addresses dated 1790-01-01, 1791-01-01...: the last year was marked partial ("covers only
    # 2021-01-01") though it is as whole as the others
    for year in (2019, 2020, 2021):
        write_article(tmp_path / "c", f"{year}.txt", f"{year}-01-01", f"Address {year}", "x")
    index = open_index(tmp_path / "c", cache_dir=cache)
    assert an.covered_dates(index) == (dt.date(2019, 1, 1), dt.date(2021, 12, 31))
    assert an.partial_periods(index, freq="year") == {}
    # a filter ending inside the last year still cuts it
    assert an.partial_periods(index, Filter(end=dt.date(2021, 6, 30)), freq="year") == {
        "2021": (dt.date(2021, 1, 1), dt.date(2021, 6, 30))}
    # one article on another day: dates are days again, and the last year is partial
    write_article(tmp_path / "c", "2021b.txt", "2021-03-05", "Later", "y")
    index = open_index(tmp_path / "c", cache_dir=cache)
    assert an.partial_periods(index, freq="year") == {
        "2021": (dt.date(2021, 1, 1), dt.date(2021, 3, 5))}


def test_partial_first_and_last_periods(tmp_path: Path, cache: Path) -> None:
    D = dt.date
    write_article(tmp_path / "c", "a.txt", "2015-03-15", "A", "Digital economy.")
    write_article(tmp_path / "c", "b.txt", "2018-07-01", "B", "Real economy.")
    write_article(tmp_path / "c", "c.txt", "2022-06-30", "C", "Digital economy.")
    index = open_index(tmp_path / "c", cache_dir=cache)
    assert an.partial_periods(index, freq="year") == {
        "2015": (D(2015, 3, 15), D(2015, 12, 31)), "2022": (D(2022, 1, 1), D(2022, 6, 30))}
    assert an.partial_periods(index, freq="quarter") == {
        "2015Q1": (D(2015, 3, 15), D(2015, 3, 31))}  # 2022Q2 ends on 06-30: whole
    # the filter's dates cut the span; a theme or query filter does not (the trend's periods
    # start at the first matching article, but the corpus covers the whole of them)
    assert an.partial_periods(index, Filter(start=D(2016, 1, 1), end=D(2018, 8, 14)),
                              freq="year") == {"2018": (D(2018, 1, 1), D(2018, 8, 14))}
    assert an.partial_periods(index, Filter(query="real economy"), freq="year") == {}
    assert an.partial_periods(index, Filter(query="nothing at all"), freq="year") == {}
    # a last article dated only to a month covers that month to its end
    write_article(tmp_path / "c", "d.txt", "2022-09", "D", "Digital economy.")
    write_article(tmp_path / "c", "cc.txt", "2022-09-01", "E", "Real economy.")  # same day, first
    index = open_index(tmp_path / "c", cache_dir=cache)
    assert an.partial_periods(index, freq="quarter") == {
        "2015Q1": (D(2015, 3, 15), D(2015, 3, 31))}
    assert an.partial_periods(index, freq="year")["2022"] == (D(2022, 1, 1), D(2022, 9, 30))
    # a date known only to the year stands for the whole year, even with later dated days
    write_article(tmp_path / "c", "e.txt", "2022", "Y", "Digital economy.")
    index = open_index(tmp_path / "c", cache_dir=cache)
    assert an.covered_dates(index) == (D(2015, 3, 15), D(2022, 12, 31))
    assert "2022" not in an.partial_periods(index, freq="year")


def test_filters_narrow_every_analysis(small_index) -> None:
    flt = Filter(start=dt.date(2023, 1, 1), end=dt.date(2023, 6, 30), sources=("miit",))
    # months 1-6 of 2023 are articles 12..17; miit holds the even ones: 12, 14, 16
    frame = an.term_trend(small_index, ["digital economy"], flt, freq="year")
    assert frame["count"].tolist() == [DIGITAL[12] + DIGITAL[14] + DIGITAL[16]]
    assert frame["period"].tolist() == ["2023"]
    table = an.articles(small_index, flt, sort="date")
    assert table["id"].tolist() == ["miit/012", "miit/014", "miit/016"]


def test_query_filter_and_hits(small_index) -> None:
    table = an.articles(small_index, Filter(query="digital economy"), sort="hits")
    expected = sorted(((c, i) for i, c in enumerate(DIGITAL) if c), key=lambda x: -x[0])
    assert table["hits"].tolist() == [c for c, _ in expected]
    assert len(table) == sum(1 for c in DIGITAL if c)
    both = an.articles(small_index, Filter(query="digital economy, real economy"))
    assert sorted(both["hits"].tolist()) == sorted(
        d + r for d, r in zip(DIGITAL, REAL) if d + r)


def test_articles_order(small_index) -> None:
    newest = an.articles(small_index, sort="-date")["date"].tolist()
    assert newest == sorted(newest, reverse=True)
    oldest = an.articles(small_index, sort="date", limit=3)
    assert oldest["date"].tolist() == sorted(oldest["date"].tolist())
    assert len(oldest) == 3 and list(oldest.columns) == an.ARTICLE_COLUMNS


def test_theme_overlap_rule_and_independent_themes(tmp_path: Path, cache: Path) -> None:
    write_article(tmp_path / "c", "a.txt", "2023-01-01", "T",
                  "The digital economy and the economy. Digital economy!")
    index = open_index(tmp_path / "c", cache_dir=cache)
    themes = parse_themes('[themes]\n"Digital" = ["digital economy", "economy"]\n'
                          '"Plain" = ["economy"]\n')
    frame = an.theme_trend(index, themes=themes, freq="year")
    # Digital: "digital economy" x2 + the lone "economy" x1 = 3 (no economy counted twice);
    # Plain counts on its own: economy x3.
    assert frame[["theme", "count", "docs"]].values.tolist() == [
        ["Digital", 3, 1], ["Plain", 3, 1]]
    summary = an.theme_summary(index, themes=themes)
    assert summary["share"].tolist() == [100.0, 100.0]


def test_theme_entries_by_hand_and_themes_resting_on_one_entry(tmp_path: Path,
                                                                cache: Path) -> None:
    bodies = ["Manufacturing grew.", "Manufacturing and the real economy.", "The real economy.",
              "Nothing here.", "Manufacturing output.", "Manufacturing again. Manufacturing.",
              "A factory and manufacturing."]
    for i, body in enumerate(bodies):
        write_article(tmp_path / "c", f"{i}.txt", f"2023-01-0{i + 1}", f"Note {i}", body)
    index = open_index(tmp_path / "c", cache_dir=cache)
    themes = parse_themes('[themes]\n"Industry" = ["real economy", "manufacturing", "factory",'
                          ' "plant"]\n"Nothing" = ["nothing"]\n')
    entries = an.theme_entries(index, themes=themes)
    # by hand: manufacturing in articles 0, 1, 4, 5 (twice), 6; the only Industry entry in
    # 0, 4 and 5; real economy in 1 and 2, the only one in 2; factory only with manufacturing
    assert entries.values.tolist() == [
        ["Industry", "manufacturing", 6, 5, 3], ["Industry", "real economy", 2, 2, 1],
        ["Industry", "factory", 1, 1, 0], ["Industry", "plant", 0, 0, 0],
        ["Nothing", "nothing", 1, 1, 1]]
    summary = an.theme_summary(index, themes=themes)
    assert summary["docs"].tolist() == [6, 1]
    # 3 of Industry's 6 articles rest on manufacturing alone: a half, not the 80% said;
    # a theme of one entry rests on it by definition and is never named
    assert an.one_entry_themes(summary, entries).empty
    resting = an.one_entry_themes(summary, entries, share=0.5)
    assert resting.values.tolist() == [["Industry", "manufacturing", 3, 6,
                                        pytest.approx(600 / 7)]]
    assert an.one_entry_themes(summary, entries, share=0.5, least=90).empty
    # narrowed to articles 0-4 manufacturing is alone in 2 of Industry's 4 articles
    narrowed = an.theme_entries(index, Filter(end=dt.date(2023, 1, 5)), themes=themes)
    assert narrowed["only"].tolist() == [2, 1, 0, 0, 1]
    # An entry holding a shorter one counts with it: 'manufacturing output' (article 4)
    # holds 'manufactur*', so Industry rests on the glob, alone or with the phrase, in
    # articles 0, 4 and 5 (1 has 'real economy', 6 'factory'); the phrase never stands alone
    # (its matches are the glob's too)
    nested = parse_themes('[themes]\n"Industry" = ["manufacturing output", "manufactur*", '
                          '"real economy", "factory"]\n')
    entries = an.theme_entries(index, themes=nested)
    assert entries[["entry", "docs", "only"]].values.tolist() == [
        ["manufactur*", 5, 3], ["real economy", 2, 1], ["manufacturing output", 1, 0],
        ["factory", 1, 0]]
    summary = an.theme_summary(index, themes=nested)
    assert an.one_entry_themes(summary, entries, share=0.5).values.tolist() == [
        ["Industry", "manufactur*", 3, 6, pytest.approx(600 / 7)]]


def test_entries_only_through_a_theme_of_more_entries_than_a_word_of_bits(
        tmp_path: Path, cache: Path) -> None:
    # 72 entries: their matches per article are kept as bits in words of 62 entries
    for i, body in enumerate(["w64 and w3.", "w65 here.", "alpha beta now.", "alpha beta w70.",
                              "w71 then alpha."]):
        write_article(tmp_path / "c", f"{i}.txt", f"2023-01-0{i + 1}", "T", body)
    index = open_index(tmp_path / "c", cache_dir=cache)
    names = [f"w{i}" for i in range(72)]
    text = "[themes]\nMany = [" + ", ".join(f'"{n}"' for n in [*names, "alpha beta", "alpha"])
    entries = an.theme_entries(index, themes=parse_themes(text + "]\n")).set_index("entry")
    # by hand: w65 alone in article 1; alpha (with alpha beta, which holds it) alone in 2;
    # every other article has two entries that do not hold each other
    assert entries["only"][entries["only"] > 0].to_dict() == {"w65": 1, "alpha": 1}
    assert entries.loc[["w64", "w3", "w70", "w71", "alpha beta"], "only"].tolist() == [0] * 5
    assert entries.loc["alpha", "docs"] == 3


_ENTRY_WORDS = ["econ*", "economy", "economic", "digital", "digit*", "real", "growth", "数",
                "数*", "new", "g*"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bodies=hst.lists(hst.lists(hst.sampled_from(["economy", "economic", "digital", "real",
                                                     "growth", "数", "数字", "new", "green",
                                                     ".", "-"]), max_size=12),
                        min_size=1, max_size=6),
       entries=hst.lists(hst.lists(hst.sampled_from(_ENTRY_WORDS), min_size=1, max_size=3),
                         min_size=1, max_size=8))
def test_prop_entries_only_through_equal_brute_force(bodies, entries) -> None:
    """An entry's ``only``: the articles in which every entry of its theme that matches
    (searched alone) is it or one whose words hold its own in a row, a glob holding every
    word it matches, counted here by brute force from the reference tokeniser."""
    import tempfile

    queries = list(dict.fromkeys(" ".join(words) for words in entries))
    texts = [" ".join(body) for body in bodies]

    def holds(longer: str, shorter: str) -> bool:
        a, b = ref.parse_query(longer), ref.parse_query(shorter)

        def within(word, other) -> bool:
            return other[0].startswith(word[0]) if word[1] else other == word

        return any(all(within(b[j], a[i + j]) for j in range(len(b)))
                   for i in range(len(a) - len(b) + 1))

    with tempfile.TemporaryDirectory() as tmp:
        for i, text in enumerate(texts):
            write_article(Path(tmp) / "c", f"{i}.txt", "2023-01-01", f"Doc {i}", text)
        index = open_index(Path(tmp) / "c", cache_dir=Path(tmp) / "cache")
        toml = "[themes]\nT = [" + ", ".join(f'"{q}"' for q in queries) + "]\n"
        got = an.theme_entries(index, themes=parse_themes(toml)).set_index("entry")["only"]
    documents = [ref.document_text(f"Doc {i}", t) for i, t in enumerate(texts)]
    for query in queries:
        expected = 0
        for doc in documents:  # (distinct: each has its own title)
            found = {q for q in queries if ref.count(doc, q) > 0}
            if query in found and all(holds(other, query) for other in found):
                expected += 1
        assert got[query] == expected, (query, queries, texts)


def test_theme_filter_is_any_of(small_index) -> None:
    themes = parse_themes('[themes]\n"D" = ["digital economy"]\n"R" = ["real economy"]\n')
    d = an.select(small_index, Filter(themes=("D",)), themes=themes)
    r = an.select(small_index, Filter(themes=("R",)), themes=themes)
    both = an.select(small_index, Filter(themes=("D", "R")), themes=themes)
    assert both.sum() == (d | r).sum() == sum(1 for a, b in zip(DIGITAL, REAL) if a or b)
    co = an.theme_cooccurrence(small_index, themes=themes)
    pair = co[(co["theme"] == "D") & (co["other"] == "R")]["articles"].item()
    assert pair == sum(1 for a, b in zip(DIGITAL, REAL) if a and b)
    share = co[(co["theme"] == "D") & (co["other"] == "R")]["share"].item()
    assert share == pytest.approx(pair / sum(1 for a in DIGITAL if a) * 100)


def test_unknown_theme_or_source_is_a_clear_error(small_index) -> None:
    with pytest.raises(ValueError, match="unknown theme 'Nope'"):
        an.select(small_index, Filter(themes=("Nope",)))
    with pytest.raises(ValueError, match="unknown source 'nowhere'"):
        an.select(small_index, Filter(sources=("nowhere",)))


def test_top_terms_forms_phrases_before_removing_stopwords(tmp_path: Path, cache: Path,
                                                           ) -> None:
    write_article(tmp_path / "c", "a.txt", "2023-01-01", "Belt",
                  "The Belt and Road of China. The belt and road. Economy of China.")
    write_article(tmp_path / "c", "b.txt", "2022-01-01", "Other", "Something else entirely.")
    index = open_index(tmp_path / "c", cache_dir=cache)
    flt = Filter(start=dt.date(2023, 1, 1))
    trigrams = an.top_terms(index, flt, n=10, ngram=3)
    assert trigrams.iloc[0][["term", "count", "docs"]].tolist() == ["belt and road", 2, 1]
    # inner stopwords stay ("road of china"); ends may not be stopwords ("the belt and")
    assert set(trigrams["term"]) == {"belt and road", "road of china", "economy of china"}
    bigrams = an.top_terms(index, flt, n=20, ngram=2)["term"].tolist()
    # no bigram holds a stopword: "economy of", "of china", "and road" are gone, and removing
    # stopwords never glues "economy china" together
    assert not any(set(b.split()) & {"the", "and", "of"} for b in bigrams)
    assert "economy china" not in bigrams
    unigrams = an.top_terms(index, flt, n=3)
    assert unigrams[["term", "count"]].values.tolist() == [["belt", 3], ["china", 2],
                                                            ["road", 2]]


def test_stopwords_are_read_as_the_text_is(seed_index) -> None:
    plain = an.top_terms(seed_index, n=12)["term"].tolist()
    assert {"economy", "china"} <= set(plain)
    written = an.default_stopwords() | {"China’s", "ＥＣＯＮＯＭＹ"}  # (as pasted from a page)
    assert an.top_terms(seed_index, n=10, stopwords=written)["term"].tolist() == [
        t for t in plain if t not in ("economy", "china")]


def test_many_stopword_lists_in_one_process(seed_index) -> None:
    # n-gram tables are kept per stopword list; when old ones are dropped, answers stay right
    words = an.top_terms(seed_index, n=12)["term"].tolist()
    first = an.top_terms(seed_index, n=10, ngram=1, weight="tfidf")
    for word in words:
        an.top_terms(seed_index, n=5, ngram="2-3", stopwords=an.default_stopwords() | {word})
    pd.testing.assert_frame_equal(
        an.top_terms(seed_index, n=10, ngram=1, weight="tfidf"), first)
    again = an.top_terms(seed_index, n=10, ngram=1, stopwords={"of"}, weight="tfidf")
    assert "of" not in again["term"].tolist() and "the" in again["term"].tolist()


def test_keyness_and_tfidf_scores_by_hand(tmp_path: Path, cache: Path) -> None:
    write_article(tmp_path / "c", "a.txt", "2023-01-01", "A", "alpha alpha beta")
    write_article(tmp_path / "c", "b.txt", "2022-01-01", "B", "beta beta beta gamma")
    index = open_index(tmp_path / "c", cache_dir=cache)
    flt = Filter(start=dt.date(2023, 1, 1))
    table = an.top_terms(index, flt, n=5, weight="keyness").set_index("term")
    key = table["score"]
    assert table.loc["beta", ["count", "reference_count", "words", "reference_words"]
                     ].tolist() == [1, 3, 4, 5]
    # target: title "a" + 3 tokens = 4 words; reference: "b" + 4 = 5 words
    # alpha: 2 of 4 words here, 0 of 5 there; expected here 4 * 2 / 9, the zero cell adds 0
    assert key["alpha"] == pytest.approx(2 * (2 * math.log(2 / (4 * 2 / 9))))
    a, b, c, d = 1, 3, 4, 5  # beta
    e1, e2 = c * (a + b) / (c + d), d * (a + b) / (c + d)
    assert key["beta"] == pytest.approx(-2 * (a * math.log(a / e1) + b * math.log(b / e2)))
    tfidf = an.top_terms(index, flt, n=5, weight="tfidf").set_index("term")["score"]
    assert tfidf["alpha"] == pytest.approx(2 * (math.log(3 / 2) + 1))
    assert tfidf["beta"] == pytest.approx(1 * (math.log(3 / 3) + 1))
    with pytest.raises(ValueError, match="nothing to compare"):
        an.top_terms(index, Filter(), weight="keyness")
    # A reference selecting the same articles would score every term 0: refused, as a
    # reference selecting none is; a reference overlapping only in part is compared.
    with pytest.raises(ValueError, match="selects the same articles"):
        an.top_terms(index, flt, weight="keyness", reference=Filter(query="alpha"))
    with pytest.raises(ValueError, match="selects none"):
        an.top_terms(index, flt, weight="keyness", reference=Filter(query="delta"))
    assert an.top_terms(index, flt, n=5, weight="keyness", reference=Filter())[
        ["term", "reference_words"]].values.tolist() == [["alpha", 9], ["beta", 9]]


def test_kwic_shows_the_text_as_written(seed_index) -> None:
    lines = an.kwic(seed_index, "china", window=3)
    assert len(lines) == 7
    assert lines["match"].tolist().count("China‘s") == 2
    first = lines.iloc[0]
    assert (first["left"], first["match"], first["right"]) == (
        "Communist Party of", "China", "has emphasized the")
    assert len(an.kwic(seed_index, "high-quality development", limit=1)) == 1
    assert an.kwic(seed_index, "High quality development")["match"].tolist() == [
        "high-quality development", "high-quality development"]


def test_kwic_sorted_as_a_concordance_hand_counted(tmp_path: Path, cache: Path) -> None:
    folder = tmp_path / "c"
    write_article(folder, "a.txt", "2021-01-01", "A",
                  "Zinc alpha beta. Iron alpha. Alpha gamma: copper alpha beta.")
    write_article(folder, "b.txt", "2022-01-01", "B", "Lead alpha Beta; tin ALPHA beta delta")
    index = open_index(folder, cache_dir=cache)
    # Two words each side; the context runs across boundaries and the title, not past the
    # text's ends. After: alpha gamma < beta (the text ends) < beta delta < beta iron <
    # beta tin < gamma copper.
    assert an.kwic(index, "alpha", window=2, by="after", limit=None)[
        ["left", "match", "right"]].values.tolist() == [
        ["beta. Iron", "alpha", ". Alpha gamma"],
        ["gamma: copper", "alpha", "beta"],
        ["Beta; tin", "ALPHA", "beta delta"],
        ["A Zinc", "alpha", "beta. Iron"],
        ["B Lead", "alpha", "Beta; tin"],
        ["Iron alpha.", "Alpha", "gamma: copper"]]
    # Before, read back from the match: alpha iron < copper gamma < iron beta < lead b <
    # tin beta < zinc a; the limit keeps the first of that order.
    before = an.kwic(index, "alpha", window=2, by="before", limit=None)
    assert before["left"].tolist() == ["Iron alpha.", "gamma: copper", "beta. Iron", "B Lead",
                                       "Beta; tin", "A Zinc"]
    assert before["id"].tolist() == ["a", "a", "a", "b", "b", "a"]
    assert an.kwic(index, "alpha", window=2, by="before", limit=2)["left"].tolist() == [
        "Iron alpha.", "gamma: copper"]
    # Ties keep the article order (newest first here, in an article first to last): four
    # lines have "beta" as the one word after
    after = an.kwic(index, "alpha", window=1, by="after", sort="-date", limit=None)
    assert after[["id", "left", "right"]].values.tolist() == [
        ["a", "Iron", ". Alpha"], ["b", "Lead", "Beta"], ["b", "tin", "beta"],
        ["a", "Zinc", "beta"], ["a", "copper", "beta"], ["a", "alpha.", "gamma"]]
    with pytest.raises(ValueError, match="by must be"):
        an.kwic(index, "alpha", by="middle")


_CONCORDANCE_WORDS = ["alpha", "Alpha", "beta", "BETA", "gamma", "alphabet", "delta"]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bodies=hst.lists(hst.lists(hst.tuples(hst.sampled_from(_CONCORDANCE_WORDS),
                                            hst.sampled_from([" ", " ", ". ", "\n\n", "-"])),
                                  min_size=0, max_size=25), min_size=1, max_size=5),
       term=hst.sampled_from(["alpha", "beta", "alpha beta", "alpha*", "beta,gamma delta",
                              "beta beta"]),
       window=hst.integers(1, 4), by=hst.sampled_from(["after", "before"]),
       sort=hst.sampled_from(["date", "-date", "hits"]),
       limit=hst.sampled_from([None, 1, 3, 7]), added=hst.booleans())
def test_prop_kwic_sorted_as_a_concordance_equals_brute_force(bodies, term, window, by, sort,
                                                              limit, added) -> None:
    """All the lines, sorted by the words after or before the match (the reference tokeniser
    reading the contexts as written), then the first ``limit``: what ``by`` gives from the
    index without reading the articles to sort them. ``added``: the second half of the
    articles is added to a built index (a second segment) with an exact duplicate."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "c"
        first = len(bodies) // 2 if added else len(bodies)
        for i, body in enumerate(bodies):
            if i == first > 0:
                open_index(folder, cache_dir=Path(tmp) / "cache")
                (folder / "dup.txt").write_bytes((folder / "0.txt").read_bytes())
            write_article(folder, f"{i}.txt", f"{2020 + i % 3}-01-01", f"Doc {i}",
                          "".join(w + s for w, s in body))
        index = open_index(folder, cache_dir=Path(tmp) / "cache")
        assert len(index.segments) == (2 if 0 < first < len(bodies) else 1)
        lines = an.kwic(index, term, window=window, sort=sort, limit=None)
        got = an.kwic(index, term, window=window, sort=sort, limit=limit, by=by)
    order = ref.concordance_order(list(zip(lines["left"], lines["right"], strict=True)), by)
    expected = lines.iloc[order[:limit]].reset_index(drop=True)
    pd.testing.assert_frame_equal(got, expected)
    # the lines themselves, checked by the reference: one line a counted match, in each
    # article as many as the reference counts, each match's text one of the alternatives
    alternatives = [part.strip() for part in term.split(",")]
    texts = {str(i): ref.document_text(f"Doc {i}", "".join(w + s for w, s in body))
             for i, body in enumerate(bodies)}
    per_doc = lines["id"].value_counts().to_dict()
    assert per_doc == {i: c for i, t in texts.items() if (c := ref.count(t, alternatives))}
    for match in lines["match"]:
        words = ref.tokens(match)
        assert any(len(words) == len(q) and all(
            w is not None and (w.startswith(x) if star else w == x)
            for w, (x, star) in zip(words, q, strict=True))
            for q in map(ref.parse_query, alternatives)), match


def test_kwic_lines_follow_the_article_lists_order(tmp_path: Path, cache: Path) -> None:
    # Article by article in the list's order (ties by id), each article's lines first to last.
    folder = tmp_path / "c"
    write_article(folder, "a.txt", "2021-01-01", "A", "a1 alpha. a2 alpha. a3 alpha.")
    write_article(folder, "b.txt", "2022-01-01", "B", "b1 alpha.")
    write_article(folder, "d.txt", "2023-01-01", "D", "d1 alpha. d2 alpha.")
    write_article(folder, "c.txt", "2023-01-01", "C", "c1 alpha. c2 alpha.")
    index = open_index(folder, cache_dir=cache)
    expected = {"date": "a1 a2 a3 b1 c1 c2 d1 d2", "-date": "c1 c2 d1 d2 b1 a1 a2 a3",
                "hits": "a1 a2 a3 c1 c2 d1 d2 b1"}
    for sort, order in expected.items():
        lines = an.kwic(index, "alpha", window=1, sort=sort)
        assert " ".join(lines["left"]) == order, sort
        listed = an.articles(index, mentioning="alpha", sort=sort)["id"].tolist()
        assert list(dict.fromkeys(lines["id"])) == listed, sort
        assert " ".join(an.kwic(index, "alpha", window=1, sort=sort, limit=4)["left"]) == (
            " ".join(order.split()[:4]))
    with pytest.raises(ValueError, match="sort must be"):
        an.kwic(index, "alpha", sort="title")
    # max_words: the lines of the first articles whose words add up to at most that many
    words = dict(zip(index.documents["id"], index.words.tolist(), strict=True))
    for sort in expected:
        listed = an.articles(index, mentioning="alpha", sort=sort)
        reach = np.cumsum([words[doc] for doc in listed["id"]])
        for max_words in range(0, int(reach[-1]) + 2):
            lines = an.kwic(index, "alpha", sort=sort, limit=None, max_words=max_words)
            kept = int((reach <= max_words).sum())
            assert lines["id"].drop_duplicates().tolist() == listed["id"].tolist()[:kept]
            assert len(lines) == listed["hits"].head(kept).sum()
            assert an.kwic_extent(index, "alpha", sort=sort, max_words=max_words) == (
                kept, len(lines))
    with pytest.raises(ValueError, match="max_words must be 0 or more"):
        an.kwic(index, "alpha", max_words=-1)


def test_article_marks_a_themes_matches(seed_index) -> None:
    counts = seed_index.theme_counts(seed_index.themes)[0]
    for column, (name, entries) in enumerate(seed_index.themes.themes):
        doc = an.article(seed_index, "000_362ffc007b938720", theme=name)
        assert doc["hits"] == counts[column]
        marked = [doc["body"][a:b] for a, b in doc["body_marks"]] + [
            doc["title"][a:b] for a, b in doc["title_marks"]]
        assert len(marked) == counts[column]  # (the whole article is returned)
        for text in marked:  # each mark is one of the theme's entries, as written
            assert an.match_offsets(text, list(entries)), (name, text)


def test_an_unknown_theme_or_period_length_is_refused_with_the_known_ones(seed_index) -> None:
    row_id = seed_index.documents["id"].iat[0]
    with pytest.raises(ValueError, match="unknown theme 'Nope' \\(themes: 'Digital economy'"):
        an.article(seed_index, row_id, theme="Nope")
    # refused whether the filter selects articles or not (it was only when it did)
    for flt in (Filter(), Filter(start=dt.date(2030, 1, 1))):
        with pytest.raises(ValueError, match="freq must be one of month, quarter, year"):
            an.term_trend(seed_index, ["economy"], flt, freq="week")
        with pytest.raises(ValueError, match="freq must be one of month, quarter, year"):
            an.theme_trend(seed_index, flt, freq="week")


def test_article_marks_the_query(seed_index) -> None:
    doc = an.article(seed_index, "000_362ffc007b938720", query="digital economy")
    assert doc is not None
    marks = doc["title_marks"] + doc["body_marks"]
    assert len(marks) == 10
    assert doc["title"][slice(*doc["title_marks"][0])] == "Digital Economy"
    assert all(doc["body"][a:b].lower() == "digital economy" for a, b in doc["body_marks"])
    assert an.article(seed_index, "no-such-id") is None


def test_a_long_article_is_read_only_as_far_as_its_last_match(tmp_path: Path, cache: Path,
                                                               monkeypatch) -> None:
    # Its one match is in the title: keyword in context and the reader stop there rather than
    # tokenising a long body looking for more (the index says there is no more).
    body = "Nothing to see here. " * 20_000  # 420,000 characters: 13 pieces
    write_article(tmp_path / "c", "a.txt", "2023-01-01", "A rare word", body)
    index = open_index(tmp_path / "c", cache_dir=cache)
    pieces = []
    real = an.token_spans
    monkeypatch.setattr(an, "token_spans", lambda text: pieces.append(len(text)) or real(text))
    lines = an.kwic(index, "rare", limit=200)
    assert lines["match"].tolist() == ["rare"] and len(pieces) <= 2
    pieces.clear()
    doc = an.article(index, "a", query="rare")
    assert doc is not None and doc["title_marks"] == [(2, 6)] and len(pieces) <= 1


def test_article_cut_for_the_reader_marks_only_what_is_shown(tmp_path: Path,
                                                             cache: Path) -> None:
    body = "Chinatown is not China. " * 3 + "China again."
    write_article(tmp_path / "c", "a.txt", "2023-01-01", "China", body)
    index = open_index(tmp_path / "c", cache_dir=cache)
    whole = an.article(index, "a", query="china")
    assert whole is not None
    assert (whole["hits"], len(whole["title_marks"]), len(whole["body_marks"])) == (5, 1, 4)
    # Cut after "Chinatown is not China. Chinatown is not Chin": the cut "Chin" and the
    # "China" inside the cut "Chinatown" are not marked; the article still has 5 matches.
    doc = an.article(index, "a", query="china", max_chars=len("Chinatown is not China. ") + 21)
    assert doc is not None
    assert (doc["hits"], doc["length"], len(doc["body"])) == (5, len(body), 45)
    assert doc["body_marks"] == [(17, 22)]
    assert doc["title_marks"] == [(0, 5)]
    shown = an.article(index, "a", query="china", max_chars=len("Chinatown is"))
    assert shown is not None and shown["body"] == "Chinatown is" and shown["body_marks"] == []


def test_corpus_info_of_the_seed(seed_index) -> None:
    info = an.corpus_info(seed_index)
    assert (info["documents"], info["words"], info["first_date"], info["skipped"]) == (
        1, 491, "2023-09-02", [])


def test_corpus_info_of_a_filter(small_index) -> None:
    flt = Filter(start=dt.date(2023, 1, 1), end=dt.date(2023, 6, 30), sources=("miit",))
    info = an.corpus_info(small_index, flt)
    table = an.articles(small_index, flt, sort="date")  # miit/012, miit/014, miit/016
    assert info["documents"] == len(table) == 3
    assert info["words"] == int(table["words"].sum())
    assert (info["first_date"], info["last_date"]) == (table["date"].iat[0], table["date"].iat[-1])
    assert info["sources"] == {"miit": 3}
    assert info["skipped"] == an.corpus_info(small_index)["skipped"]  # the whole corpus's


@pytest.mark.parametrize(("label", "start", "end"), [
    ("2023-09", dt.date(2023, 9, 1), dt.date(2023, 9, 30)),
    ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
    ("2023Q4", dt.date(2023, 10, 1), dt.date(2023, 12, 31)),
    ("1790", dt.date(1790, 1, 1), dt.date(1790, 12, 31)),
])
def test_period_bounds(label: str, start: dt.date, end: dt.date) -> None:
    assert an.period_bounds(label) == (start, end)


@pytest.mark.parametrize("bad", ["2023Q5", "2023-13", "soon", ""])
def test_period_bounds_refuses_nonsense(bad: str) -> None:
    with pytest.raises(ValueError):
        an.period_bounds(bad)


def test_measure_values_smooth_per_term() -> None:
    frame = pd.DataFrame({"term": ["a", "a", "b", "b"], "count": [0, 4, 2, 2],
                          "docs": [0, 2, 1, 1], "words": [10, 10, 10, 10],
                          "articles": [2, 4, 1, 2]})
    assert an.measure_values(frame, "count", window=2).tolist() == [0.0, 2.0, 2.0, 2.0]
    assert an.measure_values(frame, "docs").tolist() == [0.0, 50.0, 100.0, 50.0]


def test_periods_without_articles_have_no_value_and_smoothing_averages_the_measured_ones() -> None:
    # A year without articles is a gap, not a fall to zero (a half-empty bin looks like a
    # collapse otherwise), and a moving average averages the periods that were measured.
    frame = pd.DataFrame({"term": ["a"] * 5, "count": [4, 0, 0, 2, 0],
                          "docs": [2, 0, 0, 1, 0], "words": [100, 0, 0, 50, 80],
                          "articles": [2, 0, 0, 1, 3]})
    for measure in an.MEASURES:
        values = an.measure_values(frame, measure)
        assert values.isna().tolist() == [False, True, True, False, False]
    assert an.measure_values(frame, "per_10k").tolist()[3:] == [400.0, 0.0]
    smoothed = an.measure_values(frame, "count", window=3)
    # the empty periods are not zeros: each is the mean of the measured periods in its window
    assert smoothed.tolist() == [4.0, 4.0, 4.0, 2.0, 1.0]  # (2 + 0) / 2 last
    smoothed = an.measure_values(frame, "count", window=2)  # a window of two empty periods
    assert smoothed.isna().tolist() == [False, False, True, False, False]
    assert smoothed.tolist()[:2] == [4.0, 4.0] and smoothed.tolist()[3:] == [2.0, 1.0]


# --------------------------------------------------------------------------- top terms vs brute force

TOP_WORDS = ["belt", "and", "road", "the", "digital", "economy", "of", "china", "data", "7",
             "supply", "chain", "new", "industrial", "system", "green", "trade", "policy"]
TOP_STOP = ["and", "the", "of"]
#: Bodies made of phrases repeat them: the n best are phrases the whole corpus repeats, which
#: are counted from where they occur rather than from the text (Index.repeated_ngram_counts).
TOP_PHRASES = ["belt and road", "digital economy", "supply chain", "new industrial system",
               "green trade policy", "the digital economy of china", "data", "7"]
_phrase_bodies = hst.lists(hst.lists(hst.tuples(hst.sampled_from(TOP_PHRASES),
                                                hst.sampled_from([" ", " ", ". ", "-"])),
                                     min_size=0, max_size=30), min_size=3, max_size=9)
_word_bodies = hst.lists(hst.lists(hst.tuples(hst.sampled_from(TOP_WORDS),
                                              hst.sampled_from([" ", " ", " ", ". ", "-"])),
                                   min_size=0, max_size=40), min_size=2, max_size=8)


def _reference_top(texts: list[str], selected: list[bool], size: int, weight: str,
                   reference: list[bool] | None = None,
                   ) -> dict[str, tuple[int, int, float, int, int]]:
    """Every n-gram of the selected texts by the rules, brute force: term -> (count, docs,
    score, count in the reference, articles of the corpus holding it). N-grams lie inside one boundary span; none starts or ends with a stopword or a
    number; tf-idf's document frequency and keyness's reference are the whole corpus and the
    unselected rest (or the ``reference`` texts)."""
    stop = set(TOP_STOP)

    def grams(text: str) -> list[str]:
        out = []
        for span in ref.spans(text):
            ends: dict[str, int] = {}  # an n-gram's matches never overlap (rule 8)
            for i in range(len(span) - size + 1):
                gram = span[i:i + size]
                term = " ".join(gram)
                if not ({gram[0], gram[-1]} & stop) and not gram[0].isdigit() \
                        and not gram[-1].isdigit() and i >= ends.get(term, 0):
                    out.append(term)
                    ends[term] = i + size
        return out

    per_doc = [Counter(grams(t)) for t in texts]
    here = Counter()
    rest = Counter()
    docs = Counter()
    df = Counter()
    against = [not c for c in selected] if reference is None else reference
    for counts, chosen, other in zip(per_doc, selected, against):
        df.update(counts.keys())
        if chosen:
            here.update(counts)
            docs.update(counts.keys())
        if other:
            rest.update(counts)
    words_here = sum(ref.words(t) for t, c in zip(texts, selected) if c)
    words_rest = sum(ref.words(t) for t, c in zip(texts, against) if c)
    out = {}
    for term, count in here.items():
        if weight == "count":
            score = float(count)
        elif weight == "tfidf":
            score = count * (math.log((1 + len(texts)) / (1 + df[term])) + 1)
        else:
            score = ref.log_likelihood(count, rest[term], words_here, words_rest)
        out[term] = (count, docs[term], score, rest[term], df[term])
    return out


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# A phrase met once here and once in the rest: the table of repeated phrases must count it.
@example(bodies=[[("digital", " "), ("economy", " "), ("grows", "")],
                 [("digital", " "), ("economy", " "), ("china", " "), ("data", "")],
                 [("china", " "), ("data", "")]], size=2, weight="keyness", n=50, whole=False,
         warm=False)
# Self-overlapping phrases (china china china; data china data china data), in the whole
# corpus's table and in a selection.
@example(bodies=[[("china", " ")] * 3 + [("data", " "), ("china", " ")] * 2 + [("data", "")],
                 [("china", " ")] * 5, [("green", "")]], size=2, weight="count", n=50,
         whole=True, warm=False)
@example(bodies=[[("green", "")], [("data", " "), ("china", " ")] * 2 + [("data", "")],
                 [("china", " ")] * 4], size=3, weight="tfidf", n=50, whole=False, warm=False)
# Phrases met often in a selection: their counts and documents come from where the whole
# corpus's repeated phrases occur, and settle the ranking.
@example(bodies=[[("supply chain", " ")] * 5,
                 [("digital economy", " ")] * 8 + [("supply chain", " ")] * 2,
                 [("supply chain", " ")] * 6 + [("digital economy", ". ")],
                 [("green trade policy", " ")] * 3,
                 [("digital economy", " ")] * 6 + [("belt and road", "-")] * 3,
                 [("belt and road", " ")] * 4], size=2, weight="count", n=2, whole=False,
         warm=True)
@example(bodies=[[("supply chain", " ")] * 5,
                 [("digital economy", " ")] * 8 + [("supply chain", " ")] * 2,
                 [("supply chain", " ")] * 6 + [("digital economy", ". ")],
                 [("green trade policy", " ")] * 3,
                 [("the digital economy of china", " ")] * 6 + [("belt and road", "-")] * 3,
                 [("belt and road", " ")] * 4], size=3, weight="tfidf", n=1, whole=False,
         warm=False)
@given(bodies=hst.one_of(_word_bodies, _phrase_bodies),
       size=hst.sampled_from([1, 2, 3]), weight=hst.sampled_from(["count", "tfidf", "keyness"]),
       n=hst.sampled_from([1, 3, 50]), whole=hst.booleans(), warm=hst.booleans())
def test_prop_top_terms_equal_brute_force(bodies, size, weight, n, whole, warm) -> None:
    """``warm``: the whole corpus's phrase tables are made first, as a server's warm-up
    thread makes them; a selection's repeated phrases are then counted from their entries."""
    _check_top_terms(bodies, size, weight, n, whole, warm)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bodies=hst.one_of(_word_bodies, _phrase_bodies),
       size=hst.sampled_from([1, 2, 3]), weight=hst.sampled_from(["count", "tfidf", "keyness"]),
       whole=hst.booleans(), warm=hst.booleans(), piece=hst.integers(1, 12))
def test_prop_top_terms_read_in_pieces_equal_brute_force(bodies, size, weight, whole, warm,
                                                         piece) -> None:
    """Token streams are read in pieces of whole articles (a few million tokens each, here
    a few): no n-gram is lost or invented where one piece ends and the next begins, whether
    the articles of a piece are neighbours in the stream or gathered from a selection."""
    import policydata.index as index_module

    kept = index_module.STREAM_PIECE
    index_module.STREAM_PIECE = piece
    try:
        _check_top_terms(bodies, size, weight, 50, whole, warm)
    finally:
        index_module.STREAM_PIECE = kept


def _check_top_terms(bodies, size, weight, n, whole, warm) -> None:
    import tempfile

    texts_in = ["".join(w + s for w, s in body) for body in bodies]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "c"
        texts = []
        for i, body in enumerate(texts_in):
            title = f"Doc {i}"  # distinct texts: no exact duplicates
            write_article(folder, f"{i}.txt", f"{2020 + i % 2}-01-01", title, body)
            texts.append(ref.document_text(title, body))
        index = open_index(folder, cache_dir=Path(tmp) / "cache")
        selected = [True] * len(texts) if whole else [i % 2 == 1 for i in range(len(texts))]
        flt = Filter() if whole else Filter(start=dt.date(2021, 1, 1))
        # (keyness of the whole corpus has nothing to compare with: a clear error, tested by
        # hand above; not counted as a passing example)
        assume(not (weight == "keyness" and whole))
        if warm and size > 1:
            index.ngram_table(size, index.stop_mask(frozenset(TOP_STOP)))
        got = an.top_terms(index, flt, n=n, weight=weight, ngram=size, stopwords=TOP_STOP)
    expected = _reference_top(texts, selected, size, weight)
    ranked = sorted(expected.items(), key=lambda kv: (-kv[1][2], kv[0]))[:n]
    assert got["term"].tolist() == [term for term, _ in ranked]
    assert got["count"].tolist() == [v[0] for _, v in ranked]
    assert got["docs"].tolist() == [v[1] for _, v in ranked]
    assert got["score"].tolist() == pytest.approx([v[2] for _, v in ranked])
    if weight == "keyness":  # (what the score compares, for a reader to check it)
        assert got["reference_count"].tolist() == [v[3] for _, v in ranked]
        assert set(got["words"]) <= {sum(ref.words(t) for t, c in zip(texts, selected) if c)}
        assert set(got["reference_words"]) <= {
            sum(ref.words(t) for t, c in zip(texts, selected) if not c)}
    elif weight == "tfidf":  # (the df and N it weighs by)
        assert got["corpus_docs"].tolist() == [v[4] for _, v in ranked]
        assert set(got["corpus_articles"]) <= {len(texts)}
    else:
        assert list(got.columns) == ["term", "count", "docs", "score"]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Phrases met often: the ranking is settled by the repeated phrases' counts alone.
@example(bodies=[[("supply chain", " ")] * 5,
                 [("digital economy", " ")] * 8 + [("supply chain", " ")] * 2,
                 [("supply chain", " ")] * 6 + [("digital economy", ". ")],
                 [("green trade policy", " ")] * 3,
                 [("digital economy", " ")] * 6 + [("belt and road", "-")] * 3,
                 [("belt and road", " ")] * 4], size=2, n=2, overlap=False)
@example(bodies=[[("green trade policy", " ")] * 3, [("new industrial system", " ")] * 6,
                 [("supply chain", " ")] * 20, [("green trade policy", " ")] * 3,
                 [("digital economy", " ")] * 2,
                 [("supply chain", " ")] * 20 + [("belt and road", " ")] * 5],
         size=3, n=1, overlap=True)
@given(bodies=hst.one_of(_phrase_bodies, _word_bodies.filter(lambda b: len(b) >= 3)),
       size=hst.sampled_from([1, 2, 3]), n=hst.sampled_from([1, 3, 50]),
       overlap=hst.booleans())
def test_prop_keyness_against_another_selection_equals_brute_force(bodies, size, n,
                                                                   overlap) -> None:
    """Keyness against a reference other than the rest (the word clouds' comparisons): the
    reference's counts of repeated phrases come from where they occur, as the selection's
    do; the reference may share articles with the selection."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "c"
        texts = []
        for i, body in enumerate(bodies):
            text = "".join(w + s for w, s in body)
            write_article(folder, f"{i}.txt", f"{2020 + i % 3}-01-01", f"Doc {i}", text)
            texts.append(ref.document_text(f"Doc {i}", text))
        index = open_index(folder, cache_dir=Path(tmp) / "cache")
        flt = Filter(start=dt.date(2021, 1, 1), end=dt.date(2021, 12, 31))
        against = Filter(start=dt.date(2021 if overlap else 2022, 1, 1))
        got = an.top_terms(index, flt, n=n, weight="keyness", ngram=size, stopwords=TOP_STOP,
                           reference=against)
    years = [2020 + i % 3 for i in range(len(texts))]
    expected = _reference_top(texts, [y == 2021 for y in years], size, "keyness",
                              reference=[y >= (2021 if overlap else 2022) for y in years])
    ranked = sorted(expected.items(), key=lambda kv: (-kv[1][2], kv[0]))[:n]
    assert got["term"].tolist() == [term for term, _ in ranked]
    assert got["count"].tolist() == [v[0] for _, v in ranked]
    assert got["score"].tolist() == pytest.approx([v[2] for _, v in ranked])
    assert got["reference_count"].tolist() == [v[3] for _, v in ranked]
    if len(got):
        assert got["score"].tolist() == pytest.approx([ref.log_likelihood(
            a, b, int(got["words"].iat[0]), int(got["reference_words"].iat[0]))
            for a, b in zip(got["count"], got["reference_count"], strict=True)])


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bodies=hst.lists(hst.lists(hst.tuples(hst.sampled_from(TOP_WORDS),
                                            hst.sampled_from([" ", " ", " ", ". ", "-"])),
                                  min_size=0, max_size=40), min_size=2, max_size=6),
       weight=hst.sampled_from(["count", "tfidf", "keyness"]), n=hst.sampled_from([1, 2, 5, 500]),
       whole=hst.booleans(), ngram=hst.sampled_from(["1-2", "1-3", "2-3"]))
def test_prop_nested_terms_are_left_out_by_brute_force(bodies, weight, n, whole, ngram) -> None:
    # With keep_nested=False a term is left out exactly when a longer term of the range
    # (anywhere in the full ranking) holds its words in a row and has the same count; the
    # first n of the rest are listed, in the same order.
    import tempfile

    if weight == "keyness" and whole:
        return  # nothing to compare with
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "c"
        for i, body in enumerate(bodies):
            write_article(folder, f"{i}.txt", f"{2020 + i % 2}-01-01", f"Doc {i}",
                          "".join(w + s for w, s in body))
        index = open_index(folder, cache_dir=Path(tmp) / "cache")
        flt = Filter() if whole else Filter(start=dt.date(2021, 1, 1))
        options = {"weight": weight, "ngram": ngram, "stopwords": TOP_STOP}
        every = an.top_terms(index, flt, n=100_000, **options)
        got = an.top_terms(index, flt, n=n, keep_nested=False, **options)
    rows = list(zip(every["term"], every["count"]))

    def inside(short: str, long: str) -> bool:
        s, w = short.split(), long.split()
        return len(w) > len(s) and any(w[i:i + len(s)] == s for i in range(len(w) - len(s) + 1))

    kept = [(t, c) for t, c in rows if not any(inside(t, u) and c == k for u, k in rows)]
    assert list(zip(got["term"], got["count"])) == kept[:n]


def test_a_top_phrase_counts_as_its_trend_does(tmp_path: Path, cache: Path) -> None:
    # Matches of a phrase never overlap (rule 8): "ha ha" is met twice in "ha ha ha ha ha",
    # in the top terms as in its trend, and "a b a" once in "a b a b a".
    write_article(tmp_path / "c", "a.txt", "2023-01-01", "T",
                  "Ha ha ha ha ha. A b a b a. Ha ha.")
    index = open_index(tmp_path / "c", cache_dir=cache)
    for size, term in [(2, "ha ha"), (3, "a b a"), (3, "ha ha ha")]:
        top = an.top_terms(index, n=50, ngram=size, stopwords=[])
        counted = dict(zip(top["term"], top["count"]))
        trend = an.term_trend(index, [term], freq="year")
        assert counted[term] == int(trend["count"].sum()), term
    assert counted["ha ha ha"] == 1 and counted["a b a"] == 1


def test_han_phrases_are_written_as_chinese_writes_them(tmp_path: Path, cache: Path) -> None:
    # Each Han character is a token (rule 3): a phrase of them is written without spaces
    # (数字, not 数 字), a space only beside a word of letters or digits; read back as a term,
    # each counts as the top terms do.
    write_article(tmp_path / "c", "a.txt", "2023-01-01", "T",
                  "数字经济 digital economy. 数字经济与 5G. 经济 economy.")
    index = open_index(tmp_path / "c", cache_dir=cache)
    top = an.top_terms(index, n=50, ngram=2, stopwords=[])
    counted = dict(zip(top["term"], top["count"], strict=True))
    # by hand, bigrams within each sentence: 数字 2, 字经 2, 经济 3, 济 digital 1, digital
    # economy 1, 济与 1, 与 5g 1, 济 economy 1
    assert counted == {"数字": 2, "字经": 2, "经济": 3, "济 digital": 1, "digital economy": 1,
                       "济与": 1, "与 5g": 1, "济 economy": 1}
    for term, count in counted.items():
        assert int(an.term_trend(index, [term], freq="year")["count"].sum()) == count, term


def test_nested_terms_by_hand(tmp_path: Path, cache: Path) -> None:
    write_article(tmp_path / "c", "a.txt", "2023-01-01", "Xi Jinping",
                  "Xi Jinping said. Xi Jinping met Li. Li said.")
    index = open_index(tmp_path / "c", cache_dir=cache)
    top = an.top_terms(index, n=10, ngram="1-2", stopwords=[], keep_nested=False)
    # "xi" and "jinping" (3 each) occur only in "xi jinping" (3), "met" (1) only in
    # "jinping met" (1); "said" and "li" (2 each) occur in two phrases of 1
    assert dict(zip(top["term"], top["count"])) == {
        "xi jinping": 3, "li": 2, "said": 2, "jinping met": 1, "jinping said": 1,
        "li said": 1, "met li": 1}


@settings(max_examples=300, deadline=None)
@given(paragraphs=hst.lists(hst.text(alphabet="ab .;\n。”", max_size=30), min_size=1,
                            max_size=6),
       longest=hst.sampled_from([0, 5, 1500]), data=hst.data())
def test_prop_passages_hold_every_mark_where_it_was(paragraphs, longest, data) -> None:
    text = "\n\n".join(paragraphs)
    words = [(m.start(), m.end()) for m in re.finditer(r"a+", text)]
    marks = data.draw(hst.lists(hst.sampled_from(words), unique=True) if words else hst.just([]))
    found = an.passages(text, marks, longest=longest)
    seen = []
    for start, paragraph, inside in found:
        assert text[start:start + len(paragraph)] == paragraph
        assert "\n\n" not in paragraph.replace(" ", "") and inside
        assert all(0 <= a < b <= len(paragraph) for a, b in inside)
        seen += [(start + a, start + b) for a, b in inside]
    assert seen == sorted(marks)  # each mark once, in order, at its place
    starts = [s for s, _, _ in found]
    assert starts == sorted(set(starts))
    ends = [s + len(p) for s, p, _ in found]
    assert all(e <= s for e, s in zip(ends, starts[1:], strict=False))  # (never overlapping)
    # a passage of a long paragraph is a run of its sentences, each holding a mark's start
    breaks = list(re.finditer(r"\n[ \t]*\n", text))
    spans = list(zip([0, *(m.end() for m in breaks)], [*(m.start() for m in breaks), len(text)],
                     strict=True))
    for start, passage, inside in found:
        para = next((a, b) for a, b in spans if a <= start <= b)
        if para[1] - para[0] <= longest:
            assert passage == text[para[0]:para[1]]
            continue
        for at, sentence in _sentences(passage):
            assert any(at <= a < at + len(sentence) for a, _ in inside), (passage, sentence)


def _sentences(text: str) -> list[tuple[int, str]]:
    """Sentences by hand: one ends at "." and white space after it, or at a run of "。"
    (the quotes closing after it with it), white space or none; ";" ends none."""
    out, start, i = [], 0, 0
    while i < len(text):
        ch = text[i]
        i += 1
        if ch == "。" or (ch == "." and i < len(text) and text[i].isspace()):
            while ch == "。" and i < len(text) and text[i] == "。":
                i += 1
            while ch == "。" and i < len(text) and text[i] == "”":
                i += 1
            end = i
            while i < len(text) and text[i].isspace():
                i += 1
            if ch == "。" or i > end:
                out.append((start, text[start:end]))
                start = i
    return [*out, (start, text[start:])] if start < len(text) else out


def test_a_long_paragraph_gives_only_its_sentences_with_a_match() -> None:
    filler = "The committee reviewed the data. " * 60
    text = (filler + "Inflation rose again. Prices were firm. " + filler
            + "Inflation eased late; inflation expectations held. " + filler).strip()
    marks = [(m.start(), m.end()) for m in re.finditer("[Ii]nflation", text)]
    found = an.passages(text, marks)
    assert [p for _, p, _ in found] == [
        "Inflation rose again.", "Inflation eased late; inflation expectations held."]
    assert [len(m) for _, _, m in found] == [1, 2]
    short = "Inflation rose. Nothing else."
    assert an.passages(short, [(0, 9)]) == [(0, short, [(0, 9)])]  # (short: kept whole)
    # a sentence is read whole: ";" and ":" end a span of the counting rules, not a sentence
    text = filler + "Rates held; inflation: firm, as expected. " + filler
    at = text.index("inflation")
    assert [p for _, p, _ in an.passages(text, [(at, at + 9)])] == [
        "Rates held; inflation: firm, as expected."]
    # a run of full-width stops ends one sentence, with no space after it
    assert an.passages("a。。b。", [(3, 4)], longest=0) == [(3, "b。", [(0, 1)])]
    assert an.passages("a？！b", [(0, 1)], longest=0) == [(0, "a？！", [(0, 1)])]


def test_articles_dated_by_month_or_year_left_out_by_a_start_date(tmp_path) -> None:
    rows = ["date,title,text", "2023-09,Month,digital economy", "2023,Year,digital economy",
            "2023-09-15,Day,digital economy", "2023-08,August,digital economy",
            "2022,Earlier year,digital economy"]
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "a.csv").write_text("\n".join(rows) + "\n")
    index = open_index(tmp_path / "c", cache_dir=tmp_path / "cache")
    for start, expected in [(dt.date(2023, 9, 10), 2), (dt.date(2023, 9, 1), 1),
                            (dt.date(2023, 1, 1), 0), (dt.date(2023, 8, 2), 2),
                            (dt.date(2023, 10, 1), 1)]:
        flt = Filter(start=start)
        # brute force: a coarse date's month or year holds the start, but the date is before
        left_out = 0
        for text, precision in [("2023-09", "month"), ("2023", "year"), ("2023-08", "month"),
                                ("2022", "year")]:
            first = dt.date(int(text[:4]), int(text[5:7]) if precision == "month" else 1, 1)
            last = (dt.date(first.year + (first.month == 12), first.month % 12 + 1, 1)
                    if precision == "month" else dt.date(first.year + 1, 1, 1))
            left_out += first < start < last
        assert an.cut_by_start(index, flt) == left_out == expected, start
    assert an.cut_by_start(index, Filter(start=dt.date(2023, 9, 10), query="nothing")) == 0


def test_cut_by_start_keeps_the_filters_other_fields(tmp_path) -> None:
    # The wider filter (start moved to 1 January) keeps the end, the sources and the query.
    rows = {"xinhua": [("2023-09", "month", "digital economy"), ("2023", "year", "digital economy"),
                       ("2023", "year", "real economy")],
            "people": [("2023-09", "month", "digital economy"), ("2023", "year", "digital economy"),
                       ("2023-09-15", "day", "digital economy")]}
    for source, dated in rows.items():
        (tmp_path / "c" / source).mkdir(parents=True)
        lines = [f"{date},{source} {i},{text}" for i, (date, _, text) in enumerate(dated)]
        (tmp_path / "c" / source / "a.csv").write_text("\n".join(["date,title,text", *lines]))
    index = open_index(tmp_path / "c", cache_dir=tmp_path / "cache")
    start = dt.date(2023, 9, 10)
    for end, sources, query in [(None, (), ""), (None, ("xinhua",), ""),
                                (None, (), "digital economy"),
                                (None, ("xinhua",), "digital economy"),
                                (dt.date(2023, 8, 31), (), ""),
                                (dt.date(2023, 8, 31), ("people",), "digital economy")]:
        flt = Filter(start=start, end=end, sources=sources, query=query)
        left_out = 0  # brute force, as in the test above
        for source, dated in rows.items():
            for date, precision, text in dated:
                first = dt.date(int(date[:4]), int(date[5:7]) if precision == "month" else 1, 1)
                last = (dt.date(2023, 10, 1) if precision == "month" else dt.date(2024, 1, 1))
                left_out += (precision != "day" and first < start < last
                             and (not sources or source in sources)
                             and (not query or query in text)
                             and (end is None or first <= end))
        assert an.cut_by_start(index, flt) == left_out, flt
    assert [an.cut_by_start(index, Filter(start=start, end=e, sources=s, query=q))
            for e, s, q in [(None, (), ""), (None, ("xinhua",), ""),
                            (dt.date(2023, 8, 31), ("people",), "digital economy")]] == [5, 3, 1]


def test_cut_by_start_copies_the_filter_with_only_its_start_changed(seed_index,
                                                                    monkeypatch) -> None:
    # A field added to Filter later (here: in a subclass) must reach select, not be dropped
    # by a copy built field by field.
    @dataclasses.dataclass(frozen=True)
    class Wider(Filter):
        extra: str = "kept"

    seen: list[Filter] = []
    real_select = an.select

    def select(index, flt=Filter(), **kwargs):
        seen.append(flt)
        return real_select(index, flt, **kwargs)

    monkeypatch.setattr(an, "select", select)
    flt = Wider(start=dt.date(2023, 9, 10), end=dt.date(2023, 12, 31), query="digital economy",
                extra="not the default")
    assert an.cut_by_start(seed_index, flt) == 0  # (the seed is dated by day)
    assert seen == [dataclasses.replace(flt, start=dt.date(2023, 1, 1))]
    assert type(seen[0]) is Wider and seen[0].extra == "not the default"


@pytest.mark.parametrize(("dates", "flt", "expected"), [
    # three day dates on 1 January over two years: years written as days
    (["2020-01-01", "2021-01-01", "2021-01-01"], Filter(), 3),
    # a year-only date is not counted, and does not spoil the rest
    (["2020-01-01", "2021-01-01", "2022-01-01", "2023"], Filter(), 3),
    # one date that is not 1 January: real days
    (["2020-01-01", "2021-01-01", "2022-01-02"], Filter(), 0),
    (["2020-01-01", "2021-01-01", "2022-02-01"], Filter(), 0),
    # too few to tell, or all in one year
    (["2020-01-01", "2021-01-01"], Filter(), 0),
    (["2020-01-01", "2020-01-01", "2020-01-01"], Filter(), 0),
    # only the articles the filter selects are looked at
    (["2020-01-01", "2021-01-01", "2022-01-01", "2022-06-15"],
     Filter(end=dt.date(2022, 6, 1)), 3),
    (["2020-01-01", "2021-01-01", "2022-01-01", "2022-06-15"], Filter(), 0),
])
def test_dated_new_year_counts_day_dates_that_all_fall_on_1_january(tmp_path, dates, flt,
                                                                    expected) -> None:
    for i, date in enumerate(dates):
        write_article(tmp_path / "c", f"{i}.txt", date, f"Report {i}", f"Text number {i}.")
    index = open_index(tmp_path / "c", cache_dir=tmp_path / "cache")
    assert an.dated_new_year(index, flt) == expected


def test_a_theme_points_articles_and_lines_are_its_counts(small_index) -> None:
    # Behind each point of a theme trend: the articles with the theme (docs) and one
    # keyword-in-context line per counted match (count), for every theme and year.
    trend = an.theme_trend(small_index, freq="year")
    for row in trend.itertuples():
        inside = an.in_period(Filter(), row.period)
        listed = an.articles(small_index, inside, with_theme=row.theme)
        assert (len(listed), int(listed["hits"].sum())) == (row.docs, row.count), row
        lines = an.kwic(small_index, small_index.themes.entries(row.theme), inside, limit=None)
        assert len(lines) == row.count, row
    with pytest.raises(ValueError, match="not both"):
        an.articles(small_index, mentioning="x", with_theme=trend["theme"].iat[0])


def test_a_comma_between_digits_is_part_of_the_term(tmp_path: Path, cache: Path) -> None:
    # "10,000 people" is the phrase 10 000 people (rule 5: the comma separates tokens),
    # not the alternatives "10" and "000 people"; other commas still join alternatives.
    write_article(tmp_path / "c", "a.txt", "2023-01-15", "Numbers",
                  "The count was 10,000 people. Some 10 people came; 000 people left. "
                  "The digital economy and the real economy.")
    index = open_index(tmp_path / "c", cache_dir=cache)
    frame = an.term_trend(index, ["10,000 people", "10，000 people",
                                  "digital economy, real economy"])
    assert frame["count"].tolist() == [1, 1, 2]
    text = "Numbers\n\nThe count was 10,000 people. Some 10 people came; 000 people left. " \
           "The digital economy and the real economy."
    assert ref.count(text, ["10 000 people"]) == 1
    assert len(an.kwic(index, "10,000 people")) == 1


def test_kept_selections_tell_dictionaries_and_filters_apart(small_index) -> None:
    # Trends keep each filter's articles and totals on the index (Index.memo): a theme of the
    # same name in another dictionary, or another filter, must not get the kept answer.
    digital = parse_themes('[themes]\nOne = ["digital economy"]')
    real = parse_themes('[themes]\nOne = ["real economy"]')
    for themes, counts in ((digital, DIGITAL), (real, REAL), (digital, DIGITAL)):
        frame = an.term_trend(small_index, ["economy"], Filter(themes=("One",)), freq="year",
                              themes=themes)
        assert frame["articles"].tolist() == [sum(1 for c in counts[:12] if c),
                                              sum(1 for c in counts[12:] if c)]
    later = an.term_trend(small_index, ["digital economy"],
                          Filter(start=dt.date(2023, 1, 1)), freq="year")
    assert later["count"].tolist() == [sum(DIGITAL[12:])]
    assert an.corpus_trend(small_index, freq="year")["articles"].tolist() == [12, 12]


def test_select_gives_a_mask_of_its_own(small_index) -> None:
    # select() is public and its callers may change the mask: it is never a kept one.
    an.term_trend(small_index, ["economy"])  # (keeps the whole corpus's selection)
    mask = an.select(small_index)
    mask[:] = False
    assert an.select(small_index).all()
    assert an.term_trend(small_index, ["economy"], freq="year")["articles"].tolist() == [12, 12]


def test_a_search_over_the_work_limit_is_refused_before_counting(small_index,
                                                                  monkeypatch) -> None:
    import policydata.index

    wide = an.parse_query("d*, r*, e*")
    work = small_index.query_work(wide)
    # (single words are counted from postings: one per term and article holding it)
    occurrences, documents = small_index.term_frequencies()
    ids = np.unique(np.concatenate([small_index.pattern(t)[0] for t in wide]))
    assert work == int(documents[ids].sum()) > 0
    monkeypatch.setattr(policydata.index, "MAX_QUERY_WORK", work - 1)
    small_index._counts_cache.clear()
    with pytest.raises(ValueError, match="matches too much of this corpus"):
        small_index.doc_counts(wide)
    with pytest.raises(ValueError, match="matches too much"):
        an.term_trend(small_index, ["d*, r*, e*"])
    # a phrase: its rarest word's positions times its words
    phrase = an.parse_query("digital economy")
    rarest = min(int(occurrences[ids].sum()) for ids in small_index.pattern(phrase[0]))
    assert small_index.query_work(phrase) == 2 * rarest
    monkeypatch.setattr(policydata.index, "MAX_QUERY_WORK", 2 * rarest)
    assert an.term_trend(small_index, ["digital economy"])["count"].sum() == sum(DIGITAL)


@pytest.mark.parametrize("extra", [[], ["digital", "chain"], ["economy"]])
@pytest.mark.parametrize("size", [2, 3])
def test_repeated_phrases_are_counted_as_the_text_counts_them(tmp_path: Path, extra: list[str],
                                                              size: int) -> None:
    """Index.repeated_ngram_counts, for selections, for the default stopwords and for the
    default with a user's words added (its table narrowed), equals the count of the text
    (ngram_counts, itself checked against the brute force above) for every repeated phrase."""
    import random

    rng = random.Random(size * 10 + len(extra))
    folder = tmp_path / "c"

    def write(first: int, last: int) -> None:
        for i in range(first, last):
            body = "".join(rng.choice(TOP_PHRASES) + rng.choice([" ", " ", ". ", " and "])
                           for _ in range(rng.randrange(0, 30)))
            write_article(folder, f"{i}.txt", f"{2020 + i % 3}-0{1 + i % 9}-01", f"Doc {i}",
                          body)

    write(0, 24)
    index = open_index(folder, cache_dir=tmp_path / "cache")
    for state in ("one segment", "two segments and a duplicate"):
        if state != "one segment":  # (added files make a second segment)
            write(24, 36)
            (folder / "dup.txt").write_bytes((folder / "3.txt").read_bytes())
            index = open_index(folder, cache_dir=tmp_path / "cache")
            assert len(index.segments) == 2 and not index.active.all()
        base = index.stop_mask(an.default_stopwords())
        stop = index.stop_mask(frozenset([*an.default_stopwords(), *extra]))
        table_keys = index.ngram_table(size, stop, base)[0]
        assert len(table_keys) > 10  # (the test shows something)
        for flt in [Filter(), Filter(start=dt.date(2021, 1, 1)),
                    Filter(query="digital economy"), Filter(start=dt.date(2030, 1, 1))]:
            mask = an.select(index, flt)
            keys, counts, docs = index.repeated_ngram_counts(mask, size, stop, base)
            all_keys, all_counts, all_docs = index.ngram_counts(mask, size, stop)
            repeated = np.isin(all_keys, table_keys)
            assert keys.tolist() == all_keys[repeated].tolist(), state
            assert counts.tolist() == all_counts[repeated].tolist(), state
            assert docs.tolist() == all_docs[repeated].tolist(), state


def test_other_forms_of_trend_terms_hand_counted(tmp_path: Path, cache: Path) -> None:
    corpus = tmp_path / "c"
    write_article(corpus, "a.txt", "2023-01-05", "Balance sheets",
                  "The balance sheet grew. Balance-sheets shrank; BALANCE SHEETS again.\n\n"
                  "Supply chain policies and a supply-chain policy.")
    write_article(corpus, "b.txt", "2023-02-05", "Another", "Balance sheets, balance sheet.")
    write_article(corpus, "c.txt", "2024-01-05", "Later", "Policies. Balance sheets.")
    index = open_index(corpus, cache_dir=cache)
    found = an.other_forms(index, ["balance sheet", "supply chain policies", "policy*"])
    # by hand: "balance sheets" in the title of a.txt and twice in its body, once in b.txt and
    # once in c.txt; "supply chain policy" once in a.txt ("policy*" has no other form)
    assert found.to_dict("records") == [
        {"term": "balance sheet", "form": "balance sheets", "count": 5, "docs": 3},
        {"term": "supply chain policies", "form": "supply chain policy", "count": 1, "docs": 1}]
    in_2023 = an.other_forms(index, ["balance sheet"], Filter(end=dt.date(2023, 12, 31)))
    assert in_2023[["count", "docs"]].values.tolist() == [[4, 2]]
    # each equals the form's own trend count, the same articles selected
    trend = an.term_trend(index, ["balance sheets"], Filter(end=dt.date(2023, 12, 31)),
                          freq="year")
    assert int(trend["count"].sum()) == 4
    # a form already counted, as a term or an alternative of one, is not offered
    assert an.other_forms(index, ["balance sheet", "balance sheets"]).empty
    assert an.other_forms(index, ["balance sheet, balance sheets"]).empty
    # a term at the length limit whose other form is over it: no form offered, no error (the
    # Term trends page stopped with a ValueError on such a term)
    for long in ["x" * MAX_QUERY_LENGTH, "a" * (MAX_QUERY_LENGTH - 14) + " balance sheet"]:
        assert len(long) <= MAX_QUERY_LENGTH
        assert an.other_forms(index, [long]).empty


#: Regular-expression syntax typed as a search. Each is read by the counting rules (its
#: punctuation separates words or ends a phrase), never as a pattern: ``zq.*`` cannot match
#: ``zqx`` as a pattern would, and ``(zq+)+y`` cannot backtrack over a long run of ``zq``.
REGEX_QUERIES = ["(zq+)+y", "zq.*", "[zq]+", "zq|wx", "zq{1,99999}", "^zq$", r"\bzq\b",
                 "zq\\", "(?i)zq", "zq$ y", "zq?", "+zq", "zq [^y]"]


def test_regex_syntax_in_a_search_is_read_by_the_rules_not_run_as_a_pattern(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    texts = ["zq zqx wx y zq y. zqzq y", "ZQ+ zq? y [zq] {1,99999} i zq wx",
             " ".join(["zq"] * 5000) + " x"]  # (the input a backtracking pattern chokes on)
    for i, body in enumerate(texts):
        write_article(tmp_path / "c", f"{i}.txt", f"2023-0{i + 1}-01", f"Note {i}", body)
    index = open_index(tmp_path / "c", cache_dir=tmp_path / "cache")
    compiled: list[str] = []
    real_compile = re._compile  # type: ignore[attr-defined]

    def watch(pattern, flags):  # every pattern the queries below compile, or take from cache
        compiled.append(pattern if isinstance(pattern, str) else getattr(pattern, "pattern", ""))
        return real_compile(pattern, flags)

    monkeypatch.setattr(re, "_compile", watch)
    docs = [ref.document_text(f"Note {i}", body) for i, body in enumerate(texts)]
    for query in REGEX_QUERIES:
        try:
            listed = an.articles(index, Filter(query=query))
        except ValueError as refused:  # (refused with the rules' reason, not a regex error)
            assert not isinstance(refused, re.error), query
            with pytest.raises(ValueError):
                ref.parse_query(query)
            continue
        expected = [ref.count(doc, query) for doc in docs]
        assert dict(zip(listed["id"], listed["hits"])) == {
            str(i): c for i, c in enumerate(expected) if c}, query
        trend = an.term_trend(index, [query], freq="month")
        assert trend["count"].tolist() == expected, query
        lines = an.kwic(index, query, limit=None)
        assert len(lines) == sum(expected), query
    # no query's text reached the regular-expression engine
    assert not [p for p in compiled if "zq" in p], compiled
    # and the rules read these as words, never as patterns: 'zq.*' is refused (a full stop
    # ends a phrase), 'zq|wx' is the phrase 'zq wx'; 'zqx' and 'zqzq' are other words
    assert ref.count(docs[1], "zq|wx") == 1 and ref.count(docs[0], "[zq]+") == 2
