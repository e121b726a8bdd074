// AWS names: sanitized text with a short stable hash, cut to fit a length limit (a name of
// `part1-part2-hash6`, 32 characters for load balancers and target groups by default).
// Named imports: `import * as` would copy every export of the module when it loads.
import { createHash, hash } from "crypto";

/** A short, stable hex digest of its inputs (sha256, first `length` characters). */
export function shortHash(input: string, length = 6): string {
  // Node's one-shot digest (20.12 and later) is about 3x faster than a Hash object for short text.
  const hex = typeof hash === "function" ? hash("sha256", input, "hex") : createHash("sha256").update(input).digest("hex");
  return hex.slice(0, length);
}

const SANITIZED = /^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$/;

/** Turns any text into `[A-Za-z0-9-]` with single hyphens and none at either end. */
export function sanitize(text: string): string {
  if (SANITIZED.test(text)) return text; // most names already are: one test instead of three replacements
  return text
    .replace(/[^A-Za-z0-9-]+/g, "-")
    .replace(/-+/g, "-")
    .replace(/^-|-$/g, "");
}

/**
 * The readable part of a `part1-part2-hash6` name: the parts sanitized and joined, cut so that
 * a hyphen and a 6-character hash still fit in `maxLength`.
 */
export function readablePart(parts: string[], maxLength = 32): string {
  const body = sanitize(parts.map(sanitize).filter((p) => p.length > 0).join("-"));
  return sanitize(body.slice(0, maxLength - 7));
}

/**
 * Builds `part1-part2-hash6` within `maxLength` characters of `[A-Za-z0-9-]`, with no
 * leading or trailing hyphen: the parts are sanitized and cut from the end to make room
 * for the hash, which is computed from `hashInput` (so two names whose readable parts
 * were cut to the same text still differ). The same inputs always give the same name.
 */
export function uniqueName(parts: string[], hashInput: string, maxLength = 32): string {
  return withHash(readablePart(parts, maxLength), shortHash(hashInput));
}

/** `readable-hash`, or the hash alone when nothing readable is left. */
export function withHash(readable: string, hash: string): string {
  return readable.length > 0 ? `${readable}-${hash}` : hash;
}
