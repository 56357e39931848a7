"""Fetching web pages politely and safely, on one shared ``httpx.AsyncClient``.

>>> async with Fetcher(FetchConfig(delay=1.0)) as fetcher:
...     result = await fetcher.fetch("https://example.com/news/1", etag='"abc"')
...     result.status, result.not_modified, len(result.body)

Transport and policy are separate objects: :class:`AddressPolicy` (which addresses may
be reached; checked on URLs and at connect time), :class:`RobotsCache`,
:class:`HostLimiter` (per-host concurrency and delay), :class:`RetryPolicy` and
:class:`CircuitBreaker`. Errors are :class:`scraper.errors.FetchError` subclasses that
name the URL.
"""

from scraper.fetch.client import (
    DEFAULT_USER_AGENT,
    DISCOVERY_TYPES,
    HTML_TYPES,
    PAGE_TYPES,
    XML_TYPES,
    FetchConfig,
    Fetcher,
    FetchResult,
    host_key,
    mime_type,
)
from scraper.fetch.decode import CappedDecoder
from scraper.fetch.policy import CircuitBreaker, HostLimiter, RetryPolicy, parse_retry_after
from scraper.fetch.robots import RobotsCache
from scraper.fetch.security import AddressPolicy, GuardedBackend, GuardedTransport, address_problem

__all__ = [
    "DEFAULT_USER_AGENT",
    "DISCOVERY_TYPES",
    "HTML_TYPES",
    "PAGE_TYPES",
    "XML_TYPES",
    "AddressPolicy",
    "CappedDecoder",
    "CircuitBreaker",
    "FetchConfig",
    "FetchResult",
    "Fetcher",
    "GuardedBackend",
    "GuardedTransport",
    "HostLimiter",
    "RetryPolicy",
    "RobotsCache",
    "address_problem",
    "host_key",
    "mime_type",
    "parse_retry_after",
]
