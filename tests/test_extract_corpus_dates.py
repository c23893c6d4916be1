"""Figure dates from other articles (extract.figure-dates-corpus-v2). All texts are invented."""
from __future__ import annotations

import datetime as dt

import pytest

from scamtrace import api
from scamtrace.extract import extract
from scamtrace.extract.corpus_dates import _StoredDays, apply_repeat_dates, lendable, reference_dates, repeat_dates
from scamtrace.model import Article, Link
from scamtrace.store.extracted import put_extraction, rows

LEAD = ("HANOI — Police handed 450 rescued workers to border guards on Tuesday, the first group to leave "
        "since the raid.")


def _fig(article: str, fid: int, value: float, what: str, date: str | None, sentence: str, *,
         action: str | None = None, qualifier: str | None = None, unit: str = "people") -> dict:
    return {"id": fid, "article": article, "value": value, "unit": unit, "what": what, "action": action,
            "qualifier": qualifier, "date": date, "date_precision": "day" if date else None, "sentence": sentence}


def test_reference_date_of_an_undated_copy_is_its_partners_day() -> None:
    published = {"orig": dt.date(2024, 3, 13), "copy": None, "sib": None, "other": dt.date(2024, 3, 20)}
    links = [Link(article="copy", source="orig", relation="truncated", score=0.9, algorithm="t"),
             Link(article="sib", source=None, sibling="other", relation="spun", score=0.8, algorithm="t"),
             Link(article="copy", source="other", relation="spun", score=0.8, algorithm="t")]
    refs = reference_dates(published, links)
    assert refs == {"copy": (dt.date(2024, 3, 13), "orig"), "sib": (dt.date(2024, 3, 20), "other")}


def test_extract_resolves_figures_against_the_reference_date_only() -> None:
    art = Article(id="copy", source="copy.txt", text=LEAD)
    assert extract(art, use_model=False).figures[0].date is None        # "on Tuesday" of which week?
    ex = extract(art, use_model=False, reference_date=dt.date(2024, 3, 13))
    (f,) = ex.figures
    assert f.date == "2024-03-12" and f.evidence["reference_date"] == "2024-03-13"
    assert all(d.iso_start is None for d in ex.dates if d.text == "Tuesday")   # the article's own dates stay
    with pytest.raises(ValueError, match="reference_date"):
        extract(art, use_model=False, reference_date="2024-03-13")  # type: ignore[arg-type]


def test_a_repeated_count_takes_the_day_of_the_dated_one() -> None:
    figs = [_fig("a", 1, 4100, "people detained in a raid", "2024-03-04", "x", action="detained", qualifier="more than"),
            _fig("b", 2, 4100, "people detained at the camp", None,
                 "The raid came a month after a militia detained more than 4,100 people at the camp.",
                 action="detained", qualifier="more than"),
            _fig("c", 3, 4100, "people held", None, "A militia held more than 4,100 people.", action="held",
                 qualifier="more than"),
            _fig("d", 4, 4100, "people detained", None, "Police detained 4,100 people.", action="detained"),
            _fig("e", 5, 4100, "people sent home", None, "More than 4,100 people were sent home.", action="sent",
                 qualifier="more than")]
    got = {r.article: (r.date, r.sources) for r in repeat_dates(figs)}
    assert got == {"b": ("2024-03-04", ("a",)), "c": ("2024-03-04", ("a",))}   # d: no qualifier; e: another verb


def test_no_day_when_the_dated_counts_disagree_or_the_sentence_has_its_own_time() -> None:
    base = [_fig("a", 1, 612, "workers freed", "2024-03-11", "x", action="freed"),
            _fig("b", 2, 612, "workers freed", "2024-03-12", "y", action="freed")]
    undated = _fig("c", 3, 612, "workers freed", None, "They freed 612 workers.", action="freed")
    assert repeat_dates([*base, undated]) == []
    late = _fig("c", 3, 612, "workers freed", None, "They freed 612 workers in late March.", action="freed")
    early = _fig("d", 4, 612, "workers freed", None, "They freed 612 workers in early March.", action="freed")
    lender = _fig("a", 1, 612, "workers freed", "2024-03-04", "x", action="freed")
    out = repeat_dates([lender, late, early], {"c": dt.date(2024, 5, 1), "d": dt.date(2024, 5, 1)})
    assert [r.article for r in out] == ["d"]     # "early March" holds March 4, "late March" does not


