"""Evaluation of the ``extract`` stage against gold JSONL files (figures and quotes).

Figures: a predicted figure matches a gold one when the values are equal, ``what`` matches and the
dates are equal (or both None). Two matchers exist, named like every algorithm:

* ``eval.figures-v1``: ``what`` matches when rapidfuzz ``token_set_ratio`` >= :data:`WHAT_MIN_RATIO`
  or the two share a head noun from a fixed list (:func:`what_matches`).
* ``eval.figures-v2`` (default, :func:`what_matches_v2`): v1, or one of three fairer tests that
  v1 missed on figures that were plainly right (see the function for each): nouns compared after
  lemmatising and through tight synonym sets (troops/soldiers/forces, nationals/citizens,
  structures/buildings, nations/countries); the unit of a measure, duration, money or thing
  ("hectares", "km", "USD", "phones") agreeing when the gold ``what`` describes the role of the
  number ("area of the zone"); loose person nouns (people/workers/nationals/staff) only when the gold
  noun is also in the predicted figure's sentence. A prediction's bracketed conversion
  ("2.3 billion baht ($68 million)") may match a gold line that lists the conversion as a figure
  of its own; such a conversion is never counted as a false positive. Quotes: the gold ``quote`` (a distinctive substring) is contained in the
predicted quote and the gold speaker's last name is among the predicted speaker's word tokens (punctuation
does not count; a gold line without a speaker needs a prediction without one; both since round 2). Matching
is one-to-one (greedy, in order). Gold lines with ``"optional": true`` (boilerplate a cleaner may
remove) count neither as misses nor, when matched, as false positives.

Gold lines: ``{"key","value","unit","what","qualifier","date","claimant"}`` and
``{"key","quote","speaker","role"}``; ``key`` is the seed file's basename.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import time
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, is_dataclass
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from ..errors import GoldFileError, InvalidRequest, ScamtraceError
from ..settings import shared_dir
from .scores import prf
from ..model import Article, RawDoc
from ..extract import extract, load_nlp
from ..clean import clean_doc

#: token_set_ratio at or above which two ``what`` descriptions name the same thing (brief's rule).
WHAT_MIN_RATIO = 70

#: Publication dates of the seed articles, judged from their text: 000/001 are the AP story of
#: late November 2023 (it reports a handover "on Nov. 28"); 002 is China Digital Times of Friday
#: 21 Feb 2025 ("reported on Thursday" the NYT piece of 20 Feb); 003/004 are the AP story of
#: Tuesday 24 Oct 2023 (004's dateline says so; "The ministry announced Tuesday").
SEED_PUBLISHED: dict[str, dt.date] = {
    "000_026f2d61648762a1.txt": dt.date(2023, 11, 30),
    "001_de2e826e83053037.txt": dt.date(2023, 11, 30),
    "002_3796841627c25126.txt": dt.date(2025, 2, 21),
    "003_cfc2d4350f15f680.txt": dt.date(2023, 10, 24),
    "004_e52f63ebff88f6ac.txt": dt.date(2023, 10, 24),
}

_HEAD_NOUNS = frozenset("""people persons individuals suspects victims workers nationals citizens players members men
women children scammers criminals officers police defendants leaders folks airlifts flights compounds buildings
operations raids revenue yuan dollars baht kyat""".split())


@dataclass(slots=True)
class Score:
    tp: int
    fp: int
    fn: int
    matches: list[tuple[int, int]]

    @property
    def precision(self) -> float:
        return prf(self.tp, self.tp + self.fp, self.tp + self.fn, empty=1.0)[0]

    @property
    def recall(self) -> float:
        return prf(self.tp, self.tp + self.fp, self.tp + self.fn, empty=1.0)[1]

    @property
    def f1(self) -> float:
        return prf(self.tp, self.tp + self.fp, self.tp + self.fn, empty=1.0)[2]

    def as_dict(self) -> dict[str, float | int]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


def _as_dict(x: Any) -> dict[str, Any]:
    if is_dataclass(x) and not isinstance(x, type):
        return asdict(x)
    if isinstance(x, Mapping):
        return dict(x)
    raise ValueError(f"expected a record dataclass or a mapping, got {type(x).__name__}")


def _norm(s: str | None) -> str:
    s = (s or "").replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return re.sub(r"\s+", " ", s).strip().lower()


def head_nouns(what: str | None) -> set[str]:
    """Count nouns of a ``what`` description ("suspects handed over" -> {"suspects"})."""
    return {w for w in re.findall(r"[a-z]+", _norm(what)) if w in _HEAD_NOUNS}


def what_matches(pred: str | None, gold: str | None) -> bool:
    """The brief's rule: token_set_ratio >= WHAT_MIN_RATIO, or a shared head noun."""
    a, b = _norm(pred), _norm(gold)
    return fuzz.token_set_ratio(a, b) >= WHAT_MIN_RATIO or bool(head_nouns(a) & head_nouns(b))


