#!/usr/bin/env python3
"""Deterministic synthetic corpus generator for benchmarking.

Produces English-language "Chinese economic / industrial policy" articles in
the same scraped text format as the files in ``seeds/``, at any scale.

Usage
-----
    python bench/generate.py OUT_DIR --articles N [--seed 0] [--words 600]
                             [--sources 6] [--jobs 1] [--format seed]

or, from Python::

    from bench.generate import generate
    summary = generate(Path("/tmp/corpus"), 10_000, seed=0)

Output layout
-------------
    OUT_DIR/<source>/<yyyy>/<NNNNNNN>.txt

* ``<source>`` -- one of ``n_sources`` outlet names (``xinhua``,
  ``china-daily``, ``miit``, ``people-daily``, ``ndrc``, ``global-times``,
  ...); the first folder level is always the source.
* ``<yyyy>``   -- the year of the article's date (2010 .. 2024).
* ``<NNNNNNN>`` -- the global, zero-padded article index 0 .. N-1 (7 digits,
  more if N > 10**7), so every file name is unique across the corpus.

Each file (UTF-8, ``--format seed``, the only format) looks like::

     date 2023-09-02 Title Words in Title Case
    <blank>
    Paragraph one. Sentence two; sentence three ...
    <blank>
    Paragraph two ...
    <blank>
    Share this: Twitter      <- footer block in ~30% of files, exactly as
    <blank>                     in a real scrape ("...\\n\\nShare this:
    Facebook                    Twitter\\n\\nFacebook\\n\\n")
    <blank>

The first line is a space, the word ``date``, an ISO date, a space and the
title.  Files without the footer end with a single ``\\n``.

Content model
-------------
* Dates over 2010-01-01 .. 2024-12-31, volume rising ~2.5x over the period,
  with monthly seasonality (Spring-Festival dip in February, Two-Sessions
  peak in March, ...) and fewer weekend articles.
* Lengths ~ lognormal around ``mean_words`` (clipped to [80, 5*mean]),
  sentences of 8-30 words, paragraphs of 2-6 sentences, titles of 5-14
  words in Title Case.
* A fixed Zipf-Mandelbrot vocabulary (exponent 1.1) of 50,000 word types:
  ~150 English function words, ~300 real policy-domain words, then
  pseudo-words built from syllables for the long tail.  Proper nouns
  (China, Beijing, ...), curly-apostrophe possessives (``China’s``),
  hyphenated words (``high-quality``) and numbers (``3.5 percent``) are
  mixed in at fixed rates.
* Policy phrases ("digital economy", "new quality productive forces", ...)
  and leader names are inserted with per-year rates (see ``TRENDS``), bursty
  per article and scaled per source, so keyword trends over time are visible.

Determinism guarantee
---------------------
The same arguments (out_dir contents aside) produce byte-identical files,
for any ``--jobs`` value, given the same numpy version and platform:

* the vocabulary is built from a fixed constant seed (independent of
  ``--seed``), from ordered lists only -- no set/dict iteration order, no
  ``hash()``, no clock, no environment;
* articles are produced in fixed chunks of ``CHUNK`` consecutive indices;
  chunk ``k`` draws everything from ``numpy.random.default_rng([seed, k])``
  (a SeedSequence of the seed and the chunk index), so a chunk's output does
  not depend on which process generates it or in which order.

Files are (over)written in place; the generator never deletes anything, so
use an empty OUT_DIR for a clean corpus.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import multiprocessing as _mp
import os
import sys
import time
from pathlib import Path

import numpy as np

# --------------------------------------------------------------------------
# Fixed parameters
# --------------------------------------------------------------------------

CHUNK = 1000  # articles per chunk (fixed: part of the determinism contract)
VOCAB_SEED = 20240917  # fixed: vocabulary does not depend on --seed
VOCAB_SIZE = 50_000
N_FUNCTION, N_POLICY = 150, 300  # vocabulary head: function words, then policy words
ZIPF_S = 1.1
ZIPF_Q = 2.7  # Mandelbrot offset, keeps "the" at ~4% like real English
YEAR_FIRST, YEAR_LAST = 2010, 2024
FOOTER = "\nShare this: Twitter\n\nFacebook\n\n"
FOOTER_P = 0.30
COMMA_P = 0.055

# Per-word rates of special tokens (replacing ordinary vocabulary draws).
P_PROPER = 0.013
P_POSSESSIVE = 0.0025
P_HYPHEN = 0.0045
P_NUMBER = 0.008

SOURCES = [
    ("xinhua", 1.00), ("china-daily", 0.95), ("miit", 1.45),
    ("people-daily", 1.20), ("ndrc", 1.40), ("global-times", 0.80),
    ("state-council", 1.30), ("cgtn", 0.90), ("mofcom", 1.20),
    ("qiushi", 1.35), ("ecns", 0.85), ("caixin", 0.70),
    ("scmp", 0.60), ("gov-cn", 1.25), ("sasac", 1.30), ("chinadaily-hk", 0.75),
]

FUNCTION_WORDS = """
the of and to in a is that for on with as by it be at are from this was have
has an its which or not will but also their more been were they had we he his
new who all other can would into than these one two over such most should
there our said about up out them through so if some when what only after
between those may under while both any first each further well made many
where how during because very then she her you must could within against
since before being across among do does did make no now same own just even
three per without toward around including according here still however thus
yet whether every much like us way part use used take along again already
below above upon via whose whom why once due although though rather less
least often become given put set says say get go see come four five several
another both either neither nor few whole last next second third off down
ever never always
""".split()

POLICY_WORDS = """
economy development industrial digital innovation manufacturing supply chain
technology party modernization reform opening security growth investment
market enterprises companies industry industries production productivity
policy policies government national country countries global international
trade export exports imports consumption demand domestic financial finance
capital credit fiscal monetary stability strategy strategic plan planning
measures efforts quality efficiency competitiveness transformation upgrading
integration infrastructure energy green carbon emissions environmental
ecological sustainable resources data information internet platform
platforms network networks intelligent smart automation robotics
semiconductor semiconductors chips equipment materials research science
scientific talent talents education employment jobs income rural urban
regional coordinated central local provinces province cities city region
regions sector sectors services service system systems mechanism mechanisms
framework governance law laws regulation regulations standards institutions
institutional ownership private public firms business businesses
entrepreneurs support promote promoting accelerate advance advancing build
building strengthen strengthening improve improving enhance deepen expand
expanding foster cultivate implement implementation ensure boost achieve
stabilize optimize coordinate leading leadership socialism socialist
characteristics committee congress ministry council officials official
department departments agencies authorities conference meeting session
report work tasks goals targets objectives progress achievements results
opportunities challenges risks pressure uncertainty environment situation
period stage era future momentum foundation potential advantages advantage
capacity capabilities value products product goods output revenue profits
costs prices yuan percent billion million trillion increase increased
decline rose grew expected projects project zones zone pilot parks clusters
cluster agriculture agricultural food grain housing property real estate
health healthcare medical pharmaceutical automobile vehicles electric
batteries solar wind power grid hydrogen steel coal oil gas chemical
aerospace aviation shipbuilding logistics transportation railway ports
cooperation partnership partners openness globalization multilateral
bilateral foreign overseas customs tariffs competition competitive fair
protection intellectual patents breakthroughs breakthrough core frontier
emerging advanced traditional modern comprehensive systematic overall
independent resilience resilient safe safety risk prevention control
poverty alleviation revitalization prosperity welfare livelihood social
society cultural culture theory thought vision mission principle principles
spirit guidance opinions guidelines notice document documents economic
industrialization productive forces circulation chains high sustained
steady stable rapid significant major key important vital crucial
priority priorities vigorously deep deepening unswervingly coordination
modernize transition upgrade renewable consumers consumer households
exports manufacturers manufacturer suppliers procurement inventory
fintech banking banks lending loans bonds stock securities insurance
debt deficit revenue taxation tax taxes subsidies incentives funds fund
venture startups incubators laboratories universities engineers workers
labor workforce skills training vocational demonstration program programs
initiative initiatives campaign action roadmap blueprint outline proposal
""".split()

TAIL_ONSETS = ("b c d f g h j k l m n p r s t v w z br cr dr fl gr pl pr st "
               "tr th sh ch qu sl sp sk gl bl cl fr").split()
TAIL_VOWELS = "a e i o u a e i o ai ea io ou ia".split()
TAIL_MID_CODAS = ["", "", "", "", "", "n", "r", "l", "s", "x", "m"]
TAIL_CODAS = ["", "", "", "n", "r", "l", "s", "x", "m", "c", "nt", "st", "ck", "ng", "rn", "ld"]
TAIL_SUFFIXES = ["", "", "", "ine", "ic", "ate", "ous", "ent", "al", "ism", "ity",
                 "ment", "tion", "ive", "ure", "ary", "ide", "on"]

# (token, weight) -- capitalised proper nouns, possessives with U+2019.
PROPER_NOUNS = [
    ("China", 30), ("Chinese", 18), ("China\u2019s", 10), ("Beijing", 6),
    ("Shanghai", 4), ("Party", 4), ("CPC", 3), ("Communist Party of China", 2),
    ("Central Committee", 2), ("State Council", 3), ("NDRC", 1.5),
    ("Ministry of Industry and Information Technology", 1.5), ("MIIT", 1),
    ("National Development and Reform Commission", 1),
    ("National Bureau of Statistics", 1), ("Ministry of Commerce", 1),
    ("People\u2019s Bank of China", 1), ("Shenzhen", 2), ("Guangdong", 2),
    ("Zhejiang", 1.5), ("Jiangsu", 1.5), ("Hong Kong", 1.5), ("Guangzhou", 1),
    ("Tianjin", 1), ("Chongqing", 1), ("Hubei", 0.8), ("Wuhan", 0.8),
    ("Sichuan", 0.8), ("Chengdu", 0.8), ("Shandong", 1), ("Hebei", 0.7),
    ("Anhui", 0.7), ("Hefei", 0.6), ("Fujian", 0.6), ("Xinjiang", 0.5),
    ("Yangtze River Delta", 1), ("Greater Bay Area", 0.8),
    ("Xiong\u2019an New Area", 0.4), ("United States", 2), ("U.S.", 2),
    ("Europe", 1), ("European Union", 1), ("ASEAN", 0.8), ("Africa", 0.6),
    ("Asia", 1), ("WTO", 0.5), ("G20", 0.4), ("BRICS", 0.4), ("5G", 0.8),
    ("Beijing\u2019s", 0.8), ("Shanghai\u2019s", 0.4), ("Party\u2019s", 0.6),
]
POSSESSIVES = [
    ("country\u2019s", 3), ("world\u2019s", 3), ("nation\u2019s", 2),
    ("people\u2019s", 2), ("city\u2019s", 1), ("industry\u2019s", 1),
    ("province\u2019s", 1), ("company\u2019s", 1), ("economy\u2019s", 1),
    ("today\u2019s", 1), ("year\u2019s", 1), ("enterprises\u2019", 0.5),
]
HYPHENATED = [
    ("high-quality", 6), ("world-class", 2), ("state-owned", 3), ("long-term", 2),
    ("large-scale", 2), ("high-tech", 3), ("high-end", 2), ("low-carbon", 2),
    ("cutting-edge", 1), ("market-oriented", 1.5), ("people-centered", 0.8),
    ("win-win", 1.5), ("year-on-year", 2), ("small and medium-sized", 1),
    ("self-reliance", 1), ("well-off", 1), ("first-tier", 0.5),
    ("world-leading", 0.8), ("data-driven", 0.5), ("in-depth", 1),
    ("top-level", 0.7), ("all-round", 1), ("multi-level", 0.4),
    ("export-oriented", 0.4), ("energy-intensive", 0.4), ("new-type", 0.8),
    ("e-commerce", 1.5), ("well-being", 0.5), ("mid-to-long-term", 0.3),
]

# Trend tokens: per-1000-word rates for 2010 .. 2024 (15 values each).
TRENDS = [
    ("digital economy",
     [.05, .05, .08, .10, .15, .30, .50, .80, 1.0, 1.3, 1.6, 1.9, 2.1, 2.3, 2.4]),
    ("real economy",
     [.30, .35, .40, .40, .40, .45, .50, .70, .80, .80, .80, .85, .90, 1.0, 1.0]),
    ("new industrialization",
     [.20, .20, .25, .15, .10, .10, .10, .10, .10, .10, .12, .15, .40, 1.8, 1.6]),
    ("high-quality development",
     [.02, .02, .02, .02, .03, .03, .04, .60, 1.6, 1.9, 2.0, 2.2, 2.3, 2.4, 2.4]),
    ("modern industrial system",
     [.10, .10, .10, .10, .10, .12, .15, .40, .60, .70, .80, .90, 1.0, 1.2, 1.3]),
    ("supply chain security",
     [0, 0, 0, 0, 0, .01, .01, .02, .05, .10, .40, .60, .80, .80, .90]),
    ("industrial chain",
     [.05, .05, .05, .08, .10, .20, .30, .40, .50, .70, 1.2, 1.4, 1.5, 1.5, 1.5]),
    ("new quality productive forces",
     [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, .30, 2.2]),
    ("common prosperity",
     [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1.6, 1.1, .80, .70]),
    ("dual circulation",
     [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1.4, 1.2, .80, .60, .50]),
    ("Belt and Road Initiative",
     [0, 0, 0, .10, .40, .80, 1.0, 1.4, 1.3, 1.2, .80, .70, .60, .90, .70]),
    ("artificial intelligence",
     [.05, .05, .05, .06, .08, .10, .25, .60, .80, .90, .90, 1.0, 1.1, 1.8, 2.3]),
    ("green development",
     [.05, .05, .10, .15, .20, .50, .80, .90, .90, .90, 1.0, 1.2, 1.2, 1.3, 1.3]),
    ("carbon peak",
     [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, .30, 1.2, 1.0, .80, .70]),
    ("carbon neutrality",
     [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, .50, 1.4, 1.1, .90, .80]),
    ("international competition",
     [.40, .40, .40, .40, .40, .45, .45, .45, .50, .50, .55, .55, .60, .60, .60]),
    ("Made in China 2025",
     [0, 0, 0, 0, 0, 1.0, 1.2, 1.1, 1.5, .70, .25, .15, .10, .08, .06]),
    ("data elements",
     [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, .20, .40, .70, 1.2, 1.5]),
    ("Internet Plus",
     [0, 0, 0, 0, 0, 1.5, 1.3, .90, .60, .30, .20, .12, .08, .05, .04]),
    ("COVID-19",
     [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2.0, 1.2, .80, .20, .05]),
    ("Xi Jinping",
     [.05, .05, .40, 1.8, 2.0, 2.0, 2.1, 2.4, 2.5, 2.5, 2.5, 2.6, 2.7, 2.7, 2.7]),
    ("Hu Jintao",
     [1.2, 1.2, 1.0, .10, .03, .02, .01, .01, .01, .01, .01, .01, .01, .01, .01]),
    ("Wen Jiabao",
     [1.0, 1.0, .80, .05, .02, .01, .01, .01, .01, .01, .01, .01, .01, .01, .01]),
    ("Li Keqiang",
     [.10, .15, .20, 1.2, 1.2, 1.2, 1.2, 1.1, 1.1, 1.1, 1.0, 1.0, .90, .15, .05]),
    ("Li Qiang",
     [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, .05, .90, 1.1]),
]

# Words kept lower case inside Title Case (except as the first word).
TITLE_SMALL = ("a an and as at but by for from in into of on or over the to "
               "via with nor per than").split()

MONTH_W = [1.00, 0.78, 1.18, 1.05, 1.00, 1.02, 0.97, 0.90, 1.04, 0.88, 1.08, 1.12]
WEEKDAY_W = [1.0, 1.0, 1.0, 1.0, 1.0, 0.65, 0.60]  # Mon .. Sun

SENT_MIN, SENT_MAX = 8, 30
TITLE_MIN, TITLE_MAX = 5, 14
PARA_SIZES = np.array([2, 3, 4, 5])  # last paragraph absorbs remainder -> 2..6
PARA_P = np.array([0.20, 0.35, 0.30, 0.15])
PUNCT_P = np.array([0.93, 0.04, 0.03])  # '.', ';', '?'
LEN_SIGMA = 0.45  # lognormal sigma of article length

# Separator table: 0 ' ', 1 ', ', then 2 + 3*punct + kind
#   punct: 0 '.', 1 ';', 2 '?'   kind: 0 sentence end, 1 paragraph end, 2 article end
SEP_TABLE = np.array([" ", ", ",
                      ". ", ".\n\n", ".\n",
                      "; ", ";\n\n", ";\n",
                      "? ", "?\n\n", "?\n"], dtype=object)


# --------------------------------------------------------------------------
# Tables (built once per process; identical in every process)
# --------------------------------------------------------------------------

def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _title(s: str) -> str:
    out = []
    for part in s.split(" "):  # the caller capitalises the title's first word
        if part in TITLE_SMALL:
            out.append(part)
        else:
            out.append("-".join(_cap(p) for p in part.split("-")))
    return " ".join(out)


def _cdf(weights) -> np.ndarray:
    w = np.asarray(weights, dtype=np.float64)
    c = np.cumsum(w)
    return c / c[-1]


def _draw(cdf: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Inverse-CDF sampling: index for each uniform in u."""
    idx = np.searchsorted(cdf, u, side="right")
    np.minimum(idx, len(cdf) - 1, out=idx)
    return idx


