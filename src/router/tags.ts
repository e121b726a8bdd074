// The router's tags as its resources carry them. A plain object (tag key -> a reference to the
// value in the settings local), not one reference to the whole map: the value text still travels
// in the local (escaped there, so it reaches AWS as written), and a tagging Aspect that spreads
// `tagsInput` (cdktf's documented pattern) sees the tags and adds its own. A whole-map token
// stays one reference: its keys are known only to Terraform.
import { Fn } from "cdktf";
import { escapeTemplate, expression } from "../core/expressions";
import { isToken } from "../core/validate";

export type Tags = { [key: string]: string };

/** What the settings local holds of the tags: the values in key order, or the whole-map token. */
export function tagSettings(tags: Tags | undefined): { tag_values: string[] } | { tags: Tags } {
  return isToken(tags) ? { tags: tags! } : { tag_values: Object.values(tags ?? {}) };
}

/** The tags of a router resource: `{ "<key>" = local.<settings>.tag_values[<i>] }`, or the token's reference. */
export function tagReferences(settings: string, tags: Tags | undefined): Tags {
  if (isToken(tags)) return expression(`${settings}.tags`);
  return Object.fromEntries(Object.keys(tags ?? {}).map((k, i) => [escapeTemplate(k), expression(`${settings}.tag_values[${i}]`)]));
}

/** The tags with a `Name` of the library's (it wins over a user's `Name` tag). */
export function withName(tags: Tags, name: string): Tags {
  if (isToken(tags)) return Fn.merge([tags, { Name: name }]) as any;
  return { ...tags, Name: isToken(name) ? name : escapeTemplate(name) };
}
