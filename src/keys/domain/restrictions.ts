import ipaddr from 'ipaddr.js';

/**
 * Per-key allow-lists (SPEC §2 `allowedIps`, `allowedOrigins`). Validation (`isValidCidr`,
 * `normalizeOrigin`) runs when a key is written; the compiled lists run on every verify and
 * answer false for any bad input instead of throwing.
 */
export interface AllowList {
  allows(value: string): boolean;
}

type Range = [ipaddr.IPv6, number];

const PREFIX_LENGTH_PATTERN = /^(?:0|[1-9][0-9]{0,2})$/;
/** IPv4 addresses live at ::ffff:0:0/96 inside the IPv6 space. */
const IPV4_MAPPED_OFFSET = 96;

/**
 * Accepts a CIDR ('10.0.0.0/8', '2001:db8::/32') or a single address (treated as /32 or
 * /128). Host bits may be set ('10.1.2.3/8'): the range is then the network that contains
 * the address (10.0.0.0/8), as most firewalls read it. IPv4 must be four decimal parts;
 * the legacy forms '10.1' or '0x0a.0.0.1' that some parsers accept are refused.
 */
export function isValidCidr(value: string): boolean {
  return parseRange(value) !== undefined;
}

/**
 * IPv4 addresses and ranges are compared as their IPv4-mapped IPv6 form, so '::ffff:10.1.2.3'
 * (what a dual-stack socket reports) and '10.1.2.3' are the same client. Consequently an
 * IPv6 range that covers ::ffff:0:0/96, such as '::/0', covers every IPv4 address too.
 * Entries that are not valid CIDRs are ignored (they are rejected when the key is written).
 */
export function compileIpAllowList(cidrs: readonly string[]): AllowList {
  const ranges = cidrs.map(parseRange).filter((range): range is Range => range !== undefined);
  return {
    allows(value) {
      const address = parseAddress(value);
      return address !== undefined && ranges.some((range) => address.match(range));
    },
  };
}

/**
 * 'https://App.Example.com:443/' → 'https://app.example.com': the serialised origin, with
 * the scheme and host lowercased, IDN hosts in punycode and default ports dropped. Only
 * http(s) with nothing after the host but an optional lone '/': no path, query, fragment or
 * userinfo. A '*' in the host is refused rather than kept as a literal, since whoever wrote
 * it most likely expected a wildcard, which origins do not support.
 */
export function normalizeOrigin(value: string): string | undefined {
  if (typeof value !== 'string' || !ORIGIN_SHAPE.test(value)) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (!ORIGIN_HOST.test(url.hostname)) return undefined;
  return url.origin;
}

/** Compares normalised origins. Invalid entries are ignored; invalid input is not allowed. */
export function compileOriginAllowList(origins: readonly string[]): AllowList {
  const allowed = new Set<string>();
  for (const origin of origins) {
    const normalized = normalizeOrigin(origin);
    if (normalized !== undefined) allowed.add(normalized);
  }
  return {
    allows(value) {
      const normalized = normalizeOrigin(value);
      return normalized !== undefined && allowed.has(normalized);
    },
  };
}

/** Scheme, then an authority without '@', whitespace or path characters, then at most '/'. */
const ORIGIN_SHAPE = /^https?:\/\/[^/?#@\\\s]+\/?$/i;
/** What URL leaves of a valid host: ASCII labels (after punycode) or a bracketed IPv6. */
const ORIGIN_HOST = /^(?:[a-z0-9_-]+(?:\.[a-z0-9_-]+)*\.?|\[[0-9a-f:.]+\])$/;

function parseRange(value: string): Range | undefined {
  if (typeof value !== 'string') return undefined;
  const slash = value.indexOf('/');
  const address = parseAddress(slash === -1 ? value : value.slice(0, slash), false);
  if (address === undefined) return undefined;
  const isIPv4 = address.isIPv4MappedAddress() && !value.includes(':');
  const maxLength = isIPv4 ? 32 : 128;
  if (slash === -1) return [address, 128];
  const lengthText = value.slice(slash + 1);
  if (!PREFIX_LENGTH_PATTERN.test(lengthText)) return undefined;
  const length = Number(lengthText);
  if (length > maxLength) return undefined;
  return [address, isIPv4 ? length + IPV4_MAPPED_OFFSET : length];
}

/** Strict parse to IPv6 space; a zone id ('fe80::1%eth0') is allowed only on client input. */
function parseAddress(value: string, allowZone = true): ipaddr.IPv6 | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    if (ipaddr.IPv4.isValidFourPartDecimal(value)) {
      return ipaddr.IPv4.parse(value).toIPv4MappedAddress();
    }
    if ((allowZone || !value.includes('%')) && ipaddr.IPv6.isValid(value)) {
      return ipaddr.IPv6.parse(value);
    }
  } catch {
    // ipaddr.js validated the text already; a throw here means it is not an address after all
  }
  return undefined;
}
