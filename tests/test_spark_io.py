"""Spark input readers (``spark.readers-v2``) and the Parquet importer (``spark.import-v1``).

The per-file parsers and the importer run without Spark; the ``read_articles`` tests start one
local SparkSession for the module and are skipped when pyspark or Java is missing. Fixtures are
tiny fictional files in tests/data/spark/ plus Parquet and WARC files written here.
"""
from __future__ import annotations

import gzip
import io
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from scamtrace.errors import InputError
from scamtrace.ingest.warc import iter_warc, iter_warc_stream
from scamtrace.model import Article, RawDoc, Reject
from scamtrace.spark.readers import (
    article_from_row,
    article_row,
    clean_record_article,
    file_items,
    is_clean_record,
    kind_of,
)
from scamtrace.spark.schema import ARTICLE_FIELDS, FAMILY_FIELDS, LINK_FIELDS, REJECT_FIELDS, STORY_FIELDS
from scamtrace.store import Store

pa = pytest.importorskip("pyarrow", reason="the Spark readers and the importer need pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

DATA = Path(__file__).resolve().parent / "data" / "spark"

PAGES = [
    ("https://example.invalid/a/harbour-raid", "Harbour raid frees callers",
     ["Officers in the fictional port of Lindqvist raided a warehouse where 58 people were made to "
      "run fake trading sites, the harbour police said on Tuesday.",
      "The workers had been recruited with promises of office jobs and had their passports taken on arrival.",
      "Two managers were detained and the police said more arrests were expected."]),
    ("https://example.invalid/a/bank-warning", "Bank warns of cloned apps",
     ["A savings bank in the imaginary state of Corvel warned customers about cloned banking apps "
      "spread through messaging groups run from abroad.",
      "The bank said 1,200 customers had reported attempts in March alone.",
      "It asked people to install apps only from the official store."]),
    ("https://example.invalid/a/border-shelter", "Shelter opens at the border",
     ["A charity opened a shelter near the invented border crossing of Tamsin for people leaving "
      "scam compounds, its director said.",
      "Forty beds were ready and doctors would visit twice a week.",
      "The charity asked donors for blankets and phone credit."]),
]


def _html(title: str, paras: list[str]) -> str:
    body = "".join(f"<p>{p}</p>" for p in paras)
    return f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{body}</article></body></html>"


def warc_bytes(pages: list[tuple[str, str, list[str]]] = PAGES, gz: bool = False) -> bytes:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    for url, title, paras in pages:
        body = _html(title, paras).encode("utf-8")
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                              ("Content-Length", str(len(body)))], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers))
    return buf.getvalue()


def truncated_warc() -> bytes:
    """Three captures with the last 150 bytes cut off: the third capture is lost."""
    return warc_bytes()[:-150]


def _text(*paras: str) -> str:
    return "\n\n".join(paras)


PQ_CLEAN_TEXT = _text("A fictional inquiry in the town of Brask found that 19 call centres shared one landlord.",
                      "The report named no officials but urged the council to review leases.")
PQ_RAW_TEXT = _text("Volunteers in the made-up valley of Orrin set up a hotline for families of missing workers.",
                    "They said 64 calls came in during the first week, most about relatives abroad.",
                    "The hotline is staffed in four languages, and callers can leave a message at night.",
                    "Organisers said they would share what they learn with the regional labour office.")