def _unique(words):
    seen, out = set(), []
    for w in words:  # order-preserving; the set is membership only
        if w not in seen:
            seen.add(w)
            out.append(w)
    return out


def _pseudo_words(n: int, taken: set) -> list:
    rng = np.random.default_rng(VOCAB_SEED)
    out, seen = [], set(taken)
    while len(out) < n:
        m = 4 * (n - len(out)) + 1000
        nsyl = rng.integers(1, 4, m) + 1  # 2..4 syllables
        on = rng.integers(0, len(TAIL_ONSETS), (m, 4))
        vo = rng.integers(0, len(TAIL_VOWELS), (m, 4))
        cm = rng.integers(0, len(TAIL_MID_CODAS), (m, 4))
        co = rng.integers(0, len(TAIL_CODAS), m)
        suf = rng.integers(0, len(TAIL_SUFFIXES), m)
        for i in range(m):
            last = nsyl[i] - 1
            w = "".join(TAIL_ONSETS[on[i, j]] + TAIL_VOWELS[vo[i, j]]
                        + (TAIL_CODAS[co[i]] if j == last else TAIL_MID_CODAS[cm[i, j]])
                        for j in range(nsyl[i])) + TAIL_SUFFIXES[suf[i]]
            if 4 <= len(w) <= 12 and w not in seen:
                seen.add(w)
                out.append(w)
                if len(out) == n:
                    break
    # Law of abbreviation: more frequent tail words tend to be shorter.
    key = np.array([len(w) for w in out], dtype=np.float64) + rng.normal(0.0, 2.5, len(out))
    order = np.argsort(key, kind="stable")
    return [out[i] for i in order]


