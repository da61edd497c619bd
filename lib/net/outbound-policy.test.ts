import { describe, expect, it } from "vitest";
import { addressRefusal, DENY_ALL_PRIVATE, embeddedIpv4, hostRefusal, parseOutboundAllow } from "./outbound-policy";

/** Every spelling of a non-public target the attack tried, plus the IPv6 and reserved ranges around them. */
const REFUSED_URLS: Array<[string, string]> = [
  ["http://127.0.0.1/", "loopback"],
  ["http://localhost:3000/", "a local host name"],
  ["http://LOCALHOST./", "a local host name"],
  ["http://sub.localhost/", "a local host name"],
  ["http://0.0.0.0/", "this-network"],
  ["http://2130706433/", "loopback"],
  ["http://0x7f.1/", "loopback"],
  ["http://0177.0.0.1/", "loopback"],
  ["http://017700000001/", "loopback"],
  ["http://127.1/", "loopback"],
  ["http://127.0.0.1./", "loopback"],
  ["http://%31%32%37.0.0.1/", "loopback"],
  ["http://169.254.169.254/latest/meta-data/", "link-local"],
  ["http://metadata.google.internal/computeMetadata/v1/", "a local host name"],
  ["http://metadata/", "a single-label host name"],
  ["http://intranet/", "a local host name"],
  ["http://db/", "a single-label host name"],
  ["http://printer.local/", "a local host name"],
  ["http://router.home.arpa/", "a local host name"],
  ["http://10.1.2.3/", "private"],
  ["http://172.16.0.1/", "private"],
  ["http://172.31.255.255/", "private"],
  ["http://192.168.1.1/", "private"],
  ["http://100.64.0.1/", "carrier-grade NAT"],
  ["http://100.127.255.255/", "carrier-grade NAT"],
  ["http://224.0.0.1/", "multicast"],
  ["http://239.255.255.250/", "multicast"],
  ["http://255.255.255.255/", "reserved"],
  ["http://240.0.0.1/", "reserved"],
  ["http://198.18.0.1/", "benchmarking"],
  ["http://192.0.2.1/", "documentation"],
  ["http://[::1]/", "reserved"],
  ["http://[::]/", "reserved"],
  ["http://[0:0:0:0:0:0:0:1]/", "reserved"],
  ["http://[::ffff:127.0.0.1]/", "loopback"],
  ["http://[::ffff:7f00:1]/", "loopback"],
  ["http://[0:0:0:0:0:ffff:127.0.0.1]/", "loopback"],
  ["http://[::ffff:a9fe:a9fe]/", "link-local"],
  ["http://[::ffff:10.0.0.1]/", "private"],
  ["http://[64:ff9b::7f00:1]/", "loopback"],
  ["http://[64:ff9b::808:808]/", "NAT64"],
  ["http://[::127.0.0.1]/", "reserved"],
  ["http://[fe80::1]/", "link-local"],
  ["http://[fc00::1]/", "private"],
  ["http://[fd12:3456::1]/", "private"],
  ["http://[fec0::1]/", "site-local"],
  ["http://[ff02::1]/", "multicast"],
  ["http://[2001:db8::1]/", "documentation"],
  ["http://[2002:7f00:1::]/", "6to4"],
  ["http://[2001:0::1]/", "reserved"],
];

const PUBLIC_URLS = ["https://hooks.slack.com/services/T/B/x", "https://93.184.216.34/hook", "http://8.8.8.8/", "https://[2606:4700::1111]/", "https://a.example/x", "http://172.32.0.1/", "http://100.128.0.1/"];

describe("hostRefusal (URL host, before any lookup)", () => {
  it.each(REFUSED_URLS)("%s is refused as %s", (url, reason) => {
    expect(hostRefusal(new URL(url).hostname, DENY_ALL_PRIVATE)).toBe(reason);
  });
  it.each(PUBLIC_URLS)("%s is allowed", (url) => {
    expect(hostRefusal(new URL(url).hostname, DENY_ALL_PRIVATE)).toBeNull();
  });
});

describe("ARGUS_OUTBOUND_ALLOW", () => {
  const policy = parseOutboundAllow("10.0.0.0/8, hooks.internal, 127.0.0.1, *.corp.example, fd00::/8");
  it.each([
    ["a private address inside an allowed range", "http://10.20.30.40/", null],
    ["its IPv4-mapped form", "http://[::ffff:10.20.30.40]/", null],
    ["another private range stays refused", "http://192.168.0.1/", "private"],
    ["an allowed single address", "http://127.0.0.1:9000/", null],
    ["its neighbour is not", "http://127.0.0.2/", "loopback"],
    ["an allowed name", "http://hooks.internal/x", null],
    ["another .internal name", "http://other.internal/x", "a local host name"],
    ["a wildcard name", "http://a.b.corp.example/x", null],
    ["an allowed IPv6 range", "http://[fd12::1]/", null],
  ])("%s", (_name, url, expected) => {
    expect(hostRefusal(new URL(url).hostname, policy)).toBe(expected);
  });
  it.each(["10.0.0.0/33", "not a host!", "1.2.3.4/x", "::1/129"])("refuses the entry %s", (entry) => {
    expect(() => parseOutboundAllow(entry)).toThrow(/invalid prefix|neither/);
  });
  it("an empty value allows nothing private", () => {
    expect(addressRefusal("127.0.0.1", parseOutboundAllow(""))).toBe("loopback");
  });
});

describe("embeddedIpv4", () => {
  it.each([
    ["::ffff:127.0.0.1", "127.0.0.1"],
    ["::ffff:7f00:1", "127.0.0.1"],
    ["::ffff:0:7f00:1", "127.0.0.1"],
    ["64:ff9b::a9fe:a9fe", "169.254.169.254"],
    ["2001:db8::1", null],
  ])("%s → %s", (address, expected) => {
    expect(embeddedIpv4(address)).toBe(expected);
  });
});