def write_input_parquet(folder: Path) -> Path:
    """A Spark-like Parquet directory: one good part file, one garbage, one truncated, _SUCCESS."""
    folder.mkdir(parents=True)
    table = pa.table({
        "id": ["pq-clean-1", None], "title": ["Inquiry into call centres", "Hotline for families"],
        "url": [None, "https://example.invalid/pq/hotline"], "published": ["2026-04-01", "2026-04-02"],
        "text": [PQ_CLEAN_TEXT, PQ_RAW_TEXT], "html": [None, None],
    })
    pq.write_table(table, folder / "part-00000.snappy.parquet")
    (folder / "part-00001.snappy.parquet").write_bytes(b"these bytes are not parquet at all" * 4)
    whole = io.BytesIO()
    pq.write_table(table, whole)
    (folder / "part-00002.snappy.parquet").write_bytes(whole.getvalue()[: len(whole.getvalue()) // 2])
    (folder / "_SUCCESS").write_bytes(b"")
    return folder


# -- rows and records (no Spark) ----------------------------------------------------------------


def test_article_row_round_trip_keeps_every_field_in_schema_order():
    import datetime as dt

    art = Article(id="a1", source="f.jsonl#L1", text="Body text.", url="https://example.invalid/x", outlet="O",
                  title="T", published=dt.date(2026, 2, 3), byline="B", dateline="NORLAND", credit="AP",
                  contributors=["Reuters"], language="en", truncated=True, raw_hash="h", cleaner="clean.text-v1")
    row = article_row(art)
    assert list(row) == [name for name, _ in ARTICLE_FIELDS]
    assert row["published"] == "2026-02-03" and row["contributors"] == ["Reuters"] and row["truncated"] is True
    assert article_from_row(row) == art


def test_article_from_row_needs_id_and_text():
    with pytest.raises(ValueError, match="lacks id"):
        article_from_row({"text": "x"})
    with pytest.raises(ValueError, match="text"):
        article_from_row({"id": "x", "text": ""})


def test_clean_record_is_taken_as_is_with_defaults():
    obj = {"id": 7, "text": "Some clean text of an article.", "title": " T ", "published": "2026-01-05T10:00:00Z"}
    assert is_clean_record(obj)
    assert not is_clean_record({**obj, "html": "<p>x</p>"})
    assert not is_clean_record({"text": "no id"})
    art = clean_record_article(obj, "f.jsonl#L3", "f.jsonl:3")
    assert isinstance(art, Article)
    assert (art.id, art.source, art.title, art.published.isoformat()) == ("7", "f.jsonl#L3", "T", "2026-01-05")
    assert art.contributors == [] and art.truncated is False and art.cleaner is None
    assert art.raw_hash   # hash of the text, so the store can tell changed articles apart
    rej = clean_record_article({"id": "x", "text": "  "}, "f#L1", "f:1")
    assert isinstance(rej, Reject) and rej.stage == "clean" and "f:1" in rej.reason
    # the date field names the embedded JSON Lines reader accepts (ingest.records-v2)
    dated = clean_record_article({"id": "d", "text": "x y z", "date": "2025-10-17"}, "f#L2", "f:2")
    assert isinstance(dated, Article) and dated.published.isoformat() == "2025-10-17"


def test_kind_of_names():
    assert kind_of("x.JSONL.gz") == "jsonl" and kind_of("a.warc.gz") == "warc" and kind_of("p.parquet") == "parquet"
    assert kind_of("x.json") == "json" and kind_of("x.csv") is None and kind_of("part-0", in_parquet_dir=True) == "parquet"


def _items(name: str, kind: str, data: bytes) -> list[tuple[str, object]]:
    return list(file_items(name, kind, data, 1_000_000))


def test_jsonl_items_keep_good_records_and_reject_bad_lines():
    items = _items("articles.jsonl", "jsonl", (DATA / "articles.jsonl").read_bytes())
    tags = [(t, type(x).__name__) for t, x in items]
    assert tags == [("A", "Article"), ("W", "RawDoc"), ("W", "RawDoc"), ("R", "Reject"), ("R", "Reject"),
                    ("A", "Article")]
    bad, no_text = items[3][1], items[4][1]
    assert bad.source == "articles.jsonl#L4" and bad.stage == "read" and "invalid JSON" in bad.reason
    assert no_text.source == "articles.jsonl#L5" and no_text.stage == "clean" and "no 'text'" in no_text.reason


def test_json_document_and_gzip_jsonl():
    items = _items("more.json", "json", (DATA / "more.json").read_bytes())
    assert [(x.id, x.source) for _, x in items] == [("json-1", "more.json#0"), ("clean-1", "more.json#1")]
    gz = gzip.compress((DATA / "articles.jsonl").read_bytes())
    assert len(_items("a.jsonl.gz", "jsonl", gz)) == 6
    broken = _items("a.jsonl.gz", "jsonl", gz[: len(gz) // 2])
    assert broken[-1][0] == "R" and "corrupt gzip" in broken[-1][1].reason
    lines = _items("lines.json", "json", (DATA / "articles.jsonl").read_bytes())   # JSON Lines named .json
    assert len(lines) == 6 and lines[0][1].source == "lines.json#L1"
    big = list(file_items("big.json", "json", (DATA / "more.json").read_bytes(), 100))
    assert len(big) == 1 and "over the max_bytes cap" in big[0][1].reason


def test_corrupt_parquet_is_one_reject_naming_the_file(tmp_path):
    folder = write_input_parquet(tmp_path / "pq")
    good = _items("good.parquet", "parquet", (folder / "part-00000.snappy.parquet").read_bytes())
    assert [t for t, _ in good] == ["A", "W"] and good[0][1].id == "pq-clean-1"
    assert good[1][1].source == "good.parquet#R2"
    for part in ("part-00001.snappy.parquet", "part-00002.snappy.parquet"):
        items = _items(part, "parquet", (folder / part).read_bytes())
        assert len(items) == 1 and items[0][0] == "R"
        assert items[0][1].source == part and items[0][1].stage == "read" and "not a readable Parquet" in items[0][1].reason


def test_truncated_warc_keeps_readable_captures_and_says_what_was_lost():
    items = _items("crawl.warc", "warc", truncated_warc())
    assert [t for t, _ in items] == ["W", "W", "R"]
    assert [x.url for _, x in items[:2]] == [p[0] for p in PAGES[:2]]
    rej = items[2][1]
    assert rej.stage == "read" and "WARC damaged" in rej.reason and "kept the 2 good capture(s)" in rej.reason


def test_iter_warc_stream_matches_iter_warc(tmp_path):
    path = tmp_path / "c.warc.gz"
    path.write_bytes(warc_bytes(gz=True))
    from_path = [(d.source, d.url, d.body) for d in iter_warc(str(path), 1_000_000)]
    from_stream = [(d.source, d.url, d.body) for d in iter_warc_stream(io.BytesIO(path.read_bytes()), str(path), 1_000_000)]
    assert from_path == from_stream and len(from_path) == 3


def test_reader_bug_becomes_a_reject_not_a_crash():
    items = _items("x.weird", "no-such-kind", b"data")
    assert len(items) == 1 and items[0][0] == "R" and "reading failed" in items[0][1].reason


# -- importer (no Spark) ------------------------------------------------------------------------

_PA_TYPES = {"string": pa.string(), "bool": pa.bool_(), "double": pa.float64(), "long": pa.int64(),
             "array<string>": pa.list_(pa.string())}


def write_table(folder: Path, fields: tuple[tuple[str, str], ...], rows: list[dict], parts: int = 2) -> None:
    """A Spark-like table directory: ``parts`` part files and a _SUCCESS marker."""
    folder.mkdir(parents=True)
    schema = pa.schema([(name, _PA_TYPES[kind]) for name, kind in fields])
    for i in range(parts):
        chunk = rows[i::parts]
        pq.write_table(pa.Table.from_pylist([{n: r.get(n) for n, _ in fields} for r in chunk], schema=schema),
                       folder / f"part-{i:05d}.snappy.parquet")
    (folder / "_SUCCESS").write_bytes(b"")


ORIG_TEXT = _text(*PAGES[0][2])
OTHER_TEXT = _text(*PAGES[1][2])


def _art(aid: str, text: str, title: str, published: str, outlet: str, credit: str | None = None) -> dict:
    return {"id": aid, "source": f"crawl.warc#{aid}", "url": f"https://example.invalid/{aid}", "outlet": outlet,
            "title": title, "published": published, "byline": None, "dateline": None, "credit": credit,
            "contributors": [], "language": "en", "truncated": False, "raw_hash": "h-" + aid,
            "cleaner": "clean.html-v1", "text": text}


def write_output(out: Path, *, stories: bool = True) -> Path:
    """A tiny OUTPUT directory as `scamtrace spark copies|stories` writes it."""
    write_table(out / "articles", ARTICLE_FIELDS, [
        _art("orig-1", ORIG_TEXT, "Harbour raid frees callers", "2026-05-01", "Lindqvist Daily", "AP"),
        _art("copy-1", ORIG_TEXT, "Harbour raid frees callers", "2026-05-02", "Copy Wire"),
        _art("other-1", OTHER_TEXT, "Bank warns of cloned apps", "2026-05-03", "Corvel News"),
    ])
    write_table(out / "links", LINK_FIELDS, [
        {"article": "copy-1", "source": "orig-1", "sibling": None, "family": "fam-orig-1", "relation": "verbatim",
         "origin_credit": "AP", "score": 0.99, "algorithm": "copies.classify-v3",
         "evidence": json.dumps({"containment": 1.0, "spans": [[0, 40]]})},
        {"article": "copy-1", "source": "ghost-9", "sibling": None, "family": None, "relation": "excerpt",
         "origin_credit": None, "score": 0.5, "algorithm": "copies.classify-v3", "evidence": "{}"},
    ], parts=1)
    write_table(out / "families", FAMILY_FIELDS, [
        {"family": "fam-orig-1", "origin": "orig-1", "origin_credit": "AP", "size": 2,
         "members": ["copy-1", "orig-1"], "algorithm": "copies.families-v1"},
        {"family": "fam-other-1", "origin": "other-1", "origin_credit": None, "size": 1, "members": ["other-1"],
         "algorithm": "copies.families-v1"},
    ], parts=1)
    if stories:
        write_table(out / "stories", STORY_FIELDS, [
            {"story": "story-copy-1", "title": "Harbour raid frees callers", "first_seen": "2026-05-01",
             "last_seen": "2026-05-02", "articles": ["orig-1", "copy-1"], "families": ["fam-orig-1"],
             "algorithm": "stories.online-v2", "evidence": json.dumps([{"family": "fam-orig-1", "started": True}])},
            {"story": "story-other-1", "title": "Bank warns of cloned apps", "first_seen": "2026-05-03",
             "last_seen": "2026-05-03", "articles": ["other-1"], "families": ["fam-other-1"],
             "algorithm": "stories.online-v2", "evidence": "[]"},
        ], parts=1)
    write_table(out / "rejects", REJECT_FIELDS, [
        {"source": "crawl.warc#999", "reason": "crawl.warc: WARC damaged at byte 999", "stage": "read", "detail": None},
    ], parts=1)
    return out


def _dump(db: Path) -> dict[str, list]:
    """Every data table of a store, without timestamps, for comparing two imports."""
    con = sqlite3.connect(db)
    out = {}
    for table, cols in {"articles": "id, source, title, published, credit, text, raw_hash",
                        "links": "article, source, sibling, relation, score, algorithm, evidence",
                        "families": "id, origin, origin_credit, size", "family_members": "article, family",
                        "stories": "id, title, first_seen, last_seen, size, families",
                        "story_members": "article, story, family, evidence",
                        "rejects": "source, stage, reason", "conflicts": "article, source"}.items():
        out[table] = sorted(con.execute(f"SELECT {cols} FROM {table}").fetchall(), key=repr)
    con.close()
    return out


def test_import_parquet_round_trip_is_queryable_and_idempotent(tmp_path):
    from click.testing import CliRunner

    from scamtrace.cli import cli
    from scamtrace.spark.importer import import_parquet

    out = write_output(tmp_path / "OUTPUT")
    db = tmp_path / "s.db"
    seen: list[tuple[str, int, int | None]] = []
    with Store(db) as store:
        counts = import_parquet(store, out, progress=lambda label, done, total: seen.append((label, done, total)))
        assert (counts["new"], counts["families"], counts["links"], counts["stories"], counts["rejects"]) == (3, 2, 1, 2, 1)
        assert counts["skipped_links"] == 1 and counts["analyzed"] == 3 and counts["stories_from"] == "table"
        assert ("import articles", 3, 3) in seen
        assert store.count_articles() == 3 and store.unanalyzed_ids() == []
        [link] = store.links("copy-1")
        assert (link.source, link.relation, link.family, link.origin_credit) == ("orig-1", "verbatim", "fam-orig-1", "AP")
        assert link.evidence["spans"] == [[0, 40]]
        assert {f.id: f.members for f in store.families(min_size=2)} == {"fam-orig-1": ["copy-1", "orig-1"]}
        st = {s["id"]: s for s in store.stories()}
        assert st["story-copy-1"]["articles"] == ["orig-1", "copy-1"] and st["story-copy-1"]["family_ids"] == ["fam-orig-1"]
        assert store.story_of("other-1") == "story-other-1"
        assert [r["source"] for r in store.rejects()] == ["crawl.warc#999"]
        assert store.get_article("orig-1").credit == "AP"
        first = _dump(db)
        again = import_parquet(store, out)
        assert (again["new"], again["same"], again["rejects"]) == (0, 3, 0)
    assert _dump(db) == first
    runner = CliRunner()
    res = runner.invoke(cli, ["--db", str(db), "story", "story-copy-1"])
    assert res.exit_code == 0, res.output
    assert "Harbour raid frees callers" in res.output
    res = runner.invoke(cli, ["--db", str(db), "stories", "--format", "jsonl"])
    assert res.exit_code == 0 and {json.loads(x)["story"] for x in res.output.splitlines()} == {"story-copy-1", "story-other-1"}


def test_import_without_stories_clusters_them_and_extract_builds_knowledge(tmp_path):
    from scamtrace.spark.importer import import_parquet

    out = write_output(tmp_path / "OUTPUT", stories=False)
    with Store(tmp_path / "s.db") as store:
        counts = import_parquet(store, out, extract=True)
        assert counts["stories_from"] == "clustered" and counts["stories"] >= 1 and counts["extracted"] == 3
        assert store.story_of("copy-1") == store.story_of("orig-1") is not None   # one family, one story
        assert store.execute("SELECT count(*) FROM mentions")[0][0] > 0


def test_import_conflicting_article_is_kept_as_conflict_once(tmp_path):
    from scamtrace.spark.importer import import_parquet

    out = write_output(tmp_path / "OUTPUT")
    with Store(tmp_path / "s.db") as store:
        stored = Article(id="other-1", source="mine.txt", text="A different stored text about something else entirely.",
                         raw_hash="different")
        store.put_article(stored, fmt="text", body=stored.text)
        for _ in range(2):
            counts = import_parquet(store, out)
            assert counts["conflicts"] == 1
        assert store.get_article("other-1").source == "mine.txt"
        assert store.family_of("other-1") is None and store.story_of("other-1") is None
        assert counts["skipped_members"] == 1 and counts["skipped_story_members"] == 1
        assert len([r for r in store.rejects() if r["stage"] == "store"]) == 1


def test_import_leaves_judged_articles_for_analyze(tmp_path):
    from scamtrace.spark.importer import import_parquet

    out = write_output(tmp_path / "OUTPUT")
    with Store(tmp_path / "s.db") as store:
        import_parquet(store, out)
        store.add_judgement("copy-1", "orig-1", "not-copy")
        counts = import_parquet(store, out)
        assert counts["analyzed"] == 1 and store.unanalyzed_ids() == ["copy-1", "orig-1"]


def test_import_errors_name_the_path_and_what_to_do(tmp_path):
    from scamtrace.spark.importer import import_parquet

    with Store(":memory:") as store:
        with pytest.raises(InputError, match="no such directory.*spark copies"):
            import_parquet(store, tmp_path / "nope")
        out = write_output(tmp_path / "OUTPUT")
        shutil.rmtree(out / "links")
        with pytest.raises(InputError, match=r"links: missing table 'links'"):
            import_parquet(store, out)
        write_table(out / "links", (("article", "string"), ("relation", "string")), [{"article": "a", "relation": "x"}])
        with pytest.raises(InputError, match=r"links: table lacks column\(s\) source, sibling"):
            import_parquet(store, out)
        shutil.rmtree(out / "links")
        write_table(out / "links", tuple((n, "long" if n == "relation" else k) for n, k in LINK_FIELDS), [])
        with pytest.raises(InputError, match="relation is int64, expected string"):
            import_parquet(store, out)
        with pytest.raises(InputError, match="local directories"):
            import_parquet(store, "hdfs://namenode/out")
        assert store.count_articles() == 0   # nothing written before the checks


def test_import_reads_an_empty_table_directory(tmp_path):
    from scamtrace.spark.importer import import_parquet

    out = write_output(tmp_path / "OUTPUT")
    shutil.rmtree(out / "rejects")
    (out / "rejects").mkdir()
    (out / "rejects" / "_SUCCESS").write_bytes(b"")
    with Store(":memory:") as store:
        assert import_parquet(store, out)["rejects"] == 0


# -- read_articles on Spark ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def spark_inputs(tmp_path_factory) -> list[str]:
    root = tmp_path_factory.mktemp("inputs")
    write_input_parquet(root / "table.parquet")
    (root / "crawl.warc").write_bytes(truncated_warc())
    (root / "extra.jsonl.gz").write_bytes(gzip.compress(json.dumps(
        {"url": "https://example.invalid/gz/1", "title": "Shelter opens", "text": _text(*PAGES[2][2])}).encode() + b"\n"))
    return [str(DATA), str(root / "table.parquet"), str(root / "crawl.*"), str(root / "extra.jsonl.gz"),
            str(root / "missing" / "*.jsonl"), "nosuch://bucket/x.jsonl"]


@pytest.fixture(scope="module")
def read_result(spark, spark_inputs):
    from scamtrace.spark.readers import read_articles

    articles, rejects = read_articles(spark, spark_inputs)
    return articles, [r.asDict() for r in articles.collect()], [r.asDict() for r in rejects.collect()]


def test_read_articles_keeps_good_records_with_exact_columns(read_result):
    from scamtrace.ingest.ids import stable_id

    df, arts, _ = read_result
    assert df.columns == [name for name, _ in ARTICLE_FIELDS]
    by_id = {a["id"]: a for a in arts}
    url_id = lambda url: stable_id(RawDoc(source="", body="", fmt="text", url=url))  # noqa: E731
    expected = {"clean-1", "json-1", "pq-clean-1", url_id("https://example.invalid/news/raw-1"),
                url_id("https://example.invalid/news/raw-html-1"), url_id("https://example.invalid/pq/hotline"),
                url_id(PAGES[0][0]), url_id(PAGES[1][0]), url_id("https://example.invalid/gz/1")}
    assert set(by_id) == expected and len(arts) == len(expected)
    first = by_id["clean-1"]   # the first by file and line wins over later records with the same id
    assert first["source"].endswith("articles.jsonl#L1") and first["title"] == "Workers freed from scam compound"
    assert first["published"] == "2026-03-02" and first["credit"] == "AP" and first["contributors"] == []
    raw = by_id[url_id("https://example.invalid/news/raw-1")]
    assert raw["cleaner"] and raw["raw_hash"] and raw["outlet"] == "Example Herald"
    warc = by_id[url_id(PAGES[0][0])]
    assert "58 people" in warc["text"] and "crawl.warc#" in warc["source"]


def test_read_articles_counts_every_bad_input_in_rejects(read_result):
    _, _, rejects = read_result
    assert all(list(r) == [n for n, _ in REJECT_FIELDS] for r in rejects)
    def one(pred) -> dict:   # noqa: ANN001
        hits = [r for r in rejects if pred(r)]
        assert len(hits) == 1, (hits, rejects)
        return hits[0]
    assert one(lambda r: r["source"].endswith("articles.jsonl#L4"))["stage"] == "read"
    assert "no 'text'" in one(lambda r: r["source"].endswith("articles.jsonl#L5"))["reason"]
    dup = one(lambda r: r["stage"] == "store")
    assert dup["source"].endswith("articles.jsonl#L6") and "id clean-1 already holds different text" in dup["reason"]
    assert "Parquet (.parquet)" in one(lambda r: r["source"].endswith("listing.csv"))["reason"]
    for part in ("part-00001.snappy.parquet", "part-00002.snappy.parquet"):
        assert "not a readable Parquet" in one(lambda r, p=part: r["source"].endswith(p))["reason"]
    assert "kept the 2 good capture(s)" in one(lambda r: "WARC damaged" in r["reason"])["reason"]
    assert "no such file" in one(lambda r: r["source"].endswith("missing/*.jsonl"))["reason"]
    assert 'No FileSystem for scheme "nosuch"' in one(lambda r: r["source"].startswith("nosuch:"))["reason"]
    assert not any(r["source"].startswith("file:") for r in rejects)   # local paths are shown as paths
    assert len(rejects) == 9


def test_list_inputs_skips_hidden_files_and_reads_a_parquet_directory_by_name(spark, tmp_path):
    from scamtrace.spark.readers import list_inputs

    legacy = tmp_path / "legacy.parquet"
    (legacy / "_temporary" / "0").mkdir(parents=True)
    pq.write_table(pa.table({"id": ["x"], "text": ["t"]}), legacy / "000000_0")
    (legacy / "_SUCCESS").write_bytes(b"")
    (legacy / ".000000_0.crc").write_bytes(b"crc")
    (legacy / "_temporary" / "0" / "part-9.parquet").write_bytes(b"half-written")
    files, rejects = list_inputs(spark, [str(legacy), str(legacy / "000000_0")])
    assert [(f.name, f.kind) for f in files] == [(str(legacy / "000000_0"), "parquet")] and rejects == []


def test_read_articles_output_imports_into_the_store(spark, read_result, tmp_path):
    from scamtrace.spark.importer import import_parquet
    from scamtrace.spark.readers import read_articles
    from scamtrace.spark.schema import spark_schema

    df, arts, _ = read_result
    out = tmp_path / "OUTPUT"
    articles, rejects = read_articles(spark, [str(DATA)])
    articles.write.parquet(str(out / "articles"))
    rejects.write.parquet(str(out / "rejects"))
    for name, fields in (("links", LINK_FIELDS), ("families", FAMILY_FIELDS)):
        spark.createDataFrame([], spark_schema(fields)).write.parquet(str(out / name))
    with Store(tmp_path / "s.db") as store:
        counts = import_parquet(store, out)
        assert counts["new"] == store.count_articles() == 4   # clean-1, json-1 and the two raw records
        assert counts["rejects"] == 4   # bad JSON, no text, duplicate id, listing.csv
        assert store.get_article("clean-1").dateline == "NORLAND"


def test_read_articles_rejects_a_string_input(spark):
    from scamtrace.spark.readers import read_articles

    with pytest.raises(ValueError, match="list of input paths"):
        read_articles(spark, str(DATA))  # type: ignore[arg-type]
