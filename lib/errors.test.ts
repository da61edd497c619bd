import { describe, expect, it } from "vitest";
import { databaseTrouble } from "./errors";

const err = (code: string | undefined, message = "x", cause?: unknown) => Object.assign(new Error(message), { code, cause });

describe("databaseTrouble", () => {
  const cases: Array<{ name: string; error: unknown; expected: ReturnType<typeof databaseTrouble> }> = [
    { name: "SQLite busy", error: err("SQLITE_BUSY", "database is locked"), expected: "unavailable" },
    { name: "SQLite extended I/O error", error: err("SQLITE_IOERR_WRITE"), expected: "unavailable" },
    { name: "SQLite disk full", error: err("SQLITE_FULL", "database or disk is full"), expected: "disk_full" },
    { name: "PostgreSQL disk full", error: err("53100", "could not extend file"), expected: "disk_full" },
    { name: "PostgreSQL admin shutdown", error: err("57P01", "terminating connection due to administrator command"), expected: "unavailable" },
    { name: "PostgreSQL crash shutdown", error: err("57P02"), expected: "unavailable" },
    { name: "PostgreSQL starting up", error: err("57P03", "the database system is starting up"), expected: "unavailable" },
    { name: "connection refused", error: err("ECONNREFUSED"), expected: "unavailable" },
    { name: "pool connect timeout", error: err(undefined, "timeout exceeded when trying to connect"), expected: "unavailable" },
    { name: "wrapped in a cause", error: err(undefined, "DriverAdapterError", err("ECONNREFUSED")), expected: "unavailable" },
    { name: "Prisma wrapping PostgreSQL starting up", error: err("P2010", "Invalid `prisma.apiKey.findUnique()` invocation:\n\nDatabase error. Code: `57P03`. Message: `the database system is not yet accepting connections`"), expected: "unavailable" },
    { name: "Prisma adapter error in meta", error: Object.assign(new Error("x"), { code: "P2010", meta: { driverAdapterError: err("ECONNREFUSED") } }), expected: "unavailable" },
    { name: "a constraint violation", error: err("23505", "duplicate key"), expected: null },
    { name: "a plain bug", error: new TypeError("undefined is not a function"), expected: null },
  ];
  it.each(cases)("$name", ({ error, expected }) => expect(databaseTrouble(error)).toBe(expected));
});
