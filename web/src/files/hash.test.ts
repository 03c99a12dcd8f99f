import { describe, expect, it } from "vitest";
import { sha256Hex } from "./hash";

describe("sha256Hex", () => {
  it("gives the SHA-256 of a blob's bytes as 64 lowercase hex digits", async () => {
    // FIPS 180-2 test vectors.
    expect(await sha256Hex(new Blob(["abc"]))).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(await sha256Hex(new Blob([]))).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  });

  it("reads binary content byte for byte", async () => {
    const bytes = new Uint8Array([0x00, 0xff, 0x10, 0x80]);
    const expected = Array.from(
      new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)),
      (byte) => byte.toString(16).padStart(2, "0"),
    ).join("");
    expect(await sha256Hex(new Blob([bytes]))).toBe(expected);
  });
});
