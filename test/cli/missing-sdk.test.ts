// Without the AWS SDK clients installed, `status` stops with the install to run (exit 2 in main.ts).
import { UsageError } from "../../src/cli/errors";
import { liveClients, SDK_INSTALL } from "../../src/cli/live-clients";

jest.mock("@aws-sdk/client-elastic-load-balancing-v2", () => {
  throw Object.assign(new Error("Cannot find module '@aws-sdk/client-elastic-load-balancing-v2'"), { code: "MODULE_NOT_FOUND" });
});

test("a missing SDK client is a usage error naming the npm install", async () => {
  const live = liveClients({});
  const error = await live.targetHealth("arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/x/1").catch((e) => e);
  expect(error).toBeInstanceOf(UsageError);
  expect(error.message).toBe(`status needs the AWS SDK client @aws-sdk/client-elastic-load-balancing-v2, which the construct package ` +
    `does not install: run \`${SDK_INSTALL}\` in the app`);
});