def test_the_incremental_pass_gives_what_a_pass_over_every_figure_gives() -> None:
    """``new`` (the articles extracted since the last pass): an older undated figure is dated only by a
    new lender it has no older lender beside; every case agrees with the pass over every figure."""
    old_lender = _fig("a", 1, 612, "workers freed", "2024-03-11", "x", action="freed")
    new_lender = _fig("n", 2, 612, "workers freed", "2024-03-12", "y", action="freed")
    waiting = _fig("c", 3, 612, "workers freed", None, "They freed 612 workers.", action="freed")
    # an older figure with no lender until now takes the new lender's day
    assert repeat_dates([waiting, new_lender], new={"n"}) == repeat_dates([waiting, new_lender])
    assert [r.article for r in repeat_dates([waiting, new_lender], new={"n"})] == ["c"]
    # with an older lender too, the days disagree, as in the pass over every figure
    assert repeat_dates([old_lender, waiting, new_lender], new={"n"}) == [] == repeat_dates(
        [old_lender, waiting, new_lender])
    # a new undated figure is examined against every lender
    fresh = _fig("n2", 4, 612, "workers freed", None, "They freed 612 workers.", action="freed")
    got = repeat_dates([old_lender, fresh], new={"n2"})
    assert got == repeat_dates([old_lender, fresh]) and [r.article for r in got] == ["n2"]
    # without a new lender, an older figure is not examined (the last pass decided it)
    assert repeat_dates([old_lender, waiting], new={"n"}) == []
    # a dated figure of the waiting figure's own article is not an older lender, another article's
    # with a like wording is, one with another action is not
    from scamtrace.extract.corpus_dates import _lenders, _same_count
    own = _fig("c", 5, 612, "workers freed", "2024-03-12", "z", action="freed")
    other = _fig("b", 6, 612, "workers freed", "2024-03-12", "z", action="freed")
    other2 = _fig("b2", 8, 612, "workers freed", "2024-03-12", "z", action="freed")
    unlike = _fig("d", 7, 612, "workers sentenced", "2024-03-12", "z", action="sentenced")
    for older in ([own], [own, other], [unlike], [other, other2], [own, unlike], []):
        offered = [*older, new_lender]
        want = [d for d in offered if d["article"] != "c" and _same_count(waiting, d)]
        assert _lenders(waiting, offered, {"n"}) == want, older
    assert [r.article for r in repeat_dates([own, unlike, waiting, new_lender], new={"n"})] == ["c"]
    # v2: an older lender stating the new lender's day lends beside it (v1 left the figure as it was)
    got = repeat_dates([own, other, waiting, new_lender], new={"n"})
    assert got == repeat_dates([own, other, waiting, new_lender]) and [r.sources for r in got] == [("b", "n")]


def test_lendable() -> None:
    assert lendable("They freed 612 workers.", "2024-03-11", None)
    assert not lendable("They freed 612 workers on Monday, March 4.", "2024-03-11", dt.date(2024, 3, 14))
    assert lendable("They freed 612 workers in March.", "2024-03-11", dt.date(2024, 5, 1))


def test_apply_repeat_dates_updates_the_store(tmp_path) -> None:
    store = api.open_store(tmp_path / "s.db")
    texts = {"a": ("Police detained more than 900 people in a raid on Monday, March 11, officials said.",
                   dt.date(2024, 3, 12)),
             "b": ("The raid followed a campaign. Police detained more than 900 people at the camp.", None)}
    for aid, (text, pub) in texts.items():
        art = Article(id=aid, source=f"{aid}.txt", text=text, published=pub, raw_hash=aid)
        store.put_article(art, fmt="text", body=text)
        put_extraction(store, aid, extract(art, use_model=False), [])
    assert {r["article"]: r["date"] for r in rows(store, "figures")} == {"a": "2024-03-11", "b": None}
    assert apply_repeat_dates(store) == 1
    assert {r["article"]: r["date"] for r in rows(store, "figures")} == {"a": "2024-03-11", "b": "2024-03-11"}
    lenders = {r["article"]: r["date_lenders"] for r in rows(store, "figures")}
    assert lenders == {"a": None, "b": '["a"]'}   # the evidence: which article lent the day
    assert apply_repeat_dates(store) == 0       # idempotent


