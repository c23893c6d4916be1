from click.testing import CliRunner

from scamtrace import api
from scamtrace.cli import cli
from scamtrace.knowledge.actors import fold, resolve_actor_counts, resolve_actors


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


def _resolve_incrementally(old: dict, new: dict, judgements: list) -> list:
    """The actors an incremental run leaves: those of ``old`` counts as stored, the names whose
    counts differ resolved again over their closure (knowledge.actors-incremental-v2)."""
    from collections import defaultdict

    from scamtrace.knowledge.actors import block_joins, block_prefix, name_labels, names_to_resolve, resolve_actor_counts
    stored = resolve_actor_counts(old, judgements)
    actor_of = {x: a for a in stored for x in a.aliases}
    _, label = name_labels(new)
    blocks: dict = defaultdict(list)
    for n, lab in label.items():
        blocks[(lab, block_prefix(n))].append(n)

    def neighbours(names: set) -> set:
        out = {j for n in names if n in label for j in block_joins(n, label[n], blocks[(label[n], block_prefix(n))])}
        for n in names:
            if n in actor_of:
                out.update(actor_of[n].aliases)
        return out

    changed = {k[0] for k in set(old) | set(new) if old.get(k) != new.get(k)}
    names = names_to_resolve(changed | {x for a, b, _ in judgements for x in (a, b)}, neighbours, judgements)
    kept = [a for a in stored if not names & set(a.aliases)]
    redone = resolve_actor_counts({k: n for k, n in new.items() if k[0] in names},
                                  [j for j in judgements if j[0] in names or j[1] in names])
    return sorted(kept + redone, key=lambda a: (-a.mentions, a.name))


def test_an_incremental_resolution_equals_one_over_every_name():
    import random
    rng = random.Random(5)
    given = ["Wei", "Wen", "Ming", "Min", "Zhou", "Zhao", "Ana", "Anna"]
    family = ["Huaxin", "Huaxing", "Hua-xin", "Qiming", "Qi-ming", "Xuechang", "Xue-chang", "Rihong"]
    names = sorted({f"{g} {f}" for g in given for f in family})
    for trial in range(30):
        old = {(n, rng.choice(["PERSON", "PERSON", "ORG"])): rng.randint(1, 4) for n in rng.sample(names, 25)}
        new = dict(old)
        for k in rng.sample(sorted(old), 4):   # names gone (a bridge may go), counts and labels changed
            del new[k]
        for k in rng.sample(sorted(new), 3):
            new[k] += rng.randint(1, 5)
        for n in rng.sample(names, 6):         # names arriving (variants of stored ones)
            new[(n, rng.choice(["PERSON", "ORG"]))] = rng.randint(1, 3)
        judgements = [(names[trial], names[trial + 1], "same"), (names[trial + 2], names[trial + 3], "different")]
        assert _resolve_incrementally(old, new, judgements) == sorted(
            resolve_actor_counts(new, judgements), key=lambda a: (-a.mentions, a.name)), trial


def test_block_joins_are_the_rules_pair_by_pair():
    """block_joins compares a name with its block in one rapidfuzz call: the same names as the rule
    (:func:`_join_reason`) asked pair by pair, for people (spelling ratio) and other labels (folded form)."""
    import random

    from scamtrace.knowledge.actors import _join_reason, block_joins, fold
    rng = random.Random(3)
    given = ["Wei", "Wen", "Wei-", "Ming", "Min", "W.", ""]
    family = ["Huaxin", "Huaxing", "Hua-xin", "Hua xin", "Huaxìn", "Qiming", "Rihong", ""]
    names = sorted({f"{g} {f}".strip() for g in given for f in family} | {"", "-"})
    for _ in range(200):
        block = rng.sample(names, rng.randint(0, 12))
        name = rng.choice(names)
        for label in ("PERSON", "ORG"):
            want = [m for m in block if m != name and _join_reason(label, fold(name), fold(m)) is not None]
            assert block_joins(name, label, block) == want


