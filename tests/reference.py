"""An independent, deliberately simple implementation of the counting rules (DESIGN.md).

Written from the "Counting rules" section of ``docs/DESIGN.md`` only: it imports nothing from
``policydata`` and uses no regular expressions, just a character-by-character scanner, so the
library's regexes, fast byte-level path and positional index can be checked against it.

Rules implemented here (numbers as in DESIGN.md):

1. Text of a document = title, a blank line, then the body; a trailing footer starting with a
   line ``Share this:`` is not part of the body (:func:`document_text`).
2. NFKC, then casefold; U+2018, U+2019, U+02BC, U+2032 and the backtick become ``'``.
3. A token is a maximal run of characters with ``str.isalnum()`` (so the underscore is a
   separator) that may hold single inner apostrophes between two such runs; a trailing ``'s``
   is dropped; each Han character is a token by itself and never joins a run.
4. Boundaries: ``. ! ? ; :``, U+3002, and a blank line (a newline, optional whitespace, a
   newline). A single newline is not a boundary.
5. Queries are tokenised with the same rules; a phrase matches identical consecutive tokens in
   one span.
6. ``words`` is the number of tokens.
7. A ``*`` ending a query word makes it a prefix.
8. A dictionary of queries is counted by scanning each span left to right, taking the longest
   entry that matches at a position, counting one and continuing after it; otherwise moving
   one token on.
"""

from __future__ import annotations

import math
import unicodedata

APOSTROPHES = ("\u2018", "\u2019", "\u02bc", "\u2032", "`")
BOUNDARY_CHARS = (".", "!", "?", ";", ":", "\u3002")
HAN_RANGES = (  # the blocks of CJK unified and compatibility ideographs, Unicode 17
    (0x3400, 0x4DBF),  # extension A
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),  # compatibility ideographs
    (0x20000, 0x2A6DF),  # B
    (0x2A700, 0x2B73F),  # C
    (0x2B740, 0x2B81F),  # D
    (0x2B820, 0x2CEAF),  # E
    (0x2CEB0, 0x2EBEF),  # F
    (0x2EBF0, 0x2EE5F),  # I
    (0x2F800, 0x2FA1F),  # compatibility ideographs supplement
    (0x30000, 0x3134F),  # G
    (0x31350, 0x323AF),  # H
    (0x323B0, 0x3347F),  # J
)


def normalise(text: str) -> str:
    """Rule 2: NFKC, casefold, one apostrophe."""
    text = unicodedata.normalize("NFKC", text)
    text = text.casefold()
    for a in APOSTROPHES:
        text = text.replace(a, "'")
    return text


def is_han(ch: str) -> bool:
    """A Han character: any code point of a Han block, whether or not this Python's Unicode
    database has it as a letter (it lacks extensions H and I before Python 3.12 and 3.13)."""
    code = ord(ch)
    return any(lo <= code <= hi for lo, hi in HAN_RANGES)


def is_run_char(ch: str) -> bool:
    """A character that can be part of a (non-Han) token run."""
    return ch.isalnum() and not is_han(ch)


def _scan(text: str, *, allow_star: bool = False):
    """Yield ("tok", token, prefix) and ("bnd", None, False) items of normalised ``text``."""
    n = len(text)
    i = 0
    while i < n:
        ch = text[i]
        if is_han(ch):
            j = i + 1
            star = allow_star and j < n and text[j] == "*"
            yield ("tok", ch, star)
            i = j + 1 if star else j
            continue
        if is_run_char(ch):
            j = i
            while True:
                while j < n and is_run_char(text[j]):
                    j += 1
                # a single apostrophe between two runs joins them
                if j + 1 < n and text[j] == "'" and is_run_char(text[j + 1]):
                    j += 1
                    continue
                break
            token = text[i:j]
            star = allow_star and j < n and text[j] == "*"
            if not star and len(token) > 2 and token[-2:] == "'s":
                token = token[:-2]
            yield ("tok", token, star)
            i = j + 1 if star else j
            continue
        if ch in BOUNDARY_CHARS:
            yield ("bnd", None, False)
            i += 1
            continue
        if ch == "\n":
            j = i + 1
            while j < n and text[j] != "\n" and text[j].isspace():
                j += 1
            if j < n and text[j] == "\n":
                yield ("bnd", None, False)
                i = j  # the second newline may start another blank line: harmless
                i += 1
                continue
        i += 1


def tokens(text: str) -> list[str | None]:
    """All tokens of ``text`` in order, with None at every boundary."""
    return [tok if kind == "tok" else None for kind, tok, _ in _scan(normalise(text))]


def spans(text: str) -> list[list[str]]:
    """Boundary spans of tokens, empty spans left out."""
    out: list[list[str]] = []
    current: list[str] = []
    for tok in tokens(text):
        if tok is None:
            if current:
                out.append(current)
            current = []
        else:
            current.append(tok)
    if current:
        out.append(current)
    return out


