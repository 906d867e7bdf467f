"""policydata: exact term trends, themes and keyword in context over dated policy articles.

The library computes; the dashboard (``dashboard/``) and the command line only draw. Start with
:func:`policydata.store.open_index`, then call the analyses in :mod:`policydata.analysis` with a
:class:`policydata.filters.Filter`.
"""

__version__ = "0.1.0"
