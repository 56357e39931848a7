"""Documentation pages and definition lists through ``extract_html``: the parts of a
document that page chrome looks like (a footnote's ``<aside>``, a "See also" box), and
``<dl>`` terms kept with their definitions, one per line (``: `` in markdown)."""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser

from scraper.extract import extract_html
from scraper.extract.blocks import Block, page_blocks, render_blocks
from scraper.extract.pipeline import _keep_terms_of_kept_definitions
from scraper.extract.prune import prune

DOCS_URL = "https://docs.flowmill.org/en/stable/cache.html"
LAST = ("Stages whose code did not change keep their entries even after a cleanup of "
        "the other stages.")

# Sphinx with the Read the Docs theme: a side menu, breadcrumbs, the text in
# role="main", a footer of Previous/Next buttons and the copyright line.
SPHINX = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Configuring the cache &mdash; Flowmill 2.4 documentation</title></head>
<body class="wy-body-for-nav"><div class="wy-grid-for-nav">
<nav data-toggle="wy-nav-shift" class="wy-nav-side"><div class="wy-side-scroll">
<div role="search"><form action="search.html"><input type="text" name="q"></form></div>
<div class="wy-menu wy-menu-vertical" role="navigation" aria-label="Navigation menu">
<ul><li class="toctree-l1"><a href="install.html">Installation</a></li>
<li class="toctree-l1 current"><a href="#">Configuring the cache</a></li></ul></div>
</div></nav>
<section class="wy-nav-content-wrap"><div class="wy-nav-content"><div class="rst-content">
<div role="navigation" aria-label="Page navigation"><ul class="wy-breadcrumbs">
<li><a href="index.html">Docs</a> &raquo;</li><li>Configuring the cache</li></ul></div>
<div role="main" class="document" itemscope="itemscope"
 itemtype="http://schema.org/Article"><div itemprop="articleBody">
<section id="configuring-the-cache">
<h1>Configuring the cache<a class="headerlink" href="#configuring-the-cache">¶</a></h1>
<p>Flowmill keeps the results of expensive pipeline stages in a local cache so that a
second run over the same inputs finishes in seconds instead of hours.</p>
<section id="location"><h2>Location<a class="headerlink" href="#location">¶</a></h2>
<p>By default the cache is stored under the user's cache directory. Set the cache
directory variable to move it, for example to a faster disk or a shared one.</p>
<div class="highlight-python notranslate"><div class="highlight"><pre>import flowmill
flowmill.configure(cache_dir="/mnt/fast/flowmill")
</pre></div></div></section>
<section id="invalidation"><h2>Invalidation<a class="headerlink" href="#invalidation">¶</a></h2>
<p>Every entry is keyed by a hash of the stage's code and of its inputs, so stale
results are never served even when the cache is shared between machines.</p>
<p>If you need to drop everything by hand, run the cleanup command and restart the
workers.<a class="footnote-reference brackets" href="#f1" id="id1"
 role="doc-noteref">1</a></p>
{end}
</section></section></div></div>
<footer><div class="rst-footer-buttons" role="navigation" aria-label="Footer">
<a href="install.html" class="btn btn-neutral float-left" rel="prev">Previous</a>
<a href="workers.html" class="btn btn-neutral float-right" rel="next">Next</a></div>
<hr/><div role="contentinfo"><p>&#169; Copyright 2024, The Flowmill Authors.</p></div>
Built with <a href="https://www.sphinx-doc.org/">Sphinx</a> using a theme provided by
<a href="https://readthedocs.org">Read the Docs</a>.</footer>
</div></div></section></div></body></html>"""

# What docutils writes for a footnote, and Sphinx for ".. seealso::".
FOOTNOTES = f"""<p class="rubric">Footnotes</p>
<aside class="footnote-list brackets"><aside class="footnote brackets" id="f1"
 role="doc-footnote"><span class="label"><span class="fn-bracket">[</span>
<a role="doc-backlink" href="#id1">1</a><span class="fn-bracket">]</span></span>
<p>{LAST}</p></aside></aside>"""
SEE_ALSO = f"""<div class="admonition seealso"><p class="admonition-title">See also</p>
<p>{LAST}</p></div>"""

# MkDocs with the Material theme: header, tabs, two sidebars, the text in <article>,
# a footer of Previous/Next links and the copyright.
MKDOCS = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Writing plugins - Tessel</title></head><body>
<header class="md-header"><nav class="md-header__inner" aria-label="Header">
<a href="../.." class="md-header__button md-logo">Tessel</a></nav></header>
<div class="md-container"><main class="md-main"><div class="md-main__inner md-grid">
<div class="md-sidebar md-sidebar--primary" data-md-type="navigation">
<nav class="md-nav" aria-label="Navigation"><ul><li><a href="../..">Home</a></li>
<li><a href="./">Writing plugins</a></li></ul></nav></div>
<div class="md-content"><article class="md-content__inner md-typeset">
<h1 id="writing-plugins">Writing plugins</h1>
<p>Plugins let you extend Tessel with new input formats, transformations and sinks
without forking the project: a plugin is an ordinary Python package.</p>
<h2 id="registering">Registering a plugin</h2>
<p>Declare the plugin in your package metadata under the plugin entry point group;
Tessel discovers installed plugins when it starts and lists them on request.</p>
{end}
</article></div></div></main>
<footer class="md-footer"><nav class="md-footer__inner" aria-label="Footer">
<a href="../configuration/" class="md-footer__link--prev">Previous Configuration</a>
<a href="../deployment/" class="md-footer__link--next">Next Deployment</a></nav>
<div class="md-copyright">Copyright &copy; 2024 Tessel contributors</div></footer>
</div></body></html>"""
# Python-Markdown's footnotes, and a Material "!!! seealso" admonition.
MKDOCS_ENDS = [
    f'<div class="footnote"><hr><ol><li id="fn:1"><p>{LAST}&#160;'
    '<a class="footnote-backref" href="#fnref:1">&#8617;</a></p></li></ol></div>',
    f'<div class="admonition seealso"><p class="admonition-title">See also</p><p>{LAST}</p></div>',
]