def concordance_order(lines: list[tuple[str, str]], by: str) -> list[int]:
    """The order of keyword-in-context lines, given as ``(left, right)`` contexts in article
    order, in a concordance sorted ``by`` the words after the match (``after``) or before it
    read back from the match (``before``): A to Z word by word, a shorter context first, ties
    in their first order."""
    def key(i: int) -> list[str]:
        left, right = lines[i]
        found = [t for t in tokens(right if by == "after" else left) if t is not None]
        return found if by == "after" else found[::-1]
    return sorted(range(len(lines)), key=key)


def words(text: str) -> int:
    """Rule 6: the number of tokens."""
    return sum(len(s) for s in spans(text))


def parse_query(query: str) -> list[tuple[str, bool]]:
    """A query's words as (text, is_prefix). Raises ValueError for a boundary or no words."""
    out: list[tuple[str, bool]] = []
    for kind, tok, star in _scan(normalise(query), allow_star=True):
        if kind == "bnd":
            raise ValueError(f"boundary in query {query!r}")
        out.append((tok, star))
    if not out:
        raise ValueError(f"no words in query {query!r}")
    return out


def _word_matches(word: tuple[str, bool], token: str) -> bool:
    text, prefix = word
    return token.startswith(text) if prefix else token == text


def match_list(text: str, queries: list[str]) -> list[tuple[int, int, int]]:
    """Counted matches (span, start, length) of a dictionary of queries, by rule 8."""
    parsed = [parse_query(q) for q in queries]
    found = []
    for s, span in enumerate(spans(text)):
        i = 0
        while i < len(span):
            best = 0
            for query in parsed:
                k = len(query)
                if i + k > len(span):
                    continue
                ok = True
                for j in range(k):
                    if not _word_matches(query[j], span[i + j]):
                        ok = False
                        break
                if ok and k > best:
                    best = k
            if best:
                found.append((s, i, best))
                i += best
            else:
                i += 1
    return found


def count_spans(spans_: list[list[str]], queries: list[str]) -> int:
    """Rule 8 count of a dictionary over already tokenised spans, for whole corpora.

    The same scan as :func:`match_list`; it only skips, at each position, the entries whose
    first word cannot match there (an exact first word that differs from the token), which
    :func:`match_list` would try and reject. A property test checks that both agree.
    """
    parsed = [parse_query(q) for q in queries]
    exact: dict[str, list[list[tuple[str, bool]]]] = {}
    prefixed: list[list[tuple[str, bool]]] = []
    for query in parsed:
        if query[0][1]:
            prefixed.append(query)
        else:
            exact.setdefault(query[0][0], []).append(query)
    found = 0
    for span in spans_:
        i = 0
        while i < len(span):
            token = span[i]
            candidates = exact.get(token, []) + [q for q in prefixed
                                                 if token.startswith(q[0][0])]
            best = 0
            for query in candidates:
                k = len(query)
                if k > best and i + k <= len(span) and all(
                        _word_matches(query[j], span[i + j]) for j in range(k)):
                    best = k
            if best:
                found += 1
                i += best
            else:
                i += 1
    return found


def count(text: str, queries: list[str] | str) -> int:
    """Rule 8 count of a dictionary of queries (a single query is a one-entry dictionary)."""
    if isinstance(queries, str):
        queries = [queries]
    return len(match_list(text, queries))


def strip_footer(body: str) -> str:
    """Rule 1: drop everything from the last line that starts with ``Share this:``, unless
    more than 100 words follow from that line on and more than before it (share buttons
    above the article, not a trailing footer: docs/COUNTING.md)."""
    lines = body.split("\n")
    shares = [k for k, line in enumerate(lines) if line.lstrip(" \t").startswith("Share this:")]
    if not shares:
        return body
    last = shares[-1]
    before = sum(len(line.split()) for line in lines[:last])
    after = sum(len(line.split()) for line in lines[last:])
    if after > 100 and after > before:
        return body
    return "\n".join(lines[:last])


def document_text(title: str, body: str) -> str:
    """Rule 1: title, a blank line, the body without its footer."""
    return title + "\n\n" + strip_footer(body)


def read_seed_file(raw: str) -> tuple[str, str, str]:
    """(date, title, body) of a file in the seed format `` date YYYY-MM-DD Title\\n\\nbody``."""
    raw = raw.replace("\r\n", "\n")
    first, _, body = raw.partition("\n")
    head = first.strip()
    assert head.startswith("date"), head
    parts = head.split(None, 2)
    date = parts[1]
    title = parts[2] if len(parts) > 2 else ""
    return date, title, body


def log_likelihood(a: int, b: int, c: int, d: int) -> float:
    """Signed log-likelihood G2 (Dunning 1993; Rayson and Garside 2000) of a term met ``a``
    times in ``c`` words against ``b`` times in ``d`` words: the sum over both corpora of
    observed * ln(observed / expected), doubled, where each corpus expects its share of
    ``a + b`` by its size; an empty cell adds nothing. Negative where the term is rarer in
    the first corpus than in the second (by relative frequency)."""
    total = a + b
    g2 = 0.0
    for observed, size in ((a, c), (b, d)):
        expected = size * total / (c + d)
        if observed:
            g2 += observed * math.log(observed / expected)
    g2 *= 2
    return g2 if a * d >= b * c else -g2
