"""Direct quotes and their speakers (extract.quotes-v2). All texts are invented for the tests."""
from __future__ import annotations

import pytest

from scamtrace.extract import find_quotes


def test_said_after_with_role_and_surname_resolution() -> None:
    text = ("“The compounds moved across the river within weeks,” said Maria Okafor, a researcher at "
            "the Border Studies Centre.\n\n"
            "“Nobody expected the raids to stop the trade,” Okafor said.")
    q1, q2 = find_quotes(text)
    assert q1.speaker == "Maria Okafor"
    assert q1.role == "a researcher at the Border Studies Centre"
    assert q1.attribution == "said-after"
    assert q2.speaker == "Maria Okafor"            # surname resolved to the full name
    assert q2.role == q1.role                      # role carried from the first attribution
    assert text[q1.start] == "“" and text[q1.end - 1] == "”"
    assert q1.algorithm == "extract.quotes-v2"


def test_speaker_before_with_colon() -> None:
    text = "Tomas Reyes, the mayor of the border town, said: “We cannot house everyone who arrives here.”"
    (q,) = find_quotes(text)
    assert q.speaker == "Tomas Reyes" and q.role == "the mayor of the border town"


def test_according_to() -> None:
    text = "Officers were sent “to protect the workers and their families abroad”, according to the interior ministry."
    (q,) = find_quotes(text)
    assert q.speaker == "interior ministry" or q.speaker == "the interior ministry"
    assert q.attribution == "according-to"


def test_pronoun_resolves_to_last_person() -> None:
    text = ("Chen Wei spent a year inside a compound before he escaped.\n\n"
            "“I thought I would never see my family again,” he said.")
    (q,) = find_quotes(text)
    assert q.speaker == "Chen Wei" and q.attribution == "pronoun"


def test_quote_spanning_paragraphs() -> None:
    text = ("Ana Silva, a lawyer for the victims, said: “Most of them were promised office jobs.\n\n"
            "“Instead they were locked in and told to cheat strangers online.”")
    (q,) = find_quotes(text)
    assert "promised office jobs" in q.quote and "cheat strangers online" in q.quote
    assert q.speaker == "Ana Silva"
    assert q.end == len(text)


def test_second_fragment_after_attribution_keeps_speaker() -> None:
    text = ("Officials spoke to Rob Tan, a former worker.\n\n"
            "“They took our phones on the first day,” he said, “and never gave them back to anyone.”")
    q1, q2 = find_quotes(text)
    assert q1.speaker == q2.speaker == "Rob Tan"


def test_scare_quotes_are_skipped() -> None:
    text = "The so-called “pig butchering” scheme and its “investment advisers” spread quickly."
    assert find_quotes(text) == []


def test_short_punctuated_quote_counts() -> None:
    text = "“It is getting worse,” said Lena Park."
    (q,) = find_quotes(text)
    assert q.speaker == "Lena Park"


def test_pre_name_descriptor_becomes_role() -> None:
    text = "“The networks adapt faster than the police,” said regional crime analyst David Moreau."
    (q,) = find_quotes(text)
    assert q.speaker == "David Moreau" and q.role == "regional crime analyst"


def test_unattributed_quote_has_no_speaker() -> None:
    (q,) = find_quotes("A banner read “freedom for everyone held in the compounds today”.")
    assert q.speaker is None and q.attribution is None


def test_rejects_non_text() -> None:
    with pytest.raises(ValueError, match="str"):
        find_quotes(42)  # type: ignore[arg-type]


# --- extract.quotes-v2 rules (set on the first half of the demo gold; texts invented) ---

def test_rank_abbreviations_do_not_end_the_attribution() -> None:
    text = ("“We will not let criminals use our land for their business,” Lt. Col. Naw Htee Moo, a spokesman "
            "for the militia, told reporters.")
    (q,) = find_quotes(text)
    assert q.speaker == "Naw Htee Moo" and q.role == "a spokesman for the militia"


def test_inverted_said_with_police_rank() -> None:
    (q,) = find_quotes("“This is only the first group of many,” said Police Maj. Gen. Somchai Rattana, the task force head.")
    assert q.speaker == "Somchai Rattana"


def test_leading_place_phrase_is_not_the_speaker() -> None:
    text = "In Hanoi, Interior Ministry spokesman Tran Van Binh said police would track down “every one of the bosses.”"
    (q,) = find_quotes(text)
    assert q.speaker == "Tran Van Binh" and q.role == "Interior Ministry spokesman"


def test_appositive_speaker_after_said() -> None:
    text = ("“Fraud moves faster than any single police force can,” said Laos' deputy interior minister, "
            "Somsak Vongsa, who chaired the talks.")
    (q,) = find_quotes(text)
    assert q.speaker == "Somsak Vongsa"


def test_pronoun_after_an_unnamed_described_speaker() -> None:
    text = ("Judge Wen Bo read the verdict.\n\nA retired nurse from Yunnan said she had lost her savings. "
            "“I am glad they are punished, but the money is gone,” she said.")
    (q,) = find_quotes(text)
    assert q.speaker == "retired nurse from Yunnan"


def test_pronoun_after_an_appositive_name() -> None:
    text = ("“The first group has gone home,” said Anan Chai, a police officer.\n\n"
            "China's consul in Chiang Rai, Liu Mei, thanked the officers. “Everyone deceived will be brought "
            "back,” she said.")
    q1, q2 = find_quotes(text)
    assert q1.speaker == "Anan Chai" and q2.speaker == "Liu Mei"


def test_short_phrase_ascribed_by_a_speech_verb_is_a_quote() -> None:
    text = "Vietnam's Ministry of Public Security said it would pursue the “key recruiters” abroad."
    (q,) = find_quotes(text)
    assert q.quote == "key recruiters" and q.speaker.endswith("Ministry of Public Security")
    assert q.attribution == "ascribed"


def test_short_phrase_ascribed_by_it_resolves_to_the_organisation() -> None:
    text = "The court jailed a man it described as the compound's “chief accountant.”"
    (q,) = find_quotes(text)
    assert q.speaker == "court"


@pytest.mark.parametrize("text", [
    "The ministry announced the return of 300 “fraud suspects” from the border.",    # noun object, not speech
    "She made a documentary for the network called “Scam Nation,” which aired in May.",  # a title
])
def test_short_phrases_that_stay_scare_quotes(text: str) -> None:
    assert find_quotes(text) == []