# A project page on GitHub Pages (the Jekyll "minimal" theme): no <main>, the text in
# a <section> beside a <header> of download buttons.
GH_PAGES = """<!DOCTYPE html><html lang="en-US"><head><meta charset="UTF-8">
<title>Command-line options | quarry</title></head><body><div class="wrapper">
<header><h1><a href="https://quarry-tools.github.io/quarry/">quarry</a></h1>
<p>A fast extractor for tabular data in PDFs.</p><ul class="downloads">
<li><a href="https://github.com/quarry-tools/quarry/zipball/master">Download ZIP</a></li>
</ul></header>
<section><h1 id="options">Command-line options</h1>
<p>quarry reads one or more PDF files and writes every table it finds as CSV; the
options below change where tables are looked for and how cells are written.</p>
<h2 id="output">Output</h2>
<p>Each table goes to its own file named after the input and the page it was found
on; use the output directory option to write them somewhere else.</p>
{end}
</section><footer><p>This project is maintained by quarry-tools</p>
<p><small>Hosted on GitHub Pages &mdash; Theme by orderedlist</small></p></footer>
</div></body></html>"""


def _docs(template: str, end: str, url: str = DOCS_URL) -> str:
    ex = extract_html(template.replace("{end}", end).encode(), url=url)
    assert ex.page_type == "documentation"
    return ex.text


@pytest.mark.parametrize("end", [FOOTNOTES, SEE_ALSO], ids=["footnote", "seealso"])
def test_a_sphinx_page_keeps_its_last_paragraph(end: str) -> None:
    """docutils writes footnotes as ``<aside>``, pruned everywhere as chrome, and a
    "See also" box under the class a related-links widget has: the page's last
    paragraph went with them. Its footer still goes."""
    text = _docs(SPHINX, end)
    assert text.endswith(LAST)
    assert "restart the workers." in text
    for chrome in ("Previous", "Copyright", "Read the Docs", "Installation"):
        assert chrome not in text


@pytest.mark.parametrize("end", MKDOCS_ENDS, ids=["footnote", "seealso"])
def test_an_mkdocs_page_keeps_its_last_paragraph(end: str) -> None:
    text = _docs(MKDOCS, end, "https://tessel.dev/guides/plugins/")
    assert LAST in text.split("\n\n")[-1]  # (a footnote's back-link "↩" after it)
    assert "Copyright" not in text and "Previous" not in text


