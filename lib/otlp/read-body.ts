// Reads a request body with a size limit, then decompresses it (gzip, deflate) with the same limit
// enforced during decompression, so neither a large body nor a gzip bomb can exhaust memory.
import { promisify } from "node:util";
import zlib from "node:zlib";
import { AppError } from "../errors";
import { watchPace, type BodyPace } from "./body-pace";

const gunzip = promisify(zlib.gunzip);
const inflate = promisify(zlib.inflate);
const inflateRaw = promisify(zlib.inflateRaw);

export function tooLarge(maxBytes: number, what: string): AppError {
  return new AppError("payload_too_large", `${what} exceeds the limit of ${maxBytes} bytes; send smaller batches`);
}

/** A web Request's body as sent (not decompressed), at most maxBytes, within `pace` when given. */
export async function readLimited(req: Request, maxBytes: number, pace?: BodyPace): Promise<Buffer> {
  const declared = Number(req.headers.get("content-length") ?? NaN);
  if (declared > maxBytes) throw tooLarge(maxBytes, "Request body");
  if (!req.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = req.body.getReader();
  let violation: AppError | null = null;
  const stop = pace ? watchPace(pace, () => total, (error) => {
    violation = error;
    void reader.cancel().catch(() => {});
  }) : () => {};
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (violation) throw violation;
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => {});
        throw tooLarge(maxBytes, "Request body");
      }
      chunks.push(value);
    }
  } finally {
    stop();
  }
  return chunks.length === 1 ? Buffer.from(chunks[0]!.buffer, chunks[0]!.byteOffset, chunks[0]!.byteLength) : Buffer.concat(chunks, total);
}

export async function decompress(body: Buffer, contentEncoding: string | null, maxBytes: number): Promise<Buffer> {
  const encoding = (contentEncoding ?? "").trim().toLowerCase();
  if (encoding === "" || encoding === "identity") return body;
  const options = { maxOutputLength: maxBytes };
  try {
    if (encoding === "gzip" || encoding === "x-gzip") return await gunzip(body, options);
    if (encoding === "deflate") {
      // RFC 9110 deflate is zlib-wrapped; some clients send raw deflate. Accept both.
      return await inflate(body, options).catch((error: NodeJS.ErrnoException) => {
        if (error.code === "Z_DATA_ERROR") return inflateRaw(body, options);
        throw error;
      });
    }
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e.code === "ERR_BUFFER_TOO_LARGE" || e instanceof RangeError) throw tooLarge(maxBytes, "Decompressed request body");
    throw new AppError("bad_request", `Request body is not valid ${encoding} data: ${e.message}`);
  }
  throw new AppError("unsupported_media_type", `Unsupported Content-Encoding ${JSON.stringify(encoding)}; use gzip, deflate or none`);
}

/** The decompressed request body, at most maxBytes before and after decompression. */
export async function readBody(req: Request, maxBytes: number): Promise<Buffer> {
  const body = await readLimited(req, maxBytes);
  return decompress(body, req.headers.get("content-encoding"), maxBytes);
}
