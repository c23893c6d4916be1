"""The workspace in a real browser: `scamtrace serve` in a subprocess on a demo store, driven by
Playwright with Debian's Chromium. Screenshots go to artifacts/screenshots/ (gitignored)."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("SCAMTRACE_CHROMIUM", "/usr/bin/chromium"))
REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "examples" / "demo"
SHOTS = REPO / "artifacts" / "screenshots"
SPUN = "c-9dd748125651ae14"
SPUN_SOURCE = "mwn-20250304-golden-lotus-raid"
SERVER_START_TIMEOUT = 60.0     # seconds to wait for the server to answer (start-up, not a test limit)

pytestmark = pytest.mark.e2e
sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (pip install playwright)")
if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} not found; apt-get install chromium (or set SCAMTRACE_CHROMIUM)", allow_module_level=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_command(db: Path, port: int) -> list[str]:
    """`scamtrace serve` when the main CLI has it, else the web package's own command."""
    from scamtrace.cli import cli

    if "serve" in getattr(cli, "commands", {}):
        return [sys.executable, "-c", "from scamtrace.cli import main; main()", "--db", str(db), "serve",
                "--port", str(port)]
    return [sys.executable, "-c", "from scamtrace.web.cli import serve; serve()", "--db", str(db), "--port", str(port)]


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    from scamtrace import api

    db = tmp_path_factory.mktemp("e2e") / "demo.db"
    store = api.open_store(db)
    sources = [str(DEMO / s.strip()) for s in (DEMO / "sources.txt").read_text().splitlines() if s.strip()]
    api.ingest(store, sources)
    api.analyze(store)
    store.close()
    return db


@pytest.fixture(scope="module")
def server(demo_db):
    port = free_port()
    proc = subprocess.Popen(serve_command(demo_db, port), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while True:
        try:
            with urllib.request.urlopen(base + "/api/stories", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            out = proc.stdout.read() if proc.stdout else ""
            pytest.fail(f"serve did not start: {out[-2000:]}")
        time.sleep(0.2)
    yield base
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    out = proc.stdout.read() if proc.stdout else ""
    assert "127.0.0.1" in out and "loopback" in out, out


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM),
                              args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield b
        b.close()


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_search_story_spun_article_judgement_and_analyze(server, browser, demo_db):
    from scamtrace import api
    from scamtrace.store import Store

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text))
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))

    # 1. search
    page.goto(server + "/")
    page.fill("input[name=q]", "Golden Lotus")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/?q=Golden+Lotus**")
    assert "matching “Golden Lotus”" in page.inner_text("#result-count")
    shot(page, "01-stories-search")

    # 2. open the story holding the spun article
    story_id = Store(demo_db, readonly=True).story_of(SPUN)
    page.click(f'a[href="/stories/{story_id}"]')
    page.wait_for_url(f"**/stories/{story_id}")
    assert page.locator("svg.timeline circle").count() > 0
    assert page.locator(f'a[href="/articles/{SPUN}"]').count() >= 1
    shot(page, "02-story")

    # 3. open the spun article: substitutions listed and marked in the text
    page.locator(f'table a[href="/articles/{SPUN}"]').first.click()
    page.wait_for_url(f"**/articles/{SPUN}")
    section = page.locator("section.link", has=page.locator(f'h2 a[href="/articles/{SPUN_SOURCE}"]'))
    assert "spun" in section.locator("h2").inner_text()
    assert "Substitutions (" in section.inner_text()
    assert section.locator(".side-by-side mark.mk-sub").count() > 3
    assert section.locator(".side-by-side mark.mk-passage").count() > 3
    # the local script runs under the CSP: hovering a passage highlights its counterpart
    first = section.locator(".side-by-side mark[data-ref]").first
    ref = first.get_attribute("data-ref")
    first.hover()
    assert section.locator(f'mark.is-linked[data-ref="{ref}"]').count() >= 2
    shot(page, "03-spun-article")

    # 4. judge the pair: not a copy
    form = section.locator("form.judge")
    form.locator("input[value=not-copy]").check()
    form.locator("input[name=note]").fill("different wording, checked by hand")
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"**/articles/{SPUN}?judged=not-copy*")
    assert "Judgement recorded" in page.inner_text(".flash")
    assert "different wording, checked by hand" in page.inner_text("#judgements")
    shot(page, "04-judged")

    # 5. analyze applies it: the link is gone, the judgement stays
    store = Store(demo_db)
    api.analyze(store)
    store.close()
    page.goto(server + f"/articles/{SPUN}")
    assert page.locator(f'section.link h2 a[href="/articles/{SPUN_SOURCE}"]').count() == 0
    assert "not-copy" in page.inner_text("#judgements")
    shot(page, "05-after-analyze")

    for path, name in (("/graph", "06-provenance"), ("/outlets", "07-outlets"), ("/api", "08-api")):
        page.goto(server + path)
        shot(page, name)

    assert not [m for m in console if "Content Security Policy" in m or "Refused" in m], console
    assert all(u.startswith(server) for u in requests), [u for u in requests if not u.startswith(server)]
    page.close()


