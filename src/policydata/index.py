"""The in-memory index and the matching of terms, phrases, globs and themes (rules 5, 7, 8).

An :class:`Index` is a list of segments (see ``docs/INDEX.md`` for the on-disk schema). A
segment holds, for its documents:

* ``doc_start``: where each document starts in the segment's token stream, a flat array of
  term ids in which 0 marks a boundary (every document starts with one);
* postings sorted by term: for term ``t``, ``post_doc[post_ptr[t]:post_ptr[t + 1]]`` are the
  documents holding it and ``post_count`` how often (a sparse column-major matrix);
* positions sorted by term: ``positions[pos_ptr[t]:pos_ptr[t + 1]]`` are the stream positions
  of ``t``, from which phrases are matched without reading the text again.

Matching follows the counting rules exactly: a phrase is a run of consecutive positions (a
boundary is a 0 in the stream, so a run never crosses one); within one dictionary (a theme, or
the alternatives of one query) each span is scanned left to right, the longest entry matching at
a position is counted once and the scan continues after it.

What a query costs follows its matches, not the corpus: single words (and alternatives that
are all single words) are read from their postings; a phrase starts from the positions of its
rarest word and checks the others at the following positions. :meth:`Index.doc_counts` gives
only the documents with a match, and :meth:`Index.query_work` estimates that work before any
counting, so that :meth:`Index.check_work` can refuse a search over :data:`MAX_QUERY_WORK`.

Examples
--------
>>> from policydata.tokens import parse_term
>>> seg = Segment.from_texts(["Digital economy. Digital economy and the real economy!"])
>>> seg.count_matches([seg.lookup(parse_term("economy"))]).tolist()
[3]
>>> seg.count_matches([seg.lookup(parse_term("digital economy")),
...                    seg.lookup(parse_term("economy"))]).tolist()
[3]
"""

from __future__ import annotations

import bisect
import hashlib
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
import pandas as pd

from .filters import LINK_ID_MAX, link_id
from .tokens import Term, Vocabulary, Word, encode_batch, join_tokens, tokenize

#: One query entry resolved to term ids: for each word, the ids it matches (several for a glob).
Pattern = tuple[np.ndarray, ...]

_EMPTY = np.zeros(0, dtype=np.int64)

#: Most postings and positions one search may go through (:meth:`Index.query_work`): about a
#: second of counting on a 2-core machine; a word such as "the" in 300,000 articles needs a
#: few hundred thousand, a prefix of one letter or many one-letter prefixes tens of millions.
MAX_QUERY_WORK = 30_000_000
#: Most a whole theme dictionary may go through (:meth:`Index.check_themes`): every theme is
#: counted at once, so a dictionary of many themes each under :data:`MAX_QUERY_WORK` (200 themes
#: of two-letter prefixes, small enough to travel in a link) could take ten seconds. The default
#: dictionary needs about 8 million at 100,000 articles.
MAX_DICTIONARY_WORK = 2 * MAX_QUERY_WORK
_EMPTY32 = np.zeros(0, dtype=np.int32)
_STREAM_LOCK = threading.Lock()


#: Tokens in each piece of a token stream that n-grams are read from
#: (:meth:`Index._subset_stream`): the keys of one piece take a few dozen bytes a token.
STREAM_PIECE = 1 << 22

#: Segments with fewer tokens are sorted by term with numpy, larger ones with scipy.
SMALL_SEGMENT = 1 << 20

class Lexicon:
    """The vocabulary of an index: term ids, term strings and prefix lookup for globs.

    Examples
    --------
    >>> lex = Lexicon(["", "digital", "digits", "economy"])
    >>> lex.ids(Word("digit", prefix=True)).tolist(), lex.ids(Word("economy")).tolist()
    ([1, 2], [3])
    """

    def __init__(self, terms: Sequence[str]) -> None:
        self.terms = list(terms)
        self._id = {t: i for i, t in enumerate(self.terms) if i}
        self._sorted: list[str] | None = None  # built on the first glob
        self._sorted_ids = _EMPTY
        self._rank: np.ndarray | None = None  # built on the first concordance sort

    def _prefix_index(self) -> list[str]:
        if self._sorted is None:
            order = sorted(range(1, len(self.terms)), key=self.terms.__getitem__)
            self._sorted_ids = np.asarray(order, dtype=np.int64)
            self._sorted = [self.terms[i] for i in order]
        return self._sorted

    def rank(self) -> np.ndarray:
        """Each term id's place in the A-to-Z order of the term strings (cached; the boundary,
        id 0, comes first).

        >>> Lexicon(["", "economy", "digital", "real"]).rank().tolist()
        [0, 2, 1, 3]
        """
        ordered = self._prefix_index()  # (makes _sorted_ids)
        rank = self._rank
        if rank is None or len(rank) != len(ordered) + 1:
            rank = np.zeros(len(self.terms), dtype=np.int64)
            rank[self._sorted_ids] = np.arange(1, len(self._sorted_ids) + 1)
            self._rank = rank
        return rank

    def __len__(self) -> int:
        return len(self.terms)

    def get(self, term: str) -> int | None:
        """The id of a term (a token as the counting rules write it), None if no text has it."""
        return self._id.get(term)

    def ids(self, word: Word) -> np.ndarray:
        """Ids matched by one query word: its own, or every term with the prefix."""
        if not word.prefix:
            found = self._id.get(word.text)
            return np.asarray([found] if found else [], dtype=np.int64)
        ordered = self._prefix_index()
        lo = bisect.bisect_left(ordered, word.text)
        hi = bisect.bisect_left(ordered, word.text + "\U0010ffff")
        return np.sort(self._sorted_ids[lo:hi])

    def pattern(self, term: Term) -> Pattern:
        """A parsed term resolved to ids: for each of its words, the ids it matches."""
        return tuple(self.ids(w) for w in term.words)


