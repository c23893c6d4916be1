"""copies.pairmodel-v1: the learned fallback for pairs the rules call unrelated (off unless $SCAMTRACE_PAIRMODEL is
set). The packaged weights load and are versioned; off by default; a fallback link carries the model's evidence; the
model never changes a link the rules make nor links a quotation-only pair; training is deterministic. Texts and rows
are invented here."""
from __future__ import annotations

import json

import pytest

from scamtrace.copies import classify_pair
from scamtrace.copies import pairmodel as pm
from scamtrace.copies.classify import CLASSIFY_ALGORITHM, relate, relate_rules
from scamtrace.copies.features import Pair
from scamtrace.eval.pairmodel import MIN_THRESHOLD, Row, choose_threshold, train
from scamtrace.model import Article

SOURCE = ("Police in the northern province said on Monday that 57 workers were freed from a compound near the river "
          "town of Barrow Creek after a raid that lasted two days.\n\n"
          "The workers, who came from four countries, told officers they had been forced to run online fraud "
          "schemes under threat of beatings and fines.\n\n"
          "Inspector Lanner Voss said the operation followed a tip from relatives who had paid a ransom of 4,000 "
          "dollars for one of the captives.\n\n"
          "Eleven guards were detained and the compound's owner, Teodor Quill, is being sought, the statement added.")
REWORDED = ("Fifty-seven people held at a compound close to Barrow Creek regained their freedom after a two-day "
            "police operation, northern province authorities announced Monday.\n\n"
            "According to investigators, the victims, from four different nations, had been compelled to carry out "
            "internet fraud, facing beatings and penalties if they refused.\n\n"
            "Families of the captives, one of whom had handed over 4,000 dollars, alerted police, Inspector Lanner "
            "Voss explained.\n\n"
            "Authorities arrested eleven guards; Teodor Quill, who owns the site, remains wanted.")


def _model_file(tmp_path, bias: float, threshold: float = 0.9, weights: dict[str, float] | None = None) -> str:
    w = weights or {}
    data = {"algorithm": "copies.pairmodel-v1", "features": list(pm.FEATURES), "mean": [0.0] * len(pm.FEATURES),
            "scale": [1.0] * len(pm.FEATURES), "weights": [w.get(f, 0.0) for f in pm.FEATURES], "bias": bias,
            "threshold": threshold, "meta": {"trained_on": ["invented"]}}
    p = tmp_path / f"model-{len(list(tmp_path.iterdir()))}.json"   # a new name each time (models load once per path)
    p.write_text(json.dumps(data), encoding="utf-8")
    return str(p)


@pytest.fixture
def use_model(monkeypatch):
    def _use(path: str) -> None:
        monkeypatch.setenv(pm.PAIRMODEL_ENV, path)
    yield _use
    pm._load.cache_clear()


def test_packaged_model_loads_and_is_versioned(monkeypatch):
    monkeypatch.setenv(pm.PAIRMODEL_ENV, "on")
    m = pm.load_model()
    assert m.name == pm.PAIRMODEL_ALGORITHM == "copies.pairmodel-v1"
    assert m.features == pm.FEATURES and len(m.weights) == len(pm.FEATURES)
    assert MIN_THRESHOLD <= m.threshold <= 1.0
    assert "realnews-dev" in " ".join(m.meta["trained_on"]) and "ECB+" in " ".join(m.meta["trained_on"])


def test_the_fallback_is_off_by_default(tmp_path, monkeypatch, use_model):
    monkeypatch.delenv(pm.PAIRMODEL_ENV, raising=False)
    assert not pm.enabled() and CLASSIFY_ALGORITHM in ("copies.classify-v12", "copies.classify-v13")
    off = relate(Pair(SOURCE, REWORDED))
    assert off.relation is None and "pair_model" not in off.features
    use_model(_model_file(tmp_path, bias=50.0, threshold=0.9))
    assert pm.enabled() and relate(Pair(SOURCE, REWORDED)).relation == "rewrite"
    assert relate(Pair(SOURCE, REWORDED), use_model=False).relation is None


def test_a_malformed_model_file_is_a_clear_error(tmp_path, use_model):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"algorithm": "copies.pairmodel-v1", "features": ["x"], "mean": [0], "scale": [1],
                               "weights": [1], "bias": 0, "threshold": 0.9}), encoding="utf-8")
    use_model(str(bad))
    with pytest.raises(ValueError, match="bad.json.*features do not match"):
        pm.load_model()
    use_model(str(tmp_path / "missing.json"))
    with pytest.raises(ValueError, match="no such file"):
        pm.load_model()


