"""The counting rules: normalising, tokenising and parsing query terms.

Every number policydata reports is a count of tokens produced here, so this module is the
single place where the rules of ``docs/COUNTING.md`` (and ``DESIGN.md``) are written down as
code:

1. Text is normalised with Unicode NFKC, then casefolded; curly and modifier apostrophes
   (U+2018, U+2019, U+02BC, U+2032, the backtick) become ``'``.
2. A token is a maximal run of Unicode letters or digits (``str.isalnum``; the underscore is a
   separator) that may hold inner apostrophes (``don't``). A trailing ``'s`` is dropped. Each
   Han character (any code point of the CJK ideograph blocks: :data:`HAN`) is a token by
   itself.
3. ``.`` ``!`` ``?`` ``;`` ``:`` ``。`` and a blank line are boundaries: a phrase never matches
   across one. A single line break is not a boundary.

Examples
--------
>>> tokenize("China's high-quality development. Don't stop!")
[['china', 'high', 'quality', 'development'], ["don't", 'stop']]
>>> tokenize("数字经济")
[['数', '字', '经', '济']]
>>> parse_term("Digital econ*").words
(Word(text='digital', prefix=False), Word(text='econ', prefix=True))
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

#: Bumped whenever a change here could change any count; cached indexes built under another
#: version are rebuilt.
RULES_VERSION = 3  # 3: every code point of the Han blocks is a Han character (see HAN)

#: Han characters: the blocks of the CJK unified ideographs, with every extension up to J
#: (Unicode 17: A U+3400..U+4DBF, U+4E00..U+9FFF, B U+20000..U+2A6DF, C to F and I
#: U+2A700..U+2EE5F, G, H and J U+30000..U+3347F) and of the compatibility ideographs
#: (U+F900..U+FAFF, U+2F800..U+2FA1F). Listed by block, every code point of a block counted,
#: rather than by the Unicode database's letters, so that the rules do not change with the
#: Python version: Python 3.11 knows Unicode 14, in which the ideographs of extensions H and I
#: (Unicode 15 and 15.1) are unassigned, not letters.
HAN = ("\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002a6df\U0002a700-\U0002ee5f"
       "\U0002f800-\U0002fa1f\U00030000-\U0003347f")

_WORD = rf"[^\W_{HAN}]+(?:'[^\W_{HAN}]+)*"
_HAN_CHAR = rf"[{HAN}]"
_HAN_ONE = re.compile(_HAN_CHAR)
_BOUNDARY = r"[.!?;:\u3002]|\n\s*\n"

def join_tokens(tokens: Sequence[str]) -> str:
    """The tokens of a phrase written as one string: a space between two words, none between
    two Han characters (``数字`` as Chinese writes it, not ``数 字``). Read back as a query, it
    is the same phrase (each Han character is a token, rule 3).

    >>> join_tokens(["digital", "economy"]), join_tokens(["数", "字"]), join_tokens(["字", "5g"])
    ('digital economy', '数字', '字 5g')
    """
    out = tokens[0] if tokens else ""
    for before, token in itertools.pairwise(tokens):
        han = len(before) == 1 == len(token) and _HAN_ONE.match(before) and _HAN_ONE.match(token)
        out += token if han else " " + token
    return out


#: One pass over normalised text finds tokens and boundaries together.
TOKEN_OR_BOUNDARY = re.compile(rf"{_HAN_CHAR}|{_WORD}|{_BOUNDARY}")
_QUERY_WORD = re.compile(rf"({_HAN_CHAR}|{_WORD})(\*?)|({_BOUNDARY})|(\*)")

_APOSTROPHES = ("\u2018", "\u2019", "\u02bc", "\u2032", "`")


def normalize(text: str) -> str:
    """Apply rule 1: NFKC, casefold, unify apostrophes.

    Examples
    --------
    >>> normalize("China\u2018s ＧＤＰ")
    "china's gdp"
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    for apostrophe in _APOSTROPHES:
        if apostrophe in text:
            text = text.replace(apostrophe, "'")
    return text


def _is_token(piece: str) -> bool:
    # (a boundary starts below U+3400, the first Han character: no regex for it)
    return piece[0].isalnum() or (piece[0] >= "\u3400" and _HAN_ONE.match(piece) is not None)


