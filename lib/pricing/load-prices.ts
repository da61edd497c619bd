// The price table in use: the bundled defaults, merged with ARGUS_PRICES_FILE when set.
import { readFileSync } from "node:fs";
import { ConfigError, getEnv } from "../env";
import { describeZodError } from "../errors";
import { mergePriceTables, PriceTableSchema, type PriceTable } from "./lookup";
import defaults from "./prices.json" with { type: "json" };

export const DEFAULT_PRICES: PriceTable = mergePriceTables({ models: {}, aliases: {} }, PriceTableSchema.parse(defaults));

export function readPriceFile(file: string): PriceTable {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new ConfigError(`ARGUS_PRICES_FILE ${file} could not be read as JSON: ${(error as Error).message}`);
  }
  const result = PriceTableSchema.safeParse(parsed);
  if (!result.success) throw new ConfigError(`ARGUS_PRICES_FILE ${file} is invalid: ${describeZodError(result.error, "file")}`);
  return result.data;
}

let cached: PriceTable | undefined;

export function getPriceTable(): PriceTable {
  if (!cached) {
    const file = getEnv().ARGUS_PRICES_FILE;
    cached = file ? mergePriceTables(DEFAULT_PRICES, readPriceFile(file)) : DEFAULT_PRICES;
  }
  return cached;
}