def test_actor_page_network_alias_judgement_and_story_filters(server, browser, demo_db):
    # a look-alike name of the demo (a shared word); the spun copy's "Dawna Boundary Protection Military"
    # is no actor any more (issue 15 item 9: a spun copy's names come from its family's normal text)
    army, other = "Dawna Border Defence Army", "Cross-Border Crime Suppression Bureau"
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text))
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))

    # 1. the actors index, then the militia's page through its link
    page.goto(server + "/actors")
    assert page.locator("table.actors tbody tr").count() > 10
    shot(page, "09-actors")
    page.click(f'table.actors a:text-is("{army}")')
    page.wait_for_url("**/actors/Dawna%20Border%20Defence%20Army")
    assert page.locator("svg.mentions-chart rect.bar").count() >= 2
    assert page.locator("svg.network g.peer").count() >= 3
    assert page.locator("#events tbody tr").count() >= 1 and page.locator("#articles tbody tr").count() >= 5
    shot(page, "10-actor")

    # 2. a co-occurring actor is one click away in the network
    peer = page.locator("svg.network a").first
    href = peer.get_attribute("href")
    peer.click()
    page.wait_for_url("**" + href)
    assert page.locator("h1").inner_text() != army
    page.go_back()

    # 3. alias judgement: a look-alike name judged the same actor
    form = page.locator("form.judge.alias")
    form.locator("input[name=b]").fill(other)
    form.locator("input[value=same]").check()
    form.locator("input[name=note]").fill("look-alike name judged in the browser")
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/actors/Dawna%20Border%20Defence%20Army?judged=same*")
    assert "Alias judgement recorded" in page.inner_text(".flash")
    assert other in page.inner_text("#aliases") and "same actor" in page.inner_text("#aliases")
    shot(page, "11-alias-judged")

    # 4. the story page links actors; the stories list filters by actor, event type and place
    story = page.locator("#events td a[href^='/stories/']").first.get_attribute("href")
    page.goto(server + story)
    assert page.locator('a.actor[href="/actors/Dawna%20Border%20Defence%20Army"]').count() >= 1
    page.goto(server + "/")
    page.fill("input[name=actor]", army)
    page.select_option("select[name=event_type]", "raid")      # submits the form (app.js)
    page.wait_for_url("**event_type=raid**")
    assert "naming" in page.inner_text("#result-count") and "raid" in page.inner_text("#result-count")
    assert page.locator("ol.stories li").count() >= 1
    shot(page, "12-stories-filtered")

    assert not [m for m in console if "Content Security Policy" in m or "Refused" in m], console
    assert all(u.startswith(server) for u in requests), [u for u in requests if not u.startswith(server)]
    page.close()


# -- figures, highlights and hostile input ---------------------------------------------------------
RAID = SPUN_SOURCE               # the raid story's original: figures, dates, quotes and names
HOSTILE_ID = "e2e-hostile-1"
HOSTILE_TITLE = "</title><script>window.__pwned = 'title'</script><!--"
INJECTED_RGB = "rgb(255, 0, 1)"  # the colour the injected CSS asks for; no real style uses it
HOSTILE_TEXT = (
    "<script>window.__pwned = 'script'; alert('script')</script> Police in the border town said on Monday that "
    "<img src=x onerror=\"window.__pwned = 'img'; alert('img')\"> officers had detained 311 people at a compound "
    "called Blue Orchid Park after a tip from relatives of workers held there.\n\n"
    "<a href=\"javascript:window.__pwned='link'\">click here</a> A spokesman said the detained workers came from "
    "nine countries and that <style>* { color: rgb(255, 0, 1) !important; background: rgb(255, 0, 1) !important }"
    " .prose { display: none !important }</style> most had been recruited with fake job offers.\n\n"
    "<p style=\"color: rgb(255, 0, 1)\" onmouseover=\"alert('hover')\">\"We will keep going until the compound is "
    "empty,\" the spokesman said</p>, adding that 54 suspected managers were questioned by police on Tuesday. "
    "<svg onload=\"alert('svg')\"></svg> <iframe src=\"javascript:alert('frame')\"></iframe>\n\n"
    "Relatives of the workers gathered outside the police station in the afternoon, waiting for news of family "
    "members who had stopped answering messages weeks ago, according to a local aid group."
)
#: JS run in the page: every element whose computed colours are the injected one, or that is hidden by it.
INJECTED_STYLE_PROBE = """(rgb) => {
  const hits = [];
  for (const el of document.querySelectorAll('*')) {
    const cs = getComputedStyle(el);
    if (cs.color === rgb || cs.backgroundColor === rgb) hits.push(el.tagName + '.' + el.className);
  }
  const prose = document.querySelector('#article-text');
  if (prose && getComputedStyle(prose).display === 'none') hits.push('#article-text hidden');
  return hits;
}"""


