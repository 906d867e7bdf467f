"""House rules that keep the layout honest: the library never draws, the code stays linted."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def test_library_never_imports_streamlit_or_plotly() -> None:
    code = ("import sys, policydata.analysis, policydata.cli, policydata.store, "
            "policydata.uploads, policydata.filters; "
            "bad = [m for m in sys.modules if m.split('.')[0] in ('streamlit', 'plotly', "
            "'wordcloud')]; print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_is_clean() -> None:
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "src", "dashboard",
                             "tests", "bench"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]


def test_mypy_is_clean() -> None:
    result = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stdout[-3000:]
