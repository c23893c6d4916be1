"""Synthetic benchmark corpus for copy detection ("copies.synth-v1").

Generates "news" articles about fictional scam-compound crackdowns from a small grammar and the
word lists in ``data/synth_vocab.json`` (fictional people, places, outlets; synonym groups), plus
copies of known kinds with controlled parameters, and the gold list of which copies which:

* ``verbatim``  - the same text with a new headline and boilerplate lines added;
* ``truncated`` - the first 20-80 % of the words (cut at a sentence end) and a "read more" stub;
* ``excerpt``   - 1-3 passages of 30-120 words inside a new, longer digest;
* ``spun``      - 10-60 % of the content words swapped by a synonym spinner (synonym groups plus
  the wrong-sense and multi-word swaps of ``data/synth_synonyms.tsv``, some function words too);
* ``rewrite``   - the facts (names, numbers) kept in order, every other word replaced, sentences
  split and merged.

"Same-story" articles share a story's names and numbers but are written independently; they are not
copies and are listed apart (``SynthCorpus.same_story``) so benchmarks can count them as negatives.
Everything is deterministic for a given seed. No outside text is used.
"""
from __future__ import annotations

import datetime as dt
import json
import random
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, NamedTuple

from ..model import Article
from .tokens import STOPWORDS, facts

SYNTH_ALGORITHM = "copies.synth-v1"

#: Default share of the corpus per article kind ("original" takes the rest).
DEFAULT_MIX: dict[str, float] = {"verbatim": 0.04, "truncated": 0.06, "excerpt": 0.06, "spun": 0.08,
                                 "rewrite": 0.05, "same_story": 0.06}
MIX_KINDS = ("verbatim", "truncated", "excerpt", "spun", "rewrite", "same_story")
SPIN_RATES = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6)
#: Share of spinner swaps that use a wrong-sense / multi-word replacement when one exists.
WRONG_SENSE_SHARE = 0.25
#: Function-word swaps happen at this fraction of the content spin rate.
FUNCTION_SWAP_FACTOR = 0.3


class SynthLink(NamedTuple):
    """Gold: ``copy`` copies ``source`` with ``relation``."""

    copy: str
    source: str
    relation: str


@dataclass(slots=True)
class SynthCorpus:
    """Generated articles, gold links, per-copy parameters and same-story (negative) pairs."""

    articles: list[Article]
    gold: list[SynthLink]
    params: dict[str, dict[str, Any]] = field(default_factory=dict)
    same_story: list[tuple[str, str]] = field(default_factory=list)
    algorithm: str = SYNTH_ALGORITHM

    def by_id(self) -> dict[str, Article]:
        return {a.id: a for a in self.articles}


# -- vocabulary ------------------------------------------------------------------------------------
@dataclass(slots=True)
class _Vocab:
    raw: dict[str, Any]
    synonyms: dict[str, list[str]]        # word -> other members of its synonym group
    wrong_sense: dict[str, list[str]]     # word -> wrong-sense / multi-word replacements
    function_swaps: dict[str, list[str]]  # function word -> replacement phrase


_VOCAB: dict[str, _Vocab] = {}


def reset_caches() -> None:
    """Forget the loaded vocabulary (tests call this)."""
    _VOCAB.clear()


def _vocab() -> _Vocab:
    if "v" not in _VOCAB:
        data = resources.files("scamtrace") / "data"
        raw = json.loads((data / "synth_vocab.json").read_text(encoding="utf-8"))
        syn: dict[str, list[str]] = {}
        for pos in ("nouns", "verbs", "adjectives", "adverbs"):
            for group in raw[pos]:
                forms = list(group)
                if pos == "nouns":
                    forms += [_plural(w) for w in group]
                    pairs = [(w, [o for o in group if o != w]) for w in group]
                    pairs += [(_plural(w), [_plural(o) for o in group if o != w]) for w in group]
                else:
                    pairs = [(w, [o for o in group if o != w]) for w in group]
                for w, others in pairs:
                    if " " not in w:
                        syn.setdefault(w, others)
        wrong: dict[str, list[str]] = {}
        func: dict[str, list[str]] = {}
        for line in (data / "synth_synonyms.tsv").read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.split("\t")
            (func if len(cols) > 2 and cols[2] == "function" else wrong).setdefault(cols[0], []).append(cols[1])
        _VOCAB["v"] = _Vocab(raw, syn, wrong, func)
    return _VOCAB["v"]


