"""Metadata a page declares the way real sites write it: ``<base href>``, JSON-LD
``@id`` references, dates with a zone after the time."""

from __future__ import annotations

import json

import pytest

from scraper.extract import extract_html
from scraper.extract.metadata import normalise_date
from tests.long_text import long_prose


def _page(head: str) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in long_prose(4))
    return (f"<html><head><title>Flood barriers approved</title>{head}</head>"
            f"<body><article>{body}</article></body></html>").encode()


@pytest.mark.parametrize(("declared", "published"), [
    ("2024-03-05 10:00 GMT", "2024-03-05T10:00+00:00"),
    ("2024-03-05T10:00:00 UTC+5:30", "2024-03-05T10:00+05:30"),
    ("2024-03-05 10:00 EST", "2024-03-05T10:00"),  # EST names more than one offset
    ("2024-03-05T10:00:00+01:00", "2024-03-05T10:00:00+01:00"),
    ("2024-03-05", "2024-03-05"),
    ("2024-02-31 10:00", None),
])
def test_a_declared_date_keeps_the_time_and_zone_written_after_it(
        declared: str, published: str | None) -> None:
    """"2024-03-05 10:00 GMT" in ``article:published_time`` became "2024-03-05": the
    time and the instant were lost though the README promises them."""
    assert normalise_date(declared) == published
    ex = extract_html(_page(f'<meta property="article:published_time" content="{declared}">'))
    assert ex.published == published