def _number_pool():
    toks, wts = [], []

    def add(t, w):
        toks.append(t)
        wts.append(w)

    for x in range(1, 301):
        if x % 10:
            add(f"{x / 10:.1f} percent", 3.0 / (x + 10))
    for k in range(1, 101):
        add(f"{k} percent", 1.5 / (k + 3))
    for y in [1949, 1978, 1992] + list(range(2000, 2036)):
        add(str(y), 0.6 if y in (2025, 2030, 2035) else 0.25)
    for k in range(1, 1000, 7):
        add(f"{k} billion yuan", 0.04)
        add(f"{k} million", 0.03)
    for x in range(1, 200):
        add(f"{x / 10:g} trillion yuan", 0.03)
    for k in range(5, 500, 5):
        add(f"{k} million tonnes", 0.01)
        add(f"{k} billion U.S. dollars", 0.01)
    for k in range(2, 101):
        add(str(k), 0.8 / k ** 0.7)
    for o in ("14th", "18th", "19th", "20th", "13th", "12th"):
        add(o, 0.3)
    # de-duplicate keeping the first weight
    seen, t2, w2 = set(), [], []
    for t, w in zip(toks, wts):
        if t not in seen:
            seen.add(t)
            t2.append(t)
            w2.append(w)
    return t2, w2