def canonical(piece: str) -> str:
    """Drop a trailing ``'s`` from a matched token (rule 3).

    >>> canonical("china's"), canonical("don't"), canonical("it's")
    ('china', "don't", 'it')
    """
    return piece[:-2] if piece.endswith("'s") else piece


def tokenize(text: str) -> list[list[str]]:
    """Split text into boundary spans of tokens.

    Parameters
    ----------
    text : str
        Raw text, in any case and normal form.

    Returns
    -------
    list of list of str
        One list of tokens per span between boundaries; empty spans are left out.

    Examples
    --------
    >>> tokenize("A B.\\n\\nC\\nd")
    [['a', 'b'], ['c', 'd']]
    """
    return [[token for token, _, _ in span] for span in token_spans(text)]


def count_words(text: str) -> int:
    """Number of tokens in ``text`` (rule 6's denominator).

    >>> count_words("High-quality development, China's way.")
    5
    """
    return sum(
        1 for piece in TOKEN_OR_BOUNDARY.findall(normalize(text)) if _is_token(piece)
    )


class Vocabulary(dict[str, int]):
    """Map token strings to integer ids, adding unseen tokens as they come.

    Id 0 is reserved for boundaries: every piece that is not a token maps to 0, and every raw
    token maps to the id of its canonical form, so ``china's`` and ``china`` share one id.

    Examples
    --------
    >>> v = Vocabulary()
    >>> encode("China's economy. China", v)
    [1, 2, 0, 1]
    >>> v.terms
    ['', 'china', 'economy']
    >>> v.encode("China's economy. China")
    [1, 2, 0, 1]
    """

    def __init__(self, terms: list[str] | None = None) -> None:
        super().__init__()  # raw pieces -> ids (a cache filled by __missing__)
        self.terms: list[str] = [""]
        # Canonical terms -> ids, apart from the pieces: the piece "china's" (id of "china")
        # and the term "china's" (from the piece "china's's") are different keys.
        self.ids: dict[str, int] = {}
        if terms:
            self.ids = dict(zip(terms[1:], range(1, len(terms))))
            self.terms = [""] + list(terms[1:])
            if len(self.ids) != len(terms) - 1:  # a repeated term: each keeps its first id
                self.ids = {}
                self.terms = [""]
                for term in terms[1:]:
                    self.add(term)
        self._fast = _FastPieces(self)

    def add(self, term: str) -> int:
        """Add a canonical term (if new) and return its id."""
        found = self.ids.get(term)
        if found is None:
            found = len(self.terms)
            self.terms.append(term)
            self.ids[term] = found
        return found

    def __missing__(self, piece: str) -> int:
        if not _is_token(piece):
            return 0
        term = canonical(piece)
        term_id = self.add(term)
        self[piece] = term_id
        return term_id

    def encode(self, text: str) -> list[int]:
        """Same result as :func:`encode`, several times faster on mostly-ASCII text.

        Text whose normalised form has no letters or digits outside ASCII is split with
        byte-level ``translate`` and ``split`` instead of a Unicode regex; any piece that is not
        exactly one token under the rules (a stray apostrophe, ``a''b``) is checked with the
        regex, and a text holding one falls back to :func:`encode`.
        """
        data = _fast_bytes(text)
        if data is None:
            return encode(text, self)
        pieces = data.split()
        ids = list(map(self._fast.__getitem__, pieces))
        if ids and min(ids) < 0:
            if _COMPLEX in ids:
                return encode(text, self)
            ids = [i for i in ids if i != _DROP]
        return ids


_DROP = -1
_COMPLEX = -2
_BLANK_LINE = re.compile(rb"\n[ \t\n\r\f\v\x1c-\x1f]*\n")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _fast_table() -> bytes:
    table = bytearray(b" " * 256)
    for c in b"abcdefghijklmnopqrstuvwxyz0123456789'.":
        table[c] = c
    for c in b"!?;:":
        table[c] = ord(".")
    return bytes(table)


_FAST_TABLE = _fast_table()


