"""URL canonicalisation (before any dedup) and the address-safety rules of the HTTP client.

`canonicalize_url` makes the many spellings of one article URL identical: scheme and host
case, IDNA hosts, default ports, dot segments, percent-escape case, tracking parameters,
fragments and query order. `is_public_address` is the SSRF rule: only globally routable
unicast addresses may be fetched unless private addresses are explicitly allowed.
"""

from __future__ import annotations

import hashlib
import ipaddress
import posixpath
import re
from datetime import date
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

from worker.errors import UnsafeURL

ALLOWED_SCHEMES = frozenset({"http", "https"})
DEFAULT_PORTS = {"http": 80, "https": 443}

# Query parameters that only say how a reader arrived, never which page it is.
TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "ttclid",
    "igshid", "igsh", "mc_cid", "mc_eid", "mkt_tok", "_ga", "_gl", "_hsenc", "_hsmi", "__hssc", "__hstc",
    "__hsfp", "hsctatracking", "oly_anon_id", "oly_enc_id", "rb_clickid", "s_cid", "vero_id", "vero_conv",
    "wickedid", "ref_src", "ref_url", "cmpid", "ocid", "ito", "at_medium", "at_campaign", "at_custom1",
    "at_custom2", "at_custom3", "at_custom4", "ns_mchannel", "ns_source", "ns_campaign", "ns_linkname",
    "ns_fee", "sr_share", "smid", "cid_source", "xtor", "guccounter", "guce_referrer",
    "guce_referrer_sig", "__twitter_impression", "from_rss",
})
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hmb_", "at_", "_branch")

# Characters that may stay unescaped in a path or query (RFC 3986 pchar minus '%' handled apart).
_PATH_SAFE = "/:@!$&'()*+,;=-._~"
_PCT = re.compile(r"%[0-9a-fA-F]{2}")


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def _normalize_host(host: str) -> str:
    host = host.strip().rstrip(".").lower()
    if not host:
        return host
    if host.startswith("[") or ":" in host:
        return host
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


def _normalize_path(path: str) -> str:
    if not path:
        return "/"
    # Unescape then re-escape: %7e and ~ and %7E become one spelling; reserved escapes survive.
    cleaned = quote(unquote(path, errors="surrogateescape"), safe=_PATH_SAFE, errors="surrogateescape")
    trailing = cleaned.endswith("/")
    normalized = posixpath.normpath(cleaned) if cleaned not in ("", "/") else "/"
    if normalized.startswith("//"):
        normalized = "/" + normalized.lstrip("/")
    if trailing and not normalized.endswith("/"):
        normalized += "/"
    return normalized


def canonicalize_url(url: str) -> str:
    """One spelling per page: lower-case scheme/host, no default port/fragment/tracking, sorted query."""
    raw = (url or "").strip()
    try:
        parts = urlsplit(raw)
    except ValueError:
        return raw
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        return raw
    try:
        port = parts.port
    except ValueError:
        return raw
    host = _normalize_host(parts.hostname or "")
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    netloc = host
    if parts.username or parts.password:
        userinfo = parts.username or ""
        if parts.password:
            userinfo += ":" + parts.password
        netloc = f"{userinfo}@{host}"
    if port is not None and port != DEFAULT_PORTS[scheme]:
        netloc += f":{port}"
    query_pairs = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)]
    query_pairs.sort()
    query = urlencode(query_pairs, quote_via=quote, safe="/:@!$'()*,;-._~")
    return urlunsplit((scheme, netloc, _normalize_path(parts.path), query, ""))


def document_id(url: str) -> str:
    """Stable id of the article at a URL (its canonical form), shared by polling, tasks and replay."""
    return "u" + hashlib.sha1(canonicalize_url(url).encode("utf-8")).hexdigest()[:20]


def host_of(url: str) -> str:
    """The lower-case host of a URL ('' when it has none): the unit of politeness and robots."""
    try:
        return _normalize_host(urlsplit(url).hostname or "")
    except ValueError:
        return ""


