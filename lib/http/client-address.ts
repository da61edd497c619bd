// The client's address for per-address limits (sign-in). X-Forwarded-For is a list the client starts and
// every proxy appends to: only the entries our own proxies appended can be believed. With N trusted proxy
// hops in front of Argus, the client is the entry N places from the right, counting the socket's peer.
import type { IncomingMessage } from "node:http";

/** Set by the web server on every request it hands to Next; a value sent by the client is replaced. */
export const CLIENT_ADDRESS_HEADER = "x-argus-client-address";

export function clientAddress(forwardedFor: string | undefined, socketAddress: string | undefined, trustedProxyHops: number): string {
  const chain = (forwardedFor ?? "").split(",").map((entry) => entry.trim()).filter(Boolean);
  chain.push(socketAddress ?? "unknown");
  return chain[Math.max(0, chain.length - 1 - trustedProxyHops)]!;
}

export function setClientAddress(req: IncomingMessage, trustedProxyHops: number): void {
  const forwarded = req.headers["x-forwarded-for"];
  req.headers[CLIENT_ADDRESS_HEADER] = clientAddress(Array.isArray(forwarded) ? forwarded.join(",") : forwarded, req.socket.remoteAddress, trustedProxyHops);
}
