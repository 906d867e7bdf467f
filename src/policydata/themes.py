"""Theme dictionaries: named lists of words, phrases and globs, read from TOML.

A theme file holds one table, ``themes``, mapping each theme's name to its entries::

    [themes]
    "Digital economy" = ["digital economy", "digitalization", "data element*"]
    "Supply chains" = ["supply chain*", "industrial chain*"]

The package ships a default dictionary for Chinese economic and industrial policy
(``policydata/data/themes.toml``); a user's own file replaces it. How entries are counted
(longest match first, each token at most once per theme) is counting rule 8, implemented in
:func:`policydata.index.Index.theme_counts`.

Examples
--------
>>> d = parse_themes('[themes]\\n"Chains" = ["supply chain*", "industrial chain"]')
>>> d.names, [str(t) for t in d.entries("Chains")]
(('Chains',), ['supply chain*', 'industrial chain'])
"""

from __future__ import annotations

import base64
import hashlib
import re
import tomllib
import zlib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .tokens import Term, parse_term, split_query

#: Most themes and entries a dictionary may hold (uploaded files are bounded too).
MAX_THEMES = 200
MAX_ENTRIES = 2000
#: Longest theme name: names travel in URLs (``?theme=...``), whose values are at most 200
#: characters.
MAX_NAME = 200


@dataclass(frozen=True)
class ThemeDictionary:
    """Parsed theme dictionary, hashable so it can key caches.

    ``text`` is the TOML it came from (what a user downloads), ``origin`` says where from.
    """

    themes: tuple[tuple[str, tuple[Term, ...]], ...]
    text: str
    origin: str

    @property
    def names(self) -> tuple[str, ...]:
        """The themes' names, in the file's order."""
        return tuple(name for name, _ in self.themes)

    def entries(self, name: str) -> tuple[Term, ...]:
        """The parsed entries of the theme ``name`` (a KeyError if there is none).

        Examples
        --------
        >>> [t.query for t in default_themes().entries("Industrial and supply chains")][:2]
        ['supply chain*', 'industrial chain*']
        """
        for theme, terms in self.themes:
            if theme == name:
                return terms
        raise KeyError(name)

    @property
    def digest(self) -> str:
        """Hash of the parsed entries: equal digests count identically."""
        canon = "\n".join(f"{n}\t" + "\t".join(str(t) for t in ts) for n, ts in self.themes)
        return hashlib.sha256(canon.encode()).hexdigest()[:16]


