// A small Markdown subset for chat content, parsed to a tree the UI renders as React elements (text nodes
// only, so HTML in the content stays text): paragraphs, headings, fenced code, lists, block quotes; inline
// code, bold, italics and links to http(s) URLs. Anything else is shown as the characters it is.

export type Inline =
  | { type: "text"; text: string }
  | { type: "code"; text: string }
  | { type: "strong"; children: Inline[] }
  | { type: "em"; children: Inline[] }
  | { type: "link"; href: string; children: Inline[] };

export type Block =
  | { type: "paragraph"; children: Inline[] }
  | { type: "heading"; level: number; children: Inline[] }
  | { type: "code"; lang: string | null; text: string }
  | { type: "list"; ordered: boolean; items: Inline[][] }
  | { type: "quote"; children: Inline[] };

/** The URL when it is an absolute http(s) URL, else null: no javascript:, data: or relative links. */
export function safeHref(url: string): string | null {
  try {
    const parsed = new URL(url.trim());
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  } catch {
    return null;
  }
}

const FENCE = /^\s{0,3}(`{3,}|~{3,})\s*([\w+.-]*)/;
const HEADING = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const BULLET = /^\s{0,3}[-*+]\s+(.*)$/;
const NUMBERED = /^\s{0,3}\d{1,9}[.)]\s+(.*)$/;
const QUOTE = /^\s{0,3}>\s?(.*)$/;

function listItemOf(line: string): { ordered: boolean; text: string } | null {
  const bullet = BULLET.exec(line);
  if (bullet) return { ordered: false, text: bullet[1]! };
  const numbered = NUMBERED.exec(line);
  return numbered ? { ordered: true, text: numbered[1]! } : null;
}

const startsBlock = (line: string) => FENCE.test(line) || HEADING.test(line) || listItemOf(line) !== null || QUOTE.test(line);

export function parseMarkdown(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, "\n").split("\n");
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    const fence = FENCE.exec(line);
    if (fence) {
      const close = new RegExp(`^\\s{0,3}${fence[1]![0] === "`" ? "`" : "~"}{${fence[1]!.length},}\\s*$`);
      const body: string[] = [];
      for (i++; i < lines.length && !close.test(lines[i]!); i++) body.push(lines[i]!);
      i++;
      blocks.push({ type: "code", lang: fence[2] || null, text: body.join("\n") });
      continue;
    }
    if (!line.trim()) {
      i++;
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      blocks.push({ type: "heading", level: heading[1]!.length, children: parseInline(heading[2]!) });
      i++;
      continue;
    }
    const item = listItemOf(line);
    if (item) {
      const items: Inline[][] = [];
      for (let next: typeof item | null = item; next && next.ordered === item.ordered; next = i < lines.length ? listItemOf(lines[i]!) : null) {
        items.push(parseInline(next.text));
        i++;
      }
      blocks.push({ type: "list", ordered: item.ordered, items });
      continue;
    }
    if (QUOTE.test(line)) {
      const quoted: string[] = [];
      for (; i < lines.length && QUOTE.test(lines[i]!); i++) quoted.push(QUOTE.exec(lines[i]!)![1]!);
      blocks.push({ type: "quote", children: parseInline(quoted.join("\n")) });
      continue;
    }
    const paragraph: string[] = [];
    for (; i < lines.length && lines[i]!.trim() && (paragraph.length === 0 || !startsBlock(lines[i]!)); i++) paragraph.push(lines[i]!);
    blocks.push({ type: "paragraph", children: parseInline(paragraph.join("\n")) });
  }
  return blocks;
}

/** Inline spans, tried at each position in this order; the first that matches wins. */
const INLINE_RULES: Array<{ pattern: RegExp; build: (m: RegExpExecArray) => Inline | null }> = [
  { pattern: /^(`+)([\s\S]+?)\1(?!`)/, build: (m) => ({ type: "code", text: m[2]! }) },
  { pattern: /^\[([^\]\n]+)\]\(([^)\s]+)\)/, build: (m) => linkOf(m[1]!, m[2]!) },
  { pattern: /^\*\*(?=\S)([\s\S]+?)\*\*/, build: (m) => ({ type: "strong", children: parseInline(m[1]!) }) },
  { pattern: /^__(?=\S)([\s\S]+?)__(?!\w)/, build: (m) => ({ type: "strong", children: parseInline(m[1]!) }) },
  { pattern: /^\*(?=[^\s*])([^*\n]+?)\*(?!\*)/, build: (m) => ({ type: "em", children: parseInline(m[1]!) }) },
];

function linkOf(label: string, url: string): Inline | null {
  const href = safeHref(url);
  return href ? { type: "link", href, children: parseInline(label).filter((c) => c.type !== "link") } : null;
}

export function parseInline(text: string): Inline[] {
  const out: Inline[] = [];
  let plain = "";
  const flush = () => {
    if (plain) out.push({ type: "text", text: plain });
    plain = "";
  };
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    const match = ch === "`" || ch === "[" || ch === "*" || ch === "_" ? matchRule(text.slice(i), i === 0 || /\W/.test(text[i - 1]!)) : null;
    if (match) {
      flush();
      out.push(match.node);
      i += match.length;
    } else {
      plain += ch;
      i++;
    }
  }
  flush();
  return out;
}

function matchRule(rest: string, atWordStart: boolean): { node: Inline; length: number } | null {
  for (const rule of INLINE_RULES) {
    // `__bold__` only at the start of a word, so snake_case_names stay as they are.
    if (rule.pattern.source.startsWith("^__") && !atWordStart) continue;
    const m = rule.pattern.exec(rest);
    const node = m && rule.build(m);
    if (m && node) return { node, length: m[0].length };
  }
  return null;
}
