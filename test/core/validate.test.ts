import { Testing } from "cdktf";
import { Construct } from "constructs";
import { isPrivateIpv4, parseIpv4, show, validateCidr, validateOneOf, validateRange } from "../../src/core/validate";

const scope = new Construct(Testing.app(), "Scope");

test.each([
  ["10.0.0.1", 167772161],
  ["255.255.255.255", 4294967295],
  ["256.0.0.1", undefined],
  ["1.2.3", undefined],
  ["01.2.3.4", undefined],
])("parseIpv4(%p) = %p", (ip, n) => {
  expect(parseIpv4(ip)).toBe(n);
});

test.each([
  ["10.0.0.0", true],
  ["9.255.255.255", false],
  ["100.64.0.0", true],
  ["8.8.8.8", false],
])("isPrivateIpv4(%p) = %p", (ip, ok) => {
  expect(isPrivateIpv4(ip)).toBe(ok);
});

test("validateRange names the property, the value and the range", () => {
  expect(() => validateRange(scope, "x", 11, 1, 10)).toThrow("Scope: `x` must be a whole number from 1 to 10 (got 11); use a value from 1 to 10");
});

test("validateOneOf lists the choices", () => {
  expect(() => validateOneOf(scope, "p", "X", ["A", "B"])).toThrow("Scope: `p` must be one of A, B (got \"X\"); use one of those values");
});

test("validateCidr refuses /0 even when written another way", () => {
  expect(() => validateCidr(scope, "c", "0.0.0.0/0", false)).toThrow(/must not be 0.0.0.0\/0/);
  expect(() => validateCidr(scope, "c", "10.0.0.0/0", false)).toThrow(/host bits set|must not be/);
});

test("show renders strings quoted and other values as JSON", () => {
  expect(show("a")).toBe('"a"');
  expect(show([1])).toBe("[1]");
  expect(show(undefined)).toBe("undefined");
});
