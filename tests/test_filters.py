"""The URL contract: parsing never fails, bad values are dropped with a note, round trips."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from urllib.parse import parse_qs, urlencode

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policydata.filters import (
    MARKS,
    PARAMS,
    Filter,
    View,
    default_freq,
    operator_note,
    view_from_params,
    view_to_params,
)
from policydata.tokens import MAX_QUERY_LENGTH, parse_term

THEMES = ["Digital economy", "Party leadership"]
SOURCES = ["xinhua", "miit", "a folder name of 240 characters " + "x" * 208]


def parse(params):
    return view_from_params(params, themes=THEMES, sources=SOURCES)


@pytest.mark.parametrize(("params", "field", "value"), [
    ({"term": ["digital economy", "real economy"]}, "terms", ("digital economy", "real economy")),
    ({"term": ["a", "a", "b"]}, "terms", ("a", "b")),
    ({"freq": ["year"]}, "freq", "year"),
    ({"measure": "docs"}, "measure", "docs"),
    ({"smooth": "3"}, "smooth", 3),
    ({"weight": "keyness", "ngram": "1-3"}, "ngram", "1-3"),
    ({"sort": "hits"}, "sort", "hits"),
    ({"tab": "time"}, "tab", "time"),
    ({"passages": "1"}, "passages", True),
    ({"stop": ["Said", "said", " also "]}, "stop", ("said", "also")),
    # a link typed by hand: fixed values and known names in another case are read
    ({"freq": "YEAR", "measure": "Docs"}, "freq", "year"),
    ({"freq": "YEAR", "measure": "Docs"}, "measure", "docs"),
    ({"sort": " Hits"}, "sort", "hits"),
    ({"theme": ["party LEADERSHIP"], "source": ["XINHUA"]}, "filter",
     Filter(themes=("Party leadership",), sources=("xinhua",))),
    ({"term": [" labor  market ", "labor market"]}, "terms", ("labor market",)),
    ({"term": "labor market", "focus": "Labor  Market "}, "focus", "labor market"),
    ({"period": "2023q3"}, "period", "2023Q3"),
    ({"stop": [f"w{i}" for i in range(50)]}, "stop", tuple(f"w{i}" for i in range(50))),
])
def test_valid_values_are_read(params, field, value) -> None:
    view, notes = parse(params)
    assert getattr(view, field) == value and notes == []


@pytest.mark.parametrize(("params", "field", "default", "said"), [
    ({"freq": "weekly"}, "freq", "month", "weekly"),
    ({"measure": "<script>"}, "measure", "per_10k", "<script>"),
    ({"smooth": "-2"}, "smooth", 1, "smooth"),
    ({"smooth": "99"}, "smooth", 1, "smooth"),
    ({"theme": ["Nope"]}, "filter", Filter(), "Nope"),
    ({"source": ["elsewhere"]}, "filter", Filter(), "elsewhere"),
    ({"dates": ["2023-01-01"]}, "filter", Filter(), "two ISO dates"),
    ({"dates": ["2023-02-30", "2023-03-01"]}, "filter", Filter(), "not ISO dates"),
    ({"dates": ["yesterday", "today"]}, "filter", Filter(), "not ISO dates"),
    ({"q": ["U.S. economy"]}, "filter", Filter(), "ends a sentence"),
    ({"q": ["x" * 5000]}, "filter", Filter(), "5000 characters"),
    ({"term": ["a*b"]}, "terms", (), "must end a word"),
    ({"focus": ["zzz"]}, "focus", "", "not one of the trend terms"),
    ({"bogus": ["1"]}, "freq", "month", "unknown parameter 'bogus'"),
    ({"q": [",,,"]}, "filter", Filter(), "has no words"),
    ({"term": [","]}, "terms", (), "has no words"),
    ({"period": ["<script>"]}, "period", "", "'<script>' is not a period"),  # (as written)
    ({"period": ["2023-13"]}, "period", "", "is not a period"),
    ({"freq": ["weekly", "year"]}, "freq", "year", "given 2 times; the last is used"),
    ({"q": ["a", "b"]}, "filter", Filter(query="b"), "given 2 times"),
])
def test_invalid_values_are_dropped_with_a_note(params, field, default, said) -> None:
    view, notes = parse(params)
    assert getattr(view, field) == default
    assert any(said in note for note in notes), notes


@pytest.mark.parametrize(("typed", "searched"), [
    ('"federal funds rate" -target', "federal funds rate target"),
    ("inflation OR unemployment", "inflation or unemployment"),
    ("+digital economy", "digital economy"),
    ("-economy", "economy"),
    # quotes as a keyboard or a word processor writes them, and a minus sign
    ("\u201cdigital economy\u201d", "digital economy"),
    ("\u00abdigital economy\u00bb", "digital economy"),
    ("\u201edigital economy\u201c", "digital economy"),
    ("\u300c\u6570\u5b57\u7ecf\u6d4e\u300d", "\u6570 \u5b57 \u7ecf \u6d4e"),
    ("trade \u2212tariff", "trade tariff"),
    ("trade \u2013tariff", "trade tariff"),  # (a minus a word processor made an en dash)
    ("\uff0bdigital", "digital"),
    ("trade -\U00031350", "trade \U00031350"),  # (Han though not a letter to Python 3.11)
    ("-\u2f00", "\u4e00"),  # (a Kangxi radical: the ideograph under NFKC)
])
def test_a_search_engines_operators_are_read_as_words_and_said(typed, searched) -> None:
    # What Media Cloud's or Kibana's users type: kept as the phrase it is (a link keeps it as
    # typed, without a note), and where it is typed a note says how it is read (a phrase of
    # "or" matches next to nothing, silently)
    view, notes = parse({"q": typed, "term": typed})
    assert view.filter.query == typed.strip() and view.terms == (typed.strip(),) and not notes
    said = operator_note(typed)
    assert said is not None and said.startswith(
        f"{typed!r} is searched as the phrase {searched!r}: quotes, -, + and AND, OR, NOT are "
        "not operators here")
    for plain in ("high-quality development", "digital economy, data element*", "or else",
                  "10,000 people", "US-China trade", "China\u2019s economy", "5\u22123"):
        assert operator_note(plain) is None, plain


def test_reversed_dates_are_swapped_with_a_note() -> None:
    view, notes = parse({"dates": ["2023-12-31", "2023-01-01"]})
    assert (view.filter.start, view.filter.end) == (dt.date(2023, 1, 1), dt.date(2023, 12, 31))
    assert notes and "swapped" in notes[0]


def test_a_name_that_matches_two_known_names_by_case_is_dropped() -> None:
    view, notes = view_from_params({"source": ["XINHUA"]}, sources=["xinhua", "Xinhua"])
    assert view.filter.sources == () and notes == [
        "source 'XINHUA' is ambiguous: 'Xinhua' and 'xinhua' differ only in case or spaces; "
        "ignored"]
    view, notes = view_from_params({"source": ["gov"]}, sources=["xinhua", " Gov "])
    assert view.filter.sources == (" Gov ",) and not notes  # (spaces on either side)
    view, notes = view_from_params({"source": ["gov.cn"]}, sources=["xinhua"])
    assert notes == ["unknown source 'gov.cn'; ignored"]


def test_repeated_and_huge_values_are_bounded() -> None:
    view, notes = parse({"stop": [f"w{i}" for i in range(60)]})
    assert len(view.stop) == 50 and notes == ["'stop' has 60 values; the first 50 are kept"]
    view, notes = parse({"term": [f"t{i}" for i in range(100)], "theme": ["x" * 10_000] * 3})
    assert len(view.terms) == 10
    assert notes and view.filter.themes == ()


def test_every_name_is_documented() -> None:
    written = view_to_params(View(
        filter=Filter(start=dt.date(2020, 1, 1), end=dt.date(2021, 1, 1), themes=("Digital economy",),
                      query="data element*", sources=("miit",)),
        terms=("a", "b"), freq="year", measure="count", smooth=2, period="2020", focus="a",
        focus_theme="Party leadership",
        weight="tfidf", ngram="2", stop=("said",), compare="dates", start2=dt.date(2020, 1, 1),
        end2=dt.date(2020, 6, 1), theme2="Party leadership", tab="together", sort="hits",
        kwic="after",
        doc="x/1", passages=True,
        back="term=a&freq=year"))
    # (the marks say what a link was made with: the dashboard adds them, not the view)
    assert set(written) == set(PARAMS) - set(MARKS)


words = st.text(alphabet=st.sampled_from("abcdefgh -"), min_size=1, max_size=15).filter(
    lambda s: any(c.isalpha() for c in s))
dates = st.dates(min_value=dt.date(1800, 1, 1), max_value=dt.date(2100, 1, 1))


@st.composite
def views(draw, back: bool = True):
    start = draw(st.none() | dates)
    end = None if start is None else draw(dates.filter(lambda d: d >= start))
    # (terms that count alike, "a-b" and "a b", are one term: the first is kept)
    kept: dict[object, str] = {}
    for w in draw(st.lists(words, max_size=4)):
        if w.strip():
            kept.setdefault(parse_term(w).words, " ".join(w.split()))
    terms = tuple(kept.values())
    alternatives = [" ".join(w.split()) for w in draw(st.lists(words, max_size=40))]
    query = ", ".join(dict.fromkeys(a for a in alternatives if a))[:MAX_QUERY_LENGTH]
    return View(
        filter=Filter(start=start, end=end,
                      themes=tuple(draw(st.lists(st.sampled_from(THEMES), unique=True))),
                      query=", ".join(p.strip() for p in query.split(",")  # (cut: a word may
                                      if any(c.isalpha() for c in p)),  # end up "-")
                      sources=tuple(draw(st.lists(st.sampled_from(SOURCES), unique=True)))),
        terms=terms,
        freq=draw(st.sampled_from(["month", "quarter", "year"])),
        measure=draw(st.sampled_from(["per_10k", "docs", "count"])),
        smooth=draw(st.integers(1, 24)),
        weight=draw(st.sampled_from(["count", "tfidf", "keyness"])),
        ngram=draw(st.sampled_from(["1", "2", "3", "1-3"])),
        tab=draw(st.sampled_from(["counts", "time", "together", "dictionary"])),
        period=draw(st.sampled_from(["", "2023", "2023Q3", "2023-09"])),
        focus_theme=draw(st.sampled_from(["", *THEMES])),
        sort=draw(st.sampled_from(["-date", "date", "hits"])),
        kwic=draw(st.sampled_from(["", "after", "before"])),
        doc=draw(st.sampled_from(["", "a/b", "x#3"])),
        passages=draw(st.booleans()),
        back=(urlencode(view_to_params(draw(views(back=False).filter(_traces)), freq=None),
                        doseq=True) if back and draw(st.booleans()) else ""),
    )


def _traces(view: View) -> bool:
    """Whether a view can be a drill-down's way back: a trend of terms or of a theme."""
    return bool(view.terms or view.focus_theme)