def test_block_joins_ask_the_rule_about_every_name_that_can_join():
    """block_joins asks the rule only about the names with a spelling ratio of at least
    PERSON_SIMILARITY (people) or the same folded form (other labels): names close in spelling but
    with another first letter, the same folded form under another spelling, a name equal to itself
    and empty names are decided as the rule decides them pair by pair."""
    from scamtrace.knowledge.actors import PERSON_SIMILARITY, _join_reason, block_joins, fold
    from rapidfuzz import fuzz

    block = ["Xwei Huaxinglong", "Ywei Huaxinglong", "Xwei Hua-xinglong", "Xwei Huaxinglon", "Xwei Huaxing",
             "XWEI HUAXÌNGLONG", "", "-", "Xwei Huaxinglong"]
    assert fuzz.ratio(fold(block[0]), fold(block[1])) >= PERSON_SIMILARITY   # close, another first letter
    for name in block + ["Xwei Huaxinglongs", "Zed"]:
        for label in ("PERSON", "ORG", "GPE"):
            want = [m for m in block if m != name and _join_reason(label, fold(name), fold(m)) is not None]
            assert block_joins(name, label, block) == want, (name, label)
    assert block_joins("Xwei Huaxinglong", "PERSON", block) == [
        "Xwei Hua-xinglong", "Xwei Huaxinglon", "XWEI HUAXÌNGLONG"]


def test_labels_of_are_name_labels():
    """labels_of gives exactly name_labels' labels (the most frequent, the smallest on a tie), on
    random counts."""
    import random

    from scamtrace.knowledge.actors import labels_of, name_labels
    rng = random.Random(5)
    for _ in range(100):
        counts = {(rng.choice("abcdefg"), rng.choice(["PERSON", "ORG", "GPE", "LOC"])): rng.randint(1, 4)
                  for _ in range(rng.randint(0, 20))}
        assert labels_of(counts) == name_labels(counts)[1]
        assert list(labels_of(counts)) == list(name_labels(counts)[1])


def test_label_is_voted_over_the_folded_form():
    """knowledge.actors-v3: names of one folded form take one label, the majority of all their mentions
    ("Việt Nam" typed ORG once and "Vietnam" GPE twice is one GPE actor); v2 voted per name and made two."""
    actors = resolve_actors(m((("Việt Nam", "ORG"), 1), (("Vietnam", "GPE"), 2), (("Li Wei", "PERSON"), 2),
                              (("Li Wei", "ORG"), 1)))
    by = {a.name: a for a in actors}
    assert set(by) == {"Vietnam", "Li Wei"}
    assert by["Vietnam"].label == "GPE" and by["Vietnam"].aliases == ["Vietnam", "Việt Nam"]
    assert by["Li Wei"].label == "PERSON" and by["Li Wei"].mentions == 3


def test_a_tie_goes_to_a_place_label_for_a_gazetteer_place():
    """A tie between labels: a place of the general gazetteer takes the place label, any other name the
    smallest label (v2's rule for every name)."""
    from scamtrace.knowledge.actors import labels_of
    assert labels_of({("Tay Ninh", "PERSON"): 1, ("Tây Ninh", "LOC"): 1}) == {"Tay Ninh": "LOC", "Tây Ninh": "LOC"}
    assert labels_of({("Tarlac", "ORG"): 2, ("Tarlac", "GPE"): 2, ("Tarlac", "PERSON"): 1}) == {"Tarlac": "GPE"}
    assert labels_of({("Zorvath", "PERSON"): 1, ("Zorvath", "ORG"): 1}) == {"Zorvath": "ORG"}


def test_an_organisation_joins_its_name_plus_a_generic_word():
    """"Amnesty" / "Amnesty International" and "Huione" / "Huione Group" are one organisation; places,
    people and body words other than the generic ones stay apart."""
    from scamtrace.knowledge.actors import join_sizes
    actors = resolve_actors(m((("Amnesty", "ORG"), 2), (("Amnesty International", "ORG"), 3),
                              (("Huione Group", "ORG"), 1), (("Huione", "ORG"), 1),
                              (("Mexico", "GPE"), 1), (("Mexico City", "GPE"), 1),
                              (("Tarlac", "ORG"), 1), (("Tarlac Police", "ORG"), 1)))
    by = {a.name: a for a in actors}
    assert by["Amnesty International"].aliases == ["Amnesty", "Amnesty International"]
    assert by["Amnesty International"].evidence == [
        {"alias": "Amnesty International", "joined": "Amnesty", "rule": "generic organisation word",
         "word": "international"}]
    assert {"Huione", "Huione Group"} in [set(a.aliases) for a in actors]
    assert {"Mexico", "Mexico City", "Tarlac", "Tarlac Police"} <= set(by)
    assert len(fold("Amnesty International")) in join_sizes(len(fold("Amnesty")), "ORG")
    assert join_sizes(6, "COMPOUND") == [6]


