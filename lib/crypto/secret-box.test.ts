import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret, ENCRYPTED_PREFIX, generateSecretKey, keyFingerprint, parseSecretKey } from "./secret-box";

const key = parseSecretKey(generateSecretKey());
const other = parseSecretKey(generateSecretKey());

describe("secret box", () => {
  it("round-trips and never stores the plaintext", () => {
    const stored = encryptSecret("https://hooks.slack.com/services/T0/B0/secret", key, "channel.url");
    expect(stored.startsWith(ENCRYPTED_PREFIX)).toBe(true);
    expect(stored).not.toContain("secret");
    expect(decryptSecret(stored, key, "channel.url")).toBe("https://hooks.slack.com/services/T0/B0/secret");
  });

  it("uses a fresh IV: the same value encrypts differently", () => {
    expect(encryptSecret("x", key, "c")).not.toBe(encryptSecret("x", key, "c"));
  });

  it("reads a legacy plaintext value unchanged", () => {
    expect(decryptSecret("https://legacy.example/hook", key, "channel.url")).toBe("https://legacy.example/hook");
  });

  it.each([
    ["another key", () => decryptSecret(encryptSecret("v", key, "c"), other, "c")],
    ["another column (associated data)", () => decryptSecret(encryptSecret("v", key, "channel.secret"), key, "channel.url")],
    ["a flipped bit", () => {
      const stored = encryptSecret("value", key, "c");
      const raw = Buffer.from(stored.slice(ENCRYPTED_PREFIX.length), "base64url");
      raw[raw.length - 1]! ^= 1;
      return decryptSecret(ENCRYPTED_PREFIX + raw.toString("base64url"), key, "c");
    }],
    ["a truncated value", () => decryptSecret(`${ENCRYPTED_PREFIX}AAAA`, key, "c")],
  ])("refuses %s", (_name, run) => {
    expect(run).toThrow(/does not decrypt|damaged/);
  });

  it.each([
    ["base64", Buffer.alloc(32, 7).toString("base64"), true],
    ["hex", "ab".repeat(32), true],
    ["too short", Buffer.alloc(16).toString("base64"), false],
    ["empty", "", false],
  ])("parses a key given as %s: %s", (_name, text, ok) => {
    if (ok) expect(parseSecretKey(text)).toHaveLength(32);
    else expect(() => parseSecretKey(text)).toThrow(/32 bytes/);
  });

  it("fingerprints identify a key without revealing it", () => {
    expect(keyFingerprint(key)).toMatch(/^[0-9a-f]{16}$/);
    expect(keyFingerprint(key)).toBe(keyFingerprint(Buffer.from(key)));
    expect(keyFingerprint(key)).not.toBe(keyFingerprint(other));
  });
});