def test_the_way_back_is_a_view_of_its_own() -> None:
    trend = View(terms=("digital economy",), freq="year",
                 filter=Filter(themes=("Digital economy",)))
    back = urlencode(view_to_params(trend, freq=None), doseq=True)
    view, notes = parse({"q": "digital economy", "back": back})
    assert notes == [] and view.back == back
    assert parse(parse_qs(view.back))[0] == trend
    # what is wrong inside is dropped with a note, and a way back of its own goes too
    view, notes = parse({"back": back + "&theme=Nope&smooth=x&back=term%3Dx"})
    assert view.back == back
    assert any("'back'" in n and "Nope" in n for n in notes), notes
    # and a value that names no trend is no way back at all (it made a "Back" button)
    for junk, said in [("javascript:window.__pwned=1", "the way back to the trend is lost ("
                        "unknown parameter 'javascript:window.__pwned' ignored)"),
                       ("freq=year", "'freq=year' is not the way back to a trend"),
                       ("theme=Digital+economy", "is not the way back to a trend (it names "
                        "no term or theme); ignored")]:
        view, notes = parse({"back": junk})
        assert view.back == "", junk
        assert any(n.startswith("'back': ") and said in n for n in notes), notes
    theme_back = "freq=year&period=2023&focus_theme=Digital+economy"
    assert parse({"back": theme_back})[0].back == theme_back
    # a theme's way back whose theme this dictionary lacks says so, not "names no theme"
    view, notes = parse({"back": "freq=year&period=2023&focus_theme=Nope"})
    assert view.back == ""
    assert any(n.startswith("'back': the way back to the trend is lost (") and "Nope" in n
               for n in notes), notes