class _Tables:
    def __init__(self):
        func = _unique(FUNCTION_WORDS)[:N_FUNCTION]
        pol = [w for w in _unique(POLICY_WORDS) if w not in set(func)][:N_POLICY]
        self.n_func, self.n_pol = len(func), len(pol)
        tail = _pseudo_words(VOCAB_SIZE - len(func) - len(pol), set(func) | set(pol))
        vocab = func + pol + tail
        self.V = len(vocab)

        ranks = np.arange(1, self.V + 1, dtype=np.float64)
        self.zipf_cdf = _cdf((ranks + ZIPF_Q) ** -ZIPF_S)

        num_t, num_w = _number_pool()
        groups = [PROPER_NOUNS, POSSESSIVES, HYPHENATED, list(zip(num_t, num_w))]
        tokens = list(vocab)
        self.spec_base, self.spec_cdf = [], []
        for g in groups:
            self.spec_base.append(len(tokens))
            tokens.extend(t for t, _ in g)
            self.spec_cdf.append(_cdf([w for _, w in g]))
        self.spec_thr = np.cumsum([P_PROPER, P_POSSESSIVE, P_HYPHEN, P_NUMBER])

        self.trend_base = len(tokens)
        tokens.extend(t for t, _ in TRENDS)
        self.rates = np.array([r for _, r in TRENDS], dtype=np.float64).T  # years x P
        assert self.rates.shape[0] == YEAR_LAST - YEAR_FIRST + 1
        self.n_trend = len(TRENDS)
        self.trend_words = np.array([len(t.split()) for t, _ in TRENDS])

        self.N = len(tokens)
        self.tok_words = np.array([t.count(" ") + 1 for t in tokens], dtype=np.int64)
        # Expected extra words per token from multi-word specials, so that the
        # realised mean word count matches mean_words (trend part is per article).
        self.spec_extra = sum(
            p * float(np.diff(np.concatenate(([0.0], cdf))) @ (self.tok_words[b:b + len(cdf)] - 1))
            for p, b, cdf in zip(np.diff(np.concatenate(([0.0], self.spec_thr))),
                                 self.spec_base, self.spec_cdf))
        low = np.array(tokens, dtype=object)
        cap = np.array([_cap(t) for t in tokens], dtype=object)
        self.words = np.concatenate([low, cap])  # index = id + N * capitalised
        self.title = np.array([_title(t) for t in tokens], dtype=object)

        # Title word model: category -> (base id, cdf)
        n_small = 20
        single_proper = [i for i, (t, _) in enumerate(PROPER_NOUNS) if " " not in t]
        single_hyph = [i for i, (t, _) in enumerate(HYPHENATED) if " " not in t]
        self.title_groups = [
            (np.arange(n_small), _cdf(1.0 / (np.arange(n_small) + 2.0))),
            (self.n_func + np.arange(self.n_pol), _cdf((np.arange(self.n_pol) + 5.0) ** -0.8)),
            (self.spec_base[0] + np.array(single_proper),
             _cdf([PROPER_NOUNS[i][1] for i in single_proper])),
            (self.spec_base[2] + np.array(single_hyph),
             _cdf([HYPHENATED[i][1] for i in single_hyph])),
            (self.n_func + self.n_pol + np.arange(2000), _cdf((np.arange(2000) + 10.0) ** -1.0)),
        ]
        self.title_cat_cdf = _cdf([0.28, 0.52, 0.10, 0.04, 0.06])
        self.title_len_cdf = _cdf([3, 5, 8, 10, 11, 10, 8, 6, 4, 2])  # 5..14

        # Calendar
        o0 = _dt.date(YEAR_FIRST, 1, 1).toordinal()
        o1 = _dt.date(YEAR_LAST, 12, 31).toordinal()
        days = [_dt.date.fromordinal(o) for o in range(o0, o1 + 1)]
        self.day_str = [d.isoformat() for d in days]
        self.day_year = np.array([d.year - YEAR_FIRST for d in days])
        w = [(1.0 + 0.11 * (d.year - YEAR_FIRST)) * MONTH_W[d.month - 1] * WEEKDAY_W[d.weekday()]
             for d in days]
        self.day_cdf = _cdf(w)

        # Sentence length pmf: discretised lognormal on 8..30
        k = np.arange(SENT_MIN, SENT_MAX + 1, dtype=np.float64)
        pmf = np.exp(-((np.log(k) - np.log(17.0)) ** 2) / (2 * 0.38 ** 2)) / k
        pmf /= pmf.sum()
        self.sent_cdf = _cdf(pmf)
        self.sent_mean = float((k * pmf).sum())
        self.para_cdf = _cdf(PARA_P)
        self.punct_cdf = _cdf(PUNCT_P)


