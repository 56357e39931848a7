"""Address policy: private, loopback, link-local and multicast addresses are refused by
default, on the URL, after redirects and at connect time (host names are resolved and
checked before any packet is sent). No test here sends traffic anywhere but 127.0.0.1."""

from __future__ import annotations

import asyncio
import ipaddress

import pytest
from fixture_site import SiteServer, fast_config

from scraper.errors import BlockedAddressError, InvalidURLError
from scraper.fetch import AddressPolicy, FetchConfig, Fetcher, address_problem


@pytest.mark.parametrize(("address", "why"), [
    ("10.0.0.1", "private"),
    ("192.168.1.20", "private"),
    ("172.16.5.4", "private"),
    ("127.0.0.1", "loopback"),
    ("169.254.169.254", "link-local"),
    ("224.0.0.251", "multicast"),
    ("0.0.0.0", "unspecified"),
    ("100.64.0.1", "not a public"),
    ("::1", "loopback"),
    ("fe80::1", "link-local"),
    ("fc00::1", "private"),
    ("::ffff:10.0.0.1", "private"),
    ("ff02::1", "multicast"),
])
def test_non_public_addresses_are_refused(address: str, why: str) -> None:
    problem = address_problem(ipaddress.ip_address(address))
    assert problem is not None and why in problem
    with pytest.raises(BlockedAddressError) as info:
        AddressPolicy().check_ip("http://x/", address)
    assert info.value.reason == "blocked-address"
    assert address in str(info.value) and "--allow-private" in str(info.value)


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:4700::1111", "8.8.8.8"])
def test_public_addresses_pass(address: str) -> None:
    assert address_problem(ipaddress.ip_address(address)) is None
    AddressPolicy().check_ip("http://x/", address)


def test_allow_private_and_allow_list() -> None:
    AddressPolicy(allow_private=True).check_ip("u", "10.0.0.1")
    only_lo = AddressPolicy.build(allow=["127.0.0.1"])
    only_lo.check_ip("u", "127.0.0.1")
    with pytest.raises(BlockedAddressError):
        only_lo.check_ip("u", "127.0.0.2")
    with pytest.raises(BlockedAddressError):
        only_lo.check_ip("u", "169.254.169.254")


@pytest.mark.parametrize("url", ["http://10.0.0.1/admin", "http://169.254.169.254/latest/",
                                 "http://[::1]:8080/", "http://[::ffff:192.168.0.1]/"])
def test_literal_private_urls_refused_before_any_request(url: str) -> None:
    with pytest.raises(BlockedAddressError):
        AddressPolicy().check_url(url)

    async def go() -> None:
        async with Fetcher(FetchConfig()) as f:
            with pytest.raises(BlockedAddressError) as info:
                await f.fetch(url)
            assert info.value.url == url
            assert f.requests == 0  # refused before anything was sent

    asyncio.run(go())


@pytest.mark.parametrize("url", ["ftp://example.com/x", "file:///etc/passwd",
                                 "gopher://example.com/", "http:///nohost", "javascript:x"])
def test_only_http_and_https(url: str) -> None:
    with pytest.raises(InvalidURLError) as info:
        AddressPolicy().check_url(url)
    assert info.value.reason == "bad-url"


def test_host_name_resolving_to_loopback_is_refused_at_connect_time(site: SiteServer) -> None:
    # "localhost" passes the URL check (it is a name) but resolves to a loopback address:
    # the guarded backend refuses it before connecting, so the server sees nothing.
    url = site.url("/").replace("127.0.0.1", "localhost")

    async def go() -> None:
        async with Fetcher(FetchConfig(obey_robots=False)) as f:
            with pytest.raises(BlockedAddressError) as info:
                await f.fetch(url)
            assert info.value.url == url
            assert "loopback" in info.value.message

    asyncio.run(go())
    assert site.state.log == []


def test_allow_private_reaches_localhost(site: SiteServer) -> None:
    url = site.url("/articles/a1.html").replace("127.0.0.1", "localhost")

    async def go() -> int:
        async with Fetcher(fast_config(allow_private=True, allow_addresses=())) as f:
            return (await f.fetch(url)).status

    assert asyncio.run(go()) == 200


def test_redirect_to_metadata_endpoint_is_refused(site: SiteServer) -> None:
    # 127.0.0.1 is allowed for the fixture server; the redirect target is not.
    async def go() -> BlockedAddressError:
        async with Fetcher(fast_config()) as f:
            with pytest.raises(BlockedAddressError) as info:
                await f.fetch(site.url("/redirect/private"))
            return info.value

    err = asyncio.run(go())
    assert err.url == site.url("/redirect/private")
    assert err.address == "169.254.169.254"
    assert "redirected to http://169.254.169.254/latest/meta-data/" in err.message


def test_default_policy_refuses_the_fixture_server_itself(site: SiteServer) -> None:
    async def go() -> None:
        async with Fetcher(FetchConfig()) as f:
            with pytest.raises(BlockedAddressError):
                await f.fetch(site.url("/"))

    asyncio.run(go())
    assert site.state.log == []  # not even robots.txt was requested
