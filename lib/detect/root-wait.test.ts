import { describe, expect, it } from "vitest";
import { expectsRoot, learnLateRoot, learnRootShare, rootlessQuietMs, type RootShare } from "./root-wait";

describe("expectsRoot", () => {
  const cases: Array<[string, RootShare | undefined, boolean]> = [
    ["no history", undefined, false],
    ["too little history", { rooted: 19, rootless: 0 }, false],
    ["most traces rooted", { rooted: 30, rootless: 10 }, true],
    ["fragments of remote traces", { rooted: 0, rootless: 50 }, false],
    ["an even split", { rooted: 25, rootless: 25 }, false],
  ];
  it.each(cases)("%s", (_name, share, expected) => {
    expect(expectsRoot(share)).toBe(expected);
    expect(rootlessQuietMs(share, 60_000, 600_000)).toBe(expected ? 600_000 : 60_000);
  });
});

describe("learning a service's root share", () => {
  it("counts completed traces and halves old history past the cap", () => {
    const shares: Record<string, RootShare> = {};
    for (let i = 0; i < 1000; i++) learnRootShare(shares, "p|svc", i % 4 !== 0);
    expect(shares["p|svc"]).toEqual({ rooted: 750, rootless: 250 });
    learnRootShare(shares, "p|svc", true);
    expect(shares["p|svc"]).toEqual({ rooted: 375.5, rootless: 125 });
  });

  it("moves a trace completed without its root to the rooted side when the root comes late", () => {
    const shares: Record<string, RootShare> = { "p|svc": { rooted: 5, rootless: 20 } };
    for (let i = 0; i < 10; i++) learnLateRoot(shares, "p|svc");
    expect(shares["p|svc"]).toEqual({ rooted: 15, rootless: 10 });
    learnLateRoot(shares, "p|other");
    expect(shares["p|other"]).toBeUndefined();
  });
});