def _to_ascii(text: str) -> str | None:
    """Normalised ``text`` made ASCII without changing its tokens, or None if it cannot be.

    Non-ASCII characters that are not letters or digits are replaced by an ASCII separator of
    the same kind (whitespace by a space, anything else by ``_``), so tokens and boundaries
    stay where they were.
    """
    if text.isascii():
        text = text.lower()
        return text.replace("`", "'") if "`" in text else text
    # Scraped news mostly holds a few typographic characters (curly quotes, dashes, no-break
    # spaces): replacing those first usually leaves ASCII text, without a regex pass.
    replaced = text
    for char, stand_in in _COMMON_SIMPLE:
        if char in replaced:
            replaced = replaced.replace(char, stand_in)
    if replaced.isascii():
        replaced = replaced.lower()
        return replaced.replace("`", "'") if "`" in replaced else replaced
    extra = set(_NON_ASCII.findall(text))
    simple = [(c, _simple_char(c)) for c in extra]
    if all(r is not None for _, r in simple):
        # Punctuation, symbols and spaces only: rule 1 changes nothing else, so the text can
        # be lowered (ASCII case folding) after replacing them one by one.
        for c, r in simple:
            text = text.replace(c, r)  # type: ignore[arg-type]
        text = text.lower()
        return text.replace("`", "'") if "`" in text else text
    text = normalize(text)
    if text.isascii():
        return text
    extra = set(_NON_ASCII.findall(text))
    if any(c.isalnum() or c == "\u3002" or _HAN_ONE.match(c) for c in extra):
        return None
    return text.translate({ord(c): " " if c.isspace() else "_" for c in extra})


@functools.lru_cache(maxsize=4096)
def _simple_char(c: str) -> str | None:
    """ASCII stand-in for a non-ASCII punctuation, symbol or space character, else None.

    The stand-in gives the same tokens and boundaries as rule 1 (NFKC, casefold, apostrophes)
    wherever the character stands, because such characters never compose with neighbours.

    >>> _simple_char("\u2019"), _simple_char("\u2014"), _simple_char("\u2026"), _simple_char("é")
    ("'", '_', '...', None)
    """
    if unicodedata.category(c)[0] not in "PSZ" or unicodedata.combining(c):
        return None
    n = normalize(c).replace("\u3002", ".")
    if n.isascii():
        return n if n else None
    if n == c:
        return " " if c.isspace() else "_"
    return None