def test_a_subdivision_joins_its_name_plus_a_place_word():
    """"Bokeo" / "Bokeo province" and "Kayin" / "Kayin State" are one place (subdivisions of the gazetteer);
    "Mexico" / "Mexico City" and a name of no subdivision stay apart, and so do people named so."""
    from scamtrace.knowledge.actors import join_sizes
    actors = resolve_actors(m((("Bokeo", "GPE"), 2), (("Bokeo province", "GPE"), 1), (("Kayin State", "GPE"), 2),
                              (("Kayin", "GPE"), 1), (("Mexico", "GPE"), 1), (("Mexico City", "GPE"), 1),
                              (("Zorvath", "GPE"), 1), (("Zorvath Province", "GPE"), 1)))
    groups = sorted(sorted(a.aliases) for a in actors)
    assert ["Bokeo", "Bokeo province"] in groups and ["Kayin", "Kayin State"] in groups
    assert ["Mexico"] in groups and ["Zorvath"] in groups
    by = {a.name: a for a in actors}
    assert by["Bokeo"].evidence == [{"alias": "Bokeo province", "joined": "Bokeo",
                                     "rule": "subdivision and its place word", "word": "province"}]
    assert len(fold("Bokeo province")) in join_sizes(len(fold("Bokeo")), "GPE")


def test_country_names_and_codes_name_one_country_and_ambiguous_codes_do_not():
    """extract.places.country_code: a country's names and its news codes in capitals or dotted; not a code
    that is a word or another thing's acronym ("IT", "AI" is Anguilla's, "CAN"), not "Us", not "A.I."."""
    from scamtrace.extract.places import NEWS_COUNTRY_CODES, country_code, country_forms
    for name in ("US", "U.S.", "USA", "U.S.A.", "United States", "United States of America", "the United States"):
        assert country_code(name) == "US", name
    assert country_code("UK") == country_code("U.K.") == country_code("United Kingdom") == "GB"
    assert country_code("Republic of Korea") == country_code("South Korea") == country_code("ROK") == "KR"
    for name in ("IT", "AI", "IN", "CAN", "PNG", "Us", "A.I.", "I.T.", "Korea", "Amnesty", ""):
        assert country_code(name) is None, name
    assert set(NEWS_COUNTRY_CODES) <= {"US", "USA", "UK", "UAE", "PRC", "ROK", "DPRK", "DRC"}
    assert {fold(n) for n in ("US", "United States", "United States of America")} <= set(country_forms("US"))


def test_names_of_one_country_are_one_place_actor():
    """knowledge.actors-v4: "US", "U.S." and "United States" (places) are one actor named by its full name,
    with the rule as evidence; "IT" and "AI" as places, and "US" as an organisation, join nothing."""
    actors = resolve_actors(m((("US", "GPE"), 3), (("U.S.", "GPE"), 2), (("United States", "GPE"), 2),
                              (("UAE", "GPE"), 3), (("United Arab Emirates", "GPE"), 1),
                              (("AI", "GPE"), 1), (("Anguilla", "GPE"), 1), (("IT", "GPE"), 1), (("Italy", "GPE"), 1),
                              (("USA", "ORG"), 1)))
    by = {a.name: a for a in actors}
    assert by["United States"].aliases == ["U.S.", "US", "United States"]
    assert by["United States"].mentions == 7 and by["United States"].label == "GPE"
    assert {"alias": "United States", "joined": "U.S.", "rule": "same country", "country": "US"} in by[
        "United States"].evidence
    assert by["United Arab Emirates"].aliases == ["UAE", "United Arab Emirates"]   # the full name, not the code
    assert {"AI", "Anguilla", "IT", "Italy", "USA"} <= set(by)