_TABLES = None


def _tables() -> _Tables:
    global _TABLES
    if _TABLES is None:
        _TABLES = _Tables()
    return _TABLES


def _source_list(n_sources: int):
    base = list(SOURCES)
    for i in range(len(base), n_sources):
        base.append((f"source-{i + 1:02d}", 1.0))
    sel = base[:n_sources]
    names = [s for s, _ in sel]
    factors = np.array([f for _, f in sel], dtype=np.float64)
    volume_cdf = _cdf(1.0 / (np.arange(n_sources) + 1.5))  # outlets differ in volume
    return names, factors, volume_cdf


# --------------------------------------------------------------------------
# Chunk generation
# --------------------------------------------------------------------------

def _render_chunk(k: int, i0: int, i1: int, n_total: int, seed: int, mean_words: int,
                  n_sources: int):
    """Yield (relative_dir, file_name, bytes, body_words) for articles i0..i1-1."""
    T = _tables()
    names, src_factor, src_cdf = _source_list(n_sources)
    rng = np.random.default_rng([seed, k])
    A = i1 - i0

    src = _draw(src_cdf, rng.random(A))
    day = _draw(T.day_cdf, rng.random(A))
    yidx = T.day_year[day]
    mu = np.log(mean_words) - LEN_SIGMA ** 2 / 2
    target = np.clip(rng.lognormal(mu, LEN_SIGMA, A), 80, 5 * mean_words)
    footer = rng.random(A) < FOOTER_P

    # --- sentences --------------------------------------------------------
    extra = T.spec_extra + (T.rates[yidx] @ (T.trend_words - 1)) / 1000.0 * src_factor[src]
    S = np.maximum(3, np.rint(target / (1.0 + extra) / T.sent_mean)).astype(np.int64)
    cumS = np.cumsum(S)
    s_first = cumS - S
    s_total = int(cumS[-1])
    sent_art = np.repeat(np.arange(A), S)
    L = SENT_MIN + _draw(T.sent_cdf, rng.random(s_total))

    # --- paragraphs: each article consumes its own segment of a size stream
    z = PARA_SIZES[_draw(T.para_cdf, rng.random(s_total))]
    cz = np.cumsum(z)
    seg_base = np.where(s_first > 0, cz[s_first - 1], 0)
    rc = cz - seg_base[sent_art]  # cumulative size within the article
    ok = rc <= S[sent_art] - 2     # leave >= 2 sentences for the last paragraph
    kind = np.zeros(s_total, dtype=np.int64)
    kind[s_first[sent_art[ok]] + rc[ok] - 1] = 1
    kind[cumS - 1] = 2

    punct = _draw(T.punct_cdf, rng.random(s_total))
    punct[(kind > 0) & (punct == 1)] = 0  # no ';' at paragraph ends
    end_code = 2 + 3 * punct + kind

    # --- words ------------------------------------------------------------
    cumL = np.cumsum(L)
    w_first = cumL - L
    w_last = cumL - 1
    W = int(cumL[-1])
    ids = _draw(T.zipf_cdf, rng.random(W))

    u = rng.random(W)
    special = np.flatnonzero(u < T.spec_thr[-1])
    if special.size:
        cat = np.searchsorted(T.spec_thr, u[special], side="right")
        u2 = rng.random(special.size)
        for c in range(4):
            sel = special[cat == c]
            ids[sel] = T.spec_base[c] + _draw(T.spec_cdf[c], u2[cat == c])

    # words per article
    Wa = np.add.reduceat(L, s_first)  # tokens per article
    a_first = np.cumsum(Wa) - Wa

    # trend phrases: bursty per article, scaled by year, length and source
    P = T.n_trend
    lam = (T.rates[yidx] * (Wa / 1000.0)[:, None] * src_factor[src][:, None]
           * rng.gamma(0.6, 1 / 0.6, (A, P)))
    counts = rng.poisson(lam)
    occ = np.repeat(np.arange(A * P), counts.ravel())
    oa, op = occ // P, occ % P
    pos = a_first[oa] + (rng.random(occ.size) * Wa[oa]).astype(np.int64)
    ids[pos] = T.trend_base + op

    n_words = np.add.reduceat(T.tok_words[ids], a_first)  # whitespace words per article

    sep = np.zeros(W, dtype=np.int64)
    sep[rng.random(W) < COMMA_P] = 1
    sep[w_last] = end_code
    capf = np.zeros(W, dtype=np.int64)
    prev_punct = np.concatenate(([0], punct[:-1]))
    capf[w_first] = prev_punct != 1  # lower case after ';'

    inter = np.empty(2 * W, dtype=object)
    inter[0::2] = T.words[ids + T.N * capf]
    inter[1::2] = SEP_TABLE[sep]
    toks = inter.tolist()

    # --- titles -----------------------------------------------------------
    tl = TITLE_MIN + _draw(T.title_len_cdf, rng.random(A))
    nt = int(tl.sum())
    tcat = _draw(T.title_cat_cdf, rng.random(nt))
    tcat[np.cumsum(tl) - 1] = 1  # titles end on a content (policy) word
    tu = rng.random(nt)
    tids = np.empty(nt, dtype=np.int64)
    for c, (base_ids, cdf) in enumerate(T.title_groups):
        m = tcat == c
        tids[m] = base_ids[_draw(cdf, tu[m])]
    title_words = T.title[tids].tolist()
    top = counts.argmax(axis=1)
    use_phrase = (counts.max(axis=1) > 0) & (rng.random(A) < 0.55)
    ph_pos = rng.random(A)
    t_first = (np.cumsum(tl) - tl).tolist()

    tl_l, top_l, use_l, pos_l = tl.tolist(), top.tolist(), use_phrase.tolist(), ph_pos.tolist()
    a_first_l, Wa_l, day_l, src_l, foot_l = (a_first.tolist(), Wa.tolist(), day.tolist(),
                                             src.tolist(), footer.tolist())
    nw_l = n_words.tolist()
    trend_title = [T.title[T.trend_base + p] for p in range(P)]
    trend_nw = T.trend_words.tolist()
    width = max(7, len(str(n_total - 1)))

    for a in range(A):
        tw = title_words[t_first[a]: t_first[a] + tl_l[a]]
        if use_l[a]:
            p = top_l[a]
            keep = max(1, tl_l[a] - trend_nw[p])
            tw = tw[len(tw) - keep:]  # keep the tail (ends on a content word)
            at = int(pos_l[a] * keep)
            tw = tw[:at] + [trend_title[p]] + tw[at:]
        title = " ".join(tw)
        title = title[:1].upper() + title[1:]
        s = 2 * a_first_l[a]
        body = "".join(toks[s: s + 2 * Wa_l[a]])
        date = T.day_str[day_l[a]]
        text = f" date {date} {title}\n\n{body}" + (FOOTER if foot_l[a] else "")
        yield (os.path.join(names[src_l[a]], date[:4]),
               f"{i0 + a:0{width}d}.txt", text.encode("utf-8"), nw_l[a])


