"""INVENTED test fixture for the closest-parent choice (``copies.parent-v1``): a FICTIONAL wire story,
written for these tests by the scamtrace team (no person, place detail, figure or outlet in it is real,
and nothing here is copied from any dataset or published text), with two syndicated copies that differ
in cut point, headline and house edits, and copies made from one of the syndicated copies.

Stemma (what the tests expect):

    wire (the original, own outlet, dated day 0)
    ├── synd_cut   (day 1: US house spelling, own headline, drops paragraph 7, stops after paragraph 9
    │   │           with "Read more at ...")
    │   ├── mirror_cut   (day 2: a republisher of synd_cut: its headline, spelling, dropped paragraph, cut)
    │   └── spun_cut     (day 2: a spinner's copy of synd_cut: synonyms swapped, synd_cut's readings kept)
    └── synd_full  (day 1: keeps the UK spelling, own headline, adds a currency conversion and an
        │           editor's line, full length)
        └── mirror_full  (day 2: a republisher of synd_full, with its own menu chrome)
"""
from __future__ import annotations

import datetime as dt

from scamtrace.model import Article

# Paragraphs of the fictional wire story (UK spelling, as the fictional agency writes it).
WIRE_TITLE = "Police free 212 workers from riverside scam centre in fictional Karnveli province"
WIRE_PARAS = [
    "KARNVELI, Lanmar (AFP) - Police in the fictional province of Karnveli freed 212 workers from a riverside "
    "scam centre on Tuesday, officials said, after a raid that followed months of complaints from families "
    "abroad.",
    "The workers, from nine countries, had been held in a guarded compound of six buildings near the Sarit "
    "river crossing, where they were forced to run online investment frauds for up to 16 hours a day, the "
    "provincial police chief Colonel Dara Venthol told reporters.",
    "\"Many of them had their passports taken on the first day and were told they owed money for their "
    "travel,\" Venthol said. \"Those who refused to work were locked in a room without food.\"",
    "The raid was organised with the labour ministry and two foreign embassies, which had passed on the "
    "names of missing citizens. Officers seized 340 mobile phones, 96 computers and cash worth $1.2 million.",
    "Eleven suspected managers were arrested, among them three men police described as the compound's "
    "owners. They face charges of human trafficking and fraud, which carry sentences of up to 20 years.",
    "The freed workers were taken to a shelter in the provincial capital, where aid workers from the "
    "fictional Harbour Light charity gave them food, clothing and medical checks.",
    "Officials said 64 of the workers were women and 17 had been recruited through advertisements for "
    "customer service jobs that promised monthly salaries of about $1,500.",
    "Governments in the region have come under growing pressure to act against the centres, which "
    "investigators say defraud victims of billions of dollars each year.",
    "Venthol said the investigation would continue and that police were tracing the bank accounts used to "
    "move the money out of the country. \"We will follow every payment,\" he said.",
    "The embassies involved said they would help the workers return home within two weeks, once their "
    "identities had been confirmed and their statements taken by investigators.",
    "A spokesperson for the labour ministry said inspections of riverside properties would be stepped up "
    "over the coming months, with a hotline opened for people who fear relatives are trapped.",
    "The Sarit crossing has been linked to several earlier cases, including a raid last year in which 58 "
    "people were found in a warehouse a few kilometres upstream.",
]

# US house spelling of the first syndicator (a house edit, not spin).
US_SPELLING = {"centre": "center", "organised": "organized", "labour": "labor", "kilometres": "kilometers"}


def _us(text: str) -> str:
    for uk, us in US_SPELLING.items():
        text = text.replace(uk, us)
    return text


def _join(title: str, paras: list[str]) -> str:
    return title + "\n\n" + "\n\n".join(paras)


def wire_text() -> str:
    return _join(WIRE_TITLE, WIRE_PARAS)


def synd_cut_text() -> str:
    """The first syndicator: its own headline, US spelling, "said on Tuesday" -> "said Tuesday", drops
    paragraph 7 and stops after paragraph 9 with a "Read more" line."""
    paras = [_us(p).replace("on Tuesday, officials said", "Tuesday, officials said") for p in WIRE_PARAS[:9]]
    del paras[6]
    return _join("Lanmar raid frees 212 from scam center on Sarit river", paras) + \
        "\n\nRead more at The Capital Post."


def synd_full_text() -> str:
    """The second syndicator: its own headline, UK spelling kept, a currency conversion and an editor's
    line added, full length."""
    paras = list(WIRE_PARAS)
    paras[3] = paras[3].replace("cash worth $1.2 million.", "cash worth $1.2 million (about 41 million lanmari "
                                                            "rupa).")
    paras.insert(8, "The province has seen three such raids since January, according to police figures.")
    return "Home | World | Asia\n\n" + _join("212 rescued as police storm Karnveli scam compound", paras) + \
        "\n\nShare this story: Facebook | X | Email"


