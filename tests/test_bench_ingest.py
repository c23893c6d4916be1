"""bench/bench_ingest.py runs end to end with small counts (its options print what they say); no timing is asserted."""
import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench" / "bench_ingest.py"


@pytest.fixture(scope="module")
def bench():  # noqa: ANN201
    spec = importlib.util.spec_from_file_location("bench_ingest_under_test", BENCH)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.parametrize("extra", [["--no-stages"], ["--no-stages", "--profile"], []])
def test_bench_ingest_reports_each_option(bench, capsys, extra):  # noqa: ANN001
    assert bench.main(["--n", "12", "--workers", "1", *extra]) == 0
    out = capsys.readouterr().out
    assert "ratio ingest/baseline articles/s" in out
    assert "fidelity: 12/12 stored texts equal" in out
    assert ("where ingest time goes" in out) == ("--no-stages" not in extra)
    assert ("cProfile, top 25" in out) == ("--profile" in extra)
