// Finding the providers a construct's resources use: the stack's default of a type, or the one given.
import { TerraformProvider, TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import { DnsProviderBlock } from "./dns";
import { ValidationError } from "./errors";

/** The stack's default (alias-less) provider of a Terraform type (`aws`, `dns`, `databricks`), if any. */
export function findDefaultProvider(stack: TerraformStack, type: string): TerraformProvider | undefined {
  return stack.node.children.find((c): c is TerraformProvider =>
    c instanceof TerraformProvider && c.terraformResourceType === type && c.alias === undefined);
}

/** Throws ValidationError unless `given` is set or the stack has a default aws provider. */
export function requireAwsProvider(scope: IConstruct, given: TerraformProvider | undefined, prop = "awsProvider"): void {
  if (given) {
    requireProviderType(scope, prop, given, "aws");
    return;
  }
  const stack = TerraformStack.of(scope);
  if (!findDefaultProvider(stack, "aws")) {
    throw new ValidationError(`no aws provider: the stack ${stack.node.id} declares no default AWS provider, and \`awsProvider\` is not ` +
      `set; declare \`new AwsProvider(stack, "aws", { region })\` before the router, or pass \`awsProvider\``, scope);
  }
}

/** Throws ValidationError unless `provider` is a provider of Terraform type `type` (an AwsProvider for "aws"). */
export function requireProviderType(scope: IConstruct, prop: string, provider: TerraformProvider, type: string): void {
  if (!(provider instanceof TerraformProvider)) {
    throw new ValidationError(`\`${prop}\` must be ${article(type)} provider construct (got ${String(provider)}); pass the provider ` +
      `object, e.g. new ${type === "aws" ? "AwsProvider" : "DatabricksProvider"}(stack, "${type}", {...})`, scope);
  }
  if (provider.terraformResourceType !== type) {
    throw new ValidationError(
      `\`${prop}\` must be ${article(type)} provider, but ${provider.node.path} is ${article(provider.terraformResourceType)} provider; ` +
      `pass ${type === "aws" ? "an AwsProvider" : "a DatabricksProvider"}`, scope);
  }
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** The dns provider of lookups: `given`, else the stack's (created if absent, and left implicit: undefined). */
export function dnsProviderFor(scope: IConstruct, given: TerraformProvider | undefined): TerraformProvider | undefined {
  if (given) return given;
  const stack = TerraformStack.of(scope);
  if (!findDefaultProvider(stack, "dns")) new DnsProviderBlock(stack, "dns");
  return undefined;
}

/** The literal region of an aws provider (`given`, else the stack's default), when it has one. */
export function awsRegionOf(scope: IConstruct, given: TerraformProvider | undefined): string | undefined {
  const provider = given ?? findDefaultProvider(TerraformStack.of(scope), "aws");
  return (provider as { region?: string } | undefined)?.region;
}