#: Name of each figure matcher; :data:`FIGURE_MATCHER` is the one the store evaluation uses.
MATCHER_V1 = "eval.figures-v1"
MATCHER_V2 = "eval.figures-v2"
FIGURE_MATCHER = MATCHER_V2

_IRREGULAR = {"men": "man", "women": "woman", "people": "person", "children": "child", "policemen": "policeman",
              "policemans": "policeman", "feet": "foot", "buses": "bus", "staff": "staff", "police": "police", "series": "series"}
#: Tight synonyms: words that name the same counted thing in any text (canonical form first).
_SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("soldier", "troop", "force", "fighter", "militiaman"),
    ("national", "citizen"),
    ("officer", "policeman", "police", "cop"),
    ("building", "structure"),
    ("country", "nation"),
    ("phone", "handset", "smartphone"),
    ("person", "individual"),
    ("computer", "laptop"),
    ("flight", "airlift", "plane"),
    ("km", "kilometer", "kilometre"),
    ("meter", "metre"),
    ("fine", "penalty"),
)
_CANON = {w: group[0] for group in _SYNONYMS for w in group}
#: Loose person nouns: the same people may be called any of these, but only the text can say so.
_PERSON_NOUNS = frozenset("""person national worker staff employee foreigner victim resident migrant man woman citizen
individual member suspect detainee returnee laborer labourer""".split())
#: Units that say nothing about what is counted beyond "people": left to the noun tests.
_PERSON_UNITS = frozenset({"people", "person", "soldiers", "officers", "workers", "nationals"})
_STOP = frozenset("""the a an of in on at to for from by with and or but as than per its their his her this that these
those who which was were is are be been has have had into over under about some other""".split())


def lemma(word: str) -> str:
    """A crude English noun lemma, enough for plural count nouns ("countries" -> "country")."""
    w = word.lower().strip("'’")
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 4 and re.search(r"(?:ch|sh|ss|x)es$", w):
        return w[:-2]
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def _canon(word: str) -> str:
    lw = lemma(word)
    return _CANON.get(lw, lw)


def _nouns(what: str | None) -> set[str]:
    """Canonical lemmas of the content words of a ``what`` (stop words and numbers dropped)."""
    return {_canon(w) for w in re.findall(r"[a-z][a-z-]*", _norm(what)) if w not in _STOP}


def _unit_word(unit: str | None) -> str:
    return _canon((unit or "").split()[-1]) if unit else ""


def _shared_noun(pred: Mapping[str, Any], gold: Mapping[str, Any]) -> bool:
    """v2 test 1: a gold head noun (from v1's list, a tight synonym set or the gold unit) in the prediction."""
    heads = {_canon(w) for w in head_nouns(gold.get("what"))} | {c for c in _nouns(gold.get("what")) if c in _CANON.values()}
    unit = _unit_word(gold.get("unit"))
    if unit and unit not in _PERSON_NOUNS:
        heads.add(unit)
    heads -= _PERSON_NOUNS - set(_CANON.values())   # loose person nouns go through test 3
    return bool(heads & (_nouns(pred.get("what")) | {_unit_word(pred.get("unit"))}))


def _same_unit(pred: Mapping[str, Any], gold: Mapping[str, Any]) -> bool:
    """v2 test 2: the same non-person unit ("hectares", "km", "USD"): the number measures the same thing."""
    g, p = (gold.get("unit") or "").strip(), (pred.get("unit") or "").strip()
    if not g or not p or g.lower() in _PERSON_UNITS:
        return False
    return g == p or _unit_word(g) == _unit_word(p)