def _plural(noun: str) -> str:
    head, _, last = noun.rpartition(" ")
    if last.endswith("y") and last[-2:-1] not in "aeiou":
        last = last[:-1] + "ies"
    elif last.endswith("s") and not last.endswith(("ss", "us")):
        pass                                  # already plural ("premises", "banknotes")
    elif last.endswith(("s", "x", "ch", "sh")):
        last += "es"
    else:
        last += "s"
    return f"{head} {last}" if head else last


# -- stories and sentences -------------------------------------------------------------------------
@dataclass(slots=True)
class _Story:
    """The facts one story is about; same-story articles share them."""

    country: str
    nationality: str
    town: str
    province: str
    compound: str
    people: list[tuple[str, str, str]]     # (full name, role, organisation)
    numbers: list[tuple[int, str]]          # (value, noun it counts)
    month: str
    day: int
    year: int


class _Writer:
    """Writes sentences and articles with one random generator."""

    DETS = ("the", "a", "one", "this", "that", "another", "each", "every")
    PLURAL_DETS = ("the", "some", "many", "several", "dozens of", "hundreds of", "those", "these", "most")
    PREPS = ("in", "at", "near", "inside", "outside", "behind", "across", "along", "beyond", "around",
             "from", "through", "under", "over", "against", "with", "without", "among", "toward", "by")
    CONJ = (", and", ", but", " while", " after", " because", " although", " as", " before", " until",
            " when", ", so", " since", " whereas", ", yet")
    OPENERS = ("Later", "Meanwhile", "By then", "Earlier", "In response", "At the time", "Since then",
               "Even so", "In recent weeks", "For now", "Last year", "On that day")

    def __init__(self, rng: random.Random):
        self.r = rng
        self.v = _vocab()

    # words
    def _pick(self, pos: str) -> str:
        return self.r.choice(self.r.choice(self.v.raw[pos]))

    def noun_phrase(self, plural: bool | None = None) -> str:
        r = self.r
        if plural is None:
            plural = r.random() < 0.45
        noun = self._pick("nouns")
        adj = self._pick("adjectives") + " " if r.random() < 0.5 else ""
        if plural:
            return f"{r.choice(self.PLURAL_DETS)} {adj}{_plural(noun)}"
        det = r.choice(self.DETS)
        if det == "a" and (adj or noun)[0] in "aeiou":
            det = "an"
        return f"{det} {adj}{noun}"

    def prep_phrase(self) -> str:
        return f"{self.r.choice(self.PREPS)} {self.noun_phrase()}"

    def clause(self, subject: str | None = None, obj: str | None = None) -> str:
        r = self.r
        subj = subject or self.noun_phrase()
        adv = self._pick("adverbs") + " " if r.random() < 0.25 else ""
        parts = [subj, adv + self._pick("verbs"), obj or self.noun_phrase()]
        if r.random() < 0.6:
            parts.append(self.prep_phrase())
        if r.random() < 0.25:
            parts.append(self.prep_phrase())
        return " ".join(parts)

    def sentence(self, subject: str | None = None, obj: str | None = None, speaker: str | None = None) -> str:
        r = self.r
        kind = r.random()
        if speaker:
            s = f"{speaker} {r.choice(self.v.raw['say'])} that {self.clause(subject, obj)}"
        elif kind < 0.25:
            s = f"{r.choice(self.OPENERS)}, {self.clause(subject, obj)}"
        elif kind < 0.5:
            s = f"{self.clause(subject, obj)}{r.choice(self.CONJ)} {self.clause()}"
        elif kind < 0.6:
            s = f"{self.prep_phrase()}, {self.clause(subject, obj)}"
        elif kind < 0.7:
            s = f"According to {self.noun_phrase()}, {self.clause(subject, obj)}"
        elif kind < 0.8:
            s = f"{self.clause(subject, obj)}, which {self._pick('verbs')} {self.noun_phrase()}"
        else:
            s = self.clause(subject, obj)
        return s[0].upper() + s[1:] + "."

    # stories
    def name(self) -> str:
        sf, sl = self.v.raw["syllables_first"], self.v.raw["syllables_last"]
        first = "".join(self.r.choice(sf) for _ in range(self.r.randint(1, 2))).capitalize()
        last = (self.r.choice(sf) + self.r.choice(sl)).capitalize()
        return f"{first} {last}"

    def place(self) -> str:
        return (self.r.choice(self.v.raw["place_roots"]) + self.r.choice(self.v.raw["place_suffixes"])).capitalize()

    def story(self) -> _Story:
        r, raw = self.r, self.v.raw
        k = r.randrange(len(raw["countries"]))
        people = [(self.name(), r.choice(raw["roles"]), r.choice(raw["orgs"])) for _ in range(r.randint(2, 4))]
        nouns = ["workers", "people", "foreigners", "suspects", "victims", "phones", "computers", "guards"]
        numbers = [(r.choice((r.randint(12, 990), r.randint(1000, 99000))), r.choice(nouns))
                   for _ in range(r.randint(3, 6))]
        compound = f"{r.choice(raw['compound_words'])} {r.choice(raw['compound_words'])} {r.choice(raw['compound_kinds'])}"
        return _Story(raw["countries"][k], raw["nationalities"][k], self.place(), self.place(), compound,
                      people, numbers, r.choice(raw["months"]), r.randint(1, 28), r.randint(2019, 2026))

    def fact_sentence(self, st: _Story) -> str:
        """A sentence carrying one or two of the story's facts, in random phrasing."""
        r = self.r
        kind = r.randrange(6)
        if kind == 0:
            name, role, org = r.choice(st.people)
            speaker = r.choice((f"{name}, a {role} at the {st.country} {org},",
                                f"{name}, who serves as {role} for the {org} in {st.country},",
                                f"{st.country}'s {org} {role} {name}",
                                f"{name} of the {org}",
                                f"{role.capitalize()} {name}"))
            return self.sentence(speaker=speaker)
        if kind == 1:
            value, noun = r.choice(st.numbers)
            return self.sentence(obj=f"{value:,} {st.nationality} {noun}")
        if kind == 2:
            return self.sentence(subject=f"the {st.compound}", obj=f"{self.noun_phrase()} near {st.town}")
        if kind == 3:
            value, noun = r.choice(st.numbers)
            return self.sentence(obj=f"{value:,} {noun} in {st.province} on {st.month} {st.day}")
        if kind == 4:
            name = r.choice(st.people)[0]
            return self.sentence(speaker=name.split()[-1])
        return self.sentence(subject=f"{self.noun_phrase()} in {st.town}", obj=f"the {st.compound}")

    def article(self, st: _Story, n_words: int, wire: str) -> tuple[str, str]:
        """(title, text) of one article about ``st`` of about ``n_words`` words."""
        r = self.r
        paras: list[str] = []
        count = 0
        first = True
        while count < n_words:
            sents = []
            for _ in range(r.randint(1, 3)):
                s = self.fact_sentence(st) if r.random() < 0.45 else self.sentence()
                sents.append(s)
            p = " ".join(sents)
            if first:
                p = f"{st.town.upper()} ({wire}) - {p}"
                first = False
            paras.append(p)
            count += len(p.split())
        title = f"{st.country} {self._pick('nouns').capitalize()} {self._pick('verbs')} at {st.compound}"
        return title, "\n\n".join(paras)