def mirror_cut_text() -> str:
    """A republisher of the first syndicator: its headline, spelling, dropped paragraph and cut point, with
    its own chrome before and a copyright line after."""
    body = synd_cut_text().replace("\n\nRead more at The Capital Post.", "")
    return "Latest News | Regional\n\n" + body + "\n\nCopyright Riverside Daily Digest."


# Synonym swaps a spinner makes (wrong-sense ones, as article spinners do).
SPIN = {"freed": "liberated", "workers": "labourers", "officials": "authorities", "raid": "attack",
        "complaints": "grievances", "guarded": "safeguarded", "forced": "compelled", "reporters": "correspondents",
        "locked": "secured", "seized": "grabbed", "arrested": "apprehended", "charges": "costs",
        "shelter": "sanctuary", "clothing": "garments", "pressure": "strain", "investigation": "examination",
        "payment": "installment", "accounts": "records", "missing": "absent", "citizens": "natives"}


def spun_cut_text() -> str:
    """A spinner's copy of the first syndicator (synonyms swapped; its headline, spelling and cut kept)."""
    body = synd_cut_text().replace("\n\nRead more at The Capital Post.", "")
    for w, s in SPIN.items():
        body = body.replace(" " + w + " ", " " + s + " ").replace(" " + w + ".", " " + s + ".") \
            .replace(" " + w + ",", " " + s + ",")
    return body + "\n\nSource: web"


def mirror_full_text() -> str:
    """A republisher of the second syndicator, with its own menu instead of the syndicator's."""
    return synd_full_text().replace("Home | World | Asia", "News | Business | Opinion | Video") \
        .replace("Share this story: Facebook | X | Email", "Related: more regional news")


DAY0 = dt.date(2031, 3, 4)


def articles(include: tuple[str, ...] = ("wire", "synd_cut", "synd_full", "mirror_cut", "spun_cut",
                                         "mirror_full"), dated: bool = True, titled: bool = False) -> list[Article]:
    """The fictional family (see the module doc); ``include`` picks members; ``dated=False`` leaves every
    publication date unknown; ``titled=True`` also sets each article's title (its first line)."""
    def a(aid: str, text: str, outlet: str, day: int | None) -> Article:
        title = next(p for p in text.split("\n\n") if "|" not in p) if titled else None
        return Article(id=aid, source=f"fixture:{aid}", text=text, outlet=outlet, url=f"https://{outlet}/{aid}",
                       title=title, published=DAY0 + dt.timedelta(days=day) if day is not None and dated else None)
    every = {
        "wire": a("wire", wire_text(), "afp.com", 0),
        "synd_cut": a("synd_cut", synd_cut_text(), "capitalpost.example", 1),
        "synd_full": a("synd_full", synd_full_text(), "harbourtimes.example", 1),
        "mirror_cut": a("mirror_cut", mirror_cut_text(), "riversidedigest.example", 2),
        "spun_cut": a("spun_cut", spun_cut_text(), "contentfarm.example", 2),
        "mirror_full": a("mirror_full", mirror_full_text(), "newsaggregator.example", 2),
    }
    return [every[k] for k in include]


def updated_wire_text() -> str:
    """The wire's own page after an update (a figure corrected, a line added): copies taken before the update
    keep the old readings, so they agree with one another against it without copying one another."""
    paras = list(WIRE_PARAS)
    paras[4] = paras[4].replace("Eleven suspected managers", "Twelve suspected managers")
    paras.insert(6, "A twelfth suspect was detained on Wednesday at a checkpoint on the road to the capital.")
    return _join(WIRE_TITLE + " (updated)", paras)


def early_copies() -> list[Article]:
    """The updated wire page and three copies of the wire's EARLY version, each with its own chrome."""
    early = wire_text()
    chrome = {"early_a": ("World | Asia", "Posted by the desk."), "early_b": ("Top stories", "More from our partners."),
              "early_c": ("Regional wire", "All rights reserved by their owners.")}
    out = [Article(id="wire_updated", source="fixture:wire_updated", text=updated_wire_text(), outlet="afp.com",
                   url="https://afp.com/wire_updated", published=DAY0)]
    for aid, (head, foot) in chrome.items():
        out.append(Article(id=aid, source=f"fixture:{aid}", text=f"{head}\n\n{early}\n\n{foot}",
                           outlet=f"{aid.replace('_', '')}.example", url=f"https://{aid}.example/x"))
    return out


RELATED = ("Related stories\n\nFloods close two border crossings for the weekend\n\nMarket prices steady as harvest "
           "begins in the north\n\nLocal football club signs three new players for the coming season\n\nWeather: "
           "showers expected across the region on Friday and Saturday\n\nSubscribe to our morning newsletter for "
           "the day's top stories, delivered free to your inbox\n\nAbout us | Contact | Advertise | Privacy | Terms")


def stub_with_footer_text() -> str:
    """A page that runs the wire's first five paragraphs, then "Read more at ..." and its own long footer (related
    headlines, a newsletter box): a visible stop, though the page is not short."""
    return _join(WIRE_TITLE, WIRE_PARAS[:5]) + "\n\nRead more at afp.com\n\n" + RELATED
