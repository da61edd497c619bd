import { describe, expect, it } from "vitest";
import { DEFAULT_PRICES } from "../pricing/load-prices";
import { decodeTraceRequest } from "../otlp/decode";
import { agentTrace, jsonRequest } from "@/tests/helpers/otlp-fixtures";
import { packBatches, unpackBatches } from "./pack-rows";
import { toSpanRows } from "./span-row";

describe("packBatches / unpackBatches", () => {
  const rows = (n: number) => toSpanRows("p1", decodeTraceRequest(Buffer.from(JSON.stringify(jsonRequest(agentTrace()))), "json").spans, DEFAULT_PRICES, 1_000 + n);

  it.each([
    { name: "no batches", batches: [] },
    { name: "one empty batch", batches: [[]] },
    { name: "several batches", batches: [rows(1), [], rows(2)] },
  ])("round-trips $name through structured clone", ({ batches }) => {
    const copy = unpackBatches(structuredClone(packBatches(batches)));
    expect(copy).toEqual(batches);
  });
});