def test_an_acronym_defined_in_a_text_joins_its_long_name_across_the_store():
    """knowledge.actors-v4: an acronym a text defines ("Department of Justice (DOJ)") and its long name are
    one actor named by the long name, the defining article as evidence; not for places ("SEZ" names many
    zones), nor without a definition, nor against a "different" judgement."""
    counts = {("DOJ", "ORG"): 12, ("Department of Justice", "AGENCY"): 10, ("SEZ", "ORG"): 3,
              ("Golden Triangle Special Economic Zone", "LOC"): 5, ("PAOCC", "ORG"): 1, ("NBI", "ORG"): 2,
              ("Presidential Anti-Organized Crime Commission", "ORG"): 2}
    defined = {("DOJ", "Department of Justice"): "a1", ("SEZ", "Golden Triangle Special Economic Zone"): "a2",
               ("PAOCC", "Presidential Anti-Organized Crime Commission"): "a3"}
    by = {a.name: a for a in resolve_actor_counts(counts, (), defined)}
    assert by["Department of Justice"].aliases == ["DOJ", "Department of Justice"]
    assert by["Department of Justice"].label == "AGENCY" and by["Department of Justice"].mentions == 22
    assert by["Department of Justice"].evidence == [{"alias": "DOJ", "joined": "Department of Justice",
                                                     "rule": "acronym defined in the text", "article": "a1"}]
    assert {"SEZ", "Golden Triangle Special Economic Zone", "NBI"} <= set(by)
    assert by["Presidential Anti-Organized Crime Commission"].aliases[0] == "PAOCC"
    apart = {a.name for a in resolve_actor_counts(counts, [("DOJ", "Department of Justice", "different")], defined)}
    assert {"DOJ", "Department of Justice"} <= apart
    assert "DOJ" in {a.name for a in resolve_actor_counts(counts)}


def test_the_extract_stage_records_an_acronym_defined_in_brackets():
    """extract.entities-v6: "Department of Justice (DOJ)" makes the bracketed acronym a mention of the long
    name (source "acronym"), and a later "DOJ" alone too; an acronym that is not the initials stays itself."""
    from scamtrace.extract.entities import acronym_of, find_entities
    assert acronym_of("DOJ", "Department of Justice") and acronym_of("DJ", "Department of Justice")
    assert acronym_of("PAOCC", "Presidential Anti-Organized Crime Commission")
    assert acronym_of("DSWD", "Department of Social Welfare and Development")
    assert not acronym_of("USDT", "Tether") and not acronym_of("DOJ", "Department of Labor")
    text = ("The Ministry of Public Security (MOPS) filed the case on Monday. An official of the MOPS said more "
            "would follow. Interpol (XYZ) did not comment.")
    ms = find_entities(text, use_model=False)
    acr = [x for x in ms if x.text == "MOPS"]   # (the rules recognise no later "MOPS" alone)
    assert [(x.canonical, x.label, x.source, x.start) for x in acr] == [
        ("Ministry of Public Security", "AGENCY", "acronym", text.index("MOPS"))]
    assert not [x for x in ms if x.text == "XYZ"]
    from scamtrace.extract.entities import _defined_acronyms
    from scamtrace.model import Mention
    text = "The Department of Justice (DOJ) filed it. The DOJ said so."
    ms = [Mention("Department of Justice", "AGENCY", 4, 25, "Department of Justice", source="model"),
          Mention("DOJ", "ORG", 27, 30, "DOJ", source="model"), Mention("DOJ", "ORG", 46, 49, "DOJ", source="model")]
    out = _defined_acronyms(text, ms)
    assert [(x.canonical, x.label, x.source) for x in out[1:]] == [
        ("Department of Justice", "AGENCY", "acronym"), ("Department of Justice", "ORG", "model")]


def test_fold_reads_letters_nfkd_keeps():
    """knowledge.actors-v4: "Đồng Nai" and "Dong Nai" fold alike (v3 kept the "đ")."""
    assert fold("Đồng Nai") == fold("Dong Nai") == "dongnai"
    (actor,) = resolve_actors(m((("Đồng Nai", "GPE"), 2), (("Dong Nai", "GPE"), 1)))
    assert actor.aliases == ["Dong Nai", "Đồng Nai"]
