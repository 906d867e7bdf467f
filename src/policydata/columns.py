"""Output columns of each command (a stable contract) and the one CSV writer.

The command line and the dashboard's downloads both write CSV through :func:`csv_text`, so a
download holds exactly what ``policydata COMMAND --format csv`` prints for the same filter.
"""

from __future__ import annotations

from typing import Any

COLUMNS: dict[str, list[str]] = {
    "trend": ["period", "term", "count", "docs", "words", "per_10k"],
    "themes": ["period", "theme", "count", "docs"],
    "top": ["term", "count", "docs", "score"],
    "kwic": ["id", "date", "title", "left", "match", "right"],
    "articles": ["id", "date", "title", "source", "words", "hits", "themes"],
}


def csv_text(frame: Any, command: str) -> str:
    """The CSV of ``frame`` with exactly the columns of ``command``, header first.

    >>> import pandas as pd
    >>> csv_text(pd.DataFrame({"term": ["a"], "count": [1], "docs": [1], "score": [1.5],
    ...                        "extra": [0]}), "top")
    'term,count,docs,score\\na,1,1,1.5\\n'
    """
    return frame[COLUMNS[command]].to_csv(index=False, lineterminator="\n")
