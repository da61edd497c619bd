export function nsToMsNumber(ns: string | number | bigint): number {
  try {
    return Number(BigInt(ns) / 1000n) / 1000;
  } catch {
    return 0;
  }
}
