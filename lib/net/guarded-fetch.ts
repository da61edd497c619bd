// fetch() for outbound notifications that refuses to reach non-public addresses (outbound-policy.ts).
// The check runs on the address the socket actually connects to, not on an earlier lookup: the name
// is resolved by our own lookup function, which refuses before any connection is made, and the
// socket's peer address is checked again on connect. A name that resolved to a public address when
// the channel was saved and to 127.0.0.1 now (DNS rebinding) is refused here.
// Errors never carry the URL (it may hold credentials) and do not tell closed from filtered ports.
import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import { isIP, type LookupFunction, type Socket } from "node:net";
import { addressRefusal, describeRefusal, hostNameAllowed, hostRefusal, type OutboundPolicy } from "./outbound-policy";

export class OutboundRefused extends Error {
  override name = "OutboundRefused";
}

/** A failure that is safe to show and store: no URL, no response body, one message for every connection failure. */
export class OutboundFailure extends Error {
  override name = "OutboundFailure";
  constructor(message: string, readonly kind: "refused" | "timeout" | "connect" | "dns" | "protocol") {
    super(message);
  }
}

export interface GuardedRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface GuardedFetchDeps {
  /** The resolver; tests pass one that answers what they need (e.g. DNS rebinding). */
  lookup?: typeof dns.lookup;
  /** Response bodies are read up to this many bytes (receivers' answers are not shown anyway). */
  maxResponseBytes?: number;
}

const NULL_BODY_STATUS = new Set([101, 204, 205, 304]);

function guardedLookup(policy: OutboundPolicy, hostname: string, resolve: typeof dns.lookup): LookupFunction {
  const trusted = hostNameAllowed(hostname, policy);
  return (host, options, callback) => {
    resolve(host, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, "", 0);
      const list = addresses as dns.LookupAddress[];
      const refused = trusted ? undefined : list.map((a) => addressRefusal(a.address, policy)).find((r) => r !== null);
      if (refused) return callback(new OutboundRefused(describeRefusal(hostname, refused)), "", 0);
      if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
      const first = list[0];
      if (!first) return callback(Object.assign(new Error("no address"), { code: "ENOTFOUND" }), "", 0);
      callback(null, first.address, first.family);
    });
  };
}

const CONNECT_FAILED = "could not connect to the receiver";

/**
 * One description per kind of failure. A port that refuses (closed) and one that never answers
 * (filtered) both read "could not connect": the difference would map the network behind the receiver.
 */
export function classifyFailure(error: unknown, timeoutMs: number, connected: boolean): OutboundFailure {
  if (error instanceof OutboundFailure) return error;
  if (error instanceof OutboundRefused) return new OutboundFailure(error.message, "refused");
  const code = (error as NodeJS.ErrnoException)?.code ?? "";
  const name = (error as Error)?.name ?? "";
  if (!connected && (name === "TimeoutError" || code === "ETIMEDOUT" || name === "AbortError")) return new OutboundFailure(CONNECT_FAILED, "connect");
  if (name === "TimeoutError" || code === "ETIMEDOUT") return new OutboundFailure(`no answer within ${timeoutMs} ms`, "timeout");
  if (name === "AbortError") return new OutboundFailure("request aborted", "timeout");
  if (code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "ENODATA") return new OutboundFailure("the host name could not be resolved", "dns");
  if (/^ERR_TLS|CERT|SSL|EPROTO/.test(code)) return new OutboundFailure("TLS handshake failed", "protocol");
  if (code === "HPE_INVALID_CONSTANT" || code.startsWith("HPE_")) return new OutboundFailure("the receiver's answer is not valid HTTP", "protocol");
  // Refused, reset, unreachable: one message, so the answer does not map which ports are open.
  return new OutboundFailure(CONNECT_FAILED, "connect");
}