def test_terms_that_count_alike_are_one_term() -> None:
    view, notes = parse({"term": ["economy", "ECONOMY", "high-quality development",
                                  "High quality  development", "economy"]})
    assert view.terms == ("economy", "high-quality development")
    assert notes == ["'term': 'ECONOMY' counts as 'economy', already shown; ignored",
                     "'term': 'High quality development' counts as 'high-quality development', "
                     "already shown; ignored"]


@pytest.mark.parametrize("name", ["q", "term", "stop"])
def test_direction_changing_characters_are_read_as_the_spaces_they_count_as(name) -> None:
    # A search box given U+202E shows "tax" as "xat" while "tax" is counted: such characters
    # separate words anyway (counting rule 3), so the box is given spaces, and it is said.
    view, notes = parse({name: "\u202etax\u200bpolicy"})
    value = {"q": view.filter.query, "term": " ".join(view.terms), "stop": " ".join(view.stop)}
    assert value[name] == "tax policy"
    assert notes == [f"{name!r}: '[U+202E]tax[U+200B]policy' holds invisible or "
                     "direction-changing characters; they separate words, as in the counting "
                     "rules, and are written as spaces"]
    assert parse_term("\u202etax\u200bpolicy").words == parse_term("tax policy").words
    kept, notes = parse({name: "digital\u3164economy"})  # (a Hangul filler is a letter)
    assert "\u3164" in (kept.filter.query + "".join(kept.terms) + "".join(kept.stop))
    assert notes == []