def _person_noun_in_text(pred: Mapping[str, Any], gold: Mapping[str, Any]) -> bool:
    """v2 test 3: both name people with loose nouns, and the gold's noun is in the predicted figure's sentence."""
    sentence = {_canon(w) for w in re.findall(r"[a-z][a-z-]*", _norm(pred.get("sentence")))}
    pred_people = (_nouns(pred.get("what")) | {_unit_word(pred.get("unit"))}) & (_PERSON_NOUNS | {"person"})
    if not pred_people or not sentence:
        return False
    gold_words = re.findall(r"[A-Za-z][a-z-]*", gold.get("what") or "")
    gold_people = {_canon(w) for w in gold_words if _canon(w) in _PERSON_NOUNS}
    # demonyms: "Indonesians", "Chinese", or a capitalised word before a person noun ("Lao citizens")
    demonyms = {lemma(w) for i, w in enumerate(gold_words) if w[:1].isupper() and (
        re.search(r"(?:ans|ese|is|ch)$", w) or (i + 1 < len(gold_words) and _canon(gold_words[i + 1]) in _PERSON_NOUNS))}
    return bool((gold_people | demonyms) & sentence)


def what_matches_v2(pred: Mapping[str, Any], gold: Mapping[str, Any]) -> tuple[bool, str]:
    """``eval.figures-v2``: (matches, which test matched) for two figure records (``what``, ``unit``, ``sentence``)."""
    if what_matches(pred.get("what"), gold.get("what")):
        return True, "v1"
    for name, test in (("shared noun", _shared_noun), ("same unit", _same_unit), ("person noun in text", _person_noun_in_text)):
        if test(pred, gold):
            return True, name
    return False, ""


def figure_matches(pred: Mapping[str, Any], gold: Mapping[str, Any], matcher: str = FIGURE_MATCHER) -> bool:
    """Same value, same date (or both None) and a matching ``what`` under ``matcher``."""
    if matcher not in (MATCHER_V1, MATCHER_V2):
        raise InvalidRequest(f"unknown figure matcher {matcher!r}; use {MATCHER_V1!r} or {MATCHER_V2!r}")
    if not _same_value(pred, gold) or (pred.get("date") or None) != (gold.get("date") or None):
        return False
    if matcher == MATCHER_V1:
        return what_matches(pred.get("what"), gold.get("what"))
    return what_matches_v2(pred, gold)[0]


def quote_matches(pred: Mapping[str, Any], gold: Mapping[str, Any]) -> bool:
    if _norm(gold.get("quote")) not in _norm(pred.get("quote")):
        return False
    if not _norm(gold.get("speaker")):
        return not _norm(pred.get("speaker"))   # the gold says nobody is named: neither may the prediction
    gold_last = re.findall(r"[\w'-]+", _norm(gold.get("speaker")))[-1:] or [""]
    return bool(gold_last[0]) and gold_last[0] in re.findall(r"[\w'-]+", _norm(pred.get("speaker")))


def _match(pred: list[dict[str, Any]], gold: list[dict[str, Any]], same) -> Score:
    """Greedy one-to-one matching; predictions marked ``_optional`` never count as false positives."""
    used: set[int] = set()
    matches: list[tuple[int, int]] = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            if pi not in used and p.get("key", g.get("key")) == g.get("key") and same(p, g):
                used.add(pi)
                matches.append((pi, gi))
                break
    matched_gold = {gi for _pi, gi in matches}
    optional_hits = sum(1 for _pi, gi in matches if gold[gi].get("optional"))
    tp = len(matches) - optional_hits
    fn = sum(1 for gi, g in enumerate(gold) if gi not in matched_gold and not g.get("optional"))
    fp = sum(1 for pi, p in enumerate(pred) if pi not in used and not p.get("_optional"))
    return Score(tp=tp, fp=fp, fn=fn, matches=matches)


