"""The family wording pass of an incremental analyze (issue 17 part 2) corrects only the spun articles
of the families the run re-examined, and leaves exactly what a pass over every spun article leaves."""
from __future__ import annotations

from pathlib import Path

from conftest import copy_store, demo_sources
from scamtrace import api
from scamtrace.copies.synth import generate
from scamtrace.extract.entities import ENV_NO_SPACY
from scamtrace.extract.family_wording import STAGE, apply_family_wording, corrections, full_pass_recorded
from scamtrace.store import queries
from test_stories_warm import _jsonl


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


def _corrected(rows: dict[str, list[dict]], c) -> dict[str, list[dict]]:  # noqa: ANN001
    """``rows`` after the corrections ``c`` (as ``store.extracted.apply_wording`` writes them)."""
    out = {k: [dict(r) for r in v] for k, v in rows.items()}
    out["mentions"] = [m for m in out["mentions"] if m["id"] not in c.drop_mentions]
    out["quotes"] = [q for q in out["quotes"] if q["id"] not in c.drop_quotes]
    mentions, quotes = {m["id"]: m for m in out["mentions"]}, {q["id"]: q for q in out["quotes"]}
    for i, name in c.rename_mentions:
        mentions[i].update(canonical=name, source="family")
    for i, role in c.mention_roles:
        mentions[i]["role"] = role
    for i, text, speaker in c.replace_quotes:
        quotes[i].update(quote=text, speaker=speaker)
    return out


def test_a_pass_over_corrected_rows_changes_nothing() -> None:
    """One pass leaves what two passes leave: a name renamed to a normal text's name also takes that
    name's role when its own is spun, and a quote whose speaker's other quote was dropped takes its twin
    of the same rank (the 5,000-article bench base had 3 spun articles a second pass of
    extract.family-wording-v1 still changed; an incremental pass re-corrects the spun articles of the
    families it re-examines, so it left them different from a store analysed in one run)."""
    texts = {"orig": "Saw Min Dee, a spokesman for the group, said: We will not allow our territory to be used by "
                     "criminals. He added: a number of key organizers fled.",
             "spin": "Saw Min Dee Jr, a replacement priest, said: We will not allow our territory to be used."}
    rows: dict[str, list[dict]] = {
        "mentions": [{"id": 1, "article": "orig", "text": "Saw Min Dee", "label": "PERSON", "canonical": "Saw Min Dee",
                      "role": "a spokesman for the group", "source": "model"},
                     {"id": 2, "article": "spin", "text": "Saw Min Dee Jr", "label": "PERSON",
                      "canonical": "Saw Min Dee Jr", "role": "a replacement priest", "source": "model"}],
        "quotes": [{"id": 10, "article": "orig", "quote": "We will not allow our territory to be used by criminals",
                    "speaker": "Saw Min Dee"},
                   {"id": 11, "article": "orig", "quote": "a number of key organizers fled", "speaker": "Saw Min Dee"},
                   {"id": 12, "article": "spin", "quote": "We will not allow our territory to be used",
                    "speaker": "Saw Min Dee"},
                   {"id": 13, "article": "spin", "quote": "a number of key organizers", "speaker": "Saw Min Dee"},
                   {"id": 14, "article": "spin", "quote": "nothing like any quote of the family at all",
                    "speaker": "Saw Min Dee"}],
        "figures": []}
    c = corrections("spin", ["orig"], texts, rows["mentions"], rows["quotes"], rows["figures"])
    assert c.rename_mentions == [(2, "Saw Min Dee")]
    assert c.mention_roles == [(2, "a spokesman for the group")]   # the renamed name's role, in the same pass
    assert c.drop_quotes == [14]
    assert c.replace_quotes == [(12, rows["quotes"][0]["quote"], "Saw Min Dee"),   # its rank's twin once 14 is gone
                                (13, rows["quotes"][1]["quote"], "Saw Min Dee")]
    again = corrections("spin", ["orig"], texts, *(_corrected(rows, c)[k] for k in ("mentions", "quotes", "figures")))
    assert (again.drop_mentions, again.rename_mentions, again.mention_roles, again.drop_quotes, again.replace_quotes,
            again.figure_whats) == ([], [], [], [], [], [])


def test_a_store_analysed_in_one_run_is_left_as_a_second_pass_leaves_it(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    """The synthetic corpus of 300 (seed 1, rules) has a spun copy (synth-1-sp0000002) whose renamed name
    kept its spun role after one extract.family-wording-v1 pass; a second pass changed it."""
    monkeypatch.setenv(ENV_NO_SPACY, "1")
    store = api.open_store(tmp_path / "one.db")
    api.ingest(store, [_jsonl(tmp_path / "a.jsonl", generate(300, 1).articles)])
    api.analyze(store)
    assert queries.spun_articles(store)
    before = _records(store)
    changed: set[str] = set()
    assert apply_family_wording(store, changed) == 0, changed
    assert _records(store) == before
