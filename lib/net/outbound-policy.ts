// Which addresses outbound requests (Slack, webhooks) may reach. A channel URL is typed by a project
// owner or an admin key, so it must not turn Argus into a proxy towards its own network: loopback,
// private, link-local (cloud metadata at 169.254.169.254), CGNAT, multicast and reserved ranges are
// refused, in every spelling an IP address can take (the URL parser canonicalises 2130706433, 0x7f.1,
// 0177.0.0.1 and 127.1 to 127.0.0.1; IPv4-mapped and NAT64 IPv6 addresses are judged by their IPv4 part).
// ARGUS_OUTBOUND_ALLOW names the exceptions: CIDR ranges, addresses or host names of self-hosted receivers.
import { BlockList, isIP } from "node:net";

const NON_PUBLIC_V4: Array<[string, number, string]> = [
  ["0.0.0.0", 8, "this-network"],
  ["10.0.0.0", 8, "private"],
  ["100.64.0.0", 10, "carrier-grade NAT"],
  ["127.0.0.0", 8, "loopback"],
  ["169.254.0.0", 16, "link-local"],
  ["172.16.0.0", 12, "private"],
  ["192.0.0.0", 24, "reserved"],
  ["192.0.2.0", 24, "documentation"],
  ["192.88.99.0", 24, "reserved"],
  ["192.168.0.0", 16, "private"],
  ["198.18.0.0", 15, "benchmarking"],
  ["198.51.100.0", 24, "documentation"],
  ["203.0.113.0", 24, "documentation"],
  ["224.0.0.0", 4, "multicast"],
  ["240.0.0.0", 4, "reserved"],
];

const NON_PUBLIC_V6: Array<[string, number, string]> = [
  ["::", 96, "reserved"], // unspecified, loopback and the deprecated IPv4-compatible form
  ["100::", 64, "reserved"],
  ["2001::", 23, "reserved"], // IETF protocol assignments, Teredo included
  ["2001:db8::", 32, "documentation"],
  ["2002::", 16, "6to4"],
  ["fc00::", 7, "private"],
  ["fe80::", 10, "link-local"],
  ["fec0::", 10, "site-local"],
  ["ff00::", 8, "multicast"],
];

/** Host names that mean "this machine or this network" whatever they resolve to. */
const LOCAL_NAME = /(^|\.)(localhost|local|internal|localdomain|home\.arpa|lan|intranet)$/i;

function blockList(v4: Array<[string, number, string]>, v6: Array<[string, number, string]>): Map<string, BlockList> {
  const byReason = new Map<string, BlockList>();
  const add = (address: string, prefix: number, family: "ipv4" | "ipv6", reason: string) => {
    const list = byReason.get(reason) ?? new BlockList();
    list.addSubnet(address, prefix, family);
    byReason.set(reason, list);
  };
  for (const [a, p, r] of v4) add(a, p, "ipv4", r);
  for (const [a, p, r] of v6) add(a, p, "ipv6", r);
  return byReason;
}
const NON_PUBLIC = blockList(NON_PUBLIC_V4, NON_PUBLIC_V6);

export interface OutboundPolicy {
  /** Ranges and addresses that may be reached although not public. */
  allowed: BlockList;
  /** Host names (lower case) whose addresses may be reached whatever they are; "*.example" matches subdomains. */
  allowedNames: string[];
}

export const DENY_ALL_PRIVATE: OutboundPolicy = { allowed: new BlockList(), allowedNames: [] };

/** Parses ARGUS_OUTBOUND_ALLOW ("10.0.0.0/8,hooks.internal,127.0.0.1"); throws with the bad entry. */
export function parseOutboundAllow(text: string | undefined): OutboundPolicy {
  const allowed = new BlockList();
  const allowedNames: string[] = [];
  for (const entry of (text ?? "").split(",").map((e) => e.trim()).filter(Boolean)) {
    const [address, prefixText] = entry.split("/") as [string, string | undefined];
    const bare = address.replace(/^\[|\]$/g, "");
    const family = isIP(bare);
    if (family) {
      const max = family === 4 ? 32 : 128;
      const prefix = prefixText === undefined ? max : Number(prefixText);
      if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) throw new Error(`'${entry}' has an invalid prefix length`);
      allowed.addSubnet(bare, prefix, family === 4 ? "ipv4" : "ipv6");
    } else if (prefixText === undefined && /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(address)) {
      allowedNames.push(address.toLowerCase());
    } else {
      throw new Error(`'${entry}' is neither an IP address, a CIDR range nor a host name`);
    }
  }
  return { allowed, allowedNames };
}

function nameAllowed(hostname: string, policy: OutboundPolicy): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  return policy.allowedNames.some((name) => (name.startsWith("*.") ? host.endsWith(name.slice(1)) : host === name));
}

/** The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d) or NAT64 (64:ff9b::a.b.c.d) IPv6 address. */
export function embeddedIpv4(address: string): string | null {
  const lower = address.toLowerCase();
  const match = /^(?:::ffff:(?:0:)?|64:ff9b::)(.+)$/.exec(lower);
  if (!match) return null;
  const rest = match[1]!;
  if (isIP(rest) === 4) return rest;
  const hex = /^([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(rest);
  if (!hex) return null;
  const n = (parseInt(hex[1]!, 16) << 16) | parseInt(hex[2]!, 16);
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}

/** Why an address may not be reached ("loopback", "private", …), or null when it is public or allowed. */
export function addressRefusal(address: string, policy: OutboundPolicy): string | null {
  const bare = address.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  const family = isIP(bare);
  if (!family) return "not an IP address";
  const v4 = family === 6 ? embeddedIpv4(bare) : bare;
  const [check, type] = v4 ? [v4, "ipv4" as const] : [bare, "ipv6" as const];
  if (policy.allowed.check(check, type) || (v4 && family === 6 && policy.allowed.check(bare, "ipv6"))) return null;
  for (const [reason, list] of NON_PUBLIC) if (list.check(check, type)) return reason;
  // NAT64 of a public IPv4 address is still a translator inside someone's network.
  if (family === 6 && bare.toLowerCase().startsWith("64:ff9b:")) return "NAT64";
  return null;
}

/** Why a host name (as in a URL) may not be used before any lookup, or null. IP literals are judged as addresses. */
export function hostRefusal(hostname: string, policy: OutboundPolicy): string | null {
  const host = hostname.replace(/^\[|\]$/g, "");
  if (isIP(host)) return addressRefusal(host, policy);
  if (nameAllowed(host, policy)) return null;
  const name = host.replace(/\.$/, "");
  if (LOCAL_NAME.test(name)) return "a local host name";
  // A single-label name ("metadata", "intranet") is completed with the resolver's search domains.
  if (!name.includes(".")) return "a single-label host name";
  if (/^metadata\.|\.metadata\./i.test(name) || /^metadata\.google\.internal$/i.test(name)) return "a cloud metadata host name";
  return null;
}

/** For a host name that the allowlist names: every address it resolves to may be reached. */
export function hostNameAllowed(hostname: string, policy: OutboundPolicy): boolean {
  return nameAllowed(hostname.replace(/^\[|\]$/g, ""), policy);
}

export function describeRefusal(host: string, reason: string): string {
  return `${host} is ${reason.startsWith("a ") || reason.startsWith("not ") ? reason : `a ${reason} address`}; outbound requests go to public addresses only (allow a self-hosted receiver with ARGUS_OUTBOUND_ALLOW)`;
}