# -- copy makers ------------------------------------------------------------------------------------
_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)*")


def _match_case(src: str, repl: str) -> str:
    if src.isupper() and len(src) > 1:
        return repl.upper()
    if src[0].isupper():
        return repl[0].upper() + repl[1:]
    return repl


def spin_text(text: str, rate: float, rng: random.Random) -> tuple[str, float]:
    """Swap about ``rate`` of the content words with the synthetic spinner; returns (text, rate done).

    Content words are swapped for another member of their synonym group, or (a quarter of the time,
    when the table has one) for a wrong-sense or multi-word replacement; function words with a
    replacement are swapped at ``FUNCTION_SWAP_FACTOR * rate``. Names and numbers are kept.
    """
    if not 0.0 <= rate <= 1.0:
        raise ValueError(f"spin rate must be between 0 and 1, got {rate}")
    v = _vocab()
    words = list(_WORD.finditer(text))
    content = [m for m in words if m.group().lower() not in STOPWORDS]
    swappable = [m for m in content if m.group().lower() in v.synonyms or m.group().lower() in v.wrong_sense]
    p = min(1.0, rate * len(content) / max(1, len(swappable)))
    out, last, swapped = [], 0, 0
    for m in words:
        w = m.group()
        lw = w.lower()
        repl = None
        if lw in STOPWORDS:
            if lw in v.function_swaps and rng.random() < rate * FUNCTION_SWAP_FACTOR:
                repl = rng.choice(v.function_swaps[lw])
        elif (lw in v.synonyms or lw in v.wrong_sense) and rng.random() < p:
            if lw in v.wrong_sense and (lw not in v.synonyms or rng.random() < WRONG_SENSE_SHARE):
                repl = rng.choice(v.wrong_sense[lw])
            else:
                repl = rng.choice(v.synonyms[lw])
            swapped += 1
        if repl is not None:
            out.append(text[last : m.start()])
            out.append(_match_case(w, repl))
            last = m.end()
    out.append(text[last:])
    return "".join(out), swapped / max(1, len(content))


