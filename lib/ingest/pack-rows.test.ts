import { describe, expect, it } from "vitest";
import { agentTrace } from "@/tests/helpers/otlp-fixtures";
import { spanRowsOf } from "@/tests/helpers/span-rows";
import { packBatches, unpackBatches } from "./pack-rows";

describe("packBatches / unpackBatches", () => {
  const rows = (n: number) => spanRowsOf("p1", agentTrace(), 1_000 + n);

  it.each([
    { name: "no batches", batches: [] },
    { name: "one empty batch", batches: [[]] },
    { name: "several batches", batches: [rows(1), [], rows(2)] },
  ])("round-trips $name through structured clone", ({ batches }) => {
    const copy = unpackBatches(structuredClone(packBatches(batches)));
    expect(copy).toEqual(batches);
  });
});