def test_a_query_read_at_the_limit_reads_back_the_same() -> None:
    # "ab,ab,...": 200 characters as typed, more once written with ", " between alternatives
    typed = ",".join(["ab"] * 67)
    view, notes = parse({"q": typed, "term": typed})
    assert view.filter.query == ", ".join(["ab"] * 50) and view.terms == (view.filter.query,)
    assert len(notes) == 2 and "the first 50 of 67 are kept" in notes[0]
    assert parse(view_to_params(view)) == (view, [])


@given(views())
@settings(max_examples=200, deadline=None)
def test_views_round_trip_through_the_url(view: View) -> None:
    again, notes = parse(view_to_params(view))
    assert notes == [] and again == view


@given(st.dictionaries(st.sampled_from([*PARAMS, "junk", "ünï"]),
                       st.lists(st.text(max_size=300), max_size=25)))
@settings(max_examples=300, deadline=None)
def test_nonsense_never_raises(params) -> None:
    view, notes = parse(params)
    assert isinstance(view, View) and isinstance(notes, list)
    assert view_from_params(view_to_params(view), themes=THEMES, sources=SOURCES)[0] == view


def test_describe_says_what_is_shown() -> None:
    flt = Filter(start=dt.date(2023, 1, 1), end=dt.date(2023, 12, 31), themes=("Industry",),
                 query="digital economy")
    assert flt.describe(12) == ("12 articles mentioning 'digital economy' in the theme "
                                "'Industry' between 2023-01-01 and 2023-12-31")
    assert Filter(themes=("A", "B")).describe(3) == "3 articles in the themes 'A' or 'B'"
    assert Filter().describe(1) == "1 article"


