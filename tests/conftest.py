"""Shared fixtures: the bundled seed, small corpora written on the fly, shared corpora."""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
#: Real corpora beside the development checkout; ``$POLICYDATA_TEST_CORPORA`` points elsewhere
#: (a clone in a temporary folder has no ``../shared``: set it to run those tests there too).
SHARED = Path(os.environ.get("POLICYDATA_TEST_CORPORA") or ROOT.parent / "shared" / "corpora")

#: Phrases used by the small corpus, with their counts per article below.
PHRASES = ("digital economy", "real economy")


def shared_corpus(name: str) -> Path:
    """A corpus from ../shared/corpora, or skip the test when this clone has none."""
    path = SHARED / name
    if not path.is_dir():
        pytest.skip(f"{path} is not present (it exists only beside the development checkout; "
                    "$POLICYDATA_TEST_CORPORA names another folder of corpora)")
    return path


def worker_sized_corpus(folder: Path, scale: int = 1) -> Path:
    """A corpus just large enough to be read by build processes (over 200 files, 16 MB),
    or ``scale`` times that size."""
    body = ("The digital economy and the real economy grow together. " * 1400 * scale).encode()
    for i in range(220):
        path = folder / f"s{i % 4}" / f"{i:03d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b" date 2023-%02d-01 Article %d\n\n" % (i % 12 + 1, i) + body)
    return folder


def write_article(folder: Path, name: str, date: str, title: str, body: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f" date {date} {title}\n\n{body}\n", encoding="utf-8")
    return path


def small_corpus(folder: Path) -> Path:
    """24 articles over 2022-2023 in two sources, with known counts.

    Article ``i`` (0-based) is dated on day 1 + i % 27 of month 1 + i % 12 of 2022 + i // 12,
    mentions "digital economy" i % 4 times and "real economy" (i + 1) % 3 times.
    """
    for i in range(24):
        year, month = 2022 + i // 12, 1 + i % 12
        source = "xinhua" if i % 2 else "miit"
        sentences = ["The state council met on the plan."]
        sentences += ["It backs the digital economy."] * (i % 4)
        sentences += ["The real economy is the base."] * ((i + 1) % 3)
        sentences += [f"Item number {i} ends here."]
        write_article(folder / source, f"{i:03d}.txt", f"{year}-{month:02d}-{1 + i % 27:02d}",
                      f"Policy note {i}", "\n\n".join(sentences))
    return folder


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    path = tmp_path / "cache"
    path.mkdir()
    return path


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return small_corpus(tmp_path / "corpus")


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory: pytest.TempPathFactory):
    from policydata.store import open_index

    return open_index(SEEDS, cache_dir=tmp_path_factory.mktemp("seedcache"))


@pytest.fixture(scope="session")
def small_index(tmp_path_factory: pytest.TempPathFactory):
    from policydata.store import open_index

    folder = small_corpus(tmp_path_factory.mktemp("small") / "corpus")
    return open_index(folder, cache_dir=tmp_path_factory.mktemp("smallcache"))


def today() -> dt.date:
    return dt.date.today()


os.environ.setdefault("POLICYDATA_CACHE_DIR", str(Path(os.environ.get("TMPDIR", "/tmp"))
                                                   / f"policydata-test-cache-{os.getuid()}"))


def bench_script(name: str) -> ModuleType:
    """``bench/<name>.py`` imported as the module ``bench_<name>``, registered in
    ``sys.modules`` (worker processes pickle its functions; dataclasses look it up)."""
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module
