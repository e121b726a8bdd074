import { sanitize, shortHash, uniqueName } from "../../src/core/names";

describe("uniqueName", () => {
  test.each([
    [["privatelink-router", "orders"], "privatelink-router-orders-"],
    [["a_b", "c.d"], "a-b-c-d-"],
    [["--x--"], "x-"],
  ])("%j starts with %p and ends with a 6-character hash", (parts, start) => {
    const name = uniqueName(parts, "seed");
    expect(name.startsWith(start)).toBe(true);
    expect(name).toMatch(/-[0-9a-f]{6}$/);
  });

  test.each([31, 32, 33, 64])("a body of %i characters fits in 32", (n) => {
    const name = uniqueName(["x".repeat(n)], "seed");
    expect(name.length).toBeLessThanOrEqual(32);
    expect(name).toMatch(/^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$/);
  });

  test("cutting never leaves a trailing hyphen before the hash", () => {
    expect(uniqueName(["a".repeat(24), "b"], "seed")).not.toMatch(/--/);
  });

  test("names cut to the same text still differ by their hash input", () => {
    expect(uniqueName(["x".repeat(40) + "1"], "1")).not.toBe(uniqueName(["x".repeat(40) + "2"], "2"));
  });

  test("an empty body gives the hash alone", () => {
    expect(uniqueName(["__"], "seed")).toBe(shortHash("seed"));
  });

  test("respects another limit", () => {
    expect(uniqueName(["abcdefghij"], "s", 12)).toMatch(/^abcde-[0-9a-f]{6}$/);
  });
});

test("sanitize keeps letters, digits and single inner hyphens", () => {
  expect(sanitize("_a..b--c_")).toBe("a-b-c");
});
