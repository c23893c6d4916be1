"""The pair memo (copies.pair-memo-v2, issue 17 part 2): a remembered decision is used only when every input
it read is the same; any change of context forces the pair to be classified again.

Texts are invented (no outside text) or come from scamtrace.copies.synth.
"""
from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import zlib

import pytest

from conftest import copy_store
from scamtrace import api
from scamtrace.copies.classify import classify_pair
from scamtrace.copies.memo import PairMemo, article_digest, blob_link, code_files, link_blob
from scamtrace.model import Article, Link
from scamtrace.store.analysis import pair_memo_rows

_A = Article(id="a-1", source="t", outlet="one.example", url="https://one.example/a",
             text="Police in the invented town of Westmoor freed 41 workers from a fraud compound on Monday. "
                  "The workers said they were made to run online schemes every night for months. "
                  "Officials said an inquiry into the owners of the site had begun and more raids would follow.")
_B = dataclasses.replace(_A, id="b-2", outlet="two.example", url="https://two.example/b")


class _Rows(dict):
    """A stored memo: fetch(pairs) answers from the rows a PairMemo wrote."""

    def fetch(self, pairs):  # noqa: ANN001, ANN201
        return {p: self[p] for p in pairs if p in self}


def _fake(calls: list, keys=(("police", "freed"),)):  # noqa: ANN001, ANN202
    """A classification that reads ``keys`` from the frequencies and says what it read in its link."""
    def compute(df):  # noqa: ANN001, ANN202
        calls.append(1)
        seen = [df.get(k, 0) for k in keys] if df is not None else None
        return Link(article="b-2", source="a-1", relation="verbatim", score=0.9, algorithm="test",
                    evidence={"seen": seen})
    return compute


def _remembered(usage, spin=(0.1, 0.2), a=_A, b=_B):  # noqa: ANN001, ANN202
    rows, calls = _Rows(), []
    memo = PairMemo(rows.fetch)
    first = memo.classify(a, b, spin[0], spin[1], usage, _fake(calls))
    rows.update(memo.written)
    return rows, first


def test_a_decision_with_the_same_inputs_is_used_again():
    rows, first = _remembered({("police", "freed"): 3})
    calls: list = []
    again = PairMemo(rows.fetch).classify(_B, _A, 0.2, 0.1, {("police", "freed"): 3}, _fake(calls))
    assert calls == [] and again == first   # the pair in the other order, same inputs: remembered


@pytest.mark.parametrize("change", ["spin", "frequency", "frequency_gone", "no_frequencies", "text", "outlet"])
def test_a_changed_input_forces_recomputation(change):
    """Each input of the decision, changed alone, makes the memo classify the pair again (a memo that returned
    the stale decision would give the link of the old frequencies or fail the call count)."""
    rows, first = _remembered({("police", "freed"): 3, ("other", "pair"): 5})
    usage: dict | None = {("police", "freed"): 3, ("other", "pair"): 5}
    a, b, spin = _A, _B, (0.1, 0.2)
    if change == "spin":
        spin = (0.1, 0.2000001)
    elif change == "frequency":
        usage = {("police", "freed"): 4, ("other", "pair"): 5}
    elif change == "frequency_gone":
        usage = {("other", "pair"): 5}
    elif change == "no_frequencies":
        usage = None
    elif change == "text":
        b = dataclasses.replace(_B, text=_B.text + " A second inquiry was opened.")
    elif change == "outlet":
        b = dataclasses.replace(_B, outlet="three.example")
    calls: list = []
    again = PairMemo(rows.fetch).classify(a, b, spin[0], spin[1], usage, _fake(calls))
    assert calls == [1]
    if change.startswith("frequency") or change == "no_frequencies":
        assert again != first


def test_a_frequency_not_read_does_not_matter():
    rows, first = _remembered({("police", "freed"): 3, ("other", "pair"): 5})
    calls: list = []
    again = PairMemo(rows.fetch).classify(_A, _B, 0.1, 0.2, {("police", "freed"): 3, ("other", "pair"): 6},
                                          _fake(calls))
    assert calls == [] and again == first


def test_reading_every_frequency_is_not_remembered():
    rows, calls = _Rows(), []

    def compute(df):  # noqa: ANN001, ANN202
        calls.append(1)
        return Link(article="b-2", source="a-1", relation="verbatim", score=0.9, algorithm="test",
                    evidence={"n": len(df)})
    PairMemo(rows.fetch).classify(_A, _B, 0.1, 0.2, {("x", "y"): 1}, compute)
    assert calls == [1] and rows == {} and not PairMemo(rows.fetch).written


def test_a_link_that_json_would_change_is_not_remembered():
    link = Link(article="b-2", source="a-1", relation="verbatim", score=0.9, algorithm="test", evidence={"t": (1, 2)})
    assert link_blob(link) is None
    ok = dataclasses.replace(link, evidence={"t": [1, 2], "x": 0.1 + 0.2})
    assert blob_link(link_blob(ok)) == ok   # type: ignore[arg-type]


def test_article_digest_reads_every_field():
    assert article_digest(_A) != article_digest(dataclasses.replace(_A, published=None, credit="AP"))
    assert article_digest(_A) == article_digest(dataclasses.replace(_A))