def parse_themes(text: str, *, origin: str = "<text>") -> ThemeDictionary:
    """Parse a theme file's TOML text.

    Raises
    ------
    ValueError
        Saying what is wrong and where: TOML syntax (with line and column), a missing
        ``[themes]`` table, more than :data:`MAX_THEMES` themes or :data:`MAX_ENTRIES` entries
        (counted before any entry is parsed), a name longer than :data:`MAX_NAME` characters, a
        theme that is not a list of strings, an entry that is not a valid query term or that
        holds a search's alternatives (a comma: ``"digital economy, data element*"``).

    Examples
    --------
    >>> parse_themes('[themes]\\nDigital = ["digital economy", "data element*"]').names
    ('Digital',)
    >>> parse_themes('[themes]\\nDigital = ["digital economy, data element*"]')
    Traceback (most recent call last):
    ValueError: <text>: theme 'Digital', entry 'digital economy, data element*': a comma \
separates alternatives in a search, not in an entry; write each as an entry of its own: \
"digital economy", "data element*"
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"{origin}: not valid TOML: {error}") from None
    table = data.get("themes")
    example = "e.g. [themes] \"Supply chains\" = [\"supply chain*\"]"
    if isinstance(table, dict) and not table:
        raise ValueError(f"{origin}: the [themes] table holds no theme; add one, {example}")
    if not isinstance(table, dict):
        raise ValueError(f"{origin}: needs a [themes] table mapping theme names to lists of "
                         f"entries, {example}")
    if len(table) > MAX_THEMES:
        raise ValueError(f"{origin}: {len(table)} themes; the limit is {MAX_THEMES}")
    # Counted before any entry is parsed: a file of 300,000 entries is refused at once.
    total = sum(len(entries) for entries in table.values() if isinstance(entries, list))
    if total > MAX_ENTRIES:
        raise ValueError(f"{origin}: {total} entries; the limit is {MAX_ENTRIES}")
    for name, entries in table.items():
        if not str(name).strip():
            raise ValueError(f"{origin}: a theme has an empty name")
        if len(name) > MAX_NAME:
            raise ValueError(f"{origin}: theme {name[:40]!r}... has a name of {len(name)} "
                             f"characters; the limit is {MAX_NAME} (names travel in links)")
        if not isinstance(entries, list) or not entries or not all(
                isinstance(e, str) for e in entries):
            raise ValueError(f"{origin}: theme {name!r} must be a non-empty list of strings")
    themes = []
    for name, entries in table.items():
        terms = []
        for entry in entries:
            try:
                parts = split_query(entry)
                if len(parts) > 1:  # (a search's alternatives pasted as one entry)
                    raise ValueError("a comma separates alternatives in a search, not in an "
                                     "entry; write each as an entry of its own: "
                                     + ", ".join(f'"{p}"' for p in parts))
                terms.append(parse_term(entry))
            except ValueError as error:
                raise ValueError(f"{origin}: theme {name!r}, entry {entry!r}: {error}") from None
        themes.append((str(name), tuple(terms)))
    return ThemeDictionary(tuple(themes), text, origin)


def default_themes() -> ThemeDictionary:
    """The dictionary shipped with the package.

    >>> len(default_themes().names) >= 8
    True
    """
    text = resources.files("policydata").joinpath("data/themes.toml").read_text("utf-8")
    return parse_themes(text, origin="default dictionary")


#: Largest theme or stopword file read, in bytes (a dictionary of thousands of entries is a
#: few hundred kilobytes; /dev/zero or a corpus given by mistake is refused, not read).
MAX_WORD_FILE = 10 * 2**20


def read_word_file(path: str | Path, what: str) -> str:
    """The text of a small UTF-8 file the user names (a theme or stopword file).

    Raises ``FileNotFoundError`` or ``ValueError`` with a message naming the file and what is
    wrong with it: missing, not a file (a pipe, which would make the read wait forever, a
    device or a socket), unreadable, larger than :data:`MAX_WORD_FILE`, or not UTF-8.
    """
    path = Path(path)
    try:
        if path.exists() and not path.is_dir() and not path.is_file():  # (opening would wait)
            raise ValueError(f"{what} {str(path)!r} is not a file (a device, pipe or socket)")
        with path.open("rb") as handle:
            raw = handle.read(MAX_WORD_FILE + 1)
    except FileNotFoundError:
        raise FileNotFoundError(f"{what} {str(path)!r} does not exist") from None
    except OSError as error:  # a folder, no permission...
        raise ValueError(f"{what} {str(path)!r} cannot be read: "
                         f"{error.strerror or error}") from None
    if len(raw) > MAX_WORD_FILE:
        raise ValueError(f"{what} {str(path)!r} is larger than {MAX_WORD_FILE // 2**20} MB; "
                         "is it the right file?")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError(f"{path}: {what} is not UTF-8 text") from None


def load_themes(path: str | Path | None = None) -> ThemeDictionary:
    """Read a theme file, or the default dictionary when ``path`` is None."""
    if path is None:
        return default_themes()
    return parse_themes(read_word_file(path, "theme file"), origin=str(path))


#: Longest theme dictionary carried in a link's ``dict`` value, in characters of the value
#: (about 6 KB of TOML; the default dictionary takes about 1,500). Larger ones travel as a
#: file; the link then holds only their fingerprint.
MAX_LINK_DICTIONARY = 4000
#: Largest TOML a link's dictionary may unpack to: a short value cannot unpack to gigabytes.
MAX_LINK_TEXT = 1 << 20
#: How a carried dictionary starts (a fingerprint is 12 hex digits: never this).
LINK_PREFIX = "z."


def dictionary_to_link(text: str) -> str | None:
    """A theme file's text as a value for a link (``?dict=z....``), or None if too long.

    The text is compressed (zlib) and written in URL-safe base64, so a link carries its
    author's dictionary to whoever opens it; :func:`dictionary_from_link` reads it back.

    Examples
    --------
    >>> value = dictionary_to_link('[themes]\\n"Labor" = ["labor market*", "unemployment"]\\n')
    >>> value.startswith("z."), len(value) < 100
    (True, True)
    >>> print(dictionary_from_link(value), end="")
    [themes]
    "Labor" = ["labor market*", "unemployment"]
    >>> dictionary_to_link(" ".join(str(i * 7919 % 100003) for i in range(3000))) is None
    True
    """
    packed = base64.urlsafe_b64encode(zlib.compress(text.encode("utf-8"), 9)).rstrip(b"=")
    value = LINK_PREFIX + packed.decode("ascii")
    return value if len(value) <= MAX_LINK_DICTIONARY else None


def dictionary_from_link(value: str) -> str | None:
    """The theme file's text a link's ``dict`` value carries; None for a value that carries
    none (a fingerprint).

    Raises
    ------
    ValueError
        When the value looks like a carried dictionary but cannot be read back: too long,
        not base64, not zlib, unpacking to more than :data:`MAX_LINK_TEXT` characters, or not
        UTF-8. (Whether the text is a valid theme file is :func:`parse_themes`'s to say.)

    Examples
    --------
    >>> dictionary_from_link("14b0f455e465") is None
    True
    >>> dictionary_from_link("z.not-base64!")
    Traceback (most recent call last):
    ...
    ValueError: the theme dictionary in this link is damaged (cut short or edited?)
    """
    if not value.startswith(LINK_PREFIX):
        return None
    damaged = ValueError("the theme dictionary in this link is damaged (cut short or edited?)")
    packed = value[len(LINK_PREFIX):]
    if len(value) > MAX_LINK_DICTIONARY or not _BASE64URL.fullmatch(packed):
        raise damaged
    try:
        raw = base64.urlsafe_b64decode(packed + "=" * (-len(packed) % 4))
        unpacker = zlib.decompressobj()
        text = unpacker.decompress(raw, MAX_LINK_TEXT + 1)
        if len(text) > MAX_LINK_TEXT or not unpacker.eof:
            raise damaged
        return text.decode("utf-8")
    except (ValueError, zlib.error):  # (binascii.Error and UnicodeDecodeError are ValueErrors)
        raise damaged from None


_BASE64URL = re.compile(r"[A-Za-z0-9_-]+")
