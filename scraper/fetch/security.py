"""Which addresses a crawl may reach, checked on the URL *and* at connect time.

A crawler follows URLs that strangers wrote. Without a check, a page (or a redirect, or
a DNS record that changes between two look-ups) can make it request
``http://169.254.169.254/`` (cloud metadata) or ``http://10.0.0.5/admin`` (an intranet).
So the policy is applied twice:

1. on every URL before a request, including each redirect target: scheme must be
   http/https, and a literal IP host must be public;
2. in the network backend, when a connection is opened: the host name is resolved
   *here*, every address it resolves to is checked, and the socket is opened to the
   checked address itself. There is no second look-up that a rebinding DNS server could
   answer differently.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import httpcore
import httpx

from scraper.errors import BlockedAddressError, InvalidURLError, TransportError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

ALLOWED_SCHEMES = frozenset({"http", "https"})


def address_problem(ip: IPAddress) -> str | None:
    """Why ``ip`` must not be crawled by default, or None when it is a public address."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return address_problem(ip.ipv4_mapped)  # ::ffff:10.0.0.1 is 10.0.0.1
    if ip.is_loopback:
        return "a loopback address"
    if ip.is_link_local:
        return "a link-local address"
    if ip.is_multicast:
        return "a multicast address"
    if ip.is_unspecified:
        return "an unspecified address"
    if ip.is_private:
        return "a private address"
    if not ip.is_global:  # shared (100.64/10), reserved, documentation ranges
        return "not a public address"
    return None


@dataclass(frozen=True)
class AddressPolicy:
    """Refuse non-public addresses unless ``allow_private``; ``allow`` lists exceptions.

    ``allow`` (networks such as ``127.0.0.1/32``) lets a test server or one known
    intranet host through while every other private address stays refused.
    """

    allow_private: bool = False
    allow: tuple[IPNetwork, ...] = field(default_factory=tuple)

    @classmethod
    def build(cls, allow_private: bool = False, allow: Iterable[str] = ()) -> AddressPolicy:
        nets = tuple(ipaddress.ip_network(a, strict=False) for a in allow)
        return cls(allow_private, nets)

    def problem(self, ip: IPAddress) -> str | None:
        if self.allow_private or any(ip in net for net in self.allow):
            return None
        return address_problem(ip)

    def check_ip(self, url: str, address: str) -> None:
        """Raise :class:`BlockedAddressError` when ``address`` may not be reached."""
        ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone id
        why = self.problem(ip)
        if why is not None:
            raise BlockedAddressError(url, address, why)

    def check_url(self, url: str) -> httpx.URL:
        """Parse ``url`` and refuse bad schemes and literal non-public hosts."""
        try:
            parsed = httpx.URL(url)
        except (httpx.InvalidURL, ValueError, TypeError) as exc:
            raise InvalidURLError(url, f"not a valid URL: {exc}") from None
        if parsed.scheme not in ALLOWED_SCHEMES:
            raise InvalidURLError(url, f"scheme {parsed.scheme or '(none)'!r} is not http/https")
        host = parsed.host
        if not host:
            raise InvalidURLError(url, "URL has no host")
        literal = _literal_ip(host)
        if literal is not None:
            self.check_ip(url, str(literal))
        return parsed


def _literal_ip(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """httpcore network backend that resolves, checks, then connects to the checked IP.

    Errors raised here are :class:`BlockedAddressError` (policy) or
    :class:`TransportError` (no address); the fetcher lets them through unchanged.
    ``url_of`` is only used to name the URL in the error message.
    """

    def __init__(self, policy: AddressPolicy, inner: httpcore.AsyncNetworkBackend | None = None):
        self.policy = policy
        self.inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        label = f"{host}:{port}"
        literal = _literal_ip(host)
        if literal is not None:
            addresses = [str(literal)]
        else:
            loop = asyncio.get_running_loop()
            try:
                infos = await asyncio.wait_for(
                    loop.getaddrinfo(host, port, type=socket.SOCK_STREAM), timeout
                )
            except (socket.gaierror, UnicodeError, OSError) as exc:
                raise TransportError(label, f"cannot resolve {host}: {exc}",
                                     reason="dns-error") from None
            except TimeoutError:
                raise httpcore.ConnectTimeout(f"resolving {host} timed out") from None
            addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
        if not addresses:
            raise TransportError(label, f"{host} has no address", reason="dns-error")
        # Every address must pass: a name resolving to one public and one private
        # address would otherwise reach the private one on a retry or reconnect.
        for address in addresses:
            self.policy.check_ip(label, address)
        last: Exception | None = None
        for address in addresses:
            try:
                return await self.inner.connect_tcp(
                    address, port, timeout=timeout, local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        assert last is not None
        raise last

    async def connect_unix_socket(self, *args: Any, **kwargs: Any) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("unix sockets are not used by pagewash")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


class GuardedTransport(httpx.AsyncHTTPTransport):
    """An :class:`httpx.AsyncHTTPTransport` whose connections go through :class:`GuardedBackend`.

    httpx does not take a network backend as an argument, so the connection pool is
    rebuilt with the same settings plus the backend. Proxies from the environment are
    not used: a proxy would connect on our behalf and bypass the address check.
    """

    def __init__(
        self,
        policy: AddressPolicy,
        *,
        http2: bool = True,
        limits: httpx.Limits | None = None,
        verify: bool = True,
    ) -> None:
        limits = limits or httpx.Limits(max_connections=100, max_keepalive_connections=40)
        super().__init__(http1=True, http2=http2, limits=limits, trust_env=False, verify=verify)
        old = self._pool
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=old._ssl_context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            http1=True,
            http2=http2,
            network_backend=GuardedBackend(policy),
        )
