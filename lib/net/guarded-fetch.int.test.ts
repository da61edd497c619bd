// guardedFetch against real sockets on 127.0.0.1: what reaches the network and what the caller learns.
import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classifyFailure, guardedFetch, OutboundFailure } from "./guarded-fetch";
import { DENY_ALL_PRIVATE, parseOutboundAllow } from "./outbound-policy";

let server: http.Server;
let port = 0;
const seen: Array<{ url: string; authorization?: string }> = [];
let connections = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push({ url: req.url ?? "", authorization: req.headers.authorization });
    req.resume();
    if (req.url === "/redirect") return void res.writeHead(302, { location: "http://127.0.0.1:1/elsewhere" }).end();
    if (req.url === "/big") return void res.end("x".repeat(1_000_000));
    res.writeHead(500).end("stack trace of an internal service: db password hunter2");
  });
  server.on("connection", () => connections++);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const loopback = parseOutboundAllow("127.0.0.1");
const request = { method: "POST", body: "{}", timeoutMs: 2_000 };

/** A resolver that answers what the test says (a DNS server under the attacker's control). */
const resolver = (address: string) =>
  ((_host: string, _options: unknown, callback: (e: null, a: Array<{ address: string; family: number }>) => void) => callback(null, [{ address, family: 4 }])) as never;

async function failure(promise: Promise<unknown>): Promise<OutboundFailure> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(OutboundFailure);
  return error as OutboundFailure;
}

describe("guardedFetch", () => {
  it("DNS rebinding: a name that resolves to loopback at connect time is refused before any connection", async () => {
    const before = connections;
    const error = await failure(guardedFetch(`http://rebind.example:${port}/hook`, request, DENY_ALL_PRIVATE, { lookup: resolver("127.0.0.1") }));
    expect(error.kind).toBe("refused");
    expect(error.message).toMatch(/rebind\.example is a loopback address/);
    expect(connections).toBe(before);
  });

  it("an IP literal in a non-public range is refused without a lookup or a connection", async () => {
    const before = connections;
    for (const host of ["127.0.0.1", "[::ffff:127.0.0.1]", "2130706433", "0x7f.1"]) {
      expect((await failure(guardedFetch(`http://${host}:${port}/`, request, DENY_ALL_PRIVATE))).kind).toBe("refused");
    }
    expect(connections).toBe(before);
  });

  it("ARGUS_OUTBOUND_ALLOW lets a self-hosted receiver through; the answer's status comes back", async () => {
    const res = await guardedFetch(`http://127.0.0.1:${port}/ok`, request, loopback);
    expect(res.status).toBe(500);
  });

  it("a name on the allowlist may resolve to a private address", async () => {
    const res = await guardedFetch(`http://hooks.internal:${port}/named`, request, parseOutboundAllow("hooks.internal"), { lookup: resolver("127.0.0.1") });
    expect(res.status).toBe(500);
  });

  it("credentials in the URL become a Basic authorization header and never appear in an error", async () => {
    await guardedFetch(`http://alice:s3cr%40t@127.0.0.1:${port}/auth`, request, loopback);
    expect(seen.find((s) => s.url === "/auth")?.authorization).toBe(`Basic ${Buffer.from("alice:s3cr@t").toString("base64")}`);
    const closed = await failure(guardedFetch("http://alice:s3cr%40t@127.0.0.1:1/x", request, loopback));
    expect(closed.message).not.toMatch(/alice|s3cr|127\.0\.0\.1:1/);
  });

  it("does not follow redirects and caps the body it reads", async () => {
    expect((await guardedFetch(`http://127.0.0.1:${port}/redirect`, request, loopback)).status).toBe(302);
    const big = await guardedFetch(`http://127.0.0.1:${port}/big`, request, loopback, { maxResponseBytes: 1000 });
    expect((await big.text()).length).toBeLessThanOrEqual(1000);
  });

  describe("a closed port and a filtered port are reported alike", () => {
    let python: ChildProcess | undefined;
    let filteredPort = 0;
    const fillers: net.Socket[] = [];
    beforeAll(async () => {
      // A listener that never accepts, its queue full: further SYNs are dropped, as by a firewall.
      python = spawn("python3", ["-c", "import socket,sys,time\ns=socket.socket();s.bind(('127.0.0.1',0));s.listen(0);print(s.getsockname()[1],flush=True);time.sleep(60)"]);
      filteredPort = await new Promise<number>((resolve) => python!.stdout!.once("data", (d: Buffer) => resolve(Number(d.toString().trim()))));
      for (let i = 0; i < 4; i++) fillers.push(net.connect(filteredPort, "127.0.0.1").on("error", () => {}));
      await new Promise((r) => setTimeout(r, 300));
    });
    afterAll(() => {
      for (const s of fillers) s.destroy();
      python?.kill("SIGKILL");
    });

    it("closed and filtered give the same message", async () => {
      const closed = await failure(guardedFetch("http://127.0.0.1:1/x", { ...request, timeoutMs: 800 }, loopback));
      const filtered = await failure(guardedFetch(`http://127.0.0.1:${filteredPort}/x`, { ...request, timeoutMs: 800 }, loopback));
      expect(closed.message).toBe("could not connect to the receiver");
      expect(filtered.message).toBe(closed.message);
    });
  });

  it.each([
    ["refused", Object.assign(new Error("x"), { code: "ECONNREFUSED" }), false],
    ["reset", Object.assign(new Error("x"), { code: "ECONNRESET" }), false],
    ["unreachable host", Object.assign(new Error("x"), { code: "EHOSTUNREACH" }), false],
    ["unreachable network", Object.assign(new Error("x"), { code: "ENETUNREACH" }), false],
    ["no answer to the connect", Object.assign(new Error("x"), { name: "TimeoutError" }), false],
  ])("classifyFailure: %s → could not connect", (_name, error, connected) => {
    expect(classifyFailure(error, 1000, connected).message).toBe("could not connect to the receiver");
  });

  it("a timeout after connecting says so", () => {
    expect(classifyFailure(Object.assign(new Error("x"), { name: "TimeoutError" }), 1000, true).message).toBe("no answer within 1000 ms");
  });
});
