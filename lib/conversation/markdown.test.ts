import { describe, expect, it } from "vitest";
import { parseInline, parseMarkdown, safeHref, type Block, type Inline } from "./markdown";

const t = (text: string): Inline => ({ type: "text", text });
const p = (...children: Inline[]): Block => ({ type: "paragraph", children });

describe("parseMarkdown blocks", () => {
  it.each<[string, string, Block[]]>([
    ["paragraphs split on blank lines, single newlines kept", "one\ntwo\n\nthree", [p(t("one\ntwo")), p(t("three"))]],
    ["a fenced code block with its language", "before\n```ts\nconst a = 1;\n\n<b>x</b>\n```\nafter", [p(t("before")), { type: "code", lang: "ts", text: "const a = 1;\n\n<b>x</b>" }, p(t("after"))]],
    ["an unclosed fence runs to the end", "```\ncode", [{ type: "code", lang: null, text: "code" }]],
    ["a tilde fence", "~~~\nx\n~~~", [{ type: "code", lang: null, text: "x" }]],
    ["headings", "# Title\n### Sub ##", [{ type: "heading", level: 1, children: [t("Title")] }, { type: "heading", level: 3, children: [t("Sub")] }]],
    ["bullet and numbered lists", "- a\n* b\n1. c\n2) d", [{ type: "list", ordered: false, items: [[t("a")], [t("b")]] }, { type: "list", ordered: true, items: [[t("c")], [t("d")]] }]],
    ["a list right after a paragraph line", "Steps:\n- one", [p(t("Steps:")), { type: "list", ordered: false, items: [[t("one")]] }]],
    ["a block quote", "> said\n> this", [{ type: "quote", children: [t("said\nthis")] }]],
    ["HTML stays text", "<img src=x onerror=alert(1)>\n<script>alert(1)</script>", [p(t("<img src=x onerror=alert(1)>\n<script>alert(1)</script>"))]],
    ["CRLF line ends", "a\r\n\r\nb", [p(t("a")), p(t("b"))]],
    ["empty text", "", []],
  ])("%s", (_name, source, expected) => {
    expect(parseMarkdown(source)).toEqual(expected);
  });
});

describe("parseInline", () => {
  it.each<[string, string, Inline[]]>([
    ["inline code keeps its characters", "run `rm -rf <dir>` now", [t("run "), { type: "code", text: "rm -rf <dir>" }, t(" now")]],
    ["bold and italics", "**big** and *small*", [{ type: "strong", children: [t("big")] }, t(" and "), { type: "em", children: [t("small")] }]],
    ["underscore bold only at a word start", "__b__ snake_case__name", [{ type: "strong", children: [t("b")] }, t(" snake_case__name")]],
    ["an http link", "see [docs](https://example.com/a?b=1)", [t("see "), { type: "link", href: "https://example.com/a?b=1", children: [t("docs")] }]],
    ["a javascript: link stays text", "[x](javascript:alert(1))", [t("[x](javascript:alert(1))")]],
    ["a data: link stays text", "[x](data:text/html,hi)", [t("[x](data:text/html,hi)")]],
    ["a relative link stays text", "[x](/admin)", [t("[x](/admin)")]],
    ["a lone asterisk", "2 * 3 = 6", [t("2 * 3 = 6")]],
    ["an unclosed backtick", "a `b", [t("a `b")]],
  ])("%s", (_name, source, expected) => {
    expect(parseInline(source)).toEqual(expected);
  });
});

describe("safeHref", () => {
  it.each([
    ["https://a.test/x", "https://a.test/x"],
    ["http://a.test", "http://a.test/"],
    ["JAVASCRIPT:alert(1)", null],
    [" javascript:alert(1)", null],
    ["vbscript:x", null],
    ["mailto:a@b.test", null],
    ["//a.test", null],
    ["not a url", null],
  ])("%s → %s", (url, expected) => {
    expect(safeHref(url)).toBe(expected);
  });
});
