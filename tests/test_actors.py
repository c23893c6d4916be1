from click.testing import CliRunner

from scamtrace import api
from scamtrace.cli import cli
from scamtrace.knowledge.actors import fold, resolve_actors


def m(*pairs):
    return [p for p, n in pairs for _ in range(n)]


def test_transliteration_variants_join_and_representative_is_most_mentioned():
    actors = resolve_actors(m((("Ming Xuechang", "PERSON"), 3), (("Ming Xue-chang", "PERSON"), 1),
                              (("Wei Huaxin", "PERSON"), 1), (("Wei Huaxing", "PERSON"), 2),
                              (("Wei Zhong", "PERSON"), 1)))
    by = {a.name: a for a in actors}
    assert by["Ming Xuechang"].aliases == ["Ming Xue-chang", "Ming Xuechang"]
    assert by["Ming Xuechang"].mentions == 4
    assert set(by["Wei Huaxing"].aliases) == {"Wei Huaxin", "Wei Huaxing"}
    assert "Wei Zhong" in by and by["Wei Zhong"].aliases == ["Wei Zhong"]   # same surname, other person
    assert all(e["rule"] for a in actors for e in a.evidence)


def test_labels_keep_organisations_and_people_apart():
    actors = resolve_actors([("Kokang", "GPE"), ("KoKang", "GPE"), ("Kokang", "ORG")])
    assert len(actors) == 1 or {a.label for a in actors} == {"GPE", "ORG"}


def test_alias_judgements_are_respected():
    base = m((("Wei Huaxin", "PERSON"), 1), (("Wei Huaxing", "PERSON"), 1), (("Ba Ba", "PERSON"), 1))
    apart = resolve_actors(base, [("Wei Huaxin", "Wei Huaxing", "different")])
    assert len([a for a in apart if a.name.startswith("Wei")]) == 2
    joined = resolve_actors(base, [("Ba Ba", "Wei Huaxin", "same")])
    big = next(a for a in joined if "Ba Ba" in a.aliases)
    assert "Wei Huaxin" in big.aliases and any(e["rule"].startswith("human") for e in big.evidence)


def test_fold():
    assert fold("Zhou Qi-ming") == fold("zhou qiming") == fold("Zhōu Qímíng")


def test_alias_command_applies_at_next_analyze(tmp_path, seeds_dir):
    db = str(tmp_path / "a.db")
    run = CliRunner().invoke
    assert run(cli, ["--db", db, "ingest", str(seeds_dir), "--analyze"]).exit_code == 0
    store = api.open_store(db)
    names = [r["name"] for r in store.execute("SELECT name FROM actors ORDER BY mentions DESC LIMIT 2")]
    assert len(names) == 2
    r = run(cli, ["--db", db, "alias", names[0], names[1], "same"])
    assert r.exit_code == 0
    assert run(cli, ["--db", db, "analyze"]).exit_code == 0
    rows = store.execute("SELECT actor FROM actor_aliases WHERE alias IN (?, ?)", names)
    assert len({r["actor"] for r in rows}) == 1
    out = run(cli, ["--db", db, "actors", "--format", "jsonl"]).output
    assert names[0] in out