def test_the_incremental_pass_reads_only_the_figures_it_can_use(tmp_path) -> None:
    """The store's read for the incremental pass (issue 17) leaves out the figures that neither lend
    nor borrow, and the pass over what it reads gives what the pass over every figure gives."""
    from scamtrace.store.analysis import published_days
    from scamtrace.extract.corpus_dates import rows_for_pass
    store = api.open_store(tmp_path / "s.db")
    texts = {"n": ("Police detained more than 900 people in a raid on Monday, March 11, officials said. "
                   "Officers later freed 500 workers.", dt.date(2024, 3, 12)),
             "b": ("The raid followed a campaign. Police detained more than 900 people at the camp.", None),
             "c": ("Police detained more than 900 people in March.", dt.date(2024, 4, 2)),
             "d": ("Police detained more than 300 people at the camp.", None),
             "e": ("Officers freed 500 workers on Tuesday, March 12, officials said.", dt.date(2024, 3, 13)),
             "f": ("Officers freed 500 workers from the compound.", None),
             "m": ("Officers freed 500 workers from the camp.", None)}
    for aid, (text, pub) in texts.items():
        art = Article(id=aid, source=f"{aid}.txt", text=text, published=pub, raw_hash=aid)
        store.put_article(art, fmt="text", body=text)
        put_extraction(store, aid, extract(art, use_model=False), [])
    every = rows(store, "figures")
    published = {aid: pub for aid, (_, pub) in texts.items()}
    for new in ({"n"}, {"n", "f"}, {"b"}, {"e"}, {"m"}, {"m", "c"}):
        got = rows_for_pass(store, new)
        assert repeat_dates(got, published_days(store, {f["article"] for f in got}), new) == repeat_dates(
            every, published, new) == repeat_dates(got, _StoredDays(store, new), new), new
    # the days read when asked (apply_repeat_dates): those of published_days, None for an article not stored
    days = _StoredDays(store, {"n"})
    assert [days.get(a) for a in ("b", "n", "zz")] == [None, dt.date(2024, 3, 12), None] and "zz" not in days
    assert dict(days) == {a: pub for a, pub in published_days(store, {"b", "n"}).items()}
    read = {(r["article"], r["value"]) for r in rows_for_pass(store, {"n"})}
    # n's figures (900 and 500, dated to a day) lend to the undated b, c, f, m; d states another count
    assert read == {("n", 900.0), ("n", 500.0), ("b", 900.0), ("c", 900.0), ("f", 500.0), ("m", 500.0),
                    ("e", 500.0)}, read
    read = {(r["article"], r["value"]) for r in rows_for_pass(store, {"m"})}
    # m's undated 500 may borrow from e and n (dated to a day); f (undated, no new lender) is not read
    assert read == {("m", 500.0), ("e", 500.0), ("n", 500.0)}, read


def test_lenders_of_the_incremental_pass_on_random_figures() -> None:
    """_lenders (the incremental pass: an older figure takes every lender when a new one states its
    count, none otherwise; v2) on random figures: exactly what the comparison
    figure by figure gives, for new and for older figures."""
    import random

    from scamtrace.extract.corpus_dates import _lenders, _same_count

    def by_figure(f, offered, new):  # noqa: ANN001, ANN202 (the rule, written out)
        every = [d for d in offered if d["article"] != f["article"] and _same_count(f, d)]
        if f["article"] in new or any(d["article"] in new for d in every):
            return every
        return []

    rnd = random.Random(7)
    wordings = [("workers freed", "freed"), ("workers", "rescued"), ("people detained", "detained"),
                ("suspects", "arrested")]
    for _ in range(30):
        figs = []
        for i in range(rnd.randint(2, 25)):
            what, action = rnd.choice(wordings)
            figs.append(_fig(rnd.choice("abcdnm"), i, 612, what, rnd.choice([None, "2024-03-11", "2024-03-12"]), "s",
                             action=action, qualifier=rnd.choice([None, None, "about"])))
        new = {"n", "m"}
        offered = [d for d in figs if d["date"]]
        offered_new = [d for d in offered if d["article"] in new]
        for f in figs:
            if not f["date"]:
                got = _lenders(f, offered, new, offered_new)
                assert sorted(d["id"] for d in got) == sorted(d["id"] for d in by_figure(f, offered, new))


