"""Pages of long data tables for the long-table tests, made on the fly (a 60,000-row
register is a 5 MB page: generated, never committed). ``python tests/long_tables.py
60000 big.html`` writes one, to measure ``pagewash extract big.html`` on it."""

from __future__ import annotations

import sys
from pathlib import Path

ITEMS = ("Oak chair", "Pine table", "Brass lamp", "Wool rug", "Clock")


def register_row(n: int, style: str = "plain") -> str:
    """Row ``n`` of a lot register. ``plain``: cells of text; ``unclosed``: no end tags,
    as old pages write them; ``rich``: links, bold, a line break in a cell, and now and
    then a comment, a script or an attribute holding ``<tr``, and a table in a cell."""
    if style == "plain":
        return (f"<tr><td>{n}</td><td>Item {n} {ITEMS[n % 5]}</td><td>Town {n % 97}</td>"
                f"<td>{n * 7 + 3} GBP</td></tr>\n")
    if style == "unclosed":
        return f"<tr><td>{n}<td>Item {n} {ITEMS[n % 5]}<td>{n * 7 + 3} GBP\n"
    comment = "<!-- <tr><td>not a row</td></tr> -->" if n % 10 == 0 else ""
    script = "<script>var row = '<tr><td>not a row</td></tr>';</script>" if n % 25 == 0 else ""
    nested = "<table><tr><td>inner</td><td>table</td></tr></table>" if n % 33 == 0 else ""
    return (f"<TR class='r{n % 2}' title='a <tr> in an attribute'><td><a href='/lot/{n}'>{n}</a>"
            f"</td><td><b>Item</b> {n} {ITEMS[n % 5]}{comment}{script}</td>"
            f"<td>{n * 7 + 3}&nbsp;GBP<br>estimate{nested}</td></tr>")


def row_text(n: int) -> str:
    """The line a ``plain`` row gives in the record."""
    return f"{n} | Item {n} {ITEMS[n % 5]} | Town {n % 97} | {n * 7 + 3} GBP"


def register_page(rows: int, *, style: str = "plain", sections: int = 1) -> str:
    """A page whose content is a register of ``rows`` lots in one table (in ``sections``
    ``<tbody>`` elements), between a paragraph above it and one below."""
    per = -(-rows // sections)
    bodies = "".join(
        "<tbody>" + "".join(register_row(n, style)
                            for n in range(1 + k * per, min(rows, (k + 1) * per) + 1))
        + "</tbody>"
        for k in range(sections))
    table = ("<table><thead><tr><th>No</th><th>Item</th><th>Town</th><th>Estimate</th></tr>"
             f"</thead>{bodies}</table>")
    head = ("<html><head><title>Register of lots</title></head><body><nav><a href='/'>Home"
            "</a> <a href='/sales'>Sales</a></nav>")
    return (f"{head}<main><h1>Register of lots</h1><p>Every lot of the spring sale, with its "
            f"estimate, as of Monday morning.</p>{table}<p>The register is updated every "
            "month by the auction house.</p></main><footer>(c) Example Auctions</footer>"
            "</body></html>")


def farm_row(n: int) -> str:
    return (f'<tr><td><a href="/gym/{n}">Affordable Gym in Town {n}, NJ</a></td>'
            f'<td><a href="/gym/{n}/n">Affordable Gym in Town {n} North, NJ</a></td></tr>')


def farm_text(n: int) -> str:
    """The line a row of :func:`farm_page` gives."""
    return f"Affordable Gym in Town {n}, NJ | Affordable Gym in Town {n} North, NJ"


def farm_page(rows: int) -> str:
    """A short article over a link farm laid out in a table of ``rows`` rows (every cell
    a link to a machine-made page), in the page's footer."""
    table = "".join(farm_row(n) for n in range(1, rows + 1))
    return ("<html><head><title>New hall opens</title></head><body><main><article>"
            "<h1>New hall opens at the gym</h1><p>The gym opened its new hall on Monday, with "
            "classes for beginners and a pool that members have asked for since the club "
            "moved to the old mill.</p><p>Membership rose by a third last year, and the "
            "owners say the hall will take the evening classes that were turned away for "
            f"lack of room.</p></article></main><footer><table>{table}</table></footer>"
            "</body></html>")


if __name__ == "__main__":
    Path(sys.argv[2]).write_text(register_page(int(sys.argv[1])), "utf-8")
