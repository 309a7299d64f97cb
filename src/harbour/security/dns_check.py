"""Reading a domain's DNS TXT records to verify the company controls it.

The resolver is the system's unless ``HARBOUR_DNS_SERVERS`` names others (space-separated addresses;
``HARBOUR_DNS_PORT`` if not 53) — tests point it at a DNS server they run on loopback.
"""

from __future__ import annotations

import dns.exception
import dns.resolver
from django.conf import settings

TIMEOUT_SECONDS = 4.0
RECORD_PREFIX = "_harbour-verification"  # also accepted: the TXT record on the domain itself


def _resolver() -> dns.resolver.Resolver:
    servers: list[str] = list(settings.HARBOUR_DNS_SERVERS)
    resolver = dns.resolver.Resolver(configure=not servers)
    if servers:
        resolver.nameservers = servers
        resolver.port = settings.HARBOUR_DNS_PORT
    resolver.lifetime = TIMEOUT_SECONDS
    resolver.timeout = TIMEOUT_SECONDS
    return resolver


class LookupFailed(Exception):
    """The records could not be read (no answer, timeout, server failure): say so, don't guess."""


def txt_values(name: str) -> list[str]:
    """The TXT strings published at ``name`` (empty when it has none)."""
    try:
        answer = _resolver().resolve(name, "TXT")
    except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
        return []
    except (dns.exception.Timeout, dns.resolver.NoNameservers, dns.resolver.NoResolverConfiguration) as exc:
        raise LookupFailed(str(exc) or type(exc).__name__) from exc
    return [b"".join(record.strings).decode(errors="replace") for record in answer]


def published(domain: str, expected: str) -> tuple[bool, str]:
    """Is ``expected`` published for ``domain``? Answers the finding as a sentence for the admin."""
    names = [f"{RECORD_PREFIX}.{domain}", domain]
    seen: list[str] = []
    for name in names:
        values = txt_values(name)
        if expected in values:
            return True, f"found at {name}"
        seen.extend(v for v in values if v.startswith("harbour-verification="))
    if seen:
        return False, "a different harbour-verification value is published"
    return False, "no harbour-verification TXT record found"
