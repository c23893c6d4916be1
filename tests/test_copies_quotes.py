"""One definition of a quotation for the copies package (copies.tokens.QUOTED_RE; sentalign-v2, storyctx-v2).

Invented sentences only."""
from scamtrace.copies import sentalign, storyctx
from scamtrace.copies.tokens import QUOTED_RE, quote_regions

# a quotation left open before the next one opens: the old expression paired the stray opening mark with the
# next quotation's opening mark and never saw the second quotation
OPEN_THEN_QUOTE = ('The minister said "we will not stop until every worker is home. '
                   '"Nobody is left behind here," she added.')


def test_a_quote_left_open_does_not_hide_the_next_quotation():
    found = [OPEN_THEN_QUOTE[a:b] for a, b in quote_regions(OPEN_THEN_QUOTE)]
    assert found == ['"Nobody is left behind here,"']


def test_ordinary_quotations_are_found():
    text = 'He said "the camp was closed on Monday" and left. Later: "Four buses came for them."'
    assert [text[a:b] for a, b in quote_regions(text)] == ['"the camp was closed on Monday"',
                                                          '"Four buses came for them."']


def test_every_reader_of_quotations_uses_the_shared_definition():
    assert sentalign.quote_regions is quote_regions
    assert storyctx.QUOTED_RE is QUOTED_RE
    assert sentalign.SENTALIGN_ALGORITHM == "copies.sentalign-v2"
    assert storyctx.STORYCTX_ALGORITHM == "copies.storyctx-v2"
