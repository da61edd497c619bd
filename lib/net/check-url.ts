// The save-time half of the outbound check: a channel URL whose host is, or resolves to, a non-public
// address is refused with a 400 when it is saved. guarded-fetch.ts checks again at connect time.
import dns from "node:dns";
import { AppError } from "../errors";
import { addressRefusal, describeRefusal, hostNameAllowed, hostRefusal, type OutboundPolicy } from "./outbound-policy";

export type Resolve = (hostname: string) => Promise<string[]>;

const systemResolve: Resolve = async (hostname) => (await dns.promises.lookup(hostname, { all: true })).map((a) => a.address);
const RESOLVE_TIMEOUT_MS = 2_000;

/** Throws a 400 when `url` may not be called under `policy`. A name that does not resolve now is accepted (checked again when used). */
export async function assertOutboundUrl(url: string, policy: OutboundPolicy, resolve: Resolve = systemResolve): Promise<void> {
  const { hostname } = new URL(url);
  const host = hostname.replace(/^\[|\]$/g, "");
  const refused = hostRefusal(hostname, policy);
  if (refused) throw new AppError("bad_request", `Invalid body: url: ${describeRefusal(host, refused)}`);
  if (hostNameAllowed(hostname, policy) || /^[\d.]+$|:/.test(host)) return;
  let addresses: string[] = [];
  try {
    addresses = await Promise.race([resolve(host), new Promise<string[]>((r) => setTimeout(() => r([]), RESOLVE_TIMEOUT_MS).unref())]);
  } catch {
    return;
  }
  const reason = addresses.map((a) => addressRefusal(a, policy)).find((r) => r !== null);
  if (reason) throw new AppError("bad_request", `Invalid body: url: ${describeRefusal(host, reason)}`);
}