def test_smooth_with_a_superscript_digit_is_dropped_with_a_note() -> None:
    # Found by the property test: "²" is a digit to str.isdigit() but not to int().
    view, notes = view_from_params({"smooth": ["²"]})
    assert view.smooth == View().smooth
    assert any("smooth" in note for note in notes)


@pytest.mark.parametrize(("first", "last", "freq"), [
    (dt.date(2023, 9, 2), dt.date(2023, 9, 2), "month"),
    (dt.date(2004, 1, 1), dt.date(2023, 12, 31), "month"),  # 240 months
    (dt.date(2004, 1, 1), dt.date(2024, 1, 1), "quarter"),  # 241
    (dt.date(1964, 1, 1), dt.date(2023, 12, 31), "quarter"),  # 240 quarters
    (dt.date(1963, 12, 31), dt.date(2023, 12, 31), "year"),
    # 2000Q1 to 2060Q1 is 241 quarters, though its 720 months divide into 240
    (dt.date(2000, 3, 1), dt.date(2060, 2, 1), "year"),
    (dt.date(2000, 3, 1), dt.date(2059, 12, 31), "quarter"),
    (None, None, "month"),
])
def test_default_period_draws_at_most_240_periods(first, last, freq) -> None:
    assert default_freq(first, last) == freq


def test_a_corpus_default_period_stays_out_of_the_link() -> None:
    view, notes = view_from_params({"term": ["x"]}, freq="year")
    assert view.freq == "year" and notes == []
    assert view_to_params(view, freq="year") == {"term": ["x"]}
    assert view_to_params(replace(view, freq="month"), freq="year") == {
        "term": ["x"], "freq": ["month"]}
    long_id = "https://example.org/" + "a" * 500
    assert view_from_params({"doc": [long_id]})[0].doc == long_id  # scrapes' ids are addresses


@pytest.mark.parametrize(("params", "terms", "said"), [
    # a flag: 1 or nothing
    ({"passages": "yes"}, None,
     ["'passages': 'yes' is not 1 (read only the passages); ignored"]),
    ({"passages": " 1 "}, None, []),
    ({"passages": ""}, None, []),
    # too many terms: one note, whichever limit cut them
    ({"term": [f"t{i}" for i in range(30)]}, tuple(f"t{i}" for i in range(10)),
     ["'term' has 30 values; the first 10 terms are kept"]),
    ({"term": [f"t{i}" for i in range(12)]}, tuple(f"t{i}" for i in range(10)),
     ["'term' has 12 values; the first 10 terms are kept"]),
    ({"term": ["a", "b"] * 15}, ("a", "b"),
     ["'term' has 30 values; the first 20 are kept"]),
    ({"stop": [f"w{i}" for i in range(60)]}, None,
     ["'stop' has 60 values; the first 50 are kept"]),
    # an empty term (``?term=&term=economy``): said, the others kept
    ({"term": ["", "economy", "  "]}, ("economy",),
     ["'term': an empty value was ignored", "'term': an empty value was ignored"]),
])
def test_notes_say_once_what_was_dropped(params, terms, said) -> None:
    view, notes = parse(params)
    assert notes == said
    if terms is not None:
        assert view.terms == terms


def test_a_check_drops_searches_and_terms_it_refuses_with_its_reason() -> None:
    def check(query: str) -> None:
        if "*" in query:
            raise ValueError(f"the search {query!r} is too wide")

    view, notes = view_from_params({"q": "a*, b*", "term": ["economy", "e*"]}, check=check)
    assert view.filter.query == "" and view.terms == ("economy",)
    assert notes == ["'term': the search 'e*' is too wide; ignored",
                     "'q': the search 'a*, b*' is too wide; ignored"]
