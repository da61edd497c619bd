import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "./password";

describe("password hashing", () => {
  it("verifies the right password and rejects a wrong one", async () => {
    const stored = await hashPassword("correct horse battery");
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(await verifyPassword("correct horse battery", stored)).toBe(true);
    expect(await verifyPassword("correct horse batterx", stored)).toBe(false);
  });

  it("salts: the same password hashes differently", async () => {
    expect(await hashPassword("same-password")).not.toBe(await hashPassword("same-password"));
  });

  it.each([
    ["empty", ""],
    ["other scheme", "bcrypt$2b$10$abc"],
    ["bad numbers", "scrypt$x$8$1$c2FsdA$aGFzaA"],
    ["missing parts", "scrypt$16384$8$1$c2FsdA"],
  ])("rejects a malformed stored hash (%s)", async (_name, stored) => {
    expect(await verifyPassword("anything", stored)).toBe(false);
  });
});
