// A real HTTP receiver on 127.0.0.1 for notification tests: records every request and answers
// with whatever the test's responder says (status, headers, delay, or never).
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  at: number;
  /** Status sent back, or null when the response was never completed. */
  answered: number | null;
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  delayMs?: number;
  /** Keep the connection open without answering. */
  hang?: boolean;
}

export type Responder = (req: ReceivedRequest, index: number) => Reply;

export interface Receiver {
  url: string;
  port: number;
  requests: ReceivedRequest[];
  respond: Responder;
  onRequest?: (req: ReceivedRequest) => void;
  /** Stops listening (the port refuses connections) until start() is called again. */
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(respond: Responder = () => ({ status: 200, body: "ok" })): Promise<Receiver> {
  const sockets = new Set<import("node:net").Socket>();
  const receiver: Receiver = {
    url: "",
    port: 0,
    requests: [],
    respond,
    stop: () => closeServer(),
    start: () => listen(receiver.port),
    close: () => closeServer(),
  };
  let server: http.Server | undefined;

  function handler(req: http.IncomingMessage, res: http.ServerResponse) {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const record: ReceivedRequest = { path: req.url ?? "/", headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), at: Date.now(), answered: null };
      const index = receiver.requests.push(record) - 1;
      receiver.onRequest?.(record);
      const reply = receiver.respond(record, index);
      if (reply.hang) return;
      const send = () => {
        if (res.destroyed) return;
        record.answered = reply.status ?? 200;
        res.writeHead(record.answered, { "content-type": "text/plain", ...reply.headers });
        res.end(reply.body ?? "ok");
      };
      if (reply.delayMs) setTimeout(send, reply.delayMs);
      else send();
    });
  }

  function listen(port: number): Promise<void> {
    server = http.createServer(handler);
    server.on("connection", (s) => {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
    });
    return new Promise((resolve, reject) => {
      server!.once("error", reject);
      server!.listen(port, "127.0.0.1", () => {
        receiver.port = (server!.address() as AddressInfo).port;
        receiver.url = `http://127.0.0.1:${receiver.port}`;
        resolve();
      });
    });
  }

  function closeServer(): Promise<void> {
    const s = server;
    server = undefined;
    if (!s) return Promise.resolve();
    for (const socket of sockets) socket.destroy();
    return new Promise((resolve) => s.close(() => resolve()));
  }

  await listen(0);
  return receiver;
}