@pytest.mark.parametrize("end", [FOOTNOTES, SEE_ALSO, f"<p>{LAST}</p>"])
def test_a_github_pages_doc_keeps_its_last_paragraph(end: str) -> None:
    text = _docs(GH_PAGES, end, "https://quarry-tools.github.io/quarry/docs/options.html")
    assert text.endswith(LAST) and "Hosted on GitHub" not in text


def _pruned(body: str) -> str:
    tree = LexborHTMLParser(f"<html><body>{body}</body></html>")
    prune(tree)
    return tree.body.text(separator=" ") if tree.body else ""


PROSE = ("<p>The committee met on Tuesday to discuss the budget for the coming year and "
         "agreed on most of the items that had been proposed by the finance office.</p>") * 3


def test_a_footnote_aside_in_the_text_is_unwrapped_not_pruned() -> None:
    """The ``<aside>`` goes (trafilatura drops every one, and the model listens to it),
    its text stays where it stood."""
    tree = LexborHTMLParser(f"<html><body><main>{PROSE}{FOOTNOTES}</main></body></html>")
    prune(tree)
    assert not tree.css("aside") and LAST in (tree.body.text() if tree.body else "")


@pytest.mark.parametrize("chrome", [
    # an <aside> of the article that is no part of a document: a box of related links
    '<aside class="related"><p>Read next: how we chose our cache backend</p></aside>',
    # a "see also" widget without the admonition class
    '<div class="seealso"><p>Read next: how we chose our cache backend</p></div>',
    # an admonition hidden on the page stays hidden
    '<div class="admonition note" style="display:none"><p>Read next: how we chose our '
    'cache backend</p></div>',
    '<aside class="footnote sr-only"><p>Read next: how we chose our cache backend</p></aside>',
])
def test_chrome_in_the_text_that_is_no_document_part_is_still_pruned(chrome: str) -> None:
    assert "Read next" not in _pruned(f"<main>{PROSE}{chrome}</main>")


def test_a_footnote_outside_the_main_content_is_still_pruned() -> None:
    """Outside the text a class is no evidence: a sidebar's <aside> stays chrome."""
    side = '<aside class="footnote"><p>Read next: how we chose our cache backend</p></aside>'
    assert "Read next" not in _pruned(f"<main>{PROSE}</main>{side}")


# -- definition lists -----------------------------------------------------------------

INTRO = ("<p>New to home brewing? These are the words you will meet in every recipe "
         "and forum thread, explained in plain language for your very first batch.</p>")
OUTRO = ("<p>If a word you met is missing here, write to us and we will add it to the "
         "next edition of the glossary we publish every spring.</p>")
TERMS = [("Wort", "The sweet liquid drained from the mash, before yeast is added."),
         ("Mash", "Crushed malt steeped in hot water for an hour or so."),
         ("Krausen", "The thick foam on top of fermenting beer in its most active days.")]
FOOTER_DL = ('<footer><dl class="site-info"><dt>Contact</dt><dd><a href="/contact">Write '
             'to us</a></dd><dt>Follow</dt><dd><a href="/rss">RSS feed</a></dd></dl>'
             '<p>&copy; 2024 Hop and Barley</p></footer>')


def _glossary(dl: str) -> bytes:
    return (f"<html><head><title>Glossary</title></head><body><nav><a href='/'>Home</a>"
            f"</nav><main><article><h1>Glossary of brewing terms</h1>{INTRO}{dl}{OUTRO}"
            f"</article></main>{FOOTER_DL}</body></html>").encode()


SHAPES = {
    "bare": "<dl>" + "".join(f"<dt>{t}</dt><dd>{d}</dd>" for t, d in TERMS) + "</dl>",
    "paragraphs": "<dl>" + "".join(f"<dt>{t}</dt>\n<dd><p>{d}</p></dd>\n"
                                   for t, d in TERMS) + "</dl>",
    "grouped": "<dl>" + "".join(f"<div><dt>{t}</dt><dd>{d}</dd></div>"
                                for t, d in TERMS) + "</dl>",
}