def test_the_pass_count_by_count_gives_the_pass_figure_by_figure() -> None:
    """repeat_dates finds each figure's lenders count by count (new dated figures against the older
    undated ones at once, wordings compared in one rapidfuzz call); the days and lenders are those of
    the rule figure by figure (``_lenders``), for the whole pass and the incremental one, with wordings
    that join by head noun, by token-set ratio, or not at all."""
    import random

    from scamtrace.extract.corpus_dates import RepeatDate, _lenders

    def by_figure(figs, new):  # noqa: ANN001, ANN202 (the pass as it was written before, figure by figure)
        dated: dict = {}
        for f in figs:
            if f.get("date") and f.get("date_precision") == "day":
                dated.setdefault((float(f["value"]), f["unit"]), []).append(f)
        out = []
        for f in figs:
            if f.get("date"):
                continue
            key = (float(f["value"]), f["unit"])
            offered = dated.get(key, [])
            if new is not None and f["article"] not in new and not any(d["article"] in new for d in offered):
                continue
            lenders = _lenders(f, offered, new)
            days = {d["date"] for d in lenders}
            if len(days) == 1 and lendable(f.get("sentence") or "", day := days.pop(), None):
                out.append(RepeatDate(f["article"], f["id"], day, tuple(sorted({d["article"] for d in lenders}))))
        return out

    rnd = random.Random(11)
    wordings = [("workers freed", "freed"), ("Workers", "rescued"), ("foreign workers freed", "released"),
                ("people detained", "detained"), ("people held at the camp", "held"), ("detainees", "detained"),
                ("suspects", "arrested"), ("suspected scammers", "arrested"), ("", "freed"), ("of the", "freed"),
                ("the people rescued from compounds", "rescued"), ("people", "returned")]
    for _ in range(120):
        figs = []
        for i in range(rnd.randint(2, 30)):
            what, action = rnd.choice(wordings)
            figs.append(_fig(rnd.choice("abcdnm"), i, rnd.choice([612, 612, 40]), what,
                             rnd.choice([None, None, "2024-03-11", "2024-03-12"]), rnd.choice(["s", "on Monday, March 4"]),
                             action=rnd.choice([action, None]), qualifier=rnd.choice([None, None, "", "about"])))
        for new in (None, {"n"}, {"n", "m"}, {"a", "n"}):
            assert repeat_dates(figs, new=new) == by_figure(figs, new), new


