import { Lazy } from "cdktf";
import { withoutCreationStacks } from "../../src/core/creation-stacks";

describe("withoutCreationStacks", () => {
  test("tokens made inside have no creation stack; outside they keep theirs", () => {
    const inside = withoutCreationStacks(() => Lazy.anyValue({ produce: () => 1 }) as any);
    const outside = Lazy.anyValue({ produce: () => 1 }) as any;
    expect(inside.creationStack).toEqual([]);
    expect(outside.creationStack.length).toBeGreaterThan(0);
  });

  test("returns what the build returns and puts the formatter back", () => {
    const before = Error.prepareStackTrace;
    expect(withoutCreationStacks(() => 42)).toBe(42);
    expect(Error.prepareStackTrace).toBe(before);
  });

  test("an error thrown inside keeps its stack, and the formatter is put back", () => {
    const before = Error.prepareStackTrace;
    let thrown: Error | undefined;
    try {
      withoutCreationStacks(() => {
        throw new Error("bad input");
      });
    } catch (e) {
      thrown = e as Error;
    }
    expect(Error.prepareStackTrace).toBe(before);
    expect(thrown?.stack).toContain("bad input");
    expect(thrown?.stack).toContain("creation-stacks.test");
  });
});