@pytest.fixture(scope="module")
def hostile_article(demo_db, tmp_path_factory) -> str:
    """A hostile article ingested (and analysed) into the running server's store through the API."""
    import json

    from scamtrace import api

    d = tmp_path_factory.mktemp("hostile")
    rec = {"id": HOSTILE_ID, "url": "javascript:window.__pwned='url'", "outlet": "<b onmouseover=alert(4)>Evil Daily</b>",
           "published": "2025-03-04", "title": HOSTILE_TITLE, "text": HOSTILE_TEXT,
           "byline": "<svg onload=alert(5)>"}
    (d / "hostile.jsonl").write_text(json.dumps(rec) + "\n")
    store = api.open_store(demo_db)
    try:
        stats = api.ingest(store, [str(d / "hostile.jsonl")])
        assert stats.new == 1, stats
        api.analyze(store)
    finally:
        store.close()
    return HOSTILE_ID


def test_story_figure_table_shows_the_conflict_side_by_side(server, browser, demo_db):
    from scamtrace.store import Store

    store = Store(demo_db, readonly=True)
    try:
        story_id = store.story_of(RAID)
        groups = store.execute("SELECT count(*) FROM facts WHERE story = ? AND conflict_group IS NOT NULL"
                               " AND unit = 'people' AND value IN (3800, 4000, 4100)", (story_id,))[0][0]
    finally:
        store.close()
    assert groups >= 2, f"the knowledge stage found no 4,100 vs 3,800/4,000 conflict in story {story_id}"
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(server + f"/stories/{story_id}")
    versus = page.locator("table.facts tr.conflict .versus").filter(has_text="4,100").first
    values = versus.locator(".v").all_inner_texts()
    assert values[0].startswith("4,100") and any(v.startswith(("3,800", "4,000")) for v in values[1:]), values
    box = [versus.locator(".v").nth(i).bounding_box() for i in range(len(values))]
    assert all(abs(b["y"] - box[0]["y"]) < 2 for b in box[:2]), "the rival values sit side by side on one line"
    versus.scroll_into_view_if_needed()
    shot(page, "13-story-conflict")
    page.close()


def test_article_text_highlights_figures_dates_entities_quotes_with_toggles(server, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text))
    page.goto(server + f"/articles/{RAID}")
    text = page.locator("#article-text")
    assert text.locator("mark.hl-figure").count() >= 5
    assert text.locator("mark.hl-date").count() >= 3
    assert text.locator("mark.hl-entity").count() >= 10
    assert text.locator("span.hl-quote").count() >= 3
    fig = text.locator("mark.hl-figure", has_text="4,100").first
    title = fig.get_attribute("title")
    assert "people detained" in title and "2025-03-03" in title and "corroboration" in title, title
    month = text.locator("mark.hl-date-month").first
    assert "2025-01-01 – 2025-01-31" in month.get_attribute("title")
    assert "speaker: Saw Min Dee" in text.locator("span.hl-quote").first.get_attribute("title")
    # the toggles are shown by app.js (CSP-safe) and switch one kind off and on
    entity = text.locator("mark.hl-entity").first
    before = entity.evaluate("e => getComputedStyle(e).boxShadow")
    assert before != "none"
    toggle = page.locator("input.hl-toggle[value=entity]")
    assert toggle.is_visible()
    toggle.uncheck()
    assert entity.evaluate("e => getComputedStyle(e).boxShadow") == "none"
    assert fig.evaluate("e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)", "figures stay marked"
    shot(page, "14-article-highlights-no-entities")
    toggle.check()
    assert entity.evaluate("e => getComputedStyle(e).boxShadow") == before
    page.locator("#clean-text").scroll_into_view_if_needed()
    shot(page, "14-article-highlights")
    assert not [m for m in console if "Content Security Policy" in m or "Refused" in m], console
    page.close()


def test_hostile_article_is_inert_in_the_browser(server, browser, hostile_article):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(server + f"/articles/{hostile_article}")
    page.wait_for_load_state("load")
    page.locator("#article-text").hover()
    page.locator("#article-text p").nth(2).hover()           # the injected onmouseover, were it live
    assert dialogs == []
    assert page.evaluate("() => window.__pwned") is None
    assert page.locator("img").count() == 0 and page.locator("[onerror]").count() == 0
    assert page.locator("[onmouseover], [onload], iframe, svg [onload]").count() == 0
    assert page.locator("a[href^='javascript:' i]").count() == 0
    assert page.locator("style").count() == 0 and page.locator("main [style]").count() == 0
    assert page.evaluate(INJECTED_STYLE_PROBE, INJECTED_RGB) == []
    assert "window.__pwned = 'title'" in page.title()               # the title shows as text
    assert "<script>window.__pwned = 'script'" in page.locator("#article-text").inner_text()
    assert page.locator("#article-text").is_visible()
    shot(page, "15-hostile-article")
    page.goto(server + "/?q=Blue+Orchid")
    assert dialogs == [] and page.evaluate("() => window.__pwned") is None
    assert page.evaluate(INJECTED_STYLE_PROBE, INJECTED_RGB) == []
    assert all(u.startswith(server) for u in requests), [u for u in requests if not u.startswith(server)]
    page.close()