def truncate_text(text: str, keep: float, stub: str) -> str:
    """The first ``keep`` share of the words, cut back to the last sentence end, then ``stub``."""
    if not 0.0 < keep <= 1.0:
        raise ValueError(f"keep must be in (0, 1], got {keep}")
    words = list(re.finditer(r"\S+", text))
    n = max(1, int(len(words) * keep))
    cut = words[n - 1].end()
    head = text[:cut]
    end = max(head.rfind(". "), head.rfind(".\n"), head.rfind(".") if head.endswith(".") else -1)
    if end > len(head) * 0.5:
        head = head[: end + 1]
    return f"{head.rstrip()}\n\n{stub}"


def excerpt_passages(text: str, n: int, rng: random.Random, lo: int = 30, hi: int = 120) -> list[str]:
    """``n`` non-overlapping passages of ``lo``-``hi`` words, each starting at a sentence start."""
    words = list(re.finditer(r"\S+", text))
    starts = [i for i, m in enumerate(words) if i == 0 or words[i - 1].group().endswith(".")]
    out: list[str] = []
    used: list[tuple[int, int]] = []
    for _ in range(n * 4):
        if len(out) == n or not starts:
            break
        a = rng.choice(starts)
        b = min(len(words), a + rng.randint(lo, hi))
        if b - a < lo or any(a < y and x < b for x, y in used):
            continue
        used.append((a, b))
        out.append(text[words[a].start() : words[b - 1].end()])
    return out


def _fact_units(sent: str) -> list[str]:
    """Names and numbers of ``sent`` in order; facts separated only by spaces form one unit."""
    spans: list[list[int]] = []       # [start, end] of each unit
    for f in facts(sent):
        if f.kind not in ("name", "num"):
            continue
        if spans and f.start >= spans[-1][1] and not sent[spans[-1][1] : f.start].strip():
            spans[-1][1] = f.end          # "Azure Phoenix City" stays one unit
        elif not spans or f.start >= spans[-1][1]:
            spans.append([f.start, f.end])
    return [sent[a:b] for a, b in spans]