function basicAuth(url: URL): string | null {
  if (!url.username && !url.password) return null;
  const user = decodeURIComponent(url.username);
  const pass = decodeURIComponent(url.password);
  return `Basic ${Buffer.from(`${user}:${pass}`).toString("base64")}`;
}

/** POSTs (or any method) to `rawUrl` under `policy`; resolves to a Response, rejects with OutboundFailure. */
export function guardedFetch(rawUrl: string, request: GuardedRequest, policy: OutboundPolicy, deps: GuardedFetchDeps = {}): Promise<Response> {
  const { timeoutMs } = request;
  return new Promise<Response>((resolve, reject) => {
    let url: URL;
    try {
      url = new URL(rawUrl);
    } catch {
      return reject(new OutboundFailure("the URL is not valid", "protocol"));
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") return reject(new OutboundFailure("only http and https URLs are allowed", "protocol"));
    const hostRefused = hostRefusal(url.hostname, policy);
    if (hostRefused) return reject(new OutboundFailure(describeRefusal(url.hostname, hostRefused), "refused"));

    const headers: Record<string, string> = { ...request.headers };
    const auth = basicAuth(url);
    if (auth && !Object.keys(headers).some((h) => h.toLowerCase() === "authorization")) headers.authorization = auth;
    if (request.body !== undefined) headers["content-length"] = String(Buffer.byteLength(request.body));
    const client = url.protocol === "https:" ? https : http;
    const host = url.hostname.replace(/^\[|\]$/g, "");
    const req = client.request({
      protocol: url.protocol,
      hostname: host,
      port: url.port || undefined,
      path: `${url.pathname}${url.search}`,
      method: request.method ?? "POST",
      headers,
      agent: false,
      servername: isIP(host) ? undefined : host,
      lookup: guardedLookup(policy, url.hostname, deps.lookup ?? dns.lookup),
    });
    let settled = false;
    let connected = false;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      reject(classifyFailure(error, timeoutMs, connected));
    };
    const timer = setTimeout(() => fail(Object.assign(new Error("timeout"), { name: "TimeoutError" })), timeoutMs);
    request.signal?.addEventListener("abort", () => fail(request.signal!.reason ?? Object.assign(new Error("aborted"), { name: "AbortError" })), { once: true });
    req.on("socket", (socket: Socket) => {
      socket.once("connect", () => {
        connected = true;
        const peer = socket.remoteAddress ?? "";
        const refused = hostNameAllowed(url.hostname, policy) ? null : addressRefusal(peer, policy);
        if (refused) fail(new OutboundRefused(describeRefusal(url.hostname, refused)));
      });
    });
    req.on("error", fail);
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const max = deps.maxResponseBytes ?? 64 * 1024;
      res.on("data", (chunk: Buffer) => {
        if (size >= max) return;
        size += chunk.length;
        chunks.push(chunk);
      });
      res.on("error", fail);
      res.on("end", () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        const responseHeaders = new Headers();
        for (const [key, value] of Object.entries(res.headers)) {
          if (typeof value === "string") responseHeaders.set(key, value);
          else if (Array.isArray(value)) for (const v of value) responseHeaders.append(key, v);
        }
        const status = res.statusCode ?? 500;
        const body = NULL_BODY_STATUS.has(status) ? null : Buffer.concat(chunks).subarray(0, max);
        resolve(new Response(body ? new Uint8Array(body) : null, { status: status < 200 || status > 599 ? 500 : status, headers: responseHeaders }));
      });
    });
    req.end(request.body);
  });
}

/** The same as a fetch() function (for @slack/webhook's `fetch` option). */
export function guardedFetchFunction(policy: OutboundPolicy, timeoutMs: number, deps?: GuardedFetchDeps): typeof fetch {
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((value, key) => (headers[key] = value));
    return guardedFetch(url, { method: init?.method, headers, body: typeof init?.body === "string" ? init.body : undefined, timeoutMs, signal: init?.signal ?? undefined }, policy, deps);
  }) as typeof fetch;
}
