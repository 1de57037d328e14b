import { ENVIRONMENTS } from "../../config/environments";
import { loadEnvironment } from "../../config/load";
import { ConfigError } from "../../config/validate";
import { EnvironmentConfig } from "../../config/types";
import { lifecycleHooksOf } from "../../stacks/sample-app-stack";
import { readAppDrainSeconds } from "../../stacks/app-drain";

const dev = ENVIRONMENTS.dev;

function problemsOf(change: Partial<EnvironmentConfig>): string {
  try {
    loadEnvironment("dev", { environments: { ...ENVIRONMENTS, dev: { ...dev, ...change } }, env: {} });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("expected the configuration to be rejected");
}

describe("environment configuration: warmPool and lifecycleHooks", () => {
  it("accepts a warm pool and both hooks", () => {
    const warmPool = { state: "Hibernated" as const, minSize: 1, maxPreparedCapacity: dev.capacity.max, reuseOnScaleIn: true };
    const lifecycleHooks = { terminating: { heartbeatTimeoutSeconds: 120 }, launching: { heartbeatTimeoutSeconds: 600, defaultResult: "CONTINUE" as const } };
    const config = loadEnvironment("dev", { environments: { ...ENVIRONMENTS, dev: { ...dev, warmPool, lifecycleHooks } }, env: {} }).config;
    expect(config.warmPool).toEqual(warmPool);
    expect(config.lifecycleHooks).toEqual(lifecycleHooks);
  });

  it.each<[string, Partial<EnvironmentConfig>, string]>([
    ["a warm pool min size above capacity.max", { warmPool: { minSize: dev.capacity.max + 1 } }, `warmPool.minSize = ${dev.capacity.max + 1}: must be at most capacity.max (${dev.capacity.max}): a warm pool larger than that holds instances the group can never take in`],
    ["a max prepared capacity above capacity.max", { warmPool: { maxPreparedCapacity: 50 } }, `warmPool.maxPreparedCapacity = 50: must be at most capacity.max (${dev.capacity.max})`],
    ["Hibernated with a type that cannot hibernate", { instanceType: "c5a.large", warmPool: { state: "Hibernated" } }, 'warmPool.state = "Hibernated": must not be "Hibernated" with instance type c5a.large, which cannot hibernate'],
    ["Hibernated with more RAM than the 16 GiB root volume holds", { instanceType: "t3.xlarge", warmPool: { state: "Hibernated" } }, 'warmPool.state = "Hibernated": must not be "Hibernated" with instance type t3.xlarge on a 16 GiB root volume'],
    ["an unknown pool state", { warmPool: { state: "Frozen" as never } }, 'warmPool.state = "Frozen": must be one of "Stopped", "Hibernated", "Running"'],
    [
      "a warm pool with mixed instances",
      { warmPool: {}, mixedInstances: { instanceTypes: [{ instanceType: "t3.small" }, { instanceType: "t3a.small" }] } },
      "warmPool = {}: must not be set together with mixedInstances: AWS refuses a warm pool on a group with a mixed instances policy or Spot instances; remove one of warmPool and mixedInstances",
    ],
    ["a misspelled warm pool key", { warmPool: { minsize: 1 } as never }, "warmPool.minsize"],
    ["a terminating timeout below 30 s", { lifecycleHooks: { terminating: { heartbeatTimeoutSeconds: 10 } } }, "lifecycleHooks.terminating.heartbeatTimeoutSeconds = 10: must be from 30 to 7200"],
    ["a terminating timeout above 7200 s", { lifecycleHooks: { terminating: { heartbeatTimeoutSeconds: 9000 } } }, "lifecycleHooks.terminating.heartbeatTimeoutSeconds = 9000: must be from 30 to 7200"],
    [
      "a terminating timeout shorter than the deregistration delay",
      { deregistrationDelaySeconds: 300, lifecycleHooks: { terminating: { heartbeatTimeoutSeconds: 60 } } },
      "lifecycleHooks.terminating.heartbeatTimeoutSeconds = 60: must be at least deregistrationDelaySeconds (300)",
    ],
    ["a terminating timeout on a disabled hook", { lifecycleHooks: { terminating: { enabled: false, heartbeatTimeoutSeconds: 60 } } }, "lifecycleHooks.terminating.heartbeatTimeoutSeconds = 60: must not be set with enabled: false"],
    ["a launching hook with an unknown result", { lifecycleHooks: { launching: { defaultResult: "WAIT" as never } } }, 'lifecycleHooks.launching.defaultResult = "WAIT": must be "CONTINUE" or "ABANDON"'],
    ["a launching notification target without a role", { lifecycleHooks: { launching: { notificationTargetArn: "arn:aws:sqs:us-east-1:123456789012:q" } } }, "lifecycleHooks.launching.roleArn"],
  ])("rejects %s, naming the key", (_case, change, message) => {
    expect(problemsOf(change)).toContain(message);
  });

  it("names both keys when a warm pool meets mixed instances", () => {
    const text = problemsOf({ warmPool: { minSize: 1 }, mixedInstances: { instanceTypes: [{ instanceType: "t3.small" }] } });
    expect(text).toMatch(/warmPool = .*must not be set together with mixedInstances/);
  });
});

describe("the stack's lifecycle hooks (lifecycleHooksOf)", () => {
  it("has none without lifecycleHooks", () => {
    expect(lifecycleHooksOf(dev, 15)).toBeUndefined();
  });

  it("derives the terminating timeout from the deregistration delay and the app's drain time", () => {
    expect(lifecycleHooksOf({ ...dev, deregistrationDelaySeconds: 90, lifecycleHooks: {} }, 15)).toEqual({ terminating: { heartbeatTimeoutSeconds: 105 }, launching: undefined });
    // The load balancer's default delay (30 s) when none is configured; AWS's floor of 30 s.
    expect(lifecycleHooksOf({ ...dev, deregistrationDelaySeconds: undefined, lifecycleHooks: {} }, 15)?.terminating).toEqual({ heartbeatTimeoutSeconds: 45 });
    expect(lifecycleHooksOf({ ...dev, deregistrationDelaySeconds: 0, lifecycleHooks: {} }, 5)?.terminating).toEqual({ heartbeatTimeoutSeconds: 30 });
  });

  it("takes an explicit timeout, or no terminating hook at all", () => {
    expect(lifecycleHooksOf({ ...dev, lifecycleHooks: { terminating: { heartbeatTimeoutSeconds: 300 } } }, 15)?.terminating).toEqual({ heartbeatTimeoutSeconds: 300 });
    expect(lifecycleHooksOf({ ...dev, lifecycleHooks: { terminating: { enabled: false }, launching: {} } }, 15)).toEqual({ terminating: undefined, launching: {} });
  });

  it("reads the app's drain time from PM2's kill_timeout in app/app.config.js", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const killTimeout = require("../../app/app.config.js").apps[0].kill_timeout as number;
    expect(readAppDrainSeconds()).toBe(Math.ceil(killTimeout / 1000));
  });
});