def rewrite_text(text: str, rng: random.Random) -> str:
    """Keep the facts of ``text`` in order, replace every other word, split and merge sentences."""
    w = _Writer(rng)
    groups: list[list[str]] = []
    for sent in re.split(r"(?<=[.!?])\s+", text):
        fs = _fact_units(sent)
        if not fs:
            continue
        if groups and rng.random() < 0.3 and len(groups[-1]) + len(fs) <= 6:
            groups[-1].extend(fs)            # merge with the previous sentence
        elif len(fs) >= 3 and rng.random() < 0.5:
            k = len(fs) // 2                 # split in two
            groups += [fs[:k], fs[k:]]
        else:
            groups.append(fs)

    def filler() -> str:
        k = rng.random()
        if k < 0.35:
            return w._pick("verbs")
        if k < 0.7:
            return w.prep_phrase() + (" " + rng.choice(_Writer.PREPS) if rng.random() < 0.5 else "")
        if k < 0.85:
            return rng.choice(w.v.raw["say"]) + " that"
        return rng.choice(("and", "as well as", "alongside", "then", "while"))

    out, para = [], []
    for fs in groups:
        pieces = [rng.choice(_Writer.OPENERS) + ","]
        for f in fs:
            pieces += [filler(), f]
        pieces.append(w.prep_phrase())
        para.append(" ".join(pieces) + ".")
        if len(para) >= rng.randint(2, 4):
            out.append(" ".join(para))
            para = []
    if para:
        out.append(" ".join(para))
    return "\n\n".join(out)


# -- the corpus --------------------------------------------------------------------------------------
def _check_mix(mix: Mapping[str, float] | None) -> dict[str, float]:
    m = dict(DEFAULT_MIX if mix is None else mix)
    for k, v in m.items():
        if k not in MIX_KINDS:
            raise ValueError(f"mix: unknown kind {k!r}; known: {', '.join(MIX_KINDS)}")
        if not isinstance(v, (int, float)) or not 0.0 <= v <= 1.0:
            raise ValueError(f"mix[{k!r}] must be a share between 0 and 1, got {v!r}")
    if sum(m.values()) > 0.9:
        raise ValueError(f"mix shares add up to {sum(m.values()):.2f}; keep them <= 0.9 so originals remain")
    return m


def generate(n_articles: int, seed: int, mix: Mapping[str, float] | None = None,
             spin_rates: tuple[float, ...] = SPIN_RATES) -> SynthCorpus:
    """Generate ``n_articles`` articles (originals, copies, same-story articles) deterministically.

    ``mix`` gives the share of each kind in :data:`MIX_KINDS` (default :data:`DEFAULT_MIX`);
    originals take the rest. Spun copies cycle through ``spin_rates``. Copies copy originals only.
    """
    if not isinstance(n_articles, int) or n_articles < 1:
        raise ValueError(f"n_articles must be an int >= 1, got {n_articles!r}")
    m = _check_mix(mix)
    rng = random.Random(seed)
    counts = {k: int(round(n_articles * m.get(k, 0.0))) for k in MIX_KINDS}
    n_orig = max(1, n_articles - sum(counts.values()))
    w = _Writer(rng)
    raw = w.v.raw
    corpus = SynthCorpus([], [])
    base_day = dt.date(2025, 1, 1)
    stories: list[tuple[Article, _Story]] = []
    for i in range(n_orig):
        st = w.story()
        wire = rng.choice(raw["wires"])
        title, text = w.article(st, rng.randint(350, 1300), wire)
        a = Article(id=f"synth-{seed}-o{i:07d}", source=f"synth:{seed}", text=text, title=title,
                    outlet=wire, credit=wire, published=base_day + dt.timedelta(days=rng.randrange(300)))
        corpus.articles.append(a)
        stories.append((a, st))
    makers = {"verbatim": _verbatim, "truncated": _truncated, "excerpt": _excerpt, "spun": _spun,
              "rewrite": _rewrite, "same_story": _same_story}
    spin_i = 0
    for kind in MIX_KINDS:
        for j in range(counts[kind]):
            src, st = stories[rng.randrange(len(stories))]
            cid = f"synth-{seed}-{kind[:2]}{j:07d}"
            param: dict[str, Any] = {}
            if kind == "spun":
                param["spin_target"] = spin_rates[spin_i % len(spin_rates)]
                spin_i += 1
            text, title, param = makers[kind](w, rng, src, st, param)
            outlet = rng.choice(raw["outlets"])
            corpus.articles.append(Article(
                id=cid, source=f"synth:{seed}", text=text, title=title, outlet=outlet,
                published=(src.published or base_day) + dt.timedelta(days=rng.randint(0, 5)),
                truncated=kind == "truncated"))
            if kind == "same_story":
                corpus.same_story.append((cid, src.id))
            else:
                corpus.gold.append(SynthLink(cid, src.id, kind))
            corpus.params[cid] = param
    rng.shuffle(corpus.articles)
    return corpus


