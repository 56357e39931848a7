"""Long data tables in ``pagewash extract``: every row read, in order, at a cost that
grows with the rows and no faster (scraper/extract/longtables.py).

A register of 60,000 rows cost 690 MB and 25 s, and its rows past the 33,331st were
missing (the block walker's node limit, flagged too-many-elements). The rows past a
table's first TABLE_SAMPLE_ROWS are now set aside before the page is parsed and read in
batches once the page's content is chosen. These tests check behaviour, not time: the
rows come out whole and in order, and they are the very lines the walker reads from the
whole page.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from long_tables import farm_page, farm_text, register_page, register_row, row_text
from selectolax.lexbor import LexborHTMLParser

from scraper.extract import extract_html
from scraper.extract.blocks import Block, page_blocks
from scraper.extract.longtables import (
    TABLE_SAMPLE_ROWS,
    markers_found,
    restore_rows,
    set_aside_rows,
)
from scraper.extract.pipeline import TABLE_RULE
from scraper.extract.sniff import bound_depth
from scraper.jobs import extract_files

URL = "https://auctions.example.com/2024/register"


def _records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def test_a_table_of_thousands_of_rows_comes_out_whole_and_in_order(tmp_path: Path) -> None:
    rows = 3 * TABLE_SAMPLE_ROWS
    page = tmp_path / "register.html"
    page.write_text(register_page(rows), "utf-8")
    out = tmp_path / "out.jsonl"
    summary = extract_files([str(page)], str(out))
    assert summary.exit_code == 0
    [rec] = _records(out)
    assert "flags" not in rec
    lines = rec["text"].split("\n")
    body = [line for line in lines if line and line[0].isdigit()]
    assert body == [row_text(n) for n in range(1, rows + 1)]
    assert lines[-1] == "The register is updated every month by the auction house."


def test_the_rows_set_aside_are_a_markdown_table_too() -> None:
    rows = TABLE_SAMPLE_ROWS + 500
    ex = extract_html(register_page(rows), url=URL, output_format="markdown")
    table = [line for line in ex.text.split("\n") if line.startswith("| ")]
    assert table[0] == "| No | Item | Town | Estimate |"
    assert table[1:] == [f"| {row_text(n)} |" for n in range(1, rows + 1)]
    assert ex.stats["table_rows_set_aside"] == rows + 1 - TABLE_SAMPLE_ROWS


@pytest.mark.parametrize(("style", "sections"), [
    ("plain", 1), ("unclosed", 1), ("rich", 1), ("plain", 4), ("rich", 3),
])
def test_rows_read_apart_are_the_blocks_the_whole_page_gives(style: str, sections: int) -> None:
    """The rows set aside, read batch by batch and put back after the last row read,
    are the blocks the walker reads from the whole page: rows without end tags, links
    and bold text, a line break in a cell, a table in a cell, and ``<tr`` where it
    opens no row (a comment, a script, an attribute) change nothing."""
    html = register_page(300, style=style, sections=sections)
    keep = 40
    reduced, aside = set_aside_rows(html, keep)
    assert aside is not None and aside.rows == 301 - keep
    tree = LexborHTMLParser(bound_depth(reduced)[0])
    assert markers_found(tree, aside)
    read, left = restore_rows(page_blocks(tree.body), aside)
    whole = page_blocks(LexborHTMLParser(bound_depth(html)[0]).body)

    def shape(b: Block) -> tuple[object, ...]:
        return (b.text, b.tag, b.cells, b.link_chars, b.bold, b.in_table, b.in_main,
                b.in_pre, b.heading, b.in_list)

    assert left == []
    assert [shape(b) for b in read] == [shape(b) for b in whole]


def test_a_long_table_that_ends_the_page_is_kept_whole() -> None:
    """With its rows past the first set aside, a register at the end of the page (in an
    <aside> after a short article) ended the page early: the model left out its last
    rows read, as it leaves out the end of a page (rows 974 to 999 of 1,200), and with
    them went every row set aside. A long table is kept or left out as a whole."""
    rows = TABLE_SAMPLE_ROWS + 200
    table = "".join(register_row(n) for n in range(1, rows + 1))
    page = ("<html><head><title>Spring sale</title></head><body><main><article><h1>Spring "
            "sale</h1><p>The spring sale of furniture and household goods takes place on "
            "Saturday; viewing is from nine on the morning of the sale.</p><p>Buyers pay a "
            "premium of twenty per cent on the hammer price, and lots must be collected "
            f"within a week.</p></article></main><aside><table>{table}</table></aside>"
            "</body></html>")
    ex = extract_html(page, url=URL)
    body = [line for line in ex.text.split("\n") if line[:1].isdigit()]
    assert body == [row_text(n) for n in range(1, rows + 1)]
    assert not [r for r in ex.removed if r.rule == TABLE_RULE or r.text[:1].isdigit()]


def test_a_long_table_left_out_takes_its_rows_with_it() -> None:
    """A link farm laid out in a long table (every cell a link) is no content: its rows
    read go as a link template, and the rows set aside go with them, none unaccounted
    for (each listed under table.rest)."""
    rows = TABLE_SAMPLE_ROWS + 300
    ex = extract_html(farm_page(rows), url="https://gym.example.com/2024/new-hall")
    assert ex.text.endswith("turned away for lack of room.")
    assert "Affordable Gym" not in ex.text
    assert ex.stats["table_rows_set_aside"] == 300
    rest = [r.text for r in ex.removed if r.rule == TABLE_RULE]
    assert rest == [farm_text(n) for n in range(TABLE_SAMPLE_ROWS + 1, rows + 1)]


def test_markup_the_scan_misreads_is_read_whole() -> None:
    """A long table inside a <template> (markup no browser shows) puts its marker where
    the parsed page does not show it: the page is read whole, as it was before."""
    page = register_page(TABLE_SAMPLE_ROWS + 20)
    page = page.replace("<table>", "<template><table>", 1).replace("</table>",
                                                                    "</table></template>", 1)
    ex = extract_html(page, url=URL)
    assert "table_rows_set_aside" not in ex.stats
    assert "Item 1010" not in ex.text
    assert "The register is updated every month by the auction house." in ex.text


def test_a_page_without_long_tables_is_not_touched() -> None:
    html = register_page(TABLE_SAMPLE_ROWS - 1)
    assert set_aside_rows(html) == (html, None)