def with_conversions(preds: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``preds`` followed by one optional pseudo-prediction per bracketed conversion ("($68 million)").

    The extractor stores a conversion with the figure it converts; a gold file may list it as a
    figure of its own. The pseudo-prediction carries the conversion's value and unit and the
    figure's ``what`` (its currency word replaced by the conversion's unit) and date; it is
    ``_optional``: a match counts, no match is no false positive.
    """
    conv = {(p.get("key"), p.get("converted_value"), p.get("converted_unit")) for p in preds
            if p.get("converted_value") is not None}
    # extract.figures-v4 also stores the equivalent as a figure of its own: optional like the pseudo one
    out = [{**p, "_optional": True} if (p.get("key"), p.get("value"), p.get("unit")) in conv else p for p in preds]
    stored = {(p.get("key"), p.get("value"), p.get("unit")) for p in preds}
    for p in preds:
        if p.get("converted_value") is None or not p.get("converted_unit"):
            continue
        if (p.get("key"), p["converted_value"], p["converted_unit"]) in stored:
            continue
        out.append({**p, "value": p["converted_value"], "unit": p["converted_unit"], "converted_value": None,
                    "converted_unit": None, "_optional": True, "_conversion_of": p.get("id", p.get("start"))})
    return out


def evaluate_figures(pred: Iterable[Any], gold: Iterable[Mapping[str, Any]], matcher: str = FIGURE_MATCHER) -> Score:
    """Precision/recall/F1 of predicted figures (records or dicts with ``key``) against gold lines.

    Under ``eval.figures-v2`` the predictions' conversions take part (:func:`with_conversions`);
    ``Score.matches`` then index the extended list, whose head is the predictions in order.
    """
    preds = [_as_dict(p) for p in pred]
    if matcher == MATCHER_V2:
        preds = with_conversions(preds)
    return _match(preds, [dict(g) for g in gold], lambda p, g: figure_matches(p, g, matcher))


def evaluate_quotes(pred: Iterable[Any], gold: Iterable[Mapping[str, Any]]) -> Score:
    """Precision/recall/F1 of quote attribution against gold lines."""
    return _match([_as_dict(p) for p in pred], [dict(g) for g in gold], quote_matches)


def claimant_accuracy(pred: list[Any], gold: list[Mapping[str, Any]], score: Score) -> float:
    """Share of matched figures whose claimant agrees (both None, or one contains the other's last word)."""
    preds = _extended([_as_dict(p) for p in pred], score)
    ok = total = 0
    for pi, gi in score.matches:
        g, p = gold[gi].get("claimant"), preds[pi].get("claimant")
        total += 1
        if not g and not p:
            ok += 1
        elif g and p and (_norm(g).split(" ")[-1] in _norm(p) or _norm(p).split(" ")[-1] in _norm(g)):
            ok += 1
    return ok / total if total else 1.0


def _extended(preds: list[dict[str, Any]], score: Score) -> list[dict[str, Any]]:
    """The prediction list ``score`` indexes: with conversions when a match points past the end."""
    return with_conversions(preds) if any(pi >= len(preds) for pi, _ in score.matches) else preds


def error_report(pred: list[Any], gold: list[Mapping[str, Any]], score: Score, kind: str,
                 matcher: str = FIGURE_MATCHER) -> dict[str, list[dict[str, Any]]]:
    """Misses and false positives of one scoring, grouped by article key, for error analysis.

    ``kind`` is ``"figures"`` or ``"quotes"``. A missed figure lists the predictions of the same
    article with the same value (``near``) and says whether their ``what`` and ``date`` would match,
    so a miss can be told apart as a unit, description or date problem.
    """
    if kind not in ("figures", "quotes"):
        raise InvalidRequest(f"error_report kind must be 'figures' or 'quotes', got {kind!r}")
    preds = _extended([_as_dict(p) for p in pred], score)
    matched_p = {pi for pi, _ in score.matches}
    matched_g = {gi for _, gi in score.matches}
    out: dict[str, list[dict[str, Any]]] = {}
    for gi, g in enumerate(gold):
        if gi in matched_g or g.get("optional"):
            continue
        keys = FIGURE_KEYS if kind == "figures" else QUOTE_KEYS
        row: dict[str, Any] = {"type": "miss", **{k: g.get(k) for k in keys}}
        if kind == "figures":
            row["near"] = [{"what": p.get("what"), "date": p.get("date"),
                            "what_matches": (what_matches(p.get("what"), g.get("what")) if matcher == MATCHER_V1
                                             else what_matches_v2(p, g)[0]),
                            "date_matches": (p.get("date") or None) == (g.get("date") or None)}
                           for p in preds if p.get("key") == g.get("key") and _same_value(p, g)]
        out.setdefault(str(g.get("key")), []).append(row)
    for pi, p in enumerate(preds):
        if pi not in matched_p and not p.get("_optional"):
            fields = (("value", "unit", "what", "date", "claimant", "text") if kind == "figures"
                      else ("quote", "speaker", "attribution"))
            out.setdefault(str(p.get("key")), []).append({"type": "false positive", **{k: p.get(k) for k in fields}})
    return out


def _same_value(p: Mapping[str, Any], g: Mapping[str, Any]) -> bool:
    try:
        return float(p["value"]) == float(g["value"])
    except (TypeError, ValueError, KeyError):
        return False


def load_gold(path: str | Path, required: tuple[str, ...]) -> list[dict[str, Any]]:
    """Read a gold JSONL file; GoldFileError names the file and line of a malformed record."""
    p = Path(path)
    out = []
    for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as e:
            raise GoldFileError(f"{p}:{i}: not JSON ({e.msg}); fix the line") from None
        missing = [k for k in required if k not in rec]
        if missing:
            raise GoldFileError(f"{p}:{i}: missing {', '.join(missing)}; every line needs {', '.join(required)}")
        out.append(rec)
    return out


FIGURE_KEYS = ("key", "value", "unit", "what", "qualifier", "date", "claimant")
QUOTE_KEYS = ("key", "quote", "speaker", "role")


def seed_articles(seeds: Path) -> list[Any]:
    """The seed files as Articles, cleaned with ``scamtrace.clean.clean_doc``."""
    arts = []
    for path in sorted(seeds.glob("*.txt")):
        body = path.read_text(encoding="utf-8")
        try:
            res = clean_doc(RawDoc(source=str(path), body=body, fmt="text"))
        except ScamtraceError:
            res = None   # the cleaner rejected it: evaluate the raw text instead
        art = res if isinstance(res, Article) else None
        if art is None:
            art = Article(id=path.name, source=str(path), text=body)
        art.id = path.name
        art.published = SEED_PUBLISHED.get(path.name, art.published)
        arts.append(art)
    return arts


def run(seeds: Path, gold_dir: Path, use_model: bool | None) -> dict[str, Any]:
    """Extract every seed and score it against the gold files; returns the report as a dict."""
    arts = seed_articles(seeds)
    preds_f: list[dict[str, Any]] = []
    preds_q: list[dict[str, Any]] = []
    for art in arts:
        ex = extract(art, use_model=use_model)
        preds_f += [{**asdict(f), "key": art.id} for f in ex.figures]
        preds_q += [{**asdict(q), "key": art.id} for q in ex.quotes]
    gold_f = load_gold(gold_dir / "seeds_figures.jsonl", FIGURE_KEYS)
    gold_q = load_gold(gold_dir / "seeds_quotes.jsonl", QUOTE_KEYS)
    sf, sq = evaluate_figures(preds_f, gold_f), evaluate_quotes(preds_q, gold_q)
    return {"figures": sf.as_dict(), "claimant_accuracy": round(claimant_accuracy(preds_f, gold_f, sf), 4),
            "quotes": sq.as_dict(),
            "unmatched_pred_figures": [(p["key"][:3], p["value"], p["what"], p["date"]) for i, p in enumerate(preds_f)
                                       if i not in {pi for pi, _ in sf.matches}],
            "missed_gold_figures": [(g["key"][:3], g["value"], g["what"], g["date"]) for i, g in enumerate(gold_f)
                                    if i not in {gi for _, gi in sf.matches} and not g.get("optional")],
            "unmatched_pred_quotes": [(p["key"][:3], p["quote"][:40], p["speaker"]) for i, p in enumerate(preds_q)
                                      if i not in {pi for pi, _ in sq.matches}],
            "missed_gold_quotes": [(g["key"][:3], g["quote"], g["speaker"]) for i, g in enumerate(gold_q)
                                   if i not in {gi for _, gi in sq.matches}]}


def throughput(seeds: Path, use_model: bool | None, copies: int) -> float:
    """Articles per second over the seeds replicated ``copies`` times (pipeline loaded beforehand)."""
    arts = seed_articles(seeds)
    if use_model is not False:
        load_nlp()
    t0 = time.perf_counter()
    n = 0
    for _ in range(copies):
        for art in arts:
            extract(art, use_model=use_model)
            n += 1
    return n / (time.perf_counter() - t0)


def main(argv: list[str] | None = None) -> int:
    """``python -m scamtrace.eval.extract [--rules] [--throughput N]``: print the report as JSON."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=Path, default=None, help="the seed articles (default: $SCAMTRACE_SHARED/seeds)")
    ap.add_argument("--gold", type=Path, required=True,
                    help="the folder with seeds_figures.jsonl and seeds_quotes.jsonl (tests/gold in the clone)")
    ap.add_argument("--rules", action="store_true", help="force the rule-based entity recogniser")
    ap.add_argument("--throughput", type=int, default=0, metavar="N", help="also time N replicas of the seeds")
    args = ap.parse_args(argv)
    try:
        seeds = args.seeds or shared_dir("seeds/") / "seeds"
    except ScamtraceError as e:
        ap.error(f"{e} (--seeds DIR)")
    use_model = False if args.rules else None
    report = run(seeds, args.gold, use_model)
    if args.throughput:
        report["articles_per_second"] = round(throughput(seeds, use_model, args.throughput), 2)
    sys.stdout.write(json.dumps(report, indent=1, ensure_ascii=False) + "\n")   # entry point, not library code
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
