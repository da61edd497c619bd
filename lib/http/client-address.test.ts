import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLIENT_ADDRESS_HEADER, clientAddress, setClientAddress } from "./client-address";

describe("clientAddress", () => {
  it.each([
    ["no proxy: the socket's peer, whatever the header claims", "1.2.3.4, 5.6.7.8", "10.0.0.9", 0, "10.0.0.9"],
    ["no proxy, no header", undefined, "10.0.0.9", 0, "10.0.0.9"],
    ["one proxy: the entry it appended, not the ones the client sent", "6.6.6.6, 203.0.113.7", "10.0.0.2", 1, "203.0.113.7"],
    ["two proxies", "6.6.6.6, 203.0.113.7, 10.0.0.3", "10.0.0.2", 2, "203.0.113.7"],
    ["more hops configured than entries: the leftmost entry", "203.0.113.7", "10.0.0.2", 5, "203.0.113.7"],
    ["empty entries are skipped", " , 203.0.113.7 ,", "10.0.0.2", 1, "203.0.113.7"],
    ["unknown socket address", undefined, undefined, 0, "unknown"],
  ])("%s", (_name, forwardedFor, socket, hops, expected) => {
    expect(clientAddress(forwardedFor, socket, hops)).toBe(expected);
  });
});

describe("setClientAddress on a real HTTP request", () => {
  let server: http.Server;
  let url = "";
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      setClientAddress(req, 0);
      res.end(String(req.headers[CLIENT_ADDRESS_HEADER]));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("replaces a forged address header and ignores a forged X-Forwarded-For", async () => {
    const res = await fetch(url, { headers: { "x-forwarded-for": "6.6.6.6", [CLIENT_ADDRESS_HEADER]: "7.7.7.7" } });
    expect(await res.text()).toBe("127.0.0.1");
  });
});
