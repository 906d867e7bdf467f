"""Real corpora: every trend and theme count of the command line equals the reference.

The corpora in ``../shared/corpora`` are real documents (US State of the Union addresses and
FOMC minutes, in the seed's text format) that are not part of this repository. For each, the
installed ``policydata`` console script prints yearly trends of a list of terms and yearly theme
counts of the shipped dictionary, and ``reference.py`` (an independent implementation of the
counting rules, sharing no code with the library) recounts them from the files. Every row must
be equal: count, docs, words and per_10k. Skipped when the corpora are absent.
"""

from __future__ import annotations

import json
import tomllib
from collections import defaultdict
from pathlib import Path

import pytest
import reference as ref
from conftest import ROOT, shared_corpus
from test_cli import rows, run

#: Words, phrases, globs and possessives met in both corpora, and terms absent from them.
TERMS = [
    "economy", "inflation", "federal reserve", "interest rate*", "labor market",
    "united states", "nation", "america*", "econom*", "price stability", "China",
    "digital economy", "high-quality development", "the", "of the united states",
    "war", "productivity growth", "world's", "no such phrase here",
]
THEMES = ROOT / "src" / "policydata" / "data" / "themes.toml"


def reference_documents(corpus: Path) -> tuple[list[tuple[str, list[list[str]]]], list[str]]:
    """(year, spans) of each document of a folder of seed-format ``.txt`` files, read by the
    reference, and each one's file name without ``.txt`` (beside it, in the same order); exact
    duplicate texts counted once (the first in path order)."""
    seen: set[str] = set()
    out, names = [], []
    for path in sorted(corpus.rglob("*.txt")):
        raw = path.read_bytes().decode("utf-8").removeprefix("\ufeff")
        date, title, body = ref.read_seed_file(raw)
        text = ref.document_text(title, body)
        if text in seen:
            continue
        seen.add(text)
        out.append((date[:4], ref.spans(text)))
        names.append(path.stem)
    return out, names


def years(docs: list[tuple[str, list[list[str]]]]) -> list[str]:
    first, last = min(int(y) for y, _ in docs), max(int(y) for y, _ in docs)
    return [str(y) for y in range(first, last + 1)]


@pytest.fixture(scope="module", params=["en-sotu", "en-fomc-minutes"])
def real(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
         ) -> tuple[Path, Path, list[tuple[str, list[list[str]]]], list[str]]:
    corpus = shared_corpus(request.param)
    cache = tmp_path_factory.mktemp(f"{request.param}-cache")
    return corpus, cache, *reference_documents(corpus)


def test_documents_and_words_equal_the_reference(real) -> None:
    corpus, cache, docs, _ = real
    info = json.loads(run("info", "--corpus", str(corpus), "--format", "json",
                          cache=cache).stdout)
    assert info["documents"] == len(docs)
    # the corpus's own list of its documents (one row each, after a header)
    listed = (corpus / "index.tsv").read_text(encoding="utf-8").splitlines()[1:]
    assert info["documents"] == len([line for line in listed if line.strip()])
    assert info["words"] == sum(len(s) for _, spans in docs for s in spans)
    assert {item["path"] for item in info["skipped"]} == {"MANIFEST.md", "index.tsv"}


def test_every_trend_count_equals_the_reference(real) -> None:
    corpus, cache, docs, _ = real
    got = rows(run("trend", *TERMS, "--corpus", str(corpus), "--freq", "year", "--format",
                   "csv", cache=cache).stdout)
    expected = []
    for year in years(docs):
        in_year = [spans for y, spans in docs if y == year]
        words = sum(len(s) for spans in in_year for s in spans)
        for term in TERMS:
            counts = [ref.count_spans(spans, [term]) for spans in in_year]
            expected.append({
                "period": year, "term": term, "count": str(sum(counts)),
                "docs": str(sum(1 for c in counts if c)), "words": str(words),
                "per_10k": sum(counts) / words * 10000 if words else 0.0})
    assert len(got) == len(expected)
    for g, e in zip(got, expected, strict=True):
        assert float(g.pop("per_10k")) == pytest.approx(e.pop("per_10k"), rel=1e-12)
        assert g == e
    # the terms are not all zero: the comparison means something
    assert sum(int(g["count"]) for g in got) > 10_000


def test_every_theme_count_equals_the_reference(real) -> None:
    corpus, cache, docs, _ = real
    themes = tomllib.loads(THEMES.read_text(encoding="utf-8"))["themes"]
    got = rows(run("themes", "--corpus", str(corpus), "--freq", "year", "--format", "csv",
                   cache=cache).stdout)
    totals: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for year, spans in docs:
        for name, entries in themes.items():
            c = ref.count_spans(spans, entries)
            totals[year, name][0] += c
            totals[year, name][1] += bool(c)
    expected = {(year, name): totals[year, name] for year in years(docs) for name in themes}
    assert {(g["period"], g["theme"]): [int(g["count"]), int(g["docs"])] for g in got} == (
        expected)
    assert len(got) == len(expected)
    assert sum(c for c, _ in expected.values()) > 1_000


def test_every_article_row_equals_the_reference(real) -> None:
    """The article list: each article's words, hits for a glob query and theme labels (the
    dictionary's themes with at least one match in it, in the dictionary's order)."""
    corpus, cache, docs, names = real
    themes = tomllib.loads(THEMES.read_text(encoding="utf-8"))["themes"]
    query = "econom*"
    got = rows(run("articles", "--query", query, "--corpus", str(corpus), "--format", "csv",
                   "--limit", "all", cache=cache).stdout)
    expected = {}
    for name, (_, spans) in zip(names, docs, strict=True):
        hits = ref.count_spans(spans, [query])
        if hits:
            labels = [t for t, entries in themes.items() if ref.count_spans(spans, entries)]
            expected[name] = (str(sum(len(s) for s in spans)), str(hits), "; ".join(labels))
    assert {g["id"]: (g["words"], g["hits"], g["themes"]) for g in got} == expected
    assert len(got) == len(expected)
    # the comparison means something: most articles hit, most carry several themes
    assert len(expected) > len(docs) / 2
    assert sum(len(v[2].split("; ")) for v in expected.values()) > 2 * len(expected)
