// JSON.parse for a request body, without turning a large body into one large string.
//
// V8 allocates every string over 128 KB in its large-object space: fresh memory mapped for that one
// string and unmapped after the next GC. On a 230 KB OTLP/JSON body the page faults alone cost about
// 1 ms, more than parsing it. Here a container over `pieceBytes` is cut at its direct children, and
// each child is parsed by JSON.parse from its own small string (recursively while children are large).
// The cuts fall on structural ASCII bytes, never inside a string or a UTF-8 sequence.
//
// Anything irregular (a syntax error, bytes after the value, a mismatched bracket) falls back to
// JSON.parse of the whole text, so the result, and any error with its message, are JSON.parse's own.

const DEFAULT_PIECE_BYTES = 64 * 1024;
/**
 * Containers this deep or deeper parse whole. OTLP's spans arrays are at depth 5 (root, resourceSpans,
 * a resource's entry, scopeSpans, a scope's entry, spans), so each span parses on its own.
 */
const MAX_SPLIT_DEPTH = 6;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** Thrown on anything the split does not expect; parseJsonBuffer then parses the whole text instead. */
const IRREGULAR = new Error("irregular JSON structure");

function isWhitespace(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

function skipWhitespace(buf: Buffer, i: number): number {
  while (isWhitespace(buf[i])) i++;
  return i;
}

/** `i` is at an opening quote; returns the index after the closing one. */
function endOfString(buf: Buffer, i: number): number {
  let close = buf.indexOf(QUOTE, i + 1);
  while (close !== -1) {
    let backslashes = 0;
    while (buf[close - 1 - backslashes] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return close + 1;
    close = buf.indexOf(QUOTE, close + 1);
  }
  throw IRREGULAR;
}

/**
 * One pass over the value at `start` (strings are skipped with indexOf): where it ends, and where each
 * container up to `maxDepth` levels deep ends, by the index of its opening bracket.
 */
function containerEnds(buf: Buffer, start: number, maxDepth: number): { end: number; ends: Map<number, number> } {
  const ends = new Map<number, number>();
  const open: number[] = [];
  for (let i = start; i < buf.length; i++) {
    const byte = buf[i]!;
    if (byte === QUOTE) {
      i = endOfString(buf, i) - 1;
    } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      open.push(i);
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
      const at = open.pop();
      if (at === undefined) throw IRREGULAR;
      if (open.length <= maxDepth) ends.set(at, i + 1);
      if (open.length === 0) return { end: i + 1, ends };
    }
  }
  throw IRREGULAR;
}

/** `i` is at the first byte of a value inside a container being split; returns the index after it. */
function endOfValue(buf: Buffer, i: number, ends: Map<number, number>): number {
  const first = buf[i];
  if (first === QUOTE) return endOfString(buf, i);
  if (first === OPEN_BRACE || first === OPEN_BRACKET) {
    const end = ends.get(i);
    if (end === undefined) throw IRREGULAR;
    return end;
  }
  // A number or literal: up to the next delimiter; JSON.parse of the piece checks it.
  while (i < buf.length) {
    const byte = buf[i]!;
    if (byte === COMMA || byte === CLOSE_BRACE || byte === CLOSE_BRACKET || isWhitespace(byte)) break;
    i++;
  }
  return i;
}

function parsePiece(buf: Buffer, start: number, end: number): unknown {
  return JSON.parse(buf.toString("utf8", start, end));
}

interface Split {
  buf: Buffer;
  ends: Map<number, number>;
  pieceBytes: number;
}

/** The value spanning exactly [start, end). */
function parseRange(split: Split, start: number, end: number, depth: number): unknown {
  const { buf, ends, pieceBytes } = split;
  const first = buf[start];
  if (end - start <= pieceBytes || depth >= MAX_SPLIT_DEPTH || (first !== OPEN_BRACE && first !== OPEN_BRACKET)) {
    return parsePiece(buf, start, end);
  }
  const isObject = first === OPEN_BRACE;
  const close = isObject ? CLOSE_BRACE : CLOSE_BRACKET;
  const items: unknown[] = [];
  const entries: [string, unknown][] = [];
  let i = skipWhitespace(buf, start + 1);
  if (buf[i] === close) {
    i++;
  } else {
    for (;;) {
      let key = "";
      if (isObject) {
        if (buf[i] !== QUOTE) throw IRREGULAR;
        const keyEnd = endOfString(buf, i);
        key = parsePiece(buf, i, keyEnd) as string;
        i = skipWhitespace(buf, keyEnd);
        if (buf[i] !== COLON) throw IRREGULAR;
        i = skipWhitespace(buf, i + 1);
      }
      const valueEnd = endOfValue(buf, i, ends);
      const value = parseRange(split, i, valueEnd, depth + 1);
      if (isObject) entries.push([key, value]);
      else items.push(value);
      i = skipWhitespace(buf, valueEnd);
      if (buf[i] === COMMA) {
        i = skipWhitespace(buf, i + 1);
        continue;
      }
      if (buf[i] !== close) throw IRREGULAR;
      i++;
      break;
    }
  }
  if (i !== end) throw IRREGULAR;
  // fromEntries defines own data properties like JSON.parse ("__proto__" stays an ordinary key, the
  // last of duplicate keys wins).
  return isObject ? Object.fromEntries(entries) : items;
}

/** JSON.parse(body as UTF-8), with JSON.parse's result and errors. The body must be valid UTF-8. */
export function parseJsonBuffer(body: Buffer, pieceBytes = DEFAULT_PIECE_BYTES): unknown {
  if (body.length > pieceBytes) {
    try {
      const start = skipWhitespace(body, 0);
      const first = body[start];
      if (first === OPEN_BRACE || first === OPEN_BRACKET) {
        const { end, ends } = containerEnds(body, start, MAX_SPLIT_DEPTH);
        if (skipWhitespace(body, end) === body.length) return parseRange({ buf: body, ends, pieceBytes }, start, end, 0);
      }
    } catch {
      // irregular or invalid: JSON.parse below gives the result or the error
    }
  }
  return JSON.parse(body.toString("utf8"));
}