def test_the_incremental_read_keeps_every_figure_naming_a_verb(tmp_path) -> None:
    """The store leaves out of the incremental pass the figures of other articles that name no verb
    of the same happening or another qualifier (they state no count the new ones do): a verb in the
    action or in what is counted, in any case, and an empty qualifier is no qualifier; the pass over
    what it reads gives what the pass over every figure gives, and the store gets those days."""
    from scamtrace.extract.corpus_dates import _VERB_WORDS
    from scamtrace.store.analysis import published_days
    from scamtrace.extract.corpus_dates import rows_for_pass
    store = api.open_store(tmp_path / "s.db")
    texts = {"n": ("Police held 700 people in a raid on Monday, March 11, officials said.", dt.date(2024, 3, 12)),
             "b": ("Police detained 700 people at the camp.", None),
             "c": ("Police detained 700 people near the camp.", None),
             "q": ("Police detained about 700 people at the camp.", None),
             "r": ("Officers rounded up 700 people at the port.", None),
             "e": ("Some 700 people live near the camp.", None)}
    for aid, (text, pub) in texts.items():
        art = Article(id=aid, source=f"{aid}.txt", text=text, published=pub, raw_hash=aid)
        store.put_article(art, fmt="text", body=text)
        put_extraction(store, aid, extract(art, use_model=False), [])
    # the wordings the read must still find: a verb in capitals in the action only, in what only
    # (no action), an empty qualifier
    for aid, what, action, qualifier in (("n", "PEOPLE DETAINED IN A RAID", "Held", None),
                                         ("b", "people at the camp", "Detained", None),
                                         ("r", "people Rounded up at the port", None, None),
                                         ("c", "people detained near the camp", "detained", ""),
                                         ("e", "people living near the camp", None, None)):
        store.db.execute("UPDATE figures SET what = ?, action = ?, qualifier = ? WHERE article = ?",
                         (what, action, qualifier, aid))
    store.db.commit()
    every = rows(store, "figures")
    published = {aid: pub for aid, (_, pub) in texts.items()}
    for new in ({"n"}, {"b"}, {"c"}, {"q"}, {"e"}, {"b", "r"}):
        got = rows_for_pass(store, new, _VERB_WORDS)
        assert repeat_dates(got, published_days(store, {f["article"] for f in got}), new) == repeat_dates(
            every, published, new) == repeat_dates(got, _StoredDays(store, new), new), new
    # the days read when asked (apply_repeat_dates): those of published_days, None for an article not stored
    days = _StoredDays(store, {"n"})
    assert [days.get(a) for a in ("b", "n", "zz")] == [None, dt.date(2024, 3, 12), None] and "zz" not in days
    assert dict(days) == {a: pub for a, pub in published_days(store, {"b", "n"}).items()}
    read = {r["article"] for r in rows_for_pass(store, {"n"}, _VERB_WORDS)}
    assert read == {"n", "b", "c", "r"}, read   # e names no verb, q states "about 700"
    read = {r["article"] for r in rows_for_pass(store, {"b"}, _VERB_WORDS)}
    assert read == {"b", "n"}, read              # its lender; the undated ones cannot borrow from b
    assert apply_repeat_dates(store, articles={"n"}) == 3
    assert {r["article"]: r["date"] for r in rows(store, "figures") if r["date"]} == {
        "n": "2024-03-11", "b": "2024-03-11", "c": "2024-03-11", "r": "2024-03-11"}


