from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def shared_dir() -> Path:
    env = os.environ.get("SCAMTRACE_SHARED")
    return Path(env) if env else REPO.parent / "shared"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    d = shared_dir() / "seeds"
    if not d.is_dir():
        pytest.skip(f"seeds folder {d} not found; set SCAMTRACE_SHARED to the shared/ folder")
    return d


@pytest.fixture(scope="session")
def demo_dir() -> Path:
    return REPO / "examples" / "demo"
