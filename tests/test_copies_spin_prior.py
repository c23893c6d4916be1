"""direction-v12 / copies.spin-prior-v1: a general-language word-frequency prior orders a spun pair that nothing else
orders (no corpus, no credit, no dates): at each substitution site the rarer wording marks the spun side. Shown on
INVENTED texts (a fictional town and story; no dataset text here). The prior needs the optional `wordfreq` package;
without it the pair stays unordered, as before."""
from __future__ import annotations

import sys

import pytest

import scamtrace.copies.direction as direction
import scamtrace.copies.spin as spin
from scamtrace.copies import classify_pair
from scamtrace.copies.features import Pair
from scamtrace.copies.spin import UsageVotes, frequency_votes
from scamtrace.model import Article

SOURCE = [
    "Police in the northern river town of Olvenmark freed 140 workers from a call centre on Monday after a week of "
    "quiet surveillance.",
    "The workers told officers they had been promised jobs in a hotel but were taken across the border and forced to "
    "send messages to strangers.",
    "Many of them had not been paid for months and some said their phones and passports were kept in a locked office.",
    "Officers arrested nine managers at the site and seized computers, bank cards and a large amount of cash.",
    "A local doctor who examined the group said several of them were tired and hungry but none needed a hospital.",
    "The town council has opened a school hall as a shelter and volunteers are bringing food, water and clean clothes.",
    "Investigators believe the centre was run by a gang that moved between three buildings to avoid the police.",
    "The workers are expected to return home by bus later this week once their papers have been checked.",
]
# a thesaurus spinner: common words for rare ones (none of them in data/spinner_synonyms.tsv)
RARER = {"freed": "emancipated", "workers": "toilers", "quiet": "hushed", "promised": "pledged",
         "paid": "remunerated", "seized": "impounded", "tired": "wearied", "shelter": "sanctuary", "gang": "cabal",
         "avoid": "evade", "checked": "scrutinised", "strangers": "unacquainted"}
# half the swaps go the other way: the copy has the common word where the first text has a rare one
MIXED = {"freed": "emancipated", "workers": "toilers", "quiet": "hushed", "paid": "remunerated", "gang": "cabal",
         "avoid": "evade"}
SOURCE_MIXED_RARE = {"seized": "impounded", "promised": "pledged", "shelter": "sanctuary", "checked": "scrutinised",
                     "tired": "wearied", "strangers": "unacquainted"}


def _swap(paras: list[str], table: dict[str, str]) -> str:
    return "\n\n".join(" ".join(table.get(w, w) for w in p.split(" ")) for p in paras)


def _art(i: str, text: str) -> Article:
    return Article(id=i, source=f"fixture:{i}", text=text, language="en")


@pytest.fixture
def wordfreq():
    return pytest.importorskip("wordfreq")


def test_a_spun_copy_with_rarer_synonyms_is_the_copy(wordfreq):
    src, spun = _art("a-plain", "\n\n".join(SOURCE)), _art("b-spun", _swap(SOURCE, RARER))
    link = classify_pair(src, spun)
    d = link.evidence["direction"]
    assert (link.relation, link.article, link.source) == ("spun", "b-spun", "a-plain"), d
    assert d["decided_by"] == "spin_prior" and d["confidence"] == direction.CONFIDENCE["spin_prior"]
    prior = d["spin_prior"]
    assert prior["rarer"]["b-spun"] >= direction.SPIN_PRIOR_MIN_VOTES and prior["rarer"]["a-plain"] == 0
    assert prior["decided"] and prior["language"] == "en"
    assert all(e["zipf_b"] < e["zipf_a"] for e in prior["examples"])
    # the same pair given the other way round gives the same link
    again = classify_pair(spun, src)
    assert (again.article, again.source) == ("b-spun", "a-plain")


