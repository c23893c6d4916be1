"""Evaluation of the ``extract`` stage against gold JSONL files (figures and quotes).

Figures: a predicted figure matches a gold one when the values are equal, ``what`` matches
(rapidfuzz ``token_set_ratio`` >= :data:`WHAT_MIN_RATIO`, or a shared head noun) and the dates are
equal (or both None). Quotes: the gold ``quote`` (a distinctive substring) is contained in the
predicted quote and the gold speaker's last name is among the predicted speaker's tokens. Matching
is one-to-one (greedy, in order). Gold lines with ``"optional": true`` (boilerplate a cleaner may
remove) count neither as misses nor, when matched, as false positives.

Gold lines: ``{"key","value","unit","what","qualifier","date","claimant"}`` and
``{"key","quote","speaker","role"}``; ``key`` is the seed file's basename.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
import time
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, is_dataclass
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from ..errors import GoldFileError, ScamtraceError

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
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

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


def figure_matches(pred: Mapping[str, Any], gold: Mapping[str, Any]) -> bool:
    try:
        same_value = float(pred["value"]) == float(gold["value"])
    except (TypeError, ValueError, KeyError):
        return False
    return same_value and what_matches(pred.get("what"), gold.get("what")) and (pred.get("date") or None) == (gold.get("date") or None)


def quote_matches(pred: Mapping[str, Any], gold: Mapping[str, Any]) -> bool:
    if _norm(gold.get("quote")) not in _norm(pred.get("quote")):
        return False
    gold_last = _norm(gold.get("speaker")).split(" ")[-1:] or [""]
    return bool(gold_last[0]) and gold_last[0] in _norm(pred.get("speaker")).split(" ")


def _match(pred: list[dict[str, Any]], gold: list[dict[str, Any]], same) -> Score:
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
    fp = len(pred) - len(matches)
    return Score(tp=tp, fp=fp, fn=fn, matches=matches)


def evaluate_figures(pred: Iterable[Any], gold: Iterable[Mapping[str, Any]]) -> Score:
    """Precision/recall/F1 of predicted figures (records or dicts with ``key``) against gold lines."""
    return _match([_as_dict(p) for p in pred], [dict(g) for g in gold], figure_matches)


def evaluate_quotes(pred: Iterable[Any], gold: Iterable[Mapping[str, Any]]) -> Score:
    """Precision/recall/F1 of quote attribution against gold lines."""
    return _match([_as_dict(p) for p in pred], [dict(g) for g in gold], quote_matches)


def claimant_accuracy(pred: list[Any], gold: list[Mapping[str, Any]], score: Score) -> float:
    """Share of matched figures whose claimant agrees (both None, or one contains the other's last word)."""
    preds = [_as_dict(p) for p in pred]
    ok = total = 0
    for pi, gi in score.matches:
        g, p = gold[gi].get("claimant"), preds[pi].get("claimant")
        total += 1
        if not g and not p:
            ok += 1
        elif g and p and (_norm(g).split(" ")[-1] in _norm(p) or _norm(p).split(" ")[-1] in _norm(g)):
            ok += 1
    return ok / total if total else 1.0


def error_report(pred: list[Any], gold: list[Mapping[str, Any]], score: Score, kind: str) -> dict[str, list[dict[str, Any]]]:
    """Misses and false positives of one scoring, grouped by article key, for error analysis.

    ``kind`` is ``"figures"`` or ``"quotes"``. A missed figure lists the predictions of the same
    article with the same value (``near``) and says whether their ``what`` and ``date`` would match,
    so a miss can be told apart as a unit, description or date problem.
    """
    if kind not in ("figures", "quotes"):
        raise ValueError(f"error_report kind must be 'figures' or 'quotes', got {kind!r}")
    preds = [_as_dict(p) for p in pred]
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
                            "what_matches": what_matches(p.get("what"), g.get("what")),
                            "date_matches": (p.get("date") or None) == (g.get("date") or None)}
                           for p in preds if p.get("key") == g.get("key") and _same_value(p, g)]
        out.setdefault(str(g.get("key")), []).append(row)
    for pi, p in enumerate(preds):
        if pi not in matched_p:
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


def shared_dir() -> Path:
    """The shared inputs folder: ``$SCAMTRACE_SHARED`` or ``../shared`` beside the repository."""
    env = os.environ.get("SCAMTRACE_SHARED")
    return Path(env) if env else Path(__file__).resolve().parents[3].parent / "shared"


def seed_articles(seeds: Path) -> list[Any]:
    """The seed files as Articles (cleaned with ``scamtrace.clean.clean_doc`` when it exists)."""
    from ..model import Article, RawDoc
    try:
        from ..clean import clean_doc   # type: ignore[attr-defined]
    except ImportError:
        clean_doc = None
    arts = []
    for path in sorted(seeds.glob("*.txt")):
        body = path.read_text(encoding="utf-8")
        art = None
        if clean_doc is not None:
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
    from ..extract import extract
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
    from ..extract import extract, load_nlp
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
    ap.add_argument("--seeds", type=Path, default=None)
    ap.add_argument("--gold", type=Path, default=Path(__file__).resolve().parents[3] / "tests" / "gold")
    ap.add_argument("--rules", action="store_true", help="force the rule-based entity recogniser")
    ap.add_argument("--throughput", type=int, default=0, metavar="N", help="also time N replicas of the seeds")
    args = ap.parse_args(argv)
    seeds = args.seeds or shared_dir() / "seeds"
    use_model = False if args.rules else None
    report = run(seeds, args.gold, use_model)
    if args.throughput:
        report["articles_per_second"] = round(throughput(seeds, use_model, args.throughput), 2)
    sys.stdout.write(json.dumps(report, indent=1, ensure_ascii=False) + "\n")   # entry point, not library code
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