def _fill(template: str, rng: random.Random, raw: dict[str, Any]) -> str:
    return template.format(outlet=rng.choice(raw["outlets"]), wire=rng.choice(raw["wires"]),
                           year=rng.randint(2020, 2026), region="Southeast")


def _verbatim(w: _Writer, rng: random.Random, src: Article, st: _Story, p: dict) -> tuple[str, str, dict]:
    raw = w.v.raw
    top = [_fill(rng.choice(raw["boilerplate"]), rng, raw)] if rng.random() < 0.4 else []
    bottom = [_fill(b, rng, raw) for b in rng.sample(raw["boilerplate"], rng.randint(1, 3))]
    title = f"{src.title} | {rng.choice(raw['outlets'])}" if rng.random() < 0.5 else f"{st.country}: {src.title}"
    p["boilerplate_lines"] = len(top) + len(bottom)
    return "\n\n".join(top + [src.text] + bottom), title, p


def _truncated(w: _Writer, rng: random.Random, src: Article, st: _Story, p: dict) -> tuple[str, str, dict]:
    keep = round(rng.uniform(0.2, 0.8), 3)
    p["keep"] = keep
    return truncate_text(src.text, keep, _fill(rng.choice(w.v.raw["stubs"]), rng, w.v.raw)), src.title or "", p


def _excerpt(w: _Writer, rng: random.Random, src: Article, st: _Story, p: dict) -> tuple[str, str, dict]:
    raw = w.v.raw
    passages = excerpt_passages(src.text, rng.randint(1, 3), rng)
    target = max(len(src.text.split()) + 100, rng.randint(600, 1600))
    other = w.story()              # digest filler is about stories not in the corpus
    _, filler = w.article(other, target, rng.choice(raw["wires"]))
    paras = filler.split("\n\n")
    for ps in passages:
        mark = _fill(rng.choice(raw["source_marks"]), rng, raw)
        paras.insert(rng.randint(1, len(paras)), f"{ps} {mark}")
    p["passages"] = len(passages)
    p["excerpt_words"] = sum(len(x.split()) for x in passages)
    text = rng.choice(raw["digest_intros"]) + "\n\n" + "\n\n".join(paras)
    return text, f"Weekly digest: {other.country} and beyond", p


def _spun(w: _Writer, rng: random.Random, src: Article, st: _Story, p: dict) -> tuple[str, str, dict]:
    text, done = spin_text(src.text, p["spin_target"], rng)
    p["spin_rate"] = round(done, 3)
    title, _ = spin_text(src.title or "", p["spin_target"], rng)
    return text, title, p


def _rewrite(w: _Writer, rng: random.Random, src: Article, st: _Story, p: dict) -> tuple[str, str, dict]:
    return rewrite_text(src.text, rng), f"{st.compound}: what we know", p


def _same_story(w: _Writer, rng: random.Random, src: Article, st: _Story, p: dict) -> tuple[str, str, dict]:
    title, text = w.article(st, rng.randint(350, 1300), rng.choice(w.v.raw["wires"]))
    return text, title, p
