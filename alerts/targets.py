"""Where a webhook may be sent: the rules against server-side request forgery.

A partner names the URL, and our worker calls it from inside our network, so a
URL could aim the worker at the cloud's metadata service (169.254.169.254), at
Redis or PostgreSQL on loopback, or at anything on the private network. The
rules, checked when a subscription is registered and again at every delivery:

- https only, unless WEBHOOK_ALLOW_HTTP (development's default);
- no user name or password in the URL;
- the host is resolved, and EVERY address it resolves to must be public: not
  private, loopback, link-local, multicast, reserved, unspecified or shared
  (100.64.0.0/10), including an IPv4 address inside an IPv6 one (mapped, 6to4,
  Teredo, NAT64), unless WEBHOOK_ALLOW_PRIVATE;
- the delivery then connects to an address so checked (alerts.sending pins
  it), never resolving the name a second time: a name that answers a public
  address to the check and a private one to the connection (DNS rebinding)
  gains nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Address, IPv6Address, IPv6Network, ip_address
from socket import IPPROTO_TCP, SOCK_STREAM, gaierror, getaddrinfo
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

Address = IPv4Address | IPv6Address

_NAT64 = IPv6Network("64:ff9b::/96")


class TargetError(Exception):
    """A target URL that cannot be delivered to; the message says why."""


class TargetRefused(TargetError):
    """The URL or an address it resolves to is not one a webhook may reach."""


class TargetUnresolved(TargetError):
    """The host name did not resolve (now: DNS may answer later)."""


@dataclass(frozen=True)
class Target:
    """A webhook URL taken apart: where to connect and what to ask for."""

    scheme: str
    host: str  # a name or an address literal, without brackets
    port: int
    path: str  # path and query, at least "/"
    host_header: str  # as the Host header and TLS name checks want it


def target_parse(url: str, *, allow_http: bool) -> Target:
    """The parts of `url`; TargetRefused when its scheme or form is not allowed."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise TargetRefused(_("This is not a valid URL.")) from None
    schemes = ("https", "http") if allow_http else ("https",)
    if parts.scheme not in schemes:
        raise TargetRefused(_("Only https:// addresses can receive webhooks."))
    if parts.username is not None or parts.password is not None:
        raise TargetRefused(_("A webhook URL cannot carry a user name or password."))
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise TargetRefused(_("The URL names no host."))
    try:
        # An international name as DNS and the Host header carry it (punycode).
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        raise TargetRefused(_("This is not a valid URL.")) from None
    default = 443 if parts.scheme == "https" else 80
    port = port or default
    shown = f"[{host}]" if ":" in host else host
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(
        scheme=parts.scheme,
        host=host,
        port=port,
        path=path,
        host_header=shown if port == default else f"{shown}:{port}",
    )


def _embedded_ipv4(address: IPv6Address) -> IPv4Address | None:
    """The IPv4 address an IPv6 one carries (mapped, 6to4, Teredo, NAT64)."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if address in _NAT64:
        return IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def address_refused(address: Address) -> bool:
    """True for any address that is not plainly on the public internet."""
    if isinstance(address, IPv6Address):
        inner = _embedded_ipv4(address)
        if inner is not None and address_refused(inner):
            return True
    return (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or not address.is_global
    )


def target_addresses(target: Target, *, allow_private: bool) -> list[str]:
    """Every address the target's host stands for, each checked.

    Raises TargetUnresolved when the name does not resolve, TargetRefused when
    any address is refused: one bad address in the answer refuses them all, as
    a connection could go to any of them.
    """
    try:
        addresses: list[Address] = [ip_address(target.host)]
    except ValueError:
        try:
            found = getaddrinfo(
                target.host, target.port, type=SOCK_STREAM, proto=IPPROTO_TCP
            )
        except (gaierror, UnicodeError) as exc:
            raise TargetUnresolved(
                _("%(host)s could not be resolved: %(error)s")
                % {"host": target.host, "error": exc}
            ) from None
        # A link-local IPv6 answer carries its interface ("fe80::1%eth0").
        addresses = list(
            dict.fromkeys(ip_address(str(info[4][0]).split("%")[0]) for info in found)
        )
    if not addresses:
        raise TargetUnresolved(
            _("%(host)s resolved to no address.") % {"host": target.host}
        )
    if not allow_private:
        refused = [str(a) for a in addresses if address_refused(a)]
        if refused:
            raise TargetRefused(
                _(
                    "%(host)s resolves to an address webhooks may not reach "
                    "(%(addresses)s): private, loopback, link-local, multicast "
                    "and reserved addresses are refused."
                )
                % {"host": target.host, "addresses": ", ".join(refused)}
            )
    return [str(a) for a in addresses]


def target_check(url: str, *, allow_http: bool, allow_private: bool) -> list[str]:
    """Parse and resolve `url` as a delivery would; its checked addresses."""
    target = target_parse(url, allow_http=allow_http)
    return target_addresses(target, allow_private=allow_private)