@dataclass
class Segment:
    """Postings and positions for a block of documents (see the module docstring).

    A segment numbers its terms with its own local ids (0 is the boundary); ``globals[i]`` is
    the index-wide id of local term ``i`` (None: local ids are the global ones). Every method
    takes and gives global ids except :meth:`stream`, which holds local ids.
    """

    doc_start: np.ndarray  # int64, len n_docs + 1 (last = stream length)
    words: np.ndarray  # int32 tokens per document
    post_ptr: np.ndarray  # int64, len n_terms + 1 (local ids)
    post_doc: np.ndarray  # int32 segment-local document
    post_count: np.ndarray  # int32
    pos_ptr: np.ndarray  # int64, len n_terms + 1 (local ids)
    positions: np.ndarray  # int32 stream positions
    tokens: np.ndarray | None = None  # int32 stream of local ids; rebuilt when needed
    globals: np.ndarray | None = None  # int64 global id of each local id
    lexicon: Lexicon | None = field(default=None, repr=False)  # for tests and doctests only
    _local_of: np.ndarray | None = field(default=None, repr=False)

    @property
    def n_docs(self) -> int:
        """Number of documents in the segment."""
        return len(self.doc_start) - 1

    @property
    def n_terms(self) -> int:
        """Number of local term ids."""
        return len(self.post_ptr) - 1

    # ------------------------------------------------------------------ construction

    @classmethod
    def from_stream(cls, tokens: np.ndarray, doc_start: np.ndarray, n_terms: int,
                    globals_: np.ndarray | None = None) -> Segment:
        """Build postings and positions from a token stream (no tokenising: a counting sort).

        Parameters
        ----------
        tokens : int32 array
            Local term ids with 0 at boundaries; ``tokens[doc_start[i]] == 0`` for every
            document.
        doc_start : int64 array
            Start of each document, plus the stream length at the end.
        n_terms : int
            Number of local ids (ids are below it).
        globals_ : int array, optional
            Global id of each local id.
        """
        tokens = np.ascontiguousarray(tokens, dtype=np.int32)
        doc_start = np.asarray(doc_start, dtype=np.int64)
        n_docs = len(doc_start) - 1
        where = np.flatnonzero(tokens).astype(np.int32)
        nonzero_before = np.searchsorted(where, doc_start)
        words = np.diff(nonzero_before).astype(np.int32)
        doc_of = np.repeat(np.arange(n_docs, dtype=np.int32), words)
        terms = tokens[where]
        if len(where) < SMALL_SEGMENT:
            # Small segments (an incremental update): a stable sort by term, without paying
            # for importing scipy.
            order = np.argsort(terms, kind="stable")
            positions, docs_sorted = where[order], doc_of[order]
            pos_ptr = np.zeros(n_terms + 1, dtype=np.int64)
            np.cumsum(np.bincount(terms, minlength=n_terms), out=pos_ptr[1:])
            del order, terms, doc_of, where
        else:
            import scipy.sparse as sp  # only large builds need it (saves start-up time)

            # A CSR matrix of (term, position) holding the document as its value is a counting
            # sort by term that keeps positions in order within each term: the positional index
            # and the document of every position, in O(n).
            by_term = sp.csr_matrix((doc_of, (terms, where)), shape=(n_terms, len(tokens)))
            del doc_of, where, terms
            pos_ptr = by_term.indptr.astype(np.int64)
            positions = by_term.indices.astype(np.int32, copy=False)
            docs_sorted = by_term.data.astype(np.int32, copy=False)
            del by_term
        # Postings: one entry per run of equal documents within a term.
        change = np.empty(len(positions), dtype=bool)
        if len(positions):
            change[0] = True
            np.not_equal(docs_sorted[1:], docs_sorted[:-1], out=change[1:])
            heads = pos_ptr[:-1][np.diff(pos_ptr) > 0]
            change[heads] = True
        first = np.flatnonzero(change)
        del change
        post_doc = docs_sorted[first]
        post_count = np.diff(np.append(first, len(positions))).astype(np.int32)
        post_ptr = np.searchsorted(first, pos_ptr).astype(np.int64)
        return cls(doc_start, words, post_ptr, post_doc, post_count, pos_ptr, positions, tokens,
                   None if globals_ is None else np.asarray(globals_, dtype=np.int64))

    @classmethod
    def from_global_stream(cls, tokens: np.ndarray, doc_start: np.ndarray) -> Segment:
        """A segment over a stream of global ids: renumbers the terms present, then builds.

        >>> seg = Segment.from_global_stream(np.array([0, 7, 3, 0, 7]), np.array([0, 3, 5]))
        >>> seg.globals.tolist(), seg.stream().tolist()
        ([0, 3, 7], [0, 2, 1, 0, 2])
        """
        local, used = compact(tokens)
        return cls.from_stream(local, doc_start, len(used), used)

    @classmethod
    def from_texts(cls, texts: Sequence[str]) -> Segment:
        """A self-contained segment for a few texts (tests, examples)."""
        vocabulary = Vocabulary()
        tokens, doc_start = encode_batch(texts, vocabulary)
        seg = cls.from_stream(tokens, doc_start, len(vocabulary.terms))
        seg.lexicon = Lexicon(vocabulary.terms)
        return seg

    def lookup(self, term: Term) -> Pattern:
        """A parsed term resolved to this segment's term ids (see :meth:`Lexicon.pattern`)."""
        assert self.lexicon is not None, "segment built without a lexicon"
        return self.lexicon.pattern(term)

    def stream(self) -> np.ndarray:
        """The token stream (local ids), rebuilt from the positional index on first use.

        Boundaries are the positions no term occupies, so the stream needs no storage of its
        own. Safe to call from several threads (the result is the same array).
        """
        tokens = self.tokens
        if tokens is None:
            with _STREAM_LOCK:
                tokens = self.tokens
                if tokens is None:
                    tokens = np.zeros(int(self.doc_start[-1]), dtype=np.int32)
                    tokens[self.positions] = np.repeat(
                        np.arange(self.n_terms, dtype=np.int32), np.diff(self.pos_ptr))
                    self.tokens = tokens
        return tokens

    def as_global(self, local: np.ndarray) -> np.ndarray:
        """Global ids of local ids (e.g. a slice of :meth:`stream`)."""
        return local if self.globals is None else self.globals[local]

    def local(self, ids: np.ndarray) -> np.ndarray:
        """Local ids of the global ``ids`` present in this segment."""
        if self.globals is None:
            return ids[(ids >= 0) & (ids < self.n_terms)]
        local_of = self._local_of
        if local_of is None:
            local_of = np.full(int(self.globals.max()) + 1 if len(self.globals) else 1, -1,
                               dtype=np.int64)
            local_of[self.globals] = np.arange(len(self.globals))
            self._local_of = local_of
        ids = ids[(ids >= 0) & (ids < len(local_of))]
        found = local_of[ids]
        return found[found > 0]

    # ------------------------------------------------------------------ matching

    #: A glob word whose terms occur more often than this is checked against the token stream
    #: rather than by merging its terms' positions (bounds the cost of queries like "a* b*").
    MERGE_LIMIT = 2_000_000

    def _total(self, ids: np.ndarray) -> int:
        return int((self.pos_ptr[ids + 1] - self.pos_ptr[ids]).sum()) if len(ids) else 0

    def _positions(self, ids: np.ndarray, *, ordered: bool = True) -> np.ndarray:
        parts = [self.positions[self.pos_ptr[i]:self.pos_ptr[i + 1]] for i in ids.tolist()]
        parts = [p for p in parts if len(p)]
        if not parts:
            return _EMPTY32
        if len(parts) == 1:
            return parts[0]
        merged = np.concatenate(parts)
        return np.sort(merged) if ordered else merged

    def raw_starts(self, pattern: Pattern) -> np.ndarray:
        """Stream positions where ``pattern`` (global ids) matches, overlapping matches
        included, sorted."""
        local = [self.local(ids) for ids in pattern]
        totals = [self._total(ids) for ids in local]
        if not all(totals):
            return _EMPTY
        anchor = int(np.argmin(totals))
        starts = self._positions(local[anchor], ordered=False) - np.int32(anchor)
        tokens = self.tokens  # the stream answers by lookup when it is already built
        for i, ids in enumerate(local):
            if i == anchor or not len(starts):
                continue
            wanted = starts + np.int32(i)
            if len(ids) == 1 and tokens is not None:
                inside = (wanted >= 0) & (wanted < len(tokens))
                starts = starts[inside]
                starts = starts[tokens[starts + np.int32(i)] == ids[0]]
            elif len(ids) == 1 and totals[i] <= self.MERGE_LIMIT:
                found = self._positions(ids)
                at = np.minimum(np.searchsorted(found, wanted), len(found) - 1)
                starts = starts[found[at] == wanted]
            else:
                if tokens is None:
                    tokens = self.stream()
                member = np.zeros(self.n_terms, dtype=bool)
                member[ids] = True
                inside = (wanted >= 0) & (wanted < len(tokens))
                starts = starts[inside]
                starts = starts[member[tokens[starts + i]]]
        return np.sort(starts)

    def match_starts(self, patterns: Sequence[Pattern]) -> tuple[np.ndarray, np.ndarray]:
        """Counted matches of a dictionary (rule 8): starts and lengths, sorted by start."""
        starts = [self.raw_starts(p) for p in patterns]
        lengths = [np.full(len(s), len(p), dtype=np.int64) for s, p in zip(starts, patterns)]
        if not starts:
            return _EMPTY, _EMPTY
        if len(patterns) == 1 and not overlaps_itself(patterns[0]):
            return starts[0], lengths[0]  # (sorted, and no two matches can overlap)
        return longest_first(np.concatenate(starts), np.concatenate(lengths))

    def match_docs(self, patterns: Sequence[Pattern]) -> tuple[np.ndarray, np.ndarray]:
        """Matches per document of a dictionary of entries (rule 8), only where there are any.

        The cost grows with the matches, not with the segment's documents.

        Returns
        -------
        tuple of numpy.ndarray of int64
            ``(docs, counts)``: the segment rows holding at least one match, ascending, and
            their matches.

        Examples
        --------
        >>> from policydata.tokens import parse_term
        >>> seg = Segment.from_texts(["Real economy.", "No.", "Real real economy economy."])
        >>> docs, counts = seg.match_docs([seg.lookup(parse_term("real economy"))])
        >>> docs.tolist(), counts.tolist()
        ([0, 2], [1, 1])
        """
        ids = single_word_ids(patterns)
        if ids is not None:
            return self._postings(ids)
        starts, _ = self.match_starts(patterns)
        docs = np.searchsorted(self.doc_start, starts, side="right") - 1
        return _runs_of(docs.astype(np.int64, copy=False))

    def count_matches(self, patterns: Sequence[Pattern]) -> np.ndarray:
        """Matches per document of a dictionary of entries (rule 8), as int64 counts."""
        docs, counts = self.match_docs(patterns)
        out = np.zeros(self.n_docs, dtype=np.int64)
        out[docs] = counts
        return out

    def _postings(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Documents holding any of the global term ``ids`` and their occurrences, by doc."""
        ids = self.local(ids)
        if not len(ids):
            return _EMPTY, _EMPTY
        if len(ids) == 1:
            a, b = self.post_ptr[ids[0]], self.post_ptr[ids[0] + 1]
            return (self.post_doc[a:b].astype(np.int64),
                    self.post_count[a:b].astype(np.int64))
        starts, ends = self.post_ptr[ids], self.post_ptr[ids + 1]
        docs = np.concatenate([self.post_doc[a:b] for a, b in zip(starts.tolist(),
                                                                  ends.tolist())])
        counts = np.concatenate([self.post_count[a:b] for a, b in zip(starts.tolist(),
                                                                      ends.tolist())])
        if not len(docs):
            return _EMPTY, _EMPTY
        if len(docs) > self.n_docs // 8:  # (many: a sum over every document is quicker)
            total = np.bincount(docs, weights=counts, minlength=self.n_docs)
            found = np.flatnonzero(total)
            return found.astype(np.int64), total[found].astype(np.int64)
        order = np.argsort(docs, kind="stable")
        docs, counts = docs[order].astype(np.int64), counts[order].astype(np.int64)
        heads = np.flatnonzero(np.concatenate([[True], docs[1:] != docs[:-1]]))
        return docs[heads], np.add.reduceat(counts, heads)

    def doc_frequency(self, term: int, doc_mask: np.ndarray) -> int:
        """Documents in ``doc_mask`` (segment rows) holding the global ``term``."""
        local = self.local(np.asarray([term]))
        if not len(local):
            return 0
        docs = self.post_doc[self.post_ptr[local[0]]:self.post_ptr[local[0] + 1]]
        return int(doc_mask[docs].sum())

    def term_totals(self, n_global: int, doc_mask: np.ndarray | None = None,
                    ) -> tuple[np.ndarray, np.ndarray]:
        """Occurrences and documents per global term id, over the documents in ``doc_mask``."""
        if doc_mask is None:
            totals = np.diff(self.pos_ptr)
            docs = np.diff(self.post_ptr)
        else:
            keep = doc_mask[self.post_doc]
            term_of = np.repeat(np.arange(self.n_terms), np.diff(self.post_ptr))
            totals = np.bincount(term_of, weights=self.post_count * keep,
                                 minlength=self.n_terms).astype(np.int64)
            docs = np.bincount(term_of, weights=keep, minlength=self.n_terms).astype(np.int64)
        out_totals = np.zeros(n_global, dtype=np.int64)
        out_docs = np.zeros(n_global, dtype=np.int64)
        ids = np.arange(self.n_terms) if self.globals is None else self.globals
        out_totals[ids] += totals
        out_docs[ids] += docs
        return out_totals, out_docs


def single_word_ids(patterns: Sequence[Pattern]) -> np.ndarray | None:
    """The term ids any of ``patterns`` matches when every one is a single word, else None.

    Single words never overlap but on one token, counted once: a token counts when any of the
    words matches it, so rule 8 needs no positions (the postings of these ids answer).

    Examples
    --------
    >>> single_word_ids([(np.array([3, 5]),), (np.array([5, 9]),)]).tolist()
    [3, 5, 9]
    >>> single_word_ids([(np.array([3]), np.array([5]))]) is None
    True
    """
    if not all(len(p) == 1 for p in patterns):
        return None
    return np.unique(np.concatenate([p[0] for p in patterns])) if patterns else _EMPTY


def overlaps_itself(pattern: Pattern) -> bool:
    """Whether two matches of ``pattern`` could overlap (a later one starting inside an
    earlier one), so that rule 8 has to choose between them.

    Examples
    --------
    >>> a, b = np.array([1]), np.array([2])
    >>> overlaps_itself((a, b)), overlaps_itself((a, a)), overlaps_itself((a, b, a))
    (False, True, True)
    >>> overlaps_itself((a,))
    False
    """
    size = len(pattern)
    for shift in range(1, size):
        if all(len(np.intersect1d(pattern[shift + i], pattern[i], assume_unique=True))
               for i in range(size - shift)):
            return True
    return False


def _runs_of(docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct values of an ascending array and how often each occurs."""
    if not len(docs):
        return _EMPTY, _EMPTY
    heads = np.flatnonzero(np.concatenate([[True], docs[1:] != docs[:-1]]))
    return docs[heads], np.diff(np.append(heads, len(docs))).astype(np.int64)


def compact(tokens: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Renumber the ids in ``tokens`` densely (0 stays 0): the local stream and the old id of
    each new one.

    >>> [a.tolist() for a in compact(np.array([0, 9, 4, 0, 9]))]
    [[0, 2, 1, 0, 2], [0, 4, 9]]
    """
    present = np.bincount(tokens) > 0 if len(tokens) else np.zeros(1, dtype=bool)
    present[0] = True
    used = np.flatnonzero(present)
    new_of = np.zeros(len(present), dtype=np.int32)
    new_of[used] = np.arange(len(used), dtype=np.int32)
    return new_of[tokens], used.astype(np.int64)


def _ids_of_ranks(base: int, rank: np.ndarray) -> np.ndarray:
    """Term id of each rank of :meth:`Index._key_base` (the inverse of ``rank``)."""
    id_of = np.zeros(base + 1, dtype=np.int64)
    ranked = rank < base
    id_of[rank[ranked]] = np.flatnonzero(ranked)
    return id_of


def _without_overlaps(key: np.ndarray, at: np.ndarray, tokens: np.ndarray, size: int,
                      ) -> tuple[np.ndarray, np.ndarray]:
    """N-gram occurrences (``key`` starting at sorted positions ``at`` of ``tokens``) without
    those overlapping an earlier counted occurrence of the same n-gram: scanned left to right,
    as a query's matches are (counting rule 8), so ``ha ha`` is met once in ``ha ha ha`` and
    a phrase's count in a top-term list equals its trend count.

    Two occurrences of one n-gram ``d`` < ``size`` tokens apart need equal tokens ``d`` apart,
    which is rare in prose ("very very"), so only those places are looked at.

    >>> tokens = np.array([5, 5, 5, 5, 0, 5, 5])
    >>> key = np.array([55, 55, 55, 55]); at = np.array([0, 1, 2, 5])
    >>> _without_overlaps(key, at, tokens, 2)[1].tolist()
    [0, 2, 5]
    """
    if size < 2 or len(at) < 2:
        return key, at
    count = int(at[-1]) + 1
    starts = np.zeros(count, dtype=bool)
    starts[at] = True
    rows = []
    for d in range(1, size):
        # (n-grams starting d apart whose first tokens are equal: few, then checked whole)
        same = np.flatnonzero((tokens[:count - d] == tokens[d:count]) & starts[:count - d]
                              & starts[d:count])
        if not len(same):
            continue
        first = np.searchsorted(at, same)
        then = np.searchsorted(at, same + d)
        ok = key[first] == key[then]
        rows += [first[ok], then[ok]]
    involved = np.unique(np.concatenate(rows)) if rows else _EMPTY
    if not len(involved):
        return key, at
    # (Occurrences overlapping no other of their n-gram cannot change what is counted here.)
    drop = []
    ends: dict[int, int] = {}
    for row, k, start in zip(involved.tolist(), key[involved].tolist(), at[involved].tolist()):
        if start < ends.get(k, -1):
            drop.append(row)
        else:
            ends[k] = start + size
    keep = np.ones(len(at), dtype=bool)
    keep[drop] = False
    return key[keep], at[keep]


def _runs(keys: np.ndarray, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct keys, their occurrences and their distinct documents.

    ``docs`` must be in stream order, so that a stable sort by key keeps each key's documents
    in order.

    >>> [a.tolist() for a in _runs(np.array([5, 3, 5, 5]), np.array([0, 0, 0, 1]))]
    [[3, 5], [1, 3], [1, 2]]
    """
    order = np.argsort(keys, kind="stable")
    k, d = keys[order], docs[order]
    new_key = np.ones(len(k), dtype=bool)
    new_key[1:] = k[1:] != k[:-1]
    heads = np.flatnonzero(new_key)
    new_doc = new_key.copy()
    new_doc[1:] |= d[1:] != d[:-1]
    occurrences = np.diff(np.append(heads, len(k))).astype(np.int64)
    documents = (np.add.reduceat(new_doc, heads).astype(np.int64) if len(heads) else _EMPTY)
    return k[heads], occurrences, documents


def _pairs(keys: np.ndarray, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct (key, document) pairs, sorted by key then document, with their occurrences.

    ``docs`` must be in stream order (see :func:`_runs`).

    >>> [a.tolist() for a in _pairs(np.array([5, 3, 5, 5]), np.array([0, 0, 0, 1]))]
    [[3, 5, 5], [0, 0, 1], [1, 2, 1]]
    """
    order = np.argsort(keys, kind="stable")
    k, d = keys[order], docs[order]
    new = np.ones(len(k), dtype=bool)
    new[1:] = (k[1:] != k[:-1]) | (d[1:] != d[:-1])
    heads = np.flatnonzero(new)
    return k[heads], d[heads], np.diff(np.append(heads, len(k))).astype(np.int32)


def _narrows(stop: np.ndarray, base: np.ndarray | None) -> bool:
    """Whether ``stop`` masks every word ``base`` masks: the phrase table of ``base`` then
    serves ``stop`` too, narrowed (see :meth:`Index.ngram_table`)."""
    return base is not None and len(base) == len(stop) and not (base & ~stop).any()


@dataclass(frozen=True)
class _Phrases:
    """The whole corpus's repeated n-grams of one length (:meth:`Index.ngram_table`) and where
    they occur: for key ``i``, the documents ``entry_docs[heads[i]:heads[i + 1]]`` (ascending)
    hold it ``entry_counts[...]`` times. A selection's counts of these phrases are then one
    pass over the entries (:meth:`Index.repeated_ngram_counts`), not a count of its text."""

    keys: np.ndarray
    counts: np.ndarray
    docs: np.ndarray
    heads: np.ndarray
    entry_docs: np.ndarray
    entry_counts: np.ndarray


def longest_first(starts: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Resolve overlapping matches by rule 8: left to right, longest at each position.

    Examples
    --------
    >>> s, n = longest_first(np.array([3, 0, 1, 0]), np.array([1, 1, 2, 2]))
    >>> s.tolist(), n.tolist()
    ([0, 3], [2, 1])
    """
    if len(starts) == 0:
        return _EMPTY, _EMPTY
    order = np.lexsort((-lengths, starts))
    starts, lengths = starts[order], lengths[order]
    first = np.ones(len(starts), dtype=bool)
    first[1:] = starts[1:] != starts[:-1]
    starts, lengths = starts[first], lengths[first]
    ends = starts + lengths
    reach = np.maximum.accumulate(ends)
    alone = np.ones(len(starts), dtype=bool)
    alone[1:] = starts[1:] >= reach[:-1]
    if alone.all():
        return starts, lengths
    keep = alone.copy()
    heads = np.flatnonzero(alone)
    cluster = np.cumsum(alone) - 1
    # Only matches that overlap an earlier one need the sequential scan.
    last_end = 0
    current = -1
    for j in np.flatnonzero(~alone).tolist():
        c = int(cluster[j])
        if c != current:
            current = c
            last_end = int(ends[heads[c]])
        if starts[j] >= last_end:
            keep[j] = True
            last_end = int(ends[j])
    return starts[keep], lengths[keep]


class Index:
    """A loaded corpus index: documents, vocabulary, segments and cached theme counts.

    Built and loaded by :func:`policydata.store.open_index`; shared read-only by every caller
    (the dashboard holds one per server process). Global document rows are the rows of
    :attr:`documents`; duplicates stay in the index with ``active`` False and are left out of
    every analysis.
    """

    def __init__(self, documents: pd.DataFrame, lexicon: Lexicon, segments: list[Segment],
                 report: Any, texts: Any, theme_cache: dict[str, np.ndarray],
                 themes: Any) -> None:
        self.documents = documents
        self.lexicon = lexicon
        self.segments = segments
        self.report = report
        self.build: Any = None
        #: Changes whenever the index content does (the dashboard's cache key).
        self.key = ""
        self.themes = themes
        self._texts = texts
        self._theme_cache = dict(theme_cache)
        self._lock = threading.Lock()
        sizes = [s.n_docs for s in segments]
        self.offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
        self.active = documents["active"].to_numpy(dtype=bool)
        self.words = documents["words"].to_numpy(dtype=np.int64)
        self.dates = documents["date"].to_numpy(dtype="datetime64[D]")
        self._sources: list[str] | None = None
        self._source_codes: np.ndarray | None = None
        self._rows_by_id: dict[str, int] | None = None
        self._counts_cache: dict[tuple[str, ...], Any] = {}
        self._stop_cache: dict[Any, np.ndarray] = {}
        self._ngram_cache: dict[Any, Any] = {}
        self._ngram_building: dict[Any, threading.Lock] = {}  # (one builder per table)
        self._rank_cache: dict[int, np.ndarray] = {}
        self._period_cache: dict[str, np.ndarray] = {}
        self._memo: dict[Any, Any] = {}
        self._id_rank: np.ndarray | None = None

    @property
    def id_rank(self) -> np.ndarray:
        """Each document's place in the order of the ids (cached).

        Lists break ties in date with it, so they come out the same whether the index was
        built at once or updated file by file (which appends rows).

        Returns
        -------
        numpy.ndarray of int64
            One rank per row of :attr:`documents` (exact duplicates included): 0 for the
            first id in string order.

        Examples
        --------
        >>> import tempfile
        >>> from pathlib import Path
        >>> from policydata.store import open_index
        >>> corpus = Path(tempfile.mkdtemp())
        >>> _ = (corpus / "news.csv").write_text("id,date,title,text,source\\n"
        ...     "b,2023-10-01,Two,The real economy.,xinhua\\n"
        ...     "a,2023-09-02,One,The digital economy.,people\\n"
        ...     "c,2023-09-03,One,The digital economy.,people\\n")
        >>> index = open_index(corpus, cache_dir=tempfile.mkdtemp())
        >>> index.documents["id"].tolist(), index.id_rank.tolist()
        (['b', 'a', 'c'], [1, 0, 2])
        """
        if self._id_rank is None:
            order = np.argsort(self.documents["id"].to_numpy().astype(str), kind="stable")
            rank = np.empty(len(order), dtype=np.int64)
            rank[order] = np.arange(len(order))
            rank.flags.writeable = False  # (shared by every session)
            self._id_rank = rank
        return self._id_rank

    def period_codes(self, freq: str) -> np.ndarray:
        """Months, quarters or years since 1970 of every document's date (cached).

        Parameters
        ----------
        freq : {"month", "quarter", "year"}
            The length of a period.

        Returns
        -------
        numpy.ndarray of int64
            One code per row of :attr:`documents`, as
            :func:`policydata.analysis.period_codes` gives it (January 1970 is month 0).
            The array is shared by every caller: do not change it.

        Raises
        ------
        ValueError
            For another ``freq``.

        Examples
        --------
        >>> import tempfile
        >>> from policydata.analysis import period_label
        >>> from policydata.store import open_index
        >>> index = open_index("seeds", cache_dir=tempfile.mkdtemp())
        >>> index.period_codes("month").tolist(), index.period_codes("quarter").tolist()
        ([644], [214])
        >>> period_label(index.period_codes("quarter")[0], "quarter")
        '2023Q3'
        """
        found = self._period_cache.get(freq)
        if found is None:
            months = self.dates.astype("datetime64[M]").astype(np.int64)
            found = {"month": months, "quarter": np.floor_divide(months, 3),
                     "year": np.floor_divide(months, 12)}.get(freq)
            if found is None:
                raise ValueError(f"freq must be month, quarter or year, not {freq!r}")
            found.flags.writeable = False  # (shared by every session)
            self._period_cache[freq] = found
        return found

    @property
    def n_documents(self) -> int:
        """Documents counted (exact duplicates left out).

        Returns
        -------
        int
            The rows of :attr:`documents` that are ``active``.

        Examples
        --------
        >>> import tempfile
        >>> from pathlib import Path
        >>> from policydata.store import open_index
        >>> corpus = Path(tempfile.mkdtemp())
        >>> _ = (corpus / "news.csv").write_text("id,date,title,text,source\\n"
        ...     "b,2023-10-01,Two,The real economy.,xinhua\\n"
        ...     "a,2023-09-02,One,The digital economy.,people\\n"
        ...     "c,2023-09-03,One,The digital economy.,people\\n")
        >>> index = open_index(corpus, cache_dir=tempfile.mkdtemp())
        >>> index.n_documents, len(index.documents)  # ("c" is an exact copy of "a")
        (2, 3)
        """
        return int(self.active.sum())

    def pattern(self, term: Term) -> Pattern:
        """A term resolved to this index's term ids: for each word, the ids it matches.

        Parameters
        ----------
        term : Term
            A parsed term (see :func:`policydata.tokens.parse_term`).

        Returns
        -------
        Pattern
            A tuple with one sorted int64 array per word of the term: the word's own id, or
            every id with its prefix for a word ending in ``*``; an empty array for a word
            the corpus does not hold (the term then matches nowhere).

        Examples
        --------
        >>> import tempfile
        >>> from policydata.store import open_index
        >>> from policydata.tokens import parse_term
        >>> index = open_index("seeds", cache_dir=tempfile.mkdtemp())
        >>> digit_economy = index.pattern(parse_term("digit* economy"))
        >>> [ids.tolist() for ids in digit_economy], index.lexicon.terms[7]
        ([[7], [8]], 'digital')
        >>> [ids.tolist() for ids in index.pattern(parse_term("green economy"))]
        [[], [8]]
        """
        return self.lexicon.pattern(term)

    def counts(self, terms: Sequence[Term]) -> np.ndarray:
        """Matches per document (all rows) of a dictionary of terms, by rule 8.

        With one term this is the term's count; with several (the alternatives of a search,
        or a theme's entries), overlapping matches are resolved longest first, so no token is
        counted twice.

        Parameters
        ----------
        terms : sequence of Term
            Parsed terms (see :func:`policydata.tokens.parse_term`), counted together as one
            dictionary; their order does not matter.

        Returns
        -------
        numpy.ndarray of int64
            Matches in each row of :attr:`documents` (exact duplicates included). Read-only:
            the array is cached (for the last 128 dictionaries) and shared by every caller.

        Examples
        --------
        >>> import tempfile
        >>> from policydata.store import open_index
        >>> from policydata.tokens import parse_term
        >>> index = open_index("seeds", cache_dir=tempfile.mkdtemp())
        >>> digital, economy = parse_term("digital economy"), parse_term("economy")
        >>> index.counts([digital]).tolist(), index.counts([economy]).tolist()
        ([10], [21])

        Together, a ``digital economy`` is not also an ``economy`` (21, not 31):

        >>> index.counts([digital, economy]).tolist()
        [21]
        """
        key = tuple(sorted(str(t) for t in terms))
        with self._lock:
            found = self._counts_cache.get(key)
        if found is not None:
            return found
        rows, counts = self.doc_counts(terms)
        result = np.zeros(len(self.documents), dtype=np.int64)
        result[rows] = counts
        result.flags.writeable = False
        self._keep_counts(key, result)
        return result

    def term_frequencies(self) -> tuple[np.ndarray, np.ndarray]:
        """Occurrences and documents of every term id in the whole index (cached).

        Returns
        -------
        tuple of numpy.ndarray of int64
            ``(occurrences, documents)``, indexed by term id (exact duplicates included).

        Examples
        --------
        >>> import tempfile
        >>> from policydata.store import open_index
        >>> index = open_index("seeds", cache_dir=tempfile.mkdtemp())
        >>> occurrences, documents = index.term_frequencies()
        >>> term = index.lexicon.get("economy")
        >>> int(occurrences[term]), int(documents[term])
        (21, 1)
        """
        def make() -> tuple[np.ndarray, np.ndarray]:
            occurrences = np.zeros(len(self.lexicon), dtype=np.int64)
            documents = np.zeros(len(self.lexicon), dtype=np.int64)
            for segment in self.segments:
                o, d = segment.term_totals(len(self.lexicon))
                occurrences += o
                documents += d
            return occurrences, documents

        return self.memo(("term frequencies",), make)

    def query_work(self, terms: Sequence[Term]) -> int:
        """How much counting ``terms`` together would go through, before doing it.

        Single words are counted from their postings (one entry per term and document);
        phrases from the positions of their rarest word, checked word by word (a prefix in a
        phrase checks each position against every term it stands for, which costs about four
        times as much, as measured on the benchmark's corpus).

        Returns
        -------
        int
            The postings read, or the positions of each phrase's rarest word times its
            words (times 4 with a prefix among them), summed: what :data:`MAX_QUERY_WORK`
            bounds.

        Examples
        --------
        >>> import tempfile
        >>> from policydata.store import open_index
        >>> from policydata.tokens import parse_term
        >>> index = open_index("seeds", cache_dir=tempfile.mkdtemp())
        >>> index.query_work([parse_term("economy")])  # (one article holds it)
        1
        >>> index.query_work([parse_term("digital economy")])  # (11 digital, 2 words)
        22
        """
        occurrences, documents = self.term_frequencies()
        patterns = [self.pattern(t) for t in terms]
        ids = single_word_ids(patterns)
        if ids is not None:
            return int(documents[ids].sum())
        return sum(len(p) * (4 if any(len(ids) > 1 for ids in p) else 1)
                   * min(int(occurrences[ids].sum()) for ids in p) for p in patterns)

    def check_work(self, terms: Sequence[Term], query: str = "") -> None:
        """Refuse, before any counting, a search that would take too long (see
        :meth:`query_work`).

        Raises
        ------
        ValueError
            When the work passes :data:`MAX_QUERY_WORK`, saying how much and what to do.
        """
        work = self.query_work(terms)
        if work > MAX_QUERY_WORK:
            shown = query or ", ".join(str(t) for t in terms)
            shown = shown if len(shown) <= 60 else shown[:57] + "..."
            raise ValueError(
                f"the search {shown!r} matches too much of this corpus to count at once "
                f"({work:,} postings and positions to go through; the limit is "
                f"{MAX_QUERY_WORK:,}): make its prefixes longer or use fewer alternatives")

    def check_themes(self, dictionary: Any) -> None:
        """Refuse a theme dictionary one of whose themes :meth:`check_work` would refuse, or
        whose themes together go through more than :data:`MAX_DICTIONARY_WORK`.

        Raises
        ------
        ValueError
            Naming the theme, or saying how much the whole dictionary would go through, for
            a dictionary that cannot be counted in this index at once.
        """
        total = 0
        for name, entries in dictionary.themes:
            try:
                self.check_work(entries, ", ".join(str(t) for t in entries))
            except ValueError as error:
                raise ValueError(f"theme {name!r}: {error}") from None
            total += self.query_work(entries)
        if total > MAX_DICTIONARY_WORK:
            raise ValueError(
                f"the dictionary's {len(dictionary.themes)} themes match too much of this "
                f"corpus to count at once ({total:,} postings and positions to go through; "
                f"the limit is {MAX_DICTIONARY_WORK:,}): use fewer themes or entries, or "
                "longer prefixes")

    def doc_counts(self, terms: Sequence[Term]) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`counts` only for the rows with a match: what trends and lists need.

        Its cost grows with the terms' matches, not with the corpus: a rare term is answered
        as fast in a million articles as in a thousand.

        Parameters
        ----------
        terms : sequence of Term
            Parsed terms, counted together as one dictionary (rule 8), as in :meth:`counts`.

        Returns
        -------
        tuple of numpy.ndarray of int64
            ``(rows, counts)``: the rows of :attr:`documents` holding at least one match
            (exact duplicates included), ascending, and their matches. Read-only and cached
            with :meth:`counts`.

        Examples
        --------
        >>> import tempfile
        >>> from policydata.store import open_index
        >>> from policydata.tokens import parse_term
        >>> index = open_index("seeds", cache_dir=tempfile.mkdtemp())
        >>> rows, counts = index.doc_counts([parse_term("real economy")])
        >>> rows.tolist(), counts.tolist()
        ([0], [10])
        >>> [a.tolist() for a in index.doc_counts([parse_term("green development")])]
        [[], []]
        """
        key = ("rows", *sorted(str(t) for t in terms))
        with self._lock:
            found = self._counts_cache.get(key)
        if found is not None:
            return found
        self.check_work(terms)
        patterns = [self.pattern(t) for t in terms]
        rows, counts = [], []
        for offset, seg in zip(self.offsets.tolist(), self.segments):
            docs, n = seg.match_docs(patterns)
            rows.append(docs + offset)
            counts.append(n)
        result = ((np.concatenate(rows), np.concatenate(counts)) if rows
                  else (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)))
        for array in result:
            array.flags.writeable = False
        self._keep_counts(key, result)
        return result

    def _keep_counts(self, key: tuple[str, ...], result: Any) -> None:
        with self._lock:
            if len(self._counts_cache) >= 128:
                self._counts_cache.pop(next(iter(self._counts_cache)))
            self._counts_cache[key] = result

    def theme_counts(self, dictionary: Any) -> np.ndarray:
        """Documents x themes matrix of theme counts (rule 8), cached per dictionary.

        Parameters
        ----------
        dictionary : ThemeDictionary
            The themes; each theme's entries are counted together (see :meth:`counts`).

        Returns
        -------
        numpy.ndarray of int64
            One row per row of :attr:`documents`, one column per theme in the dictionary's
            order: the theme's matches in the document. Shared by every caller (dictionaries
            with equal ``digest`` share one): do not change it.

        Examples
        --------
        >>> import tempfile
        >>> from policydata.store import open_index
        >>> from policydata.themes import parse_themes
        >>> index = open_index("seeds", cache_dir=tempfile.mkdtemp())
        >>> mine = parse_themes('[themes]\\nEconomy = ["digital economy", "economy"]\\n'
        ...                     'Party = ["communist party", "party"]\\nGreen = ["green*"]')
        >>> index.theme_counts(mine).tolist()
        [[21, 5, 0]]
        >>> index.theme_counts(index.themes).shape  # (the shipped dictionary's 11 themes)
        (1, 11)
        """
        key = dictionary.digest
        with self._lock:
            found = self._theme_cache.get(key)
        if found is not None:
            return found
        columns = [self.counts(entries) for _, entries in dictionary.themes]
        matrix = (np.column_stack(columns) if columns and len(self.documents)
                  else np.zeros((len(self.documents), len(columns)), dtype=np.int64))
        matrix.flags.writeable = False  # (shared by every session)
        with self._lock:
            if len(self._theme_cache) > 16:
                self._theme_cache.pop(next(iter(self._theme_cache)))
            self._theme_cache[key] = matrix
        return matrix

    def locate(self, row: int) -> tuple[int, int]:
        """Segment and row within it of a global document row.

        Parameters
        ----------
        row : int
            A row of :attr:`documents`.

        Returns
        -------
        tuple of int
            ``(segment, row)``: the position in :attr:`segments` and the document's row in
            that segment.

        Examples
        --------
        >>> import tempfile
        >>> from policydata.store import open_index
        >>> index = open_index("seeds", cache_dir=tempfile.mkdtemp())
        >>> index.locate(0)
        (0, 0)
        """
        segment = int(np.searchsorted(self.offsets, row, side="right") - 1)
        return segment, int(row - self.offsets[segment])

    def body(self, row: int) -> str:
        """The body of a document as loaded, without its title (rule 1).

        Parameters
        ----------
        row : int
            A row of :attr:`documents`.

        Returns
        -------
        str
            The body, with a trailing ``Share this:`` footer cut and line endings as ``\\n``.

        Examples
        --------
        >>> import tempfile
        >>> from policydata.store import open_index
        >>> index = open_index("seeds", cache_dir=tempfile.mkdtemp())
        >>> body = index.body(0)
        >>> body[:40], len(body)
        ('The Party Group of the Ministry of Indus', 3165)
        >>> "Share this" in body  # (the seed file ends with the footer)
        False
        """
        return self._texts.body(*self.locate(row))

    def text(self, row: int) -> str:
        """The counted text of a document: title, a blank line, body (rule 1).

        Parameters
        ----------
        row : int
            A row of :attr:`documents`.

        Returns
        -------
        str
            ``title + "\\n\\n" + body``: the text the counts were made from, and the one
            character offsets (keyword in context, highlighting) refer to.

        Examples
        --------
        >>> import tempfile
        >>> from policydata.store import open_index
        >>> index = open_index("seeds", cache_dir=tempfile.mkdtemp())
        >>> title, _, body = index.text(0).partition("\\n\\n")
        >>> title
        'Vigorously Promote the Deep Integration of the Digital Economy and the Real Economy'
        >>> body == index.body(0)
        True
        """
        return f"{self.documents['title'].iat[row]}\n\n{self.body(row)}"

    def warm(self, stop: np.ndarray | None = None) -> threading.Thread:
        """Prepare, in a background thread, what slow first queries would otherwise build.

        Rebuilds every segment's token stream, the sorted vocabulary (for globs and
        concordances) and (given a stopword mask) the whole corpus's repeated 2- and 3-word
        phrases (for servers: top terms, keyness and glob phrases then answer at once).

        Parameters
        ----------
        stop : numpy.ndarray of bool, optional
            A stopword mask of :meth:`stop_mask`; without it the phrases are not computed.

        Returns
        -------
        threading.Thread
            The started daemon thread (``join`` it to wait for the work).

        Examples
        --------
        >>> import tempfile
        >>> from policydata.analysis import default_stopwords
        >>> from policydata.store import open_index
        >>> index = open_index("seeds", cache_dir=tempfile.mkdtemp())
        >>> index.segments[0].tokens is None  # (a loaded index holds no token stream)
        True
        >>> thread = index.warm(index.stop_mask(default_stopwords()))
        >>> thread.join()
        >>> thread.is_alive(), index.segments[0].tokens is None
        (False, False)
        """
        def work() -> None:
            for segment in self.segments:
                segment.stream()
            self.lexicon.rank()  # the sorted vocabulary, for globs and concordances
            if stop is not None:  # the whole corpus's phrases, for word clouds and keyness
                for size in (2, 3):
                    self._repeated_ngrams(size, stop)

        thread = threading.Thread(target=work, name="policydata-warm", daemon=True)
        thread.start()
        return thread

    # ------------------------------------------------------------------ sources

    @property
    def source_names(self) -> list[str]:
        """Sorted source names.

        Returns
        -------
        list of str
            Every source of :attr:`documents` once (exact duplicates' sources included),
            sorted; :attr:`source_codes` are positions in this list.

        Examples
        --------
        >>> import tempfile
        >>> from pathlib import Path
        >>> from policydata.store import open_index
        >>> corpus = Path(tempfile.mkdtemp())
        >>> _ = (corpus / "news.csv").write_text("id,date,title,text,source\\n"
        ...     "b,2023-10-01,Two,The real economy.,xinhua\\n"
        ...     "a,2023-09-02,One,The digital economy.,people\\n"
        ...     "c,2023-09-03,One,The digital economy.,people\\n")
        >>> index = open_index(corpus, cache_dir=tempfile.mkdtemp())
        >>> index.source_names
        ['people', 'xinhua']
        """
        if self._sources is None:
            self._factor_sources()
        assert self._sources is not None
        return self._sources

    @property
    def source_codes(self) -> np.ndarray:
        """Position of each document's source in :attr:`source_names`.

        Returns
        -------
        numpy.ndarray of int64
            One code per row of :attr:`documents` (exact duplicates included).

        Examples
        --------
        >>> import tempfile
        >>> from pathlib import Path
        >>> from policydata.store import open_index
        >>> corpus = Path(tempfile.mkdtemp())
        >>> _ = (corpus / "news.csv").write_text("id,date,title,text,source\\n"
        ...     "b,2023-10-01,Two,The real economy.,xinhua\\n"
        ...     "a,2023-09-02,One,The digital economy.,people\\n"
        ...     "c,2023-09-03,One,The digital economy.,people\\n")
        >>> index = open_index(corpus, cache_dir=tempfile.mkdtemp())
        >>> index.documents["source"].tolist(), index.source_codes.tolist()
        (['xinhua', 'people', 'people'], [1, 0, 0])
        """
        if self._source_codes is None:
            self._factor_sources()
        assert self._source_codes is not None
        return self._source_codes

    def _factor_sources(self) -> None:
        values = self.documents["source"].to_numpy(dtype=object)
        if len(values):
            names, codes = np.unique(values, return_inverse=True)
        else:
            names, codes = np.zeros(0, dtype=object), np.zeros(0, dtype=np.int64)
        self._sources = [str(n) for n in names]
        self._source_codes = np.asarray(codes, dtype=np.int64)

    def row_of(self, doc_id: str) -> int | None:
        """Global row of the (active) document with this id, or None.

        Parameters
        ----------
        doc_id : str
            An article's id.

        Returns
        -------
        int or None
            Its row in :attr:`documents`; None for an unknown id or an exact duplicate
            (which is not counted). An id too long for a link is also found by
            :func:`policydata.filters.link_id`'s name for it.

        Examples
        --------
        >>> import tempfile
        >>> from pathlib import Path
        >>> from policydata.store import open_index
        >>> corpus = Path(tempfile.mkdtemp())
        >>> _ = (corpus / "news.csv").write_text("id,date,title,text,source\\n"
        ...     "b,2023-10-01,Two,The real economy.,xinhua\\n"
        ...     "a,2023-09-02,One,The digital economy.,people\\n"
        ...     "c,2023-09-03,One,The digital economy.,people\\n")
        >>> index = open_index(corpus, cache_dir=tempfile.mkdtemp())
        >>> index.row_of("a"), index.row_of("c"), index.row_of("z")  # ("c" copies "a")
        (1, None, None)
        """
        if self._rows_by_id is None:
            ids = self.documents["id"].to_numpy(dtype=object)
            rows = {i: r for r, i in enumerate(ids) if self.active[r]}
            # A link names an article whose id is too long for an address by its digest; an
            # article whose id is written like a digest (sha256:...) is still its own.
            by_id = {link_id(i): r for i, r in rows.items() if len(i) > LINK_ID_MAX}
            by_id.update(rows)
            self._rows_by_id = by_id  # (whole before another thread can see it)
        return self._rows_by_id.get(doc_id)

    def ids_starting_with(self, prefix: str, n: int = 3) -> list[str]:
        """The first ``n`` ids of (active) documents that start with ``prefix``, in row order:
        what a link meant whose id lost its end (a ``#`` typed as it is: a browser keeps what
        follows it to itself).

        Examples
        --------
        >>> import tempfile
        >>> from pathlib import Path
        >>> from policydata.store import open_index
        >>> corpus = Path(tempfile.mkdtemp())
        >>> _ = (corpus / "news.csv").write_text("date,title,text\\n"
        ...     "2023-09-02,One,The digital economy.\\n2023-09-03,Two,The real economy.\\n")
        >>> index = open_index(corpus, cache_dir=tempfile.mkdtemp())
        >>> index.ids_starting_with("news#")
        ['news#1', 'news#2']
        """
        ids = self.documents["id"]
        found = ids[ids.str.startswith(prefix, na=False).to_numpy(dtype=bool) & self.active]
        return [str(i) for i in found.head(n)]

    # ------------------------------------------------------------------ n-grams

    def stop_mask(self, stopwords: frozenset[str], *, numbers: bool = False) -> np.ndarray:
        """Boolean mask over term ids: stopwords (and numbers unless kept), and id 0.

        Parameters
        ----------
        stopwords : frozenset of str
            Words such as :func:`policydata.analysis.default_stopwords`, read by the counting
            rules as the text is (``China’s`` and ``CHINA`` stop ``china``; a word the rules
            split, ``high-quality``, stops each of its tokens).
        numbers : bool
            Keep terms made only of digits (by default they are masked too).

        Returns
        -------
        numpy.ndarray of bool
            One flag per id of :attr:`lexicon`: True for a stopword, a number (unless kept)
            and id 0 (the boundary). Cached per list and shared: do not change it.

        Examples
        --------
        >>> import tempfile
        >>> from policydata.store import open_index
        >>> index = open_index("seeds", cache_dir=tempfile.mkdtemp())
        >>> stop = index.stop_mask(frozenset({"the", "OF", "China’s"}))
        >>> [term for term, masked in zip(index.lexicon.terms, stop) if masked]
        ['', 'the', 'of', 'china']
        """
        key = (stopwords, numbers)
        with self._lock:
            found = self._stop_cache.get(key)
        if found is not None:
            return found
        terms = self.lexicon.terms
        stopwords = frozenset(token for word in stopwords for span in tokenize(word)
                              for token in span)
        mask = np.fromiter((t in stopwords or (not numbers and t.isdigit()) for t in terms),
                           dtype=bool, count=len(terms))
        if len(mask):
            mask[0] = True
        mask.flags.writeable = False  # (shared by every session)
        with self._lock:
            if len(self._stop_cache) > 8:
                self._stop_cache.pop(next(iter(self._stop_cache)))
            self._stop_cache[key] = mask
        return mask

    def _subset_stream(self, mask: np.ndarray) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Token streams of the selected documents, with each token's document: per segment,
        in pieces of whole documents holding about :data:`STREAM_PIECE` tokens, so that what
        a caller derives from each piece (n-gram keys: several arrays of its length) stays
        small however large a segment is (a corpus given as one big file is one segment)."""
        for s, seg in enumerate(self.segments):
            local = mask[self.offsets[s]:self.offsets[s + 1]]
            if not local.any():
                continue
            tokens = seg.stream()
            rows = np.flatnonzero(local)
            starts, ends = seg.doc_start[rows], seg.doc_start[rows + 1]
            lengths = ends - starts
            before = np.cumsum(lengths) - lengths
            piece = before // STREAM_PIECE
            cuts = np.flatnonzero(np.diff(piece)) + 1
            for a, b in zip(np.concatenate([[0], cuts]).tolist(),
                            np.concatenate([cuts, [len(rows)]]).tolist(), strict=True):
                owners = np.repeat(rows[a:b] + self.offsets[s], lengths[a:b])
                if rows[b - 1] - rows[a] == b - 1 - a:  # neighbours: a view, not a copy
                    yield seg.as_global(tokens[starts[a]:ends[b - 1]]), owners
                    continue
                where = np.repeat(starts[a:b] - before[a:b] + before[a], lengths[a:b]) \
                    + np.arange(int(lengths[a:b].sum()))
                yield seg.as_global(tokens[where]), owners

    def _key_base(self, size: int) -> tuple[int, np.ndarray | None]:
        """Base of n-gram keys and, for huge vocabularies, ids renumbered by frequency."""
        n_terms = len(self.lexicon)
        if size == 1 or n_terms ** size < 2 ** 62:
            return n_terms, None
        base = int(2 ** (62 / size)) - 1
        with self._lock:
            found = self._rank_cache.get(base)
        if found is None:
            totals = np.zeros(n_terms, dtype=np.int64)
            for seg in self.segments:
                totals += seg.term_totals(n_terms)[0]
            top = np.argsort(-totals, kind="stable")[: base - 1]
            found = np.full(n_terms, base, dtype=np.int64)  # base = "not ranked"
            found[top] = np.arange(1, len(top) + 1)
            with self._lock:
                self._rank_cache[base] = found
        return base, found

    def _keys(self, tokens: np.ndarray, size: int, stop: np.ndarray,
              ) -> tuple[np.ndarray, np.ndarray]:
        """N-gram keys of a stream and where they start (no boundary inside, no stopword at
        either end; an occurrence overlapping an earlier one of the same n-gram is not
        counted, as for a query: rule 8)."""
        count = len(tokens) - size + 1
        if count <= 0:
            return _EMPTY, _EMPTY
        cols = [tokens[j:j + count] for j in range(size)]
        ok = ~stop[cols[0]] & ~stop[cols[-1]]
        for col in cols[1:-1]:
            ok &= col != 0
        at = np.flatnonzero(ok)
        base, rank = self._key_base(size)
        if rank is None:
            key = cols[0][at].astype(np.int64)
            for col in cols[1:]:
                key = key * base + col[at]
            return _without_overlaps(key, at, tokens, size)
        parts = [rank[col[at]] for col in cols]
        ranked = np.ones(len(at), dtype=bool)
        for part in parts:
            ranked &= part < base
        key = parts[0][ranked]
        for part in parts[1:]:
            key = key * base + part[ranked]
        return _without_overlaps(key, at[ranked], tokens, size)

    def ngram_counts(self, mask: np.ndarray, size: int, stop: np.ndarray,
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """The n-grams of the selected documents, with their occurrences and documents.

        N-grams never cross a boundary and do not start or end with a ``stop`` word; an
        occurrence overlapping an earlier one of the same n-gram is not counted (rule 8).

        Parameters
        ----------
        mask : numpy.ndarray of bool
            The documents to look in, one flag per row of :attr:`documents` (such as
            :func:`policydata.analysis.select` gives).
        size : int
            Words per n-gram: 1, 2 or 3.
        stop : numpy.ndarray of bool
            A mask of :meth:`stop_mask`.

        Returns
        -------
        keys : numpy.ndarray of int64
            The n-grams found, as sorted keys (:meth:`ngram_strings` gives their text).
        counts : numpy.ndarray of int64
            Occurrences of each.
        docs : numpy.ndarray of int64 or None
            Selected documents holding each; None for single words (see :meth:`ngram_docs`).

        Examples
        --------
        >>> import tempfile
        >>> from policydata.analysis import default_stopwords
        >>> from policydata.store import open_index
        >>> index = open_index("seeds", cache_dir=tempfile.mkdtemp())
        >>> stop = index.stop_mask(default_stopwords())
        >>> keys, counts, docs = index.ngram_counts(index.active, 2, stop)
        >>> top = np.argsort(-counts, kind="stable")[:3]
        >>> index.ngram_strings(keys[top], 2), counts[top].tolist(), docs[top].tolist()
        (['digital economy', 'real economy', 'deep integration'], [10, 10, 7], [1, 1, 1])
        """
        if size == 1:
            counts = np.zeros(len(self.lexicon), dtype=np.int64)
            for tokens, _ in self._subset_stream(mask):
                counts += np.bincount(tokens, minlength=len(counts))
            counts[stop] = 0
            keys = np.flatnonzero(counts)
            return keys.astype(np.int64), counts[keys], None
        key_parts, doc_parts = [], []
        for tokens, doc_of in self._subset_stream(mask):
            found, at = self._keys(tokens, size, stop)
            key_parts.append(found)
            doc_parts.append(doc_of[at])
        if not key_parts:
            return _EMPTY, _EMPTY, _EMPTY
        return _runs(np.concatenate(key_parts), np.concatenate(doc_parts))

    def ngram_docs(self, mask: np.ndarray, keys: np.ndarray) -> np.ndarray:
        """Number of selected documents holding each single-word key (term id).

        Parameters
        ----------
        mask : numpy.ndarray of bool
            The documents to look in, one flag per row of :attr:`documents`.
        keys : numpy.ndarray of int
            Term ids (the keys of single words in :meth:`ngram_counts`).

        Returns
        -------
        numpy.ndarray of int64
            For each key, in order, the selected documents holding it.

        Examples
        --------
        >>> import tempfile
        >>> from policydata.store import open_index
        >>> index = open_index("seeds", cache_dir=tempfile.mkdtemp())
        >>> keys = np.array([index.lexicon.get("digital"), index.lexicon.get("china")])
        >>> index.ngram_docs(index.active, keys).tolist()
        [1, 1]
        >>> index.ngram_docs(~index.active, keys).tolist()
        [0, 0]
        """
        out = np.zeros(len(keys), dtype=np.int64)
        for s, seg in enumerate(self.segments):
            local = mask[self.offsets[s]:self.offsets[s + 1]]
            for j, term in enumerate(keys.tolist()):
                out[j] += seg.doc_frequency(term, local)
        return out

    def ngram_table(self, size: int, stop: np.ndarray, base: np.ndarray | None = None,
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The whole corpus's n-grams, with their occurrences and documents (cached).

        Exact duplicates are left out, and so are n-grams starting or ending with a ``stop``
        word.

        Single words: every term id (``stop`` is not applied). Longer n-grams: only those
        occurring at least twice (a tenth of them in a corpus of news; the rest occur once, in
        one document, so a key absent from the table that occurs in a selection occurs nowhere
        else). Computed once per stopword list and cached; when ``stop`` holds every word of
        ``base`` (the default list, plus a user's own words), the table of ``base`` (see
        :meth:`warm`) is narrowed instead of computing another.

        Parameters
        ----------
        size : int
            Words per n-gram: 1, 2 or 3.
        stop : numpy.ndarray of bool
            A mask of :meth:`stop_mask`.
        base : numpy.ndarray of bool, optional
            A mask of :meth:`stop_mask` whose table may already be cached (the default
            stopwords'); used when ``stop`` masks every word it masks.

        Returns
        -------
        keys : numpy.ndarray of int64
            Sorted n-gram keys (:meth:`ngram_strings` gives their text); every term id for
            single words.
        counts : numpy.ndarray of int64
            Occurrences of each in the active documents.
        docs : numpy.ndarray of int64
            Active documents holding each.

        Examples
        --------
        >>> import tempfile
        >>> from policydata.analysis import default_stopwords
        >>> from policydata.store import open_index
        >>> index = open_index("seeds", cache_dir=tempfile.mkdtemp())
        >>> stop = index.stop_mask(default_stopwords())
        >>> keys, counts, docs = index.ngram_table(2, stop)
        >>> len(keys), int(counts.min())  # (2-word phrases met twice or more)
        (22, 2)
        >>> index.ngram_strings(keys[counts >= 7], 2)
        ['deep integration', 'digital economy', 'real economy']
        >>> len(index.ngram_table(1, stop)[0]) == len(index.lexicon)
        True
        """
        if size == 1:
            key = self._phrase_key(1, stop)
            with self._lock:
                found = self._ngram_cache.get(key)
            if found is not None:
                return found
            totals = np.zeros(len(self.lexicon), dtype=np.int64)
            docs = np.zeros(len(self.lexicon), dtype=np.int64)
            for s, seg in enumerate(self.segments):
                seg_totals, seg_docs = seg.term_totals(
                    len(self.lexicon), self.active[self.offsets[s]:self.offsets[s + 1]])
                totals += seg_totals
                docs += seg_docs
            result = (np.arange(len(totals), dtype=np.int64), totals, docs)
            self._remember(key, result)
            return result
        phrases, keep = self._phrases(size, stop, base)
        if keep is None:
            return phrases.keys, phrases.counts, phrases.docs
        return phrases.keys[keep], phrases.counts[keep], phrases.docs[keep]

    def _phrases(self, size: int, stop: np.ndarray, base: np.ndarray | None,
                 ) -> tuple[_Phrases, np.ndarray | None]:
        """The repeated phrases for ``stop``: those of ``base`` (shared) and which of them
        ``stop`` keeps when it masks every word ``base`` masks, else its own (keep: None)."""
        if _narrows(stop, base):
            assert base is not None
            phrases = self._repeated_ngrams(size, base)  # shared, then narrowed
            if not (stop & ~base).any():
                return phrases, None
            first, last = self._key_ends(phrases.keys, size)
            return phrases, ~stop[first] & ~stop[last]
        return self._repeated_ngrams(size, stop), None

    def repeated_ngram_counts(self, mask: np.ndarray, size: int, stop: np.ndarray,
                              base: np.ndarray | None = None,
                              ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The selected documents' counts of the n-grams the whole corpus repeats.

        Exactly what :meth:`ngram_counts` gives for the n-grams of :meth:`ngram_table` (those
        occurring at least twice in the active documents), in one pass over where they occur
        rather than a count of the selection's text: a word cloud of phrases over most of a
        large corpus answers at once. Any other n-gram occurs at most once in the corpus, so at
        most once in the selection.

        Parameters
        ----------
        mask : numpy.ndarray of bool
            The documents to look in (a subset of the active ones).
        size : int
            Words per n-gram: 2 or 3.
        stop, base : numpy.ndarray of bool
            As for :meth:`ngram_table`.

        Returns
        -------
        keys, counts, docs : numpy.ndarray of int64
            The repeated n-grams found in the selection (sorted keys), their occurrences and
            the selected documents holding them.

        Examples
        --------
        >>> import tempfile
        >>> from policydata.analysis import default_stopwords
        >>> from policydata.store import open_index
        >>> index = open_index("seeds", cache_dir=tempfile.mkdtemp())
        >>> stop = index.stop_mask(default_stopwords())
        >>> keys, counts, docs = index.repeated_ngram_counts(index.active, 2, stop)
        >>> all_keys, all_counts, _ = index.ngram_counts(index.active, 2, stop)
        >>> bool(np.isin(keys, all_keys).all()), counts.tolist() == all_counts[
        ...     np.isin(all_keys, keys)].tolist()
        (True, True)
        >>> len(index.repeated_ngram_counts(~index.active, 2, stop)[0])
        0
        """
        if size < 2:
            raise ValueError("repeated_ngram_counts counts phrases of 2 or 3 words")
        phrases, keep = self._phrases(size, stop, base)
        if not len(phrases.keys):
            return _EMPTY, _EMPTY, _EMPTY
        selected = mask[phrases.entry_docs]
        starts = phrases.heads[:-1]
        counts = np.add.reduceat(np.where(selected, phrases.entry_counts, 0), starts
                                 ).astype(np.int64)
        docs = np.add.reduceat(selected.astype(np.int32), starts).astype(np.int64)
        found = counts > 0 if keep is None else (counts > 0) & keep
        return phrases.keys[found], counts[found], docs[found]

    def _repeated_ngrams(self, size: int, stop: np.ndarray) -> _Phrases:
        """Every n-gram occurring at least twice in the active documents, none starting or
        ending with a ``stop`` word, with occurrences, documents and where each occurs;
        computed segment by segment to bound memory, then cached (a few per size)."""
        key = self._phrase_key(size, stop)
        with self._lock:
            found = self._ngram_cache.get(key)
            building = self._ngram_building.setdefault(key, threading.Lock())
        if found is not None:
            return cast(_Phrases, found)
        # A second caller (a query while the warm-up thread makes the table) waits for the
        # first rather than making the same table beside it: twice the time and memory.
        with building:
            with self._lock:
                found = self._ngram_cache.get(key)
            if found is not None:
                return cast(_Phrases, found)
            return self._make_phrases(key, size, stop)

    def _phrase_key(self, size: int, stop: np.ndarray) -> tuple[int, bytes]:
        return size, hashlib.blake2b(stop.tobytes(), digest_size=16).digest()

    def has_phrase_table(self, size: int, stop: np.ndarray,
                         base: np.ndarray | None = None) -> bool:
        """Whether the table :meth:`ngram_table` gives for ``stop`` is made already (cached):
        then :meth:`repeated_ngram_counts` costs one pass over its entries; else making it
        costs more than counting a selection's text once (a command line's single call).

        >>> import tempfile
        >>> from policydata.analysis import default_stopwords
        >>> from policydata.store import open_index
        >>> index = open_index("seeds", cache_dir=tempfile.mkdtemp())
        >>> stop = index.stop_mask(default_stopwords())
        >>> index.has_phrase_table(2, stop), len(index.ngram_table(2, stop)[0]) > 0
        (False, True)
        >>> index.has_phrase_table(2, stop)
        True
        """
        used = base if base is not None and _narrows(stop, base) else stop
        with self._lock:
            return self._phrase_key(size, used) in self._ngram_cache

    def _make_phrases(self, key: tuple[int, bytes], size: int, stop: np.ndarray) -> _Phrases:
        parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        for s in range(len(self.segments)):
            local = np.zeros(len(self.active), dtype=bool)
            local[self.offsets[s]:self.offsets[s + 1]] = self.active[
                self.offsets[s]:self.offsets[s + 1]]
            for tokens, doc_of in self._subset_stream(local):
                found_keys, at = self._keys(tokens, size, stop)
                del tokens
                pair_keys, pair_docs, pair_counts = _pairs(found_keys, doc_of[at])
                del found_keys, at, doc_of
                parts.append((pair_keys, pair_docs.astype(np.int32), pair_counts))
        keys = np.concatenate([p[0] for p in parts]) if parts else _EMPTY
        if not len(keys):
            empty = _Phrases(_EMPTY, _EMPTY, _EMPTY, np.zeros(1, dtype=np.int64), _EMPTY32,
                             _EMPTY32)
            self._remember(key, empty)
            return empty
        # Segments hold different documents, in order: sorted by key (stably), each key's
        # pairs stay in document order.
        order = np.argsort(keys, kind="stable")
        keys = keys[order]
        entry_docs = np.concatenate([p[1] for p in parts])[order]
        entry_counts = np.concatenate([p[2] for p in parts])[order]
        del parts, order
        new_key = np.ones(len(keys), dtype=bool)
        new_key[1:] = keys[1:] != keys[:-1]
        heads = np.flatnonzero(new_key)
        counts = np.add.reduceat(entry_counts, heads).astype(np.int64)
        docs = np.diff(np.append(heads, len(keys))).astype(np.int64)
        repeated = counts >= 2
        # (the entries of the repeated keys only: a tenth to a half of all pairs)
        kept = np.repeat(repeated, docs)
        result = _Phrases(keys[heads][repeated], counts[repeated], docs[repeated],
                          np.concatenate([[0], np.cumsum(docs[repeated])]).astype(np.int64),
                          entry_docs[kept], entry_counts[kept])
        self._remember(key, result)
        return result

    def memo(self, key: Any, make: Any, *, limit: int = 32) -> Any:
        """A value computed once for this index and kept for the next caller.

        For what analyses derive from the index alone and reuse across queries (the articles
        a filter selects and their totals per period, a theme's matching rows); the oldest
        value goes beyond ``limit``. An updated corpus is a new index, so nothing stale is
        kept.

        Parameters
        ----------
        key : hashable
            What the value is of; callers start it with their own name.
        make : callable
            Computes the value when it is not kept (called without the lock held).
        limit : int
            Values kept.

        Returns
        -------
        object
            What ``make`` returned, now or for an earlier call with the same key. Shared by
            every caller: do not change it.

        Examples
        --------
        >>> import tempfile
        >>> from policydata.store import open_index
        >>> index = open_index("seeds", cache_dir=tempfile.mkdtemp())
        >>> index.memo(("example", 1), lambda: [1, 2])
        [1, 2]
        >>> index.memo(("example", 1), lambda: [3])  # (kept: not computed again)
        [1, 2]
        """
        with self._lock:
            if key in self._memo:
                return self._memo[key]
        value = make()
        with self._lock:
            while len(self._memo) >= limit:
                self._memo.pop(next(iter(self._memo)))
            self._memo[key] = value
        return value

    def _remember(self, key: Any, result: Any) -> None:
        """Keep an n-gram table for the next call with the same size and stopwords, dropping
        the oldest beyond 12 (a few stopword lists at each size)."""
        with self._lock:
            if len(self._ngram_cache) >= 12:
                self._ngram_cache.pop(next(iter(self._ngram_cache)))
            self._ngram_cache[key] = result

    def _key_ends(self, keys: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
        """Term ids of the first and last word of n-gram keys."""
        base, rank = self._key_base(size)
        first = keys // base ** (size - 1)
        last = keys % base
        if rank is not None:
            id_of = _ids_of_ranks(base, rank)
            first, last = id_of[first], id_of[last]
        return first, last

    def ngram_ids(self, keys: np.ndarray, size: int) -> list[np.ndarray]:
        """The term ids of n-gram keys: one array per word position, first word first.

        Parameters
        ----------
        keys : numpy.ndarray of int
            N-gram keys of :meth:`ngram_counts` or :meth:`ngram_table`.
        size : int
            Their words per n-gram (the ``size`` they were made with).

        Returns
        -------
        list of numpy.ndarray of int64
            ``size`` arrays, each as long as ``keys``: array ``i`` holds the id (in
            :attr:`lexicon`) of each n-gram's word ``i``.

        Examples
        --------
        >>> import tempfile
        >>> from policydata.analysis import default_stopwords
        >>> from policydata.store import open_index
        >>> index = open_index("seeds", cache_dir=tempfile.mkdtemp())
        >>> keys, counts, _ = index.ngram_counts(
        ...     index.active, 2, index.stop_mask(default_stopwords()))
        >>> first, second = index.ngram_ids(keys[counts == 7], 2)
        >>> index.lexicon.terms[first[0]], index.lexicon.terms[second[0]]
        ('deep', 'integration')
        """
        base, rank = self._key_base(size)
        parts = []
        rest = np.asarray(keys, dtype=np.int64)
        for _ in range(size):
            rest, part = np.divmod(rest, base)
            parts.append(part)
        parts.reverse()
        if rank is not None:
            id_of = _ids_of_ranks(base, rank)
            parts = [id_of[p] for p in parts]
        return parts

    def ngram_strings(self, keys: np.ndarray, size: int) -> list[str]:
        """The text of n-gram keys (words joined by spaces).

        Parameters
        ----------
        keys : numpy.ndarray of int
            N-gram keys of :meth:`ngram_counts` or :meth:`ngram_table`.
        size : int
            Their words per n-gram (the ``size`` they were made with).

        Returns
        -------
        list of str
            One string per key, in order: its words as the vocabulary holds them (lower
            case), joined by single spaces, with none between two Han characters
            (:func:`policydata.tokens.join_tokens`).

        Examples
        --------
        >>> import tempfile
        >>> from policydata.analysis import default_stopwords
        >>> from policydata.store import open_index
        >>> index = open_index("seeds", cache_dir=tempfile.mkdtemp())
        >>> keys, counts, _ = index.ngram_counts(
        ...     index.active, 2, index.stop_mask(default_stopwords()))
        >>> index.ngram_strings(keys[counts >= 7], 2)  # (in the order of the keys)
        ['deep integration', 'digital economy', 'real economy']
        """
        terms = self.lexicon.terms
        parts = self.ngram_ids(keys, size)
        return [join_tokens([terms[i] for i in ids]) for ids in zip(*(p.tolist() for p in parts))]