def test_the_spun_copy_is_ordered_the_right_way_whichever_id_comes_first(wordfreq):
    src, spun = _art("z-plain", "\n\n".join(SOURCE)), _art("c-spun", _swap(SOURCE, RARER))
    link = classify_pair(src, spun)
    assert (link.article, link.source, link.evidence["direction"]["decided_by"]) == ("c-spun", "z-plain", "spin_prior")


def test_balanced_sites_give_no_arrow(wordfreq):
    a = _art("a-one", _swap(SOURCE, SOURCE_MIXED_RARE))
    b = _art("b-two", _swap(SOURCE, MIXED))
    link = classify_pair(a, b)
    d = link.evidence["direction"]
    assert link.relation == "spun" and link.source is None and d["decided_by"] == "unsure", d
    prior = d["spin_prior"]
    assert prior["rarer"]["a-one"] >= 3 and prior["rarer"]["b-two"] >= 3 and not prior.get("decided")
    assert any("too few or split" in r for r in d["reasons"])


def test_a_house_edit_is_not_spun_and_casts_no_vote(wordfreq):
    edited = [p.replace("centre", "center").replace("a week of", "one week of") for p in SOURCE]
    edited[1] = edited[1].replace("across the border", "over the border")
    a, b = _art("a-wire", "\n\n".join(SOURCE)), _art("b-edit", "\n\n".join(edited))
    link = classify_pair(a, b)
    assert link.relation == "verbatim"
    assert link.evidence["direction"]["decided_by"] != "spin_prior"
    assert "spin_prior" not in link.evidence["direction"]
    # spelling variants are edits: no vote at their sites
    votes = frequency_votes([(0, "centre", "center"), (1, "organised", "organized"), (2, "5", "3.1")], "en")
    assert votes.sites == 0 and votes.rarer_a == votes.rarer_b == 0


def test_names_and_unknown_words_cast_no_vote(wordfreq):
    votes = frequency_votes([(0, "olvenmark", "olvenmarck"), (1, "workers", "toilers"), (2, "", "quiet")], "en")
    assert votes.sites == 1 and votes.rarer_b == 1


def test_the_corpus_usage_overrules_the_prior(wordfreq, monkeypatch):
    src, spun = _art("a-plain", "\n\n".join(SOURCE)), _art("b-spun", _swap(SOURCE, RARER))
    # the corpus's own texts use b's wording at two sites, a's at none (too few for the usage votes to decide)
    monkeypatch.setattr(direction, "usage_votes", lambda *a, **k: UsageVotes(0, 2, 9, ()))
    link = classify_pair(src, spun, usage={})
    d = link.evidence["direction"]
    assert link.source is None and d["decided_by"] == "unsure"
    assert d["spin_prior"]["corpus_usage"] == {"b-spun": 2, "a-plain": 0} and not d["spin_prior"]["decided"]


def test_without_wordfreq_the_spun_pair_stays_unordered(monkeypatch):
    monkeypatch.setitem(sys.modules, "wordfreq", None)   # import wordfreq now raises ImportError
    spin._wordfreq.cache_clear()
    spin._wordfreq_languages.cache_clear()
    spin._wordfreq_usable.cache_clear()
    try:
        assert spin.frequency_prior_available("en") is None
        link = classify_pair(_art("a-plain", "\n\n".join(SOURCE)), _art("b-spun", _swap(SOURCE, RARER)))
        d = link.evidence["direction"]
        assert link.relation == "spun" and link.source is None and d["decided_by"] == "unsure"
        assert "spin_prior" not in d
    finally:
        spin._wordfreq.cache_clear()
        spin._wordfreq_languages.cache_clear()
        spin._wordfreq_usable.cache_clear()


def test_other_languages_and_translations_get_no_prior(wordfreq):
    assert spin.frequency_prior_available(None) is None
    assert spin.frequency_prior_available("xx") is None
    a = _art("a-plain", "\n\n".join(SOURCE))
    b = Article(id="b-spun", source="fixture:b", text=_swap(SOURCE, RARER), language="es")
    link = classify_pair(a, b)
    assert link.evidence["direction"]["decided_by"] != "spin_prior"


