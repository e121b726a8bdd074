// An in-memory model of the part of the ELBv2 API the IP sync handler uses, shared by the
// injected fake client (`send(command)`) and the local HTTP fake of the Query API.

export interface FakeTarget { ip: string; port: number; az?: string; state: string; reason?: string; description?: string }
export interface FakeGroup { targets: FakeTarget[]; tags: Map<string, string> }
export interface Call { action: string; input: any }

export const WRITES = ["RegisterTargets", "DeregisterTargets", "AddTags", "RemoveTags"];
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;

export function apiError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name });
}

export class FakeElb {
  readonly groups = new Map<string, FakeGroup>();
  readonly calls: Call[] = [];
  /** "<action> <arn>" (or "<action> *") -> the error that call throws. */
  readonly failures = new Map<string, Error>();

  group(arn: string, targets: Array<Partial<FakeTarget> & { ip: string }> = [], tags: Record<string, string> = {}): this {
    this.groups.set(arn, { targets: targets.map((t) => ({ port: 5432, state: "healthy", az: "all", ...t })), tags: new Map(Object.entries(tags)) });
    return this;
  }

  /** The injected-client entry point: `RegisterTargetsCommand` -> `RegisterTargets`. */
  async send(command: { constructor: { name: string }; input: any }): Promise<any> {
    return this.call(command.constructor.name.replace(/Command$/, ""), command.input);
  }

  call(action: string, input: any): any {
    this.calls.push({ action, input });
    const arns: string[] = input.TargetGroupArn ? [input.TargetGroupArn] : (input.ResourceArns ?? []);
    for (const key of [`${action} *`, ...arns.map((a) => `${action} ${a}`)]) {
      const failure = this.failures.get(key);
      if (failure) throw failure;
    }
    const groups = arns.map((arn) => this.groups.get(arn) ?? (() => { throw apiError("TargetGroupNotFoundException", `One or more target groups not found: ${arn}`); })());
    switch (action) {
      case "DescribeTargetHealth":
        return { TargetHealthDescriptions:
          groups[0].targets.map((t) => ({
            Target: { Id: t.ip, Port: t.port, AvailabilityZone: t.az },
            TargetHealth: { State: t.state, Reason: t.reason, Description: t.description },
          })) };
      case "DescribeTags":
        return { TagDescriptions:
          arns.map((arn, i) => ({ ResourceArn: arn, Tags: [...groups[i].tags].map(([Key, Value]) => ({ Key, Value })) })) };
      case "RegisterTargets":
        for (const t of input.Targets) {
          groups[0].targets = groups[0].targets.filter((x) => !(x.ip === t.Id && x.port === t.Port));
          groups[0].targets.push({ ip: t.Id, port: t.Port, az: t.AvailabilityZone, state: "initial" });
        }
        return {};
      case "DeregisterTargets":
        for (const t of input.Targets) {
          const found = groups[0].targets.find((x) => x.ip === t.Id && x.port === t.Port);
          if (!found) throw apiError("InvalidTargetException", `The target ${t.Id}:${t.Port} is not registered`);
          found.state = "draining";
        }
        return {};
      case "AddTags":
        for (const { Key, Value } of input.Tags) {
          if (!TAG_VALUE.test(Value)) throw apiError("ValidationError", `Tag value ${JSON.stringify(Value)} is not valid`);
          groups.forEach((g) => g.tags.set(Key, Value));
        }
        return {};
      case "RemoveTags":
        groups.forEach((g) => input.TagKeys.forEach((k: string) => g.tags.delete(k)));
        return {};
      default:
        throw apiError("InvalidAction", `Unsupported action ${action}`);
    }
  }

  /** Draining targets finish draining and leave the group. */
  drain(): void {
    for (const g of this.groups.values()) g.targets = g.targets.filter((t) => t.state !== "draining");
  }

  writes(): Call[] {
    return this.calls.filter((c) => WRITES.includes(c.action));
  }

  /** The IPs registered (not draining) in a group, sorted. */
  ips(arn: string): string[] {
    return this.groups.get(arn)!.targets.filter((t) => t.state !== "draining").map((t) => t.ip).sort();
  }

  tag(arn: string, key: string): string | undefined {
    return this.groups.get(arn)!.tags.get(key);
  }
}