def test_the_incremental_read_through_the_verb_index_misses_no_figure(tmp_path) -> None:
    """The incremental read probes the partial index of the figures naming a verb of the same
    happening (``idx_figures_repeat_cover``, migration 0032) per wanted count: on random figures
    (verbs in any case, in the action or in what, in no field, other values, units, qualifiers,
    dates of every precision), it reads exactly the rows the same read gives without the index, and
    SQLite does use the index for the pass's words (its condition is the query's, term for term); and the
    pass over what it reads (the wordings a new figure lends to, the lenders of the counts decided) gives
    what the pass over every figure gives, figures dated by an earlier pass among them."""
    import random

    from scamtrace.extract.corpus_dates import _VERB_WORDS, rows_for_pass
    from scamtrace.store.migrations import REPEAT_VERB_WORDS

    assert tuple(sorted(_VERB_WORDS)) == REPEAT_VERB_WORDS   # else the pass reads by a scan
    store = api.open_store(tmp_path / "s.db")
    rnd = random.Random(17)
    arts = [f"a{i:02d}" for i in range(30)]
    for aid in arts:
        art = Article(id=aid, source=f"{aid}.txt", text=f"Text {aid}.", raw_hash=aid)
        store.put_article(art, fmt="text", body=art.text)
    words = ["Detained", "held", "RESCUED", "sent", "live", "were", "freed up", "custodyx", ""]
    rows_in = []
    for fid in range(1, 400):
        what = f"{rnd.choice(['people', 'workers', 'Suspects'])} {rnd.choice(words)}".strip()
        date, precision = rnd.choice([(None, None), ("", None), ("2024-03-11", "day"), ("2024-03-12", "day"),
                                      ("2024-03", "month")])
        lenders = '["a00"]' if precision == "day" and rnd.random() < 0.3 else None   # dated by an earlier pass
        rows_in.append((fid, rnd.choice(arts), float(rnd.choice([24, 200, 612])), rnd.choice(["people", "usd"]),
                        rnd.choice([what, what, ""]), rnd.choice([None, rnd.choice(words)]),
                        rnd.choice([None, "", "about"]), date, precision, lenders))
    with store.write() as db:
        db.executemany("INSERT INTO figures(id, article, value, unit, what, action, qualifier, date, date_precision,"
                       " date_lenders, text, sentence, sentence_start, sentence_end, start, \"end\", algorithm)"
                       " VALUES (?,?,?,?,?,?,?,?,?,?,'t','s',0,1,?,1,'test')",
                       [(*r, r[0]) for r in rows_in])
    plans: list[str] = []
    store.db.set_trace_callback(lambda sql: plans.append(sql) if "CROSS JOIN figures" in sql else None)
    news = [set(rnd.sample(arts, rnd.randint(1, 4))) for _ in range(25)]
    indexed = [rows_for_pass(store, new, _VERB_WORDS) for new in news]
    store.db.set_trace_callback(None)
    assert plans, "the pass's words no longer take the indexed read"
    for sql in plans:   # the wordings and the lenders are read from the index alone
        plan = " ".join(r[3] for r in store.db.execute("EXPLAIN QUERY PLAN " + sql))
        assert "idx_figures_repeat_cover" in plan, plan
        assert ("COVERING INDEX" in plan) == (" f.sentence" not in sql), plan
    assert len(plans) >= 2 * len(news)
    store.db.execute("DROP INDEX idx_figures_repeat_cover")
    assert [rows_for_pass(store, new, _VERB_WORDS) for new in news] == indexed
    assert sum(len(r) for r in indexed) > 100   # the read finds figures of other articles
    every, decided = rows(store, "figures"), 0
    for new, got in zip(news, indexed):
        want = repeat_dates(every, {}, new)
        assert repeat_dates(got, {}, new) == want, new
        decided += len(want)
    assert decided > 20   # the pass dates figures (of new articles and older ones) and takes days back


def _put(store, aid: str, text: str, pub: dt.date | None) -> None:  # noqa: ANN001
    art = Article(id=aid, source=f"{aid}.txt", text=text, published=pub, raw_hash=aid)
    store.put_article(art, fmt="text", body=text)
    put_extraction(store, aid, extract(art, use_model=False), [])


def _days(store) -> dict[str, tuple]:  # noqa: ANN001
    return {r["article"]: (r["date"], r["date_precision"], r["date_lenders"]) for r in rows(store, "figures")}


@pytest.mark.parametrize("second", [("Officers freed 500 workers on Tuesday, March 12, officials said.", "2024-03-12",
                                     dt.date(2024, 3, 13)),
                                    ("Officers freed 500 workers on Monday, March 18, officials said.", None,
                                     dt.date(2024, 3, 19))])
def test_two_batches_give_the_lenders_and_days_of_one_pass(tmp_path, second) -> None:  # noqa: ANN001
    """Issue 17 part 2 (synthetic 300, seed 1: "dozens of guards" listed one lender of two): a figure the
    first batch dated from an older lender is decided again when a second batch's figure states its
    count: the same day adds a lender, another day takes the day back (the lenders disagree), exactly
    as one pass over both batches (v1 kept the first batch's day and lenders)."""
    first = {"a": ("Officers freed 500 workers on Tuesday, March 12, officials said.", dt.date(2024, 3, 13)),
             "b": ("Officers freed 500 workers from the compound.", None)}
    later = {"c": (second[0], second[2])}
    one = api.open_store(tmp_path / "one.db")
    two = api.open_store(tmp_path / "two.db")
    for aid, (text, pub) in {**first, **later}.items():
        _put(one, aid, text, pub)
    apply_repeat_dates(one)
    for batch in (first, later):
        for aid, (text, pub) in batch.items():
            _put(two, aid, text, pub)
        changed: set[str] = set()
        apply_repeat_dates(two, changed, batch)
    assert changed == {"b"}
    assert _days(two) == _days(one)
    want = (second[1], "day", '["a", "c"]') if second[1] else (None, None, None)
    assert _days(two)["b"] == want
    assert apply_repeat_dates(two) == 0 == apply_repeat_dates(two, None, ["c"])   # a fixed point