class _FastPieces(dict[bytes, int]):
    """Ids of byte pieces from the fast path, each checked once against the regex."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        super().__init__()
        self.vocabulary = vocabulary

    def __missing__(self, piece: bytes) -> int:
        if piece == b".":
            found = 0
        elif piece.isalnum():  # the usual word: a token as it is
            found = self.vocabulary.add(piece.decode("ascii"))
        else:
            tokens = [p for p in TOKEN_OR_BOUNDARY.findall(piece.decode("ascii"))
                      if _is_token(p)]
            found = (self.vocabulary.add(canonical(tokens[0])) if len(tokens) == 1
                     else _DROP if not tokens else _COMPLEX)
        self[piece] = found
        return found


def encode(text: str, vocabulary: Vocabulary) -> list[int]:
    """Token ids of ``text`` with 0 at every boundary (the index's token stream).

    This is the reference implementation, straight from the rules; the index uses
    :meth:`Vocabulary.encode`, which gives the same ids faster. Consecutive boundaries may give
    consecutive zeros; callers that store the stream squeeze them. See :class:`Vocabulary` for
    an example.
    """
    return list(map(vocabulary.__getitem__, TOKEN_OR_BOUNDARY.findall(normalize(text))))


def _fast_bytes(text: str) -> bytes | None:
    """Text ready for byte-level splitting (see :meth:`Vocabulary.encode`), or None."""
    ascii_text = _to_ascii(text)
    if ascii_text is None:
        return None
    data = ascii_text.encode("ascii")
    if b"\n" in data:
        data = _BLANK_LINE.sub(b" . ", data)
    # Stripped, so that Arrow's splitter gives no empty piece at either end.
    return data.translate(_FAST_TABLE).replace(b".", b" . ").strip()


def encode_batch(texts: Sequence[str], vocabulary: Vocabulary,
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Token stream of many texts, as the index stores it.

    Each text starts with a 0 and runs of boundaries are squeezed to one 0. Ids are those of
    :func:`encode`; mostly-ASCII texts are split in one pass over the whole batch by Arrow's
    whitespace splitter, and texts that need the Unicode rules go through :func:`encode`.

    Returns
    -------
    tokens : int32 array
    doc_start : int64 array
        Where each text starts, then the stream length.

    Examples
    --------
    >>> tokens, starts = encode_batch(["A b.. c", "!D", "數字"], Vocabulary())
    >>> tokens.tolist(), starts.tolist()
    ([0, 1, 2, 0, 3, 0, 4, 0, 5, 6], [0, 5, 7, 10])
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    prepared = [_fast_bytes(t) for t in texts]
    fast = [i for i, p in enumerate(prepared) if p is not None]
    ids = np.zeros(0, dtype=np.int32)
    offsets = np.zeros(1, dtype=np.int64)
    if fast:
        array = pa.array([prepared[i] for i in fast], pa.large_binary()).view(pa.large_string())
        split = pc.ascii_split_whitespace(array)
        encoded = split.flatten().dictionary_encode()
        pieces = encoded.dictionary.to_pylist()
        lookup = np.fromiter((vocabulary._fast[p.encode("ascii")] for p in pieces),
                             dtype=np.int32, count=len(pieces))
        ids = lookup[encoded.indices.to_numpy(zero_copy_only=False)]
        offsets = split.offsets.to_numpy().astype(np.int64)
    complex_docs = np.zeros(0, dtype=np.int64)
    if len(ids) and ids.min() < 0:
        # Texts with a piece the fast path cannot split go through the rules one by one;
        # pieces that hold no token (empty ones, as after a final full stop) are dropped.
        complex_docs = np.unique(np.searchsorted(
            offsets, np.flatnonzero(ids == _COMPLEX), side="right") - 1)
        keep = ids >= 0
        offsets = np.concatenate([[0], np.cumsum(keep)])[offsets]
        ids = ids[keep]
    if len(fast) == len(texts) and not len(complex_docs):
        # The common case: every text took the fast path with nothing to check again.
        raw = np.insert(ids, offsets[:-1], 0)
        return squeeze(raw, offsets[:-1] + np.arange(len(texts)))
    slow = set(complex_docs.tolist())
    per_doc = {i: ids[offsets[k]:offsets[k + 1]] for k, i in enumerate(fast) if k not in slow}
    parts: list[np.ndarray] = []
    zero = np.zeros(1, dtype=np.int32)
    for i, text in enumerate(texts):
        found = per_doc.get(i)
        parts.append(zero)
        parts.append(found if found is not None
                     else np.asarray(encode(text, vocabulary), dtype=np.int32))
    lengths = np.asarray([len(p) for p in parts[1::2]], dtype=np.int64) + 1
    raw = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int32)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
    return squeeze(raw, starts)


def squeeze(raw: np.ndarray, starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Drop boundaries that follow a boundary, keeping every document's leading 0."""
    flag = np.zeros(len(raw), dtype=bool)
    flag[starts] = True
    keep = raw != 0
    keep[1:] |= raw[:-1] != 0
    keep |= flag
    tokens = raw[keep]
    doc_start = np.append(np.flatnonzero(flag[keep]), len(tokens)).astype(np.int64)
    return tokens, doc_start


# Typographic characters common in scraped news, with their stand-ins (see _to_ascii).
_COMMON_SIMPLE = [(c, r) for c in "\u2019\u2018\u201c\u201d\u2014\u2013\u00a0\u2026\u00b7\u2022"
                  if (r := _simple_char(c)) is not None]


# --------------------------------------------------------------------------- offsets


@dataclass(frozen=True)
class _Block:
    norm_start: int
    orig_start: int
    orig_end: int
    exact: bool  # one normalised character per original character


class _OffsetMap:
    """Map positions in normalised text back to the original text."""

    def __init__(self, blocks: list[_Block]) -> None:
        self.blocks = blocks
        self.identity = len(blocks) == 1 and blocks[0].exact and not blocks[0].orig_start
        self._norm = np.array([b.norm_start for b in blocks], dtype=np.int64)
        self._orig = np.array([b.orig_start for b in blocks], dtype=np.int64)
        self._orig_end = np.array([b.orig_end for b in blocks], dtype=np.int64)
        self._exact = np.array([b.exact for b in blocks], dtype=bool)

    def starts_of(self, positions: list[int]) -> list[int]:
        """The original start of the normalised character at each of ``positions``: its own
        place in a block mapped one for one, else the start of its block."""
        if self.identity:
            return positions
        at = np.array(positions, dtype=np.int64)
        b = np.searchsorted(self._norm, at, side="right") - 1
        return np.where(self._exact[b], self._orig[b] + at - self._norm[b],
                        self._orig[b]).tolist()

    def ends_of(self, positions: list[int]) -> list[int]:
        """The original (exclusive) end of the normalised character before each of
        ``positions``: its own place in a block mapped one for one, else its block's end."""
        if self.identity:
            return positions
        at = np.array(positions, dtype=np.int64)
        b = np.searchsorted(self._norm, at - 1, side="right") - 1
        return np.where(self._exact[b], self._orig[b] + at - self._norm[b],
                        self._orig_end[b]).tolist()


def _normalize_with_map(text: str) -> tuple[str, _OffsetMap]:
    if text.isascii():
        return normalize(text), _OffsetMap([_Block(0, 0, len(text), True)])
    blocks: list[_Block] = []
    parts: list[str] = []
    n = 0

    def add(orig_start: int, orig_end: int) -> None:
        nonlocal n
        chunk = text[orig_start:orig_end]
        if not chunk:
            return
        norm = normalize(chunk)
        if chunk.isascii():  # (NFKC keeps ASCII, casefolding and apostrophes 1 for 1)
            blocks.append(_Block(n, orig_start, orig_end, True))
            parts.append(norm)
            n += len(norm)
            return
        pieces = [normalize(c) for c in chunk]
        if all(len(p) == 1 for p in pieces) and "".join(pieces) == norm:
            blocks.append(_Block(n, orig_start, orig_end, True))
        elif "".join(pieces) == norm:
            for k, piece in enumerate(pieces):
                if piece:
                    blocks.append(_Block(n + len("".join(pieces[:k])), orig_start + k,
                                         orig_start + k + 1, len(piece) == 1))
        else:
            # Characters that combine (e + U+0301 is é): each base character with the marks
            # after it is mapped as a whole, the others one by one, so that a combination
            # does not make its neighbours lose their own places (a match after "café" and a
            # no-break space was shown from the "é"). Where the parts do not normalise to the
            # whole (Hangul jamo compose across starters), the chunk is one block.
            clusters = _clusters(chunk)
            normed = [normalize(chunk[a:b]) for a, b in clusters]
            if "".join(normed) == norm:
                at = n
                for (a, b), piece in zip(clusters, normed, strict=True):
                    if piece:
                        blocks.append(_Block(at, orig_start + a, orig_start + b,
                                             len(piece) == 1 and b - a == 1))
                    at += len(piece)
            else:
                blocks.append(_Block(n, orig_start, orig_end, False))
        parts.append(norm)
        n += len(norm)

    pos = 0
    # A non-ASCII run can combine with the ASCII character before it (e + U+0301), never
    # with the one after it, so each run is normalised together with its predecessor.
    for m in re.finditer(r"[^\x00-\x7f]+", text):
        start = max(m.start() - 1, pos)
        add(pos, start)
        add(start, m.end())
        pos = m.end()
    add(pos, len(text))
    joined = "".join(parts)
    if joined != normalize(text):  # pragma: no cover - defensive; never seen in practice
        return normalize(text), _OffsetMap([_Block(0, 0, len(text), False)])
    return joined, _OffsetMap(blocks)


def _clusters(chunk: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each character of ``chunk`` with the combining marks after it.

    >>> _clusters("e\u0301\u00a0x\u0301\u0301")
    [(0, 2), (2, 3), (3, 6)]
    """
    starts = [k for k, c in enumerate(chunk) if not k or not unicodedata.combining(c)]
    return list(zip(starts, starts[1:] + [len(chunk)], strict=True))


def token_offsets(text: str) -> list[tuple[int, int]]:
    """Character span in the original ``text`` of every token, in token order.

    The spans line up one to one with the tokens of :func:`tokenize` (flattened), so a
    token found by the index can be shown as it was written.

    Examples
    --------
    >>> text = "ＧＤＰ of China\u2018s"
    >>> [text[a:b] for a, b in token_offsets(text)]
    ['ＧＤＰ', 'of', 'China‘s']
    """
    return [(a, b) for span in token_spans(text) for _, a, b in span]


def token_spans(text: str) -> list[list[tuple[str, int, int]]]:
    """Tokens of ``text`` by boundary span, each with its character span in ``text``.

    The same tokens and spans as :func:`tokenize`, so a match found in the index can be shown
    exactly as it was written.

    Examples
    --------
    >>> token_spans("China‘s plan. Go")
    [[('china', 0, 7), ('plan', 8, 12)], [('go', 14, 16)]]
    """
    norm, mapping = _normalize_with_map(text)
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for m in TOKEN_OR_BOUNDARY.finditer(norm):
        pieces.append(m.group())
        a, b = m.span()
        starts.append(a)
        ends.append(b)
    spans: list[list[tuple[str, int, int]]] = []
    current: list[tuple[str, int, int]] = []
    for piece, a, b in zip(pieces, mapping.starts_of(starts), mapping.ends_of(ends),
                           strict=True):
        if _is_token(piece):
            current.append((canonical(piece), a, b))
        elif current:
            spans.append(current)
            current = []
    if current:
        spans.append(current)
    return spans


#: Places where text can be cut without changing its tokens or spans: just after a boundary
#: character or a blank line. NFKC and casefolding act on each side alike (none of these
#: characters combines with a neighbour), no token holds one, and no phrase crosses one.
_CUT = re.compile(r"[.!?;:\u3002]|\n[^\S\n]*\n")

#: Characters in one piece of :func:`text_pieces` (an article of a few pages is one piece).
PIECE = 32_768


def text_pieces(text: str, size: int = PIECE) -> list[tuple[int, int]]:
    """Cut ``text`` into consecutive ``(start, end)`` ranges, each ending at a boundary.

    Each piece is at least ``size`` characters long (the last may be shorter, and a piece
    runs on until the next boundary), and tokenising the pieces one by one gives the tokens
    and spans of the whole text. So a long article can be scanned a piece at a time and the
    scan stopped early.

    Examples
    --------
    >>> text = "One two. Three four. Five"
    >>> text_pieces(text, size=3)
    [(0, 8), (8, 20), (20, 25)]
    >>> [s for a, b in text_pieces(text, size=3) for s in tokenize(text[a:b])] == tokenize(text)
    True
    """
    if size < 1:
        raise ValueError(f"size must be 1 or more, not {size}")
    pieces = []
    start = 0
    while start < len(text):
        cut = _CUT.search(text, start + size) if start + size < len(text) else None
        end = cut.end() if cut else len(text)
        pieces.append((start, end))
        start = end
    return pieces


# --------------------------------------------------------------------------- queries


@dataclass(frozen=True)
class Word:
    """One word of a query term: a token, or a prefix when it ended with ``*`` (rule 7)."""

    text: str
    prefix: bool = False

    def matches(self, token: str) -> bool:
        """Whether ``token`` (a canonical token) is matched by this word.

        >>> Word("digit", prefix=True).matches("digital")
        True
        """
        return token.startswith(self.text) if self.prefix else token == self.text


@dataclass(frozen=True)
class Term:
    """A parsed query term: a word or phrase, tokenised by the counting rules.

    Use :func:`parse_term` to build one.
    """

    query: str
    words: tuple[Word, ...]

    def __str__(self) -> str:
        return " ".join(w.text + ("*" if w.prefix else "") for w in self.words)


#: Longest query accepted, in characters (longer URL values are refused, not truncated).
MAX_QUERY_LENGTH = 200
#: Most words in one query term.
MAX_QUERY_WORDS = 40


def parse_term(query: str) -> Term:
    """Tokenise a query term with the counting rules.

    ``high-quality development``, ``High quality development`` and
    ``high quality development`` give the same term. A ``*`` at the end of a word matches any
    token with that prefix. Regex metacharacters have no special meaning.

    Raises
    ------
    ValueError
        If the query is empty, too long, holds a boundary (``.``, ``;``, a blank line...),
        across which no phrase can match, has a ``*`` that does not end a word, or a ``*``
        after a possessive ``'s`` (``china's*``: the rules drop ``'s``, so what it should match
        is ambiguous).

    Examples
    --------
    >>> str(parse_term("High-Quality  Development"))
    'high quality development'
    >>> parse_term("China's")
    Term(query="China's", words=(Word(text='china', prefix=False),))
    """
    if len(query) > MAX_QUERY_LENGTH:
        raise ValueError(
            f"query is {len(query)} characters long; the limit is {MAX_QUERY_LENGTH}"
        )
    _check_stars(query)
    words: list[Word] = []
    found = list(_QUERY_WORD.finditer(normalize(query)))
    if not any(m.group(1) for m in found):  # ('!!!', '...': said as such, not as a boundary)
        raise ValueError(f"query {query!r} has no words (letters or digits)")
    for i, m in enumerate(found):
        token, star, boundary, lone_star = m.groups()
        if boundary is not None:
            said = boundary.strip() or "a blank line"
            last = not any(n.group(1) for n in found[i + 1:])  # (nothing to match after it)
            raise ValueError(
                f"query {query!r} contains {said!r}, which ends a sentence under the counting "
                "rules; a phrase never matches across it"
                + (f": leave out the {said!r} at its end" if last and words else "")
            )
        if lone_star is not None:
            raise ValueError(
                f"query {query!r}: '*' must end a word (as in 'digit*'), not stand alone "
                "or sit inside one"
            )
        if star and token.endswith("'s"):
            stem = token[:-2]
            raise ValueError(
                f"query {query!r}: a '*' after a possessive 's is ambiguous (the counting "
                f"rules drop the 's); write '{stem}*' for words starting with '{stem}', or "
                f"'{token}' without the '*'"
            )
        words.append(Word(canonical(token), prefix=bool(star)))
    if not words:
        raise ValueError(f"query {query!r} has no words (letters or digits)")
    if len(words) > MAX_QUERY_WORDS:
        raise ValueError(
            f"query {query!r} has {len(words)} words; the limit is {MAX_QUERY_WORDS}"
        )
    return Term(query, tuple(words))


def _check_stars(query: str) -> None:
    norm = normalize(query)
    for m in re.finditer(r"\*", norm):
        after = norm[m.end() : m.end() + 1]
        if after and (after.isalnum() or after == "'" or _HAN_ONE.match(after)):
            raise ValueError(
                f"query {query!r}: '*' must end a word (as in 'digit*'), not sit inside one"
            )


#: A comma that separates alternatives: any but one between two digits (``10,000`` is a
#: number, whose comma separates its tokens as rule 3 says, not two alternatives).
_ALTERNATIVES = re.compile(r"(?<![0-9\uff10-\uff19])[,\uff0c]|[,\uff0c](?![0-9\uff10-\uff19])")


def split_query(query: str) -> list[str]:
    """Split a search box value into alternatives at commas (a comma is never in a token),
    except a comma between two digits, as in ``10,000``.

    >>> split_query("digital economy, real economy,,")
    ['digital economy', 'real economy']
    >>> split_query("10,000 people, 2,5 percent")
    ['10,000 people', '2,5 percent']

    The whole value is bounded as one term is (``MAX_QUERY_LENGTH`` characters): a long list
    of alternatives would otherwise be a long query.

    >>> split_query("economy," * 30)
    Traceback (most recent call last):
    ...
    ValueError: query is 240 characters long; the limit is 200
    """
    if len(query) > MAX_QUERY_LENGTH:
        raise ValueError(
            f"query is {len(query)} characters long; the limit is {MAX_QUERY_LENGTH}"
        )
    return [part.strip() for part in _ALTERNATIVES.split(query) if part.strip()]
