import * as dns from 'dns';
import * as ipaddr from 'ipaddr.js';

/**
 * Where CTAP may send a request on a user's behalf (webhooks): only to addresses on the public
 * internet unless private targets are allowed (WEBHOOK_ALLOW_PRIVATE_TARGETS, for development and
 * tests). Otherwise an administrator's URL could make the worker call the database, the Temporal
 * frontend or a cloud metadata service (server-side request forgery, OWASP API7:2023).
 */

/**
 * True for a unicast address of the public internet; false for loopback, private (RFC 1918, ULA),
 * link-local (169.254/16 incl. metadata services), carrier-grade NAT, multicast, reserved and
 * unspecified ranges, and for IPv4-mapped IPv6 forms of those. Ranges as classified by ipaddr.js.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress())
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  return parsed.range() === 'unicast';
}

/**
 * Why a URL's host is refused before any lookup (a literal non-public address, `localhost`), or
 * null. Names are checked again, on the addresses they resolve to, when connecting
 * (`publicOnlyLookup`), since DNS may answer differently later.
 */
export function urlTargetProblem(url: string): string | null {
  const host = new URL(url).hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return 'must not point to this machine (localhost)';
  if (ipaddr.isValid(host) && !isPublicAddress(host)) return 'must be a public address, not a private or local one';
  return null;
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | dns.LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for net/tls/undici connections that resolves as usual and fails when any address the
 * name resolves to is not public, so the check holds for the address actually connected to.
 */
export function publicOnlyLookup(hostname: string, options: dns.LookupOptions, callback: LookupCallback): void {
  dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, []);
    const bad = addresses.find((a) => !isPublicAddress(a.address));
    if (bad) {
      const refused = Object.assign(
        new Error(`${hostname} resolves to ${bad.address}, which is not a public address`),
        {
          code: 'ECONNREFUSED',
        },
      );
      return callback(refused, []);
    }
    if (options.all) return callback(null, addresses);
    return callback(null, addresses[0].address, addresses[0].family);
  });
}