def test_a_figure_dated_by_a_pass_lends_nothing_and_is_decided_again() -> None:
    """v2: a figure with ``date_lenders`` (dated by an earlier pass) lends no day (no chains across
    batches either) and is given every lender of its count, or its day taken back."""
    lender = _fig("a", 1, 612, "workers freed", "2024-03-11", "x", action="freed")
    passed = {**_fig("b", 2, 612, "workers freed", "2024-03-11", "They freed 612 workers.", action="freed"),
              "date_lenders": '["a"]'}
    fresh = _fig("n", 3, 612, "workers freed", None, "They freed 612 workers.", action="freed")
    assert repeat_dates([passed, fresh], new={"n"}) == []   # b's day is not its own: it lends nothing
    assert repeat_dates([lender, passed]) == []              # b already has a's day and lenders
    other = _fig("n", 4, 612, "workers freed", "2024-03-11", "y", action="freed")
    assert [(r.article, r.date, r.sources) for r in repeat_dates([lender, passed, other], new={"n"})] == [
        ("b", "2024-03-11", ("a", "n"))]
    later = _fig("n", 4, 612, "workers freed", "2024-03-12", "y", action="freed")
    assert [(r.article, r.date, r.sources) for r in repeat_dates([lender, passed, later], new={"n"})] == [
        ("b", None, ())]


def test_a_store_the_v1_pass_left_is_decided_again_by_a_whole_pass(tmp_path) -> None:  # noqa: ANN001
    """Upgrade path (review of session 15): v1 kept the day and lenders an earlier batch gave, so a store
    it left can hold a figure with fewer lenders than one pass lists (synthetic 300, seed 1: "dozens of
    guards"). The incremental pass re-decides a figure only when a new figure lends to it, so on an upgraded
    store that figure stayed as v1 left it whatever came next. A store with no whole pass of this version
    recorded (``runs``) gets one, as family wording does (``full_pass_recorded``); later passes are incremental."""
    from scamtrace.extract.corpus_dates import STAGE, full_pass_recorded
    texts = {"a": ("Officers freed 500 workers on Tuesday, March 12, officials said.", dt.date(2024, 3, 13)),
             "b": ("Officers freed 500 workers from the compound.", None),
             "c": ("Officers freed 500 workers on Tuesday, March 12, officials said.", dt.date(2024, 3, 13))}
    one = api.open_store(tmp_path / "one.db")
    for aid, (text, pub) in texts.items():
        _put(one, aid, text, pub)
    apply_repeat_dates(one)
    assert _days(one)["b"] == ("2024-03-12", "day", '["a", "c"]')
    assert full_pass_recorded(one)
    old = api.open_store(tmp_path / "old.db")
    for aid, (text, pub) in texts.items():
        _put(old, aid, text, pub)
    with old.write() as db:   # what v1 left: b dated by the first batch's lender only, no v2 pass recorded
        db.execute("UPDATE figures SET date = '2024-03-12', date_precision = 'day', date_lenders = '[\"a\"]'"
                   " WHERE article = 'b'")
        db.execute("DELETE FROM runs WHERE stage = ?", (STAGE,))
    _put(old, "d", "Police arrested 12 suspects at a casino on Friday, March 15.", dt.date(2024, 3, 16))
    changed: set[str] = set()
    apply_repeat_dates(old, changed, ["d"])   # an unrelated article: the first pass of v2 decides every figure
    assert _days(old) == _days(one) | {"d": _days(old)["d"]}
    assert changed == {"b"} and full_pass_recorded(old)
    assert apply_repeat_dates(old, None, ["d"]) == 0   # recorded: incremental again, nothing to change