_ARCHIVED = re.compile(r"^\s*(?:https?://)?web\.archive\.org/web/\d+\w*/", re.I)


def outlet_host(url: str | None) -> str:
    """The outlet a URL belongs to: its lower-case host without "www." ('' when it has none); an
    archive.org copy (web.archive.org/web/<ts>/<original>) names the original site, not the archive."""
    if not url:
        return ""
    url = _ARCHIVED.sub("", url).strip()
    if "://" not in url:
        url = "http://" + url
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""
    return re.sub(r"^www\d?\.", "", host)


def url_path(url: str | None, query: bool = False) -> str:
    """The path of a URL ('' when it has none), with its query after a "?" when asked; for an archive.org copy,
    the original's."""
    if not url:
        return ""
    url = _ARCHIVED.sub("", url).strip()
    if "://" not in url and not url.startswith("//"):
        url = "http://" + url
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    return parts.path + ("?" + parts.query if query and parts.query else "")


# /2014/05/16/, /2014-05-16-slug, and the compact /20140914/ of some publishing systems (not /2014/06/5_people_shot:
# a month's folder and a slug that starts with a number)
_URL_DATE = re.compile(r"/((?:19|20)\d{2})/(0?[1-9]|1[0-2])/(0?[1-9]|[12]\d|3[01])(?:[/?]|$)|"
                       r"/((?:19|20)\d{2})-(0?[1-9]|1[0-2])-(0?[1-9]|[12]\d|3[01])(?:[/_.-]|$)|"
                       r"/((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])/")


def written_date(url: str | None) -> date | None:
    """The day a story's URL says it was written (/YYYY/MM/DD/ or /YYYYMMDD/ in its path or query), if any; an
    archive.org copy's own timestamp is not one."""
    m = _URL_DATE.search(url_path(url, query=True))  # "pbcs.dll/article?AID=/20130318/NEWS/..."
    if not m:
        return None
    y, mo, d = next(m.groups()[i:i + 3] for i in (0, 3, 6) if m.groups()[i])
    try:
        return date(int(y), int(mo), int(d))
    except ValueError:  # 2015/02/30
        return None


def check_scheme(url: str) -> None:
    """Raise UnsafeURL unless the URL is http(s) with a host."""
    try:
        parts = urlsplit(url.strip())
        _ = parts.port
    except ValueError as exc:
        raise UnsafeURL(f"malformed URL {url!r}: {exc}", reason="bad_url") from None
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        raise UnsafeURL(f"scheme {parts.scheme or '(none)'!r} not allowed in {url!r} (only http/https)",
                        reason="bad_scheme")
    if not parts.hostname:
        raise UnsafeURL(f"URL has no host: {url!r}", reason="bad_url")


_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped, 6to4, NAT64), which is what it reaches."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip.teredo is not None:
        return ip.teredo[1]
    return None


def is_public_address(address: str) -> bool:
    """True only for globally routable unicast addresses (no loopback/private/link-local/CGNAT/...)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        inner = _embedded_ipv4(ip)
        if inner is not None:
            ip = inner
    # is_global is False for private, loopback, link-local (169.254/16, fe80::/10), CGNAT
    # (100.64/10), ULA (fc00::/7), 0.0.0.0/8, reserved and documentation ranges.
    return bool(ip.is_global) and not ip.is_multicast and not ip.is_unspecified


def describe_address(address: str) -> str:
    """A short word for why an address is refused (for the error message)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return "invalid"
    if isinstance(ip, ipaddress.IPv6Address) and _embedded_ipv4(ip) is not None:
        return f"IPv6 carrying {_embedded_ipv4(ip)} ({describe_address(str(_embedded_ipv4(ip)))})"
    for attr in ("is_loopback", "is_link_local", "is_private", "is_multicast", "is_unspecified", "is_reserved"):
        if getattr(ip, attr):
            return attr[3:].replace("_", "-")
    if isinstance(ip, ipaddress.IPv4Address) and ip in ipaddress.ip_network("100.64.0.0/10"):
        return "carrier-grade-NAT"
    return "not-global"
