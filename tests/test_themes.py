"""The default theme dictionary: well formed, and every entry seen in real text."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as hst

from policydata.analysis import match_spans
from policydata.themes import (
    MAX_LINK_DICTIONARY,
    MAX_LINK_TEXT,
    default_themes,
    dictionary_from_link,
    dictionary_to_link,
    load_themes,
    parse_themes,
)
from policydata.tokens import parse_term, tokenize

SENTENCES = Path(__file__).parent / "data" / "policy_sentences.txt"


def real_sentences() -> dict[str, list[tuple[str, str]]]:
    """Entry (as parsed) -> [(sentence, source)] from tests/data/policy_sentences.txt."""
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for line in SENTENCES.read_text("utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        entry, sentence, source = line.split("\t")
        found[str(parse_term(entry))].append((sentence, source))
    return found


def test_default_dictionary_has_the_domain_themes() -> None:
    themes = default_themes()
    assert len(themes.names) >= 8
    for name in ("Digital economy", "Real economy and manufacturing",
                 "Industrial and supply chains", "Networks and infrastructure",
                 "Innovation and technology", "International competition and opening up",
                 "Party leadership", "High-quality development and modernisation"):
        assert name in themes.names


@pytest.mark.parametrize(("theme", "entry"), [
    (name, str(term)) for name, terms in default_themes().themes for term in terms])
def test_every_entry_is_counted_in_a_real_sentence(theme: str, entry: str) -> None:
    """Each entry has a real sentence (with its source) in which the theme counts it.

    The sentence is matched with the whole theme (rule 8), so an entry shadowed by a longer
    one of the same theme at every occurrence would fail here.
    """
    sentences = real_sentences().get(entry)
    assert sentences, f"no real sentence for {entry!r} in {SENTENCES.name}"
    entries = default_themes().entries(theme)
    target = parse_term(entry)
    for sentence, source in sentences:
        assert source.strip()
        spans = tokenize(sentence)
        for span, start, length in match_spans(spans, entries):
            words = spans[span][start:start + length]
            if len(words) == len(target.words) and all(
                    w.matches(t) for w, t in zip(target.words, words)):
                return
    pytest.fail(f"{entry!r} is never the counted entry of {theme!r} in its sentences")


def test_a_user_file_replaces_the_default(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text('[themes]\n"Chains" = ["supply chain*", "industrial chain"]\n', "utf-8")
    themes = load_themes(path)
    assert themes.names == ("Chains",) and themes.digest != default_themes().digest


@pytest.mark.parametrize(("text", "said"), [
    ("[themes\n", "not valid TOML"),
    ("x = 1\n", "needs a [themes] table"),
    ("themes = 1\n", "needs a [themes] table"),
    ("[themes]\n", "the [themes] table holds no theme; add one"),
    ('[themes]\n"A" = "digital"\n', "non-empty list of strings"),
    ('[themes]\n"A" = []\n', "non-empty list of strings"),
    ('[themes]\n"A" = ["U.S. economy"]\n', "entry 'U.S. economy'"),
    ('[themes]\n"A" = ["a*b"]\n', "must end a word"),
    ('[themes]\n" " = ["x"]\n', "empty name"),
    # a search's alternatives pasted as one entry would be the phrase 'a b' (matching little)
    ('[themes]\n"A" = ["supply chain*, industrial chain*"]\n', "entry 'supply chain*, "
     "industrial chain*': a comma separates alternatives in a search, not in an entry; write "
     'each as an entry of its own: "supply chain*", "industrial chain*"'),
])
def test_bad_theme_files_say_what_and_where(text: str, said: str) -> None:
    with pytest.raises(ValueError, match=r".*") as error:
        parse_themes(text, origin="mine.toml")
    assert said in str(error.value) and "mine.toml" in str(error.value)


def test_a_theme_name_is_at_most_200_characters() -> None:
    # names travel in links (?theme=...), whose values are at most 200 characters
    name = "Digital economy " + "x" * 184
    assert len(name) == 200
    assert parse_themes(f'[themes]\n"{name}" = ["digital"]\n').names == (name,)
    with pytest.raises(ValueError) as error:
        parse_themes(f'[themes]\n"{name}y" = ["digital"]\n', origin="mine.toml")
    assert str(error.value) == ("mine.toml: theme 'Digital economy xxxxxxxxxxxxxxxxxxxxxxxx'... "
                                "has a name of 201 characters; the limit is 200 (names travel "
                                "in links)")


@pytest.mark.parametrize(("counts", "said"), [
    ([2001], "mine.toml: 2001 entries; the limit is 2000"),
    ([1000, 1000, 1], "mine.toml: 2001 entries; the limit is 2000"),
    ([150_000, 150_000], "mine.toml: 300000 entries; the limit is 2000"),
])
def test_too_many_entries_are_refused_before_any_is_parsed(monkeypatch, counts: list[int],
                                                           said: str) -> None:
    from policydata import themes as themes_module

    def parse_term(entry: str):
        raise AssertionError(f"entry {entry!r} parsed before the count was checked")

    monkeypatch.setattr(themes_module, "parse_term", parse_term)
    text = "[themes]\n" + "".join(
        f'"T{i}" = [' + ", ".join(f'"w{j}"' for j in range(n)) + "]\n"
        for i, n in enumerate(counts))
    with pytest.raises(ValueError) as error:
        parse_themes(text, origin="mine.toml")
    assert str(error.value) == said


def test_2000_entries_are_accepted() -> None:
    text = "[themes]\n" + "".join(
        f'"T{i}" = [' + ", ".join(f'"w{i}x{j}"' for j in range(1000)) + "]\n" for i in range(2))
    assert len(parse_themes(text).entries("T1")) == 1000


@given(hst.text(max_size=600))
def test_a_dictionary_travels_in_a_link_and_back(text: str) -> None:
    value = dictionary_to_link(text)
    assert value is not None and len(value) <= MAX_LINK_DICTIONARY
    assert dictionary_from_link(value) == text
    assert all(c.isascii() and (c.isalnum() or c in "._-") for c in value)  # (no escaping)


@given(hst.text(min_size=1, max_size=300), hst.data())
def test_a_cut_or_edited_link_dictionary_is_refused_with_a_message(text: str, data) -> None:
    value = dictionary_to_link(text)
    cut = data.draw(hst.integers(min_value=len("z."), max_value=len(value) - 1))
    for damaged in (value[:cut], value[:cut] + "!" + value[cut + 1:]):
        with pytest.raises(ValueError, match="damaged"):  # (a cut stream never ends)
            dictionary_from_link(damaged)


def test_a_link_dictionary_cannot_unpack_to_gigabytes() -> None:
    import base64
    import zlib

    bomb = zlib.compress(b"x" * (MAX_LINK_TEXT + 1), 9)
    value = "z." + base64.urlsafe_b64encode(bomb).decode().rstrip("=")
    assert len(value) <= MAX_LINK_DICTIONARY  # (small enough to pass the length check)
    with pytest.raises(ValueError, match="damaged"):
        dictionary_from_link(value)
    with pytest.raises(ValueError, match="damaged"):
        dictionary_from_link("z." + "A" * MAX_LINK_DICTIONARY)
    assert dictionary_from_link("0123456789ab") is None  # (a fingerprint carries nothing)