@pytest.mark.parametrize("shape", SHAPES)
def test_a_definition_list_keeps_each_term_and_definition_on_its_own_line(shape: str) -> None:
    """The model, judging each block alone, dropped the short terms and kept their
    definitions: the glossary came out as definitions of nothing."""
    text = extract_html(_glossary(SHAPES[shape]), url="https://e.org/glossary").text
    entries = "\n\n".join(f"{t}\n{d}" for t, d in TERMS)
    assert f"first batch.\n\n{entries}\n\nIf a word" in text
    assert "Contact" not in text and "RSS" not in text  # the footer's list still goes


@pytest.mark.parametrize("shape", SHAPES)
def test_a_definition_list_in_markdown_is_a_definition_list(shape: str) -> None:
    """As bullets, a term was one more item of a flat list beside its definition."""
    text = extract_html(_glossary(SHAPES[shape]), url="https://e.org/glossary",
                        output_format="markdown").text
    entries = "\n\n".join(f"{t}\n: {d}" for t, d in TERMS)
    assert f"first batch.\n\n{entries}\n\nIf a word" in text
    assert "- Wort" not in text and "Contact" not in text


def test_terms_with_several_definitions_and_nested_lists_keep_their_order() -> None:
    html = ("<html><body><main><dl><dt>Hops</dt><dt>Humulus lupulus</dt>"
            "<dd>Flowers that give beer its bitterness.</dd><dd>Also a preservative.</dd>"
            "<dt>Yeast</dt><dd>Turns sugar into alcohol:<ul><li>ale yeast</li>"
            "<li>lager yeast</li></ul></dd></dl></main></body></html>")
    blocks = page_blocks(LexborHTMLParser(html).body)
    assert render_blocks(blocks) == (
        "Hops\nHumulus lupulus\nFlowers that give beer its bitterness.\nAlso a "
        "preservative.\n\nYeast\nTurns sugar into alcohol:\nale yeast\nlager yeast")
    assert render_blocks(blocks, markdown=True) == (
        "Hops\nHumulus lupulus\n: Flowers that give beer its bitterness.\n: Also a "
        "preservative.\n\nYeast\n: Turns sugar into alcohol:\n- ale yeast\n- lager yeast")


def test_a_sphinx_api_entry_loses_its_permalink_mark() -> None:
    html = ('<html><body><dl class="py function"><dt class="sig sig-object py" '
            'id="brew.mash"><span class="sig-name descname">mash</span>(grain)<a '
            'class="headerlink" href="#brew.mash">¶</a></dt><dd><p>Steep the grain.</p>'
            '</dd></dl></body></html>')
    blocks = page_blocks(LexborHTMLParser(html).body)
    assert [(b.text, b.definition) for b in blocks] == [
        ("mash(grain)", "dt"), ("Steep the grain.", "dd")]


def test_only_the_terms_of_kept_definitions_are_kept() -> None:
    """A list whose definitions the model left out (chrome: "Contact: Write to us")
    keeps none of its terms; a kept definition brings its terms, no other's."""
    blocks = [Block("Wort", "dt", definition="dt", entry=1),
              Block("The sweet liquid.", "dd", definition="dd", entry=1),
              Block("Contact", "dt", definition="dt", entry=2),
              Block("Write to us", "dd", definition="dd", entry=2),
              Block("Other text", "p")]
    flags = [False, True, False, False, False]
    _keep_terms_of_kept_definitions(blocks, flags)
    assert flags == [True, True, False, False, False]


def test_a_label_repeated_on_every_card_is_left_to_the_model() -> None:
    """Product cards as ``<dl>``s ("Brand Name: Saucony", "Color: Grey" on each): the
    labels are a record's field names, not terms defined, and stay out as before."""
    blocks = []
    for n, (brand, color) in enumerate([("Saucony", "Grey"), ("Hoka", "Blue")]):
        for m, (label, value) in enumerate([("Brand Name", brand), ("Color", color)]):
            entry = 2 * n + m + 1
            blocks += [Block(label, "dt", definition="dt", entry=entry),
                       Block(value, "dd", definition="dd", entry=entry)]
    flags = [b.definition == "dd" for b in blocks]
    _keep_terms_of_kept_definitions(blocks, flags)
    assert [b.text for b, k in zip(blocks, flags, strict=True) if k] == [
        "Saucony", "Grey", "Hoka", "Blue"]