def test_rules_alone_find_no_relation_in_the_invented_rewrite():
    verdict, _feats, sh = relate_rules(Pair(SOURCE, REWORDED))
    assert verdict is None and sh is not None


def test_a_fallback_link_carries_the_model_evidence(tmp_path, use_model):
    use_model(_model_file(tmp_path, bias=-3.0, threshold=0.9, weights={"anchor_share": 6.0, "term_containment": 4.0}))
    a = Article(id="a", source="t", text=SOURCE)
    b = Article(id="b", source="t", text=REWORDED)
    link = classify_pair(a, b)
    assert link is not None and link.relation == "rewrite" and link.algorithm == CLASSIFY_ALGORITHM
    ev = link.evidence["features"]["pair_model"]
    assert ev["algorithm"] == "copies.pairmodel-v1" and ev["threshold"] == 0.9 and ev["score"] >= 0.9 and ev["link"]
    assert set(ev["contributions"]) == set(pm.FEATURES)
    top = next(iter(ev["contributions"]))
    assert top in ("anchor_share", "term_containment")           # largest contribution first
    assert ev["contributions"]["anchor_share"]["contribution"] == pytest.approx(
        6.0 * ev["contributions"]["anchor_share"]["value"], abs=1e-3)
    # below the threshold: no link, and the score is still recorded for the rejected pair
    use_model(_model_file(tmp_path, bias=-3.0, threshold=1.0, weights={"anchor_share": 6.0}))
    v = relate(Pair(SOURCE, REWORDED))
    assert v.relation is None and v.features["pair_model"]["link"] is False


def test_the_model_never_changes_a_rules_link(tmp_path, use_model):
    copy = SOURCE.replace("Monday", "Tuesday")
    pairs = [(SOURCE, copy), (SOURCE, SOURCE.split("\n\n")[0] + "\n\n" + SOURCE.split("\n\n")[1])]
    use_model(_model_file(tmp_path, bias=-50.0, threshold=0.9))       # never links
    never = [relate(Pair(x, y)) for x, y in pairs]
    use_model(_model_file(tmp_path, bias=50.0, threshold=0.9))        # would link everything
    always = [relate(Pair(x, y)) for x, y in pairs]
    for n, a in zip(never, always):
        assert n.relation is not None and n.relation == a.relation and n.strength == a.strength
        assert "pair_model" not in a.features


def test_a_quotation_only_pair_is_never_scored(tmp_path, use_model):
    quote = '"We will not rest until every worker held in these compounds is home with their families," she said.'
    x = "Officials in Barrow Creek met relatives on Monday. " + quote + " The meeting lasted an hour."
    y = "A charity in the capital held a vigil on Friday night for the missing. " + quote + " Candles were lit."
    use_model(_model_file(tmp_path, bias=50.0, threshold=0.9))
    v = relate(Pair(x, y))
    assert v.relation is None and "pair_model" not in v.features


def _rows() -> list[Row]:
    rows = []
    for i in range(40):
        pos = i % 4 == 0
        v = (i * 37 % 100) / 100
        x = {f: 0.0 for f in pm.FEATURES}
        x.update({"anchor_share": 0.5 * v + (0.5 if pos else 0.0), "term_containment": v, "jaccard": (i % 7) / 10})
        rows.append(Row("realnews" if i % 2 else "ecbplus", "A", f"a{i}", f"b{i}", int(pos), "k", None, False, x))
    return rows


def test_training_is_deterministic_and_its_threshold_links_no_training_negative():
    m1, m2 = train(_rows()), train(list(_rows()))
    assert json.dumps(m1.to_dict()) == json.dumps(m2.to_dict())
    assert m1.name == pm.PAIRMODEL_ALGORITHM
    worst = max(m1.score(r.x)[0] for r in _rows() if r.label == 0)
    assert m1.threshold > worst and m1.threshold == choose_threshold(m1, _rows())
    # the saved form loads back as the same model
    again = pm.parse_model(json.loads(json.dumps(m1.to_dict())), "fixture")
    assert again == m1


def test_a_training_row_is_the_same_whichever_way_the_pair_is_given():
    from scamtrace.copies.features import prepare
    from scamtrace.eval.pairmodel import pair_row
    a = prepare(Article(id="a", source="t", text=SOURCE))
    b = prepare(Article(id="b", source="t", text=REWORDED))
    r1 = pair_row(a, b, source="fixture", group="A", label=1, kind="rewrite")
    r2 = pair_row(b, a, source="fixture", group="A", label=1, kind="rewrite")
    assert r1.to_dict() == r2.to_dict() and (r1.a, r1.b) == ("a", "b")
    assert r1.rules is None and set(r1.x) == set(pm.FEATURES)
    assert all(0.0 <= v <= 1.0 for v in r1.x.values())