def _write_chunk(job):
    k, i0, i1, n_total, seed, mean_words, n_sources, out = job
    made = set()
    files = nbytes = nwords = 0
    for rel, name, data, nw in _render_chunk(k, i0, i1, n_total, seed, mean_words, n_sources):
        d = os.path.join(out, rel)
        if d not in made:
            os.makedirs(d, exist_ok=True)
            made.add(d)
        with open(os.path.join(d, name), "wb") as fh:
            fh.write(data)
        files += 1
        nbytes += len(data)
        nwords += nw
    return files, nbytes, nwords


def generate(out_dir: Path, n_articles: int, *, seed: int = 0, mean_words: int = 600,
             n_sources: int = 6, jobs: int = 1) -> dict:
    """Write n_articles synthetic articles under out_dir; return a summary dict.

    Output is byte-identical for identical (n_articles, seed, mean_words,
    n_sources), whatever ``jobs`` is.
    """
    if n_articles < 0:
        raise ValueError("n_articles must be >= 0")
    if seed < 0:
        raise ValueError("seed must be >= 0")
    if mean_words < 20:
        raise ValueError("mean_words must be >= 20")
    if n_sources < 1:
        raise ValueError("n_sources must be >= 1")
    t0 = time.perf_counter()
    out = os.fspath(out_dir)
    os.makedirs(out, exist_ok=True)
    _tables()  # build before forking so workers inherit the tables
    chunks = [(k, i0, min(i0 + CHUNK, n_articles), n_articles, seed, mean_words, n_sources, out)
              for k, i0 in enumerate(range(0, n_articles, CHUNK))]
    files = nbytes = nwords = 0
    if jobs <= 1 or len(chunks) <= 1:
        results = map(_write_chunk, chunks)
        for f, b, w in results:
            files, nbytes, nwords = files + f, nbytes + b, nwords + w
    else:
        methods = _mp.get_all_start_methods()
        ctx = _mp.get_context("fork" if "fork" in methods else None)
        with ctx.Pool(min(jobs, len(chunks))) as pool:
            for f, b, w in pool.imap_unordered(_write_chunk, chunks, chunksize=1):
                files, nbytes, nwords = files + f, nbytes + b, nwords + w
    return {"out_dir": out, "files": files, "bytes": nbytes, "words": nwords,
            "seconds": round(time.perf_counter() - t0, 3)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--articles", type=int, required=True, help="number of articles")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--words", type=int, default=600, help="mean words per article")
    ap.add_argument("--sources", type=int, default=6, help="number of source folders")
    ap.add_argument("--jobs", type=int, default=1, help="worker processes (output unaffected)")
    ap.add_argument("--format", choices=["seed"], default="seed",
                    help="output format (only the seed scrape format)")
    a = ap.parse_args(argv)
    s = generate(a.out_dir, a.articles, seed=a.seed, mean_words=a.words,
                 n_sources=a.sources, jobs=a.jobs)
    sec = max(s["seconds"], 1e-9)
    per = s["bytes"] / s["files"] if s["files"] else 0
    print(f"generated {s['files']} files, {s['bytes'] / 1e6:.1f} MB ({per:.0f} B/article), "
          f"{s['words']} words in {s['seconds']:.2f}s ({s['files'] / sec:.0f} articles/s) "
          f"-> {s['out_dir']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
