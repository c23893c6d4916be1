"""The family wording pass of an incremental analyze (issue 17 part 2) corrects only the spun articles
of the families the run re-examined, and leaves exactly what a pass over every spun article leaves."""
from __future__ import annotations

from pathlib import Path

from conftest import copy_store, demo_sources
from scamtrace import api
from scamtrace.extract.family_wording import STAGE, apply_family_wording, full_pass_recorded
from scamtrace.store import queries


def _records(store) -> dict[str, list[tuple]]:  # noqa: ANN001
    return {t: sorted((tuple(r) for r in store.execute(f"SELECT * FROM {t}")), key=repr)
            for t in ("mentions", "quotes", "figures")}


def _spun_mention(store) -> tuple[int, str]:  # noqa: ANN001
    """(row id, article) of a spun article's named mention that the pass corrected (source 'family')."""
    spun = queries.spun_articles(store)
    rows = [(r["id"], r["article"]) for r in store.execute("SELECT id, article FROM mentions WHERE source = 'family'")
            if r["article"] in spun]
    assert rows, "the demo has no corrected spun name"
    return rows[0]


def _garble(store, row: int) -> None:  # noqa: ANN001
    with store.write() as db:
        db.execute("UPDATE mentions SET canonical = 'Garbled Spun Name' WHERE id = ?", (row,))


def _garbled(store) -> int:  # noqa: ANN001
    return len(store.execute("SELECT id FROM mentions WHERE canonical = 'Garbled Spun Name'"))


def test_two_batches_leave_what_a_pass_over_every_spun_article_leaves(tmp_path: Path) -> None:
    src = demo_sources()
    store = api.open_store(tmp_path / "two.db")
    for part in (src[: len(src) // 2], src[len(src) // 2:]):
        api.ingest(store, part)
        api.analyze(store)
    assert full_pass_recorded(store)
    incremental = _records(store)
    store.close()
    full = api.open_store(copy_store(tmp_path / "two.db", tmp_path / "full.db"))
    assert apply_family_wording(full) == 0   # a pass over every spun article finds nothing left to correct
    assert _records(full) == incremental


def test_the_incremental_pass_reads_only_the_families_it_is_given(fresh_db: Path) -> None:
    store = api.open_store(fresh_db)
    row, article = _spun_mention(store)
    _garble(store, row)
    family = {r[0] for r in store.execute(
        "SELECT fm2.article FROM family_members fm JOIN family_members fm2 ON fm2.family = fm.family"
        " WHERE fm.article = ?", (article,))}
    others = sorted(a for a in store.article_meta() if a not in family and a != article)
    assert apply_family_wording(store, near=others[:3]) == 0   # another family: the garbled row stays
    assert _garbled(store) == 1
    changed: set[str] = set()
    assert apply_family_wording(store, changed, near=[article]) >= 1   # its family: corrected again
    assert article in changed
    assert _garbled(store) == 0   # renamed or dropped


def test_a_store_without_a_recorded_full_pass_gets_one(fresh_db: Path) -> None:
    store = api.open_store(fresh_db)
    with store.write() as db:
        db.execute("DELETE FROM runs WHERE stage = ?", (STAGE,))
    row, article = _spun_mention(store)
    _garble(store, row)
    assert not full_pass_recorded(store)
    assert apply_family_wording(store, near=[]) >= 1   # corrected by a whole pass, which is then recorded
    assert full_pass_recorded(store)
    assert _garbled(store) == 0   # renamed or dropped