def test_pair_sites_come_from_the_spin_alignment(wordfreq):
    pair = Pair("\n\n".join(SOURCE), _swap(SOURCE, RARER))
    votes = frequency_votes(pair.spun.sites_a, "en")
    assert votes.rarer_b >= direction.SPIN_PRIOR_MIN_VOTES and votes.rarer_a == 0


# invented Korean sentences (space-separated words, so the spin alignment finds substitution sites)
KO = ("경찰은 월요일 북부 마을의 콜센터에서 노동자 백사십 명을 구출했다 그들은 호텔 일자리를 약속받았지만 국경을 넘어 "
      "끌려가 낯선 사람들에게 메시지를 보내도록 강요당했다 많은 사람들이 몇 달 동안 임금을 받지 못했고 여권과 전화기는 "
      "잠긴 사무실에 보관되었다 경찰은 현장에서 관리자 아홉 명을 체포하고 컴퓨터와 은행 카드와 현금을 압수했다 의사는 "
      "그들이 피곤하고 배가 고팠지만 병원이 필요한 사람은 없었다고 말했다 마을 의회는 학교 강당을 대피소로 열었고 "
      "자원봉사자들이 음식과 물과 옷을 가져오고 있다 수사관들은 그 센터가 세 건물을 옮겨 다니는 조직이 운영했다고 믿는다")
KO_SWAP = {"노동자": "근로자", "구출했다": "구해냈다", "약속받았지만": "보장받았지만", "낯선": "모르는", "압수했다": "몰수했다",
           "피곤하고": "지치고", "대피소로": "쉼터로", "조직이": "집단이", "믿는다": "여긴다", "체포하고": "검거하고",
           "현금을": "돈을", "가져오고": "날라오고"}


def test_a_language_wordfreq_cannot_tokenise_gets_no_prior(wordfreq):
    """Korean and Japanese lookups need MeCab, Chinese ones jieba (wordfreq's cjk extra): without them a lookup raises
    ImportError; the spun pair is still classified (before the fix, classify_pair raised ModuleNotFoundError)."""
    ws = KO.split()
    text = " ".join(ws[:30]) + ".\n\n" + " ".join(ws[30:60]) + ".\n\n" + " ".join(ws[60:]) + "."
    a = Article(id="ko-a", source="fixture:a", text=text, language="ko")
    b = Article(id="ko-b", source="fixture:b", text=" ".join(KO_SWAP.get(w, w) for w in text.split(" ")), language="ko")
    link = classify_pair(a, b)
    assert link is not None and link.relation == "spun"
    prior = link.evidence["direction"].get("spin_prior")
    try:
        wordfreq.zipf_frequency("경찰", "ko")
    except ImportError:
        assert spin.frequency_prior_available("ko") is None and prior is None
    else:   # MeCab installed: the prior reads Korean like any other listed language
        assert spin.frequency_prior_available("ko") == "ko"


def test_a_lookup_that_raises_importerror_means_no_prior(monkeypatch):
    class FakeWordfreq:
        @staticmethod
        def available_languages():
            return {"en": "en", "zz": "zz"}

        @staticmethod
        def zipf_frequency(word, lang):
            if lang == "zz":
                raise ModuleNotFoundError("No module named 'tokeniser'")
            return 5.0

    for f in (spin._wordfreq, spin._wordfreq_languages, spin._wordfreq_usable):
        f.cache_clear()
    monkeypatch.setattr(spin, "_wordfreq", lambda: FakeWordfreq)
    try:
        assert spin.frequency_prior_available("en") == "en"
        assert spin.frequency_prior_available("zz") is None
    finally:
        monkeypatch.undo()
        for f in (spin._wordfreq, spin._wordfreq_languages, spin._wordfreq_usable):
            f.cache_clear()
