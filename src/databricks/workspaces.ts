// The workspaces an NCC binds: ids as numbers (`workspaceIds`, safe integers only) or exactly as
// strings (`workspaceIdStrings`, for ids above 2^53 that a JavaScript number cannot hold),
// validated, compared as decimal text, and keyed for the bindings' `for_each`.
import { IConstruct } from "constructs";
import { ValidationError } from "../core/errors";
import { keyedList } from "../core/expressions";
import { isToken, show } from "../core/validate";
import { DATABRICKS_LIMITS } from "./limits";

const WORKSPACE_ID = /^[1-9]\d{0,18}$/;

/** The literal workspace ids of both props, as decimal text (tokens left out). */
export function literalWorkspaceIds(numbers: number[] | undefined, strings: string[] | undefined): string[] {
  const literal = <T>(list: T[] | undefined) => (list === undefined || isToken(list) ? [] : list.filter((w) => !isToken(w)));
  return [...literal(numbers).map((w) => String(w)), ...literal(strings)];
}

/** Checks both workspace id props; throws ValidationError. */
export function validateWorkspaceIds(scope: IConstruct, numbers: number[] | undefined, strings: string[] | undefined): void {
  const nums = numbers === undefined || isToken(numbers) ? [] : numbers;
  if (numbers !== undefined && !isToken(numbers) && !Array.isArray(numbers)) {
    throw new ValidationError(`\`workspaceIds\` must be a list of workspace ids (got ${show(numbers)}); e.g. [1234567890123456]`, scope);
  }
  nums.forEach((w, i) => {
    if (isToken(w)) return;
    if (typeof w === "string") {
      throw new ValidationError(`\`workspaceIds[${i}]\` must be a number, not a string (got ${show(w)}); write it without quotes, or ` +
        `list it in \`workspaceIdStrings\` to pass it exactly as text`, scope);
    }
    if (typeof w === "number" && Number.isInteger(w) && w > 0 && !Number.isSafeInteger(w)) {
      throw new ValidationError(
        `\`workspaceIds[${i}]\` is ${BigInt(w)} once JavaScript has read it, above 2^53 - 1 (${Number.MAX_SAFE_INTEGER}), where a ` +
        `number cannot hold every integer: it may not be the id you wrote; list the id as a string in \`workspaceIdStrings\` (e.g. ` +
        `["9876543210123457"]), which reaches Terraform exactly`, scope);
    }
    if (typeof w !== "number" || !Number.isSafeInteger(w) || w <= 0) {
      throw new ValidationError(`\`workspaceIds[${i}]\` must be a positive whole number, the workspace id (got ${show(w)}); copy it ` +
        `from the workspace URL (?o=<id>)`, scope);
    }
  });
  const strs = strings === undefined || isToken(strings) ? [] : strings;
  if (strings !== undefined && !isToken(strings) && !Array.isArray(strings)) {
    throw new ValidationError(
      `\`workspaceIdStrings\` must be a list of workspace ids as strings (got ${show(strings)}); e.g. ["9876543210123457"]`, scope);
  }
  strs.forEach((w, i) => {
    if (!isToken(w) && (typeof w !== "string" || !WORKSPACE_ID.test(w))) {
      throw new ValidationError(`\`workspaceIdStrings[${i}]\` must be a workspace id: 1-19 digits, no leading zero (got ${show(w)}); ` +
        `copy it from the workspace URL (?o=<id>)`, scope);
    }
  });
  const all = literalWorkspaceIds(numbers, strings);
  const props = strs.length === 0 ? "`workspaceIds` lists" : nums.length === 0 ? "`workspaceIdStrings` lists" :
    "`workspaceIds` and `workspaceIdStrings` list";
  if (nums.length + strs.length > DATABRICKS_LIMITS.workspacesPerNcc) {
    throw new ValidationError(`${props} ${nums.length + strs.length} workspaces; an NCC serves at ` +
      `most ${DATABRICKS_LIMITS.workspacesPerNcc}: split them across two NCCs`, scope);
  }
  const twice = all.find((w, i) => all.indexOf(w) !== i);
  if (twice !== undefined) throw new ValidationError(`${props} ${twice} twice; list each workspace once`, scope);
}

/**
 * The NCC settings' workspace fields: each list keyed for `for_each` (a literal id by itself, a
 * token by its position), so an id from a workspace made in the same apply never makes a key unknown.
 */
export function workspaceSettings(numbers: number[] | undefined, strings: string[] | undefined): { [field: string]: unknown } {
  return { workspace_ids: keyedList(numbers ?? []), workspace_id_strings: keyedList(strings ?? []) };
}
