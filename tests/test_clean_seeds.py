"""The clean stage on the five real seed articles (read by path from the shared folder)."""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from scamtrace.clean import CLEANER_TEXT, clean_doc, detect_metadata
from scamtrace.model import RawDoc


def _seeds_dir() -> Path:
    shared = os.environ.get("SCAMTRACE_SHARED")
    base = Path(shared) if shared else Path(__file__).resolve().parents[2] / "shared"
    return base / "seeds"


SEEDS = _seeds_dir()
pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed articles not found at {SEEDS}; set SCAMTRACE_SHARED")


def _raw(prefix: str) -> RawDoc:
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    return RawDoc(source=str(path), body=path.read_text(encoding="utf-8"), fmt="text")


@pytest.fixture(scope="module")
def articles():
    return {p: clean_doc(_raw(p)) for p in ("000", "001", "002", "003", "004")}


# Lines of seed 000 that are The Independent's appeals, identified by how they begin.
APPEAL_STARTS_000 = ("Your support helps", "This election is still", "The Independent is trusted",
                     "Help us keep", "Subscribe to Independent Premium", "Want to bookmark")


def test_000_appeals_gone_news_kept(articles):
    art = articles["000"]
    for phrase in ("Your support", "Independent Premium", "paywalls", "bookmark", "wafer-thin"):
        assert phrase not in art.text
    raw_lines = [line.strip() for line in _raw("000").body.splitlines() if line.strip()]
    news = [line for line in raw_lines[1:] if not line.startswith(APPEAL_STARTS_000) and len(line.split()) >= 8]
    assert len(news) >= 30
    paragraphs = set(art.text.split("\n\n"))
    missing = [line[:60] for line in news if line not in paragraphs]
    assert missing == []


def test_000_title_and_contributor(articles):
    art = articles["000"]
    assert art.title and art.title.startswith("China raises stakes")
    assert not art.text.startswith("China raises stakes")
    assert art.credit == "AP"                      # from "AP researcher ... contributed"
    assert art.contributors == ["Wanqing Chen"]
    assert art.dateline is None                    # this copy has no dateline in its text
    assert art.language == "en" and not art.truncated
    assert art.cleaner == CLEANER_TEXT and art.id == ""
    assert art.raw_hash and len(art.raw_hash) == 64


def test_001_truncated_stub_removed(articles):
    art = articles["001"]
    assert art.truncated
    assert "Full Article" not in art.text
    assert "SeattlePI.com" not in art.text and "\n\nPublished\n\n" not in f"\n\n{art.text}\n\n"
    assert art.text.count("China raises stakes") == 0      # the duplicated headline is stripped
    assert art.text.startswith("BANGKOK (AP) —")           # the dateline stays in the lead
    assert art.outlet == "SeattlePI.com"
    assert (art.dateline, art.credit) == ("BANGKOK", "AP")


def test_003_tail_gone(articles):
    art = articles["003"]
    assert "Related posts" not in art.text and "Leave a Comment" not in art.text
    assert art.text.rstrip().endswith("contributed to this report.")
    assert (art.dateline, art.credit) == ("BANGKOK", "AP")
    assert art.contributors == ["Wanqing Chen", "Grant Peck", "Jintamas Saksornchai"]
    assert art.outlet == "ZoomTech News"
    assert art.title and not art.title.endswith("ZoomTech News")
    assert "rip-off" in art.text                            # spun words are content, untouched


def test_004_tail_and_share_bar_gone_date_found(articles):
    art = articles["004"]
    for phrase in ("Spread the love", "Leave a Reply", "Your email address", "Required fields"):
        assert phrase not in art.text
    assert art.published == dt.date(2023, 10, 24)
    assert art.dateline == "Bangkok"
    assert art.credit is None                              # an uncredited rewrite
    assert "Crackdown on Cyber Scams" not in art.text      # duplicated headline (straight quote) dropped
    assert "October 24, 2023" in art.text                  # the dateline line is kept
    assert not art.truncated


def test_002_digest_untouched(articles):
    art = articles["002"]
    raw_paragraphs = [p.strip() for p in _raw("002").body.splitlines() if p.strip()]
    assert art.text.split("\n\n") == raw_paragraphs
    assert art.title is None and art.credit is None


def test_raw_metadata_on_uncleaned_text():
    # detect_metadata reads datelines even before cleaning (title, site and stub lines first)
    meta = detect_metadata(_raw("001").body)
    assert (meta.dateline, meta.credit, meta.truncated) == ("BANGKOK", "AP", True)


def test_record_fields_win(articles):
    raw = _raw("003")
    raw.title, raw.outlet, raw.published, raw.id = "Given title", "Given Outlet", dt.date(2023, 10, 25), "x1"
    art = clean_doc(raw)
    assert (art.title, art.outlet, art.published, art.id) == ("Given title", "Given Outlet", dt.date(2023, 10, 25), "x1")
