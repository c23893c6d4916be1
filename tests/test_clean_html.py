"""HTML extraction and the EmptyArticle edge cases of clean_doc."""
from __future__ import annotations

import datetime as dt

import pytest

from scamtrace.clean import clean_doc, extract_main_text
from scamtrace.errors import EmptyArticle
from scamtrace.model import RawDoc

PARAS = [
    "YANGON (MWN) — Police raided a compound near the river on Monday and freed dozens of workers "
    "who said they had been forced to run online scams for months.",
    "The workers, most of them foreign nationals, were taken to a shelter where officials recorded "
    "their statements and began arranging their return home.",
    "Officials said the operation was the largest this year and that more raids would follow in "
    "districts along the border where similar compounds operate.",
    "Rights groups welcomed the raid but said the owners of the compound had not been arrested and "
    "that the business would likely move elsewhere.",
]

PAGE = f"""<!doctype html><html lang="en-GB"><head>
<title>Raid frees workers | Example Daily News</title>
<meta property="og:title" content="Raid frees dozens of scam workers">
<meta property="og:site_name" content="Example Daily News">
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2024-03-05T08:00:00Z">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/asia">Asia</a></li></ul></nav>
<article><h1>Raid frees dozens of scam workers</h1>
{''.join(f'<p>{p}</p>' for p in PARAS)}
<p>Sign up for our newsletter to get the latest stories in your inbox.</p>
</article>
<footer><p>© 2024 Example Daily News. All rights reserved.</p><a href="/privacy">Privacy</a></footer>
</body></html>"""

NAV_ONLY = """<html><head><title>Section</title></head><body><nav><ul>
<li><a href="/a">World</a></li><li><a href="/b">Business</a></li><li><a href="/c">Sport</a></li>
</ul></nav><footer>© 2024 Example</footer></body></html>"""


def test_extract_main_text_fields():
    ex = extract_main_text(PAGE, "https://example.invalid/2024/03/05/raid")
    paragraphs = ex.text.split("\n\n")
    assert all(p in paragraphs for p in PARAS)               # the <h1> may come first
    assert ex.title == "Raid frees dozens of scam workers"
    assert ex.sitename == "Example Daily News" and ex.author == "Jane Doe"
    assert ex.language == "en" and ex.date == "2024-03-05"
    assert "Home" not in ex.text and "Privacy" not in ex.text


def test_clean_doc_html():
    art = clean_doc(RawDoc(source="page.html", body=PAGE, fmt="html", url="https://example.invalid/x"))
    assert art.text.split("\n\n") == PARAS                   # newsletter prompt dropped
    assert art.published == dt.date(2024, 3, 5)
    assert (art.dateline, art.credit, art.outlet, art.byline) == ("YANGON", "MWN", "Example Daily News", "Jane Doe")
    assert art.cleaner == "clean.html-v2"


def test_extract_rejects_bytes_and_handles_empty():
    with pytest.raises(ValueError, match="decode"):
        extract_main_text(PAGE.encode())                     # type: ignore[arg-type]
    assert extract_main_text("").text == ""


@pytest.mark.parametrize("body, fmt, match", [
    ("", "text", "empty body"),
    ("   \n\n ", "text", "empty body"),
    ("Short note.\n\nNot an article at all.", "text", "only 7 words"),
    (NAV_ONLY, "html", "HTML|words"),
])
def test_empty_article(body, fmt, match):
    with pytest.raises(EmptyArticle, match=match) as info:
        clean_doc(RawDoc(source="src-1", body=body, fmt=fmt))
    assert info.value.source == "src-1"


def test_bad_format():
    with pytest.raises(ValueError, match="fmt"):
        clean_doc(RawDoc(source="s", body="x " * 50, fmt="pdf"))  # type: ignore[arg-type]


def test_unspaced_script_article_is_not_empty():
    sentence = "警方周一突袭了河边的一处园区，解救了数十名被迫从事网络诈骗的工人。"
    art = clean_doc(RawDoc(source="zh", body="\n\n".join([sentence] * 3), fmt="text"))
    assert art.language == "zh" and art.text.count(sentence) == 3
    with pytest.raises(EmptyArticle):
        clean_doc(RawDoc(source="zh", body=sentence[:20], fmt="text"))


def test_html_fragment_is_wrapped():
    fragment = "".join(f"<p>{p}</p>" for p in PARAS)       # e.g. a feed entry's content
    assert extract_main_text(fragment).text.split("\n\n") == PARAS
