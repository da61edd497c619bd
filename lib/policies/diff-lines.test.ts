import { describe, expect, it } from "vitest";
import { unifiedDiff } from "./diff-lines";

const diff = (before: string, after: string) => unifiedDiff({ before, after, beforeLabel: "v1", afterLabel: "v2", context: 1 });

describe("unifiedDiff", () => {
  const cases: Array<{ name: string; before: string; after: string; expected: string }> = [
    { name: "equal texts give no diff", before: "a\nb\n", after: "a\nb\n", expected: "" },
    { name: "one changed line with context", before: "a\nb\nc\nd\n", after: "a\nB\nc\nd\n", expected: "--- v1\n+++ v2\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n" },
    { name: "an added line at the end", before: "a\nb\n", after: "a\nb\nc\n", expected: "--- v1\n+++ v2\n@@ -2,1 +2,2 @@\n b\n+c\n" },
    { name: "from nothing", before: "", after: "a\n", expected: "--- v1\n+++ v2\n@@ -0,0 +1,1 @@\n+a\n" },
    { name: "two distant changes make two hunks", before: "1\n2\n3\n4\n5\n6\n7\n", after: "x\n2\n3\n4\n5\n6\ny\n",
      expected: "--- v1\n+++ v2\n@@ -1,2 +1,2 @@\n-1\n+x\n 2\n@@ -6,2 +6,2 @@\n 6\n-7\n+y\n" },
  ];
  it.each(cases)("$name", (c) => expect(diff(c.before, c.after)).toBe(c.expected));

  it("aligns moved and inserted lines instead of replacing everything", () => {
    const out = diff("a\nb\nc\nd\ne\n", "a\nc\nd\nX\ne\n");
    expect(out.split("\n").filter((l) => /^[-+][^-+]/.test(l))).toEqual(["-b", "+X"]);
  });
});