def test_a_real_classification_remembered_equals_a_new_one():
    """classify_pair through the memo, then from the stored row: the same link as a fresh call."""
    text = _A.text
    spun = text.replace("freed", "liberated").replace("workers", "labourers").replace("online", "on-line")
    b = dataclasses.replace(_B, text=spun)
    fresh = classify_pair(_A, b, spin_a=0.0, spin_b=0.4, usage={})
    rows = _Rows()
    memo = PairMemo(rows.fetch)
    got = memo.classify(_A, b, 0.0, 0.4, {}, lambda df: classify_pair(_A, b, spin_a=0.0, spin_b=0.4, usage=df))
    rows.update(memo.written)
    again = PairMemo(rows.fetch).classify(_A, b, 0.0, 0.4, {}, lambda df: pytest.fail("classified again"))
    assert fresh is not None and got == fresh and again == fresh
    assert json.dumps(again.evidence) == json.dumps(fresh.evidence)   # the keys in the same order


def _bogus_rows(store, rows, *, stale: bool) -> None:  # noqa: ANN001
    """Every remembered decision replaced by a wrong link between the pair's texts; with ``stale``, remembered
    under other inputs (as if a spin score or a record had changed since)."""
    def wrong(a: str, b: str) -> bytes:
        link = Link(article=b, source=a, relation="excerpt", score=0.123, algorithm="bogus", evidence={})
        return zlib.compress(json.dumps(dataclasses.asdict(link)).encode())
    store.db.executemany("UPDATE copy_pair_memo SET inputs = ?, link = ? WHERE a = ? AND b = ?",
                         [(("0" * 64) if stale else inputs, wrong(a, b), a, b)
                          for (a, b), (inputs, _r, _l) in rows.items()])
    store.db.commit()


def _links(store) -> list[tuple]:  # noqa: ANN001
    """The stored link rows as stored (the evidence's JSON text, keys in their order)."""
    return sorted((tuple(r) for r in store.execute("SELECT * FROM links")), key=repr)


@pytest.mark.parametrize("stale", [True, False])
def test_a_run_uses_only_decisions_whose_inputs_hold(tmp_path, monkeypatch, stale):
    """Synthetic corpus in three batches; before the third run every remembered decision is made wrong. When
    each was remembered under other inputs (stale), the third run's links equal those of a store whose memo was
    emptied; left under today's inputs, the wrong links show up (the memo is read: the test can fail)."""
    from scamtrace.copies.synth import generate
    from test_stories_warm import _jsonl
    monkeypatch.setenv("SCAMTRACE_NO_SPACY", "1")
    arts = generate(90, 7).articles
    parts = [_jsonl(tmp_path / f"p{k}.jsonl", arts[k * 30:(k + 1) * 30]) for k in range(3)]
    store = api.open_store(tmp_path / "s.db")
    for p in parts[:2]:
        api.ingest(store, [str(p)])
        api.analyze(store)
    store.close()
    plain = api.open_store(copy_store(tmp_path / "s.db", tmp_path / "plain.db"))
    plain.db.execute("DELETE FROM copy_pair_memo")
    plain.db.commit()
    store = api.open_store(tmp_path / "s.db")
    rows = pair_memo_rows(store, [(r[0], r[1]) for r in store.db.execute("SELECT a, b FROM copy_pair_memo")])
    assert rows
    _bogus_rows(store, rows, stale=stale)
    remembered = {}
    for name, s in (("memo", store), ("plain", plain)):
        api.ingest(s, [str(parts[2])])
        remembered[name] = api.analyze(s).counts["copies.remembered"]
    # (a run whose outlet roles change classifies its grown neighbourhood again, answered from its own first round)
    if stale:
        assert remembered["memo"] == remembered["plain"]
        assert _links(store) == _links(plain)
    else:
        assert remembered["memo"] > remembered["plain"]
        assert any(ln.algorithm == "bogus" for ln in store.links())


def test_the_code_digest_covers_the_modules_a_classification_loads_and_not_the_candidate_index():
    """copies.pair-memo-v2: the code digest follows the imports of the classifier, the engine and the memo. Every
    module of the copies package (and the record types, the datelines) that importing them loads, in a fresh
    interpreter, is digested; the candidate index, the incremental run and the stored postings are not (a change
    there made every remembered decision stale: session 20, 0 of 76 old pairs remembered at 100,000)."""
    files = set(code_files())
    code = ("import sys, scamtrace.copies.classify, scamtrace.copies.engine, scamtrace.copies.memo; "
            "print('\\n'.join(m.__file__ for n, m in sys.modules.items() if n.startswith('scamtrace.') "
            "and getattr(m, '__file__', None)))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    ours = {p.split("/scamtrace/", 1)[1] for p in loaded}
    wanted = {p for p in ours if (p.startswith("copies/") or p in ("model.py", "clean/datelines.py"))
              and not p.endswith("__init__.py")}
    assert {"copies/classify.py", "copies/features.py", "copies/direction.py", "copies/spin.py", "model.py",
            "clean/datelines.py"} <= wanted
    assert wanted <= files
    assert not files & {"copies/index.py", "copies/incremental.py", "copies/stored_index.py", "copies/candidacy.py",
                        "copies/signatures.py", "copies/collocations.py"}
