import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ENVIRONMENTS } from "../../config/environments";
import { loadEnvironment, loadEnvironments, loadStacks } from "../../config/load";
import { ConfigError } from "../../config/validate";
import { EnvironmentConfig } from "../../config/types";

const dev = ENVIRONMENTS.dev;

/** Loads one environment built from dev plus `change`, and returns the error text. */
function problemsOf(change: Partial<EnvironmentConfig>, env: NodeJS.ProcessEnv = {}): string {
  try {
    loadEnvironment("dev", { environments: { ...ENVIRONMENTS, dev: { ...dev, ...change } }, env });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("expected the configuration to be rejected");
}

describe("environment configuration", () => {
  it("ships dev, stage, prod and local, all valid", () => {
    expect(loadEnvironments({ env: {} }).map((environment) => environment.name)).toEqual(["dev", "stage", "prod", "local"]);
  });

  it("accepts mixed instances with Spot above an On-Demand base, also in production", () => {
    const mixedInstances = {
      instanceTypes: [{ instanceType: "t3.small", weightedCapacity: 1 }, { instanceType: "t3a.medium", weightedCapacity: 2 }],
      onDemandBaseCapacity: 1,
      onDemandPercentageAboveBaseCapacity: 50,
      spotAllocationStrategy: "capacity-optimized" as const,
      capacityRebalance: true,
    };
    const environments = { ...ENVIRONMENTS, dev: { ...dev, mixedInstances }, prod: { ...ENVIRONMENTS.prod, mixedInstances } };
    expect(loadEnvironment("dev", { environments, env: {} }).config.mixedInstances).toEqual(mixedInstances);
    expect(loadEnvironment("prod", { environments, env: {} }).config.mixedInstances).toEqual(mixedInstances);
  });

  it("accepts request-count scaling and scheduled actions, keyed by name, also in production", () => {
    const requestCountTargetTracking = { targetRequestsPerTarget: 1000 };
    const scheduledActions = {
      "weekday-morning": { recurrence: "0 8 * * MON-FRI", timeZone: "Europe/Berlin", min: 2, desired: 3 },
      "weekday-evening": { recurrence: "0 19 * * 1-5", timeZone: "Europe/Berlin", min: 1 },
    };
    const environments = { ...ENVIRONMENTS, dev: { ...dev, requestCountTargetTracking, scheduledActions } };
    const config = loadEnvironment("dev", { environments, env: {} }).config;
    expect(config.requestCountTargetTracking).toEqual(requestCountTargetTracking);
    expect(config.scheduledActions).toEqual(scheduledActions);
  });

  it("keeps every shipped environment On-Demand (no mixedInstances): production defaults run no Spot", () => {
    expect(Object.values(ENVIRONMENTS).map((config) => config.mixedInstances)).toEqual([undefined, undefined, undefined, undefined]);
  });

  // Each case names the environment, the field, the value and what is allowed.
  it.each<[string, Partial<EnvironmentConfig>, string]>([
    ["min > max", { capacity: { min: 4, max: 3, desired: 3 } }, 'environment "dev": capacity.min = 4: must not be greater than max (3)'],
    ["desired below min", { capacity: { min: 2, max: 4, desired: 1 } }, 'environment "dev": capacity.desired = 1: must be within [min, max] = [2, 4]'],
    ["desired above max", { capacity: { min: 2, max: 4, desired: 5 } }, 'environment "dev": capacity.desired = 5: must be within [min, max] = [2, 4]'],
    ["min healthy above 100", { instanceRefresh: { minHealthyPercentage: 110 } }, 'environment "dev": instanceRefresh.minHealthyPercentage = 110: must be from 0 to 100'],
    ["min healthy below 0", { instanceRefresh: { minHealthyPercentage: -1 } }, 'environment "dev": instanceRefresh.minHealthyPercentage = -1: must be from 0 to 100'],
    ["max healthy below 100", { instanceRefresh: { maxHealthyPercentage: 90 } }, 'environment "dev": instanceRefresh.maxHealthyPercentage = 90: must be from 100 to 200'],
    ["max healthy above 200", { instanceRefresh: { maxHealthyPercentage: 250 } }, 'environment "dev": instanceRefresh.maxHealthyPercentage = 250: must be from 100 to 200'],
    [
      "max minus min healthy over 100",
      { instanceRefresh: { minHealthyPercentage: 40, maxHealthyPercentage: 150 } },
      'environment "dev": instanceRefresh.maxHealthyPercentage = 150: minus minHealthyPercentage (40) must be at most 100',
    ],
    ["fewer than 2 AZs", { azCount: 1 }, 'environment "dev": azCount = 1: must be from 2 to 16'],
    ["a malformed VPC CIDR", { vpcCidr: "10.10.0.0/33" }, 'environment "dev": vpcCidr = "10.10.0.0/33": has a prefix length above 32'],
    ["a VPC CIDR with host bits", { vpcCidr: "10.10.1.0/16" }, 'environment "dev": vpcCidr = "10.10.1.0/16": has host bits set (the network address is 10.10.0.0/16)'],
    ["a malformed allowed CIDR", { allowedCidrs: ["0.0.0.0/0", "10.0.0.1"] }, 'environment "dev": allowedCidrs = ["0.0.0.0/0","10.0.0.1"]: entry "10.0.0.1" must be an IPv4 CIDR block'],
    ["a repeated allowed CIDR", { allowedCidrs: ["0.0.0.0/0", "0.0.0.0/0"] }, "must not repeat a CIDR"],
    [
      "subnets that do not fit the VPC",
      { vpcCidr: "10.10.0.0/24", azCount: 3, subnetPrefixLength: 26 },
      'environment "dev": subnetPrefixLength = 26: 3 public and 3 private /26 subnets do not fit in 10.10.0.0/24 (room for 2 of each)',
    ],
    ["a port above 65535", { appPort: 65536 }, 'environment "dev": appPort = 65536: must be from 1 to 65535'],
    ["a port of 0", { appPort: 0 }, 'environment "dev": appPort = 0: must be from 1 to 65535'],
    ["a health check path without /", { healthCheck: { path: "health" } }, 'environment "dev": healthCheck.path = "health": must start with "/"'],
    [
      "a timeout not below the interval",
      { healthCheck: { path: "/health", intervalSeconds: 10, timeoutSeconds: 10 } },
      'environment "dev": healthCheck.timeoutSeconds = 10: must be below intervalSeconds (10)',
    ],
    ["a malformed AMI id", { image: { kind: "ami", amiId: "ami-12345" } }, 'environment "dev": image.amiId = "ami-12345": must be an AMI id'],
    ["an unknown image kind", { image: { kind: "docker" } as never }, 'environment "dev": image.kind = "docker": must be one of "ami", "packer-manifest", "lookup"'],
    ["an unknown NAT mode", { natMode: "double" as never }, 'environment "dev": natMode = "double": must be one of "none", "single", "per-az"'],
    ["a malformed region", { region: "useast1" }, 'environment "dev": region = "useast1": must be an AWS region'],
    ["a malformed certificate ARN", { certificateArn: "cert" }, 'environment "dev": certificateArn = "cert": must be an ACM certificate ARN'],
    ["a malformed instance type", { instanceType: "big" }, 'environment "dev": instanceType = "big": must be an EC2 instance type'],
    ["a bad S3 bucket name", { s3Backend: { bucket: "My_Bucket" } }, 'environment "dev": s3Backend.bucket = "My_Bucket": must be an S3 bucket name'],
    ["an emulator off loopback", { emulator: { endpoint: "http://10.0.0.5:5000" } }, 'environment "dev": emulator.endpoint = "http://10.0.0.5:5000": must point at a loopback address'],
    ["a lookup without owners", { image: { kind: "lookup", namePattern: "x-*", owners: [] } }, 'environment "dev": image.owners = []: must list at least one owner'],
    ["a VPC overlapping another environment's", { vpcCidr: "10.20.0.0/16" }, 'environment "dev": vpcCidr = "10.20.0.0/16": overlaps environment "stage" (10.20.0.0/16)'],
    [
      "checkpoints that stop short of 100",
      { instanceRefresh: { checkpoints: { percentages: [50] } } },
      'environment "dev": instanceRefresh.checkpoints.percentages = [50]: must end with 100, or the refresh stops before replacing every instance',
    ],
    [
      "a negative checkpoint delay",
      { instanceRefresh: { checkpoints: { percentages: [50, 100], delaySeconds: -1 } } },
      'environment "dev": instanceRefresh.checkpoints.delaySeconds = -1: must be from 0 to 172800',
    ],
    [
      "a 5xx period that is not whole minutes",
      { rolloutAlarms: { target5xx: { periodSeconds: 90 } } },
      'environment "dev": rolloutAlarms.target5xx.periodSeconds = 90: must be a multiple of 60 (ALB metrics are per minute)',
    ],
    ["a 5xx threshold of 0", { rolloutAlarms: { target5xx: { threshold: 0 } } }, 'environment "dev": rolloutAlarms.target5xx.threshold = 0: must be from 1 to 1000000'],
    [
      "11 evaluation periods",
      { rolloutAlarms: { unhealthyHosts: { evaluationPeriods: 11 } } },
      'environment "dev": rolloutAlarms.unhealthyHosts.evaluationPeriods = 11: must be from 1 to 10',
    ],
    ["a non-boolean enabled", { rolloutAlarms: { enabled: "yes" as never } }, 'environment "dev": rolloutAlarms.enabled = "yes": must be true or false'],
    [
      "more alarms than AWS watches",
      { instanceRefresh: { alarmNames: ["a", "b", "c", "d", "e", "f", "g", "h", "i"] } },
      'environment "dev": instanceRefresh.alarmNames = ["a","b","c","d","e","f","g","h","i"]: must list at most 8 alarms: AWS watches at most 10, and the rollout alarms take 2',
    ],
  ])("rejects %s", (_case, change, message) => {
    expect(problemsOf(change)).toContain(message);
  });

  // The synth path does not type-check (esbuild), so the schema is what catches these.
  it.each<[string, Record<string, unknown>, string]>([
    ["a misspelled top-level field", { instnceType: "t3.large" }, 'environment "dev": instnceType = "t3.large": unknown field; did you mean "instanceType"?'],
    ["a misspelled health check key", { healthCheck: { path: "/health", intervalSecond: 5 } }, 'environment "dev": healthCheck.intervalSecond = 5: unknown field; did you mean "intervalSeconds"?'],
    [
      "a misspelled instance refresh key",
      { instanceRefresh: { minHealthyPercent: 50 } },
      'environment "dev": instanceRefresh.minHealthyPercent = 50: unknown field; did you mean "minHealthyPercentage"?',
    ],
    [
      "a misspelled key inside a list item",
      { policy: { suppressions: [{ rule: "SA-005", resource: "load-balancer/security-group", reasn: "x" }] } },
      'environment "dev": policy.suppressions.0.reasn = "x": unknown field; did you mean "reason"?',
    ],
    ["a key in the wrong case", { AppPort: 8080 }, 'environment "dev": AppPort = 8080: unknown field; did you mean "appPort"?'],
    [
      "a key nothing resembles",
      { cpuTargetTracking: { colour: "blue" } },
      'environment "dev": cpuTargetTracking.colour = "blue": unknown field; allowed fields: enabled, targetUtilizationPercent',
    ],
    ["a key of another image kind", { image: { kind: "ami", amiId: "ami-0123456789abcdef0", owners: ["self"] } }, 'environment "dev": image.owners = ["self"]: unknown field; allowed fields: kind, amiId'],
    ["the string \"false\" for a boolean", { deletionProtection: "false" }, 'environment "dev": deletionProtection = "false": must be true or false, not a string'],
    ["a string for a number", { azCount: "2" }, 'environment "dev": azCount = "2": must be a number, not a string (allowed: 2 (an ALB needs two)'],
    ["a number for a string", { instanceType: 3 }, 'environment "dev": instanceType = 3: must be a string, not a number'],
    ["a string for a list", { allowedCidrs: "0.0.0.0/0" }, 'environment "dev": allowedCidrs = "0.0.0.0/0": must be a list, not a string'],
    ["a string for an object", { capacity: "2" }, 'environment "dev": capacity = "2": must be an object, not a string'],
    ["a fractional count", { capacity: { min: 1, max: 3, desired: 1.5 } }, 'environment "dev": capacity.desired = 1.5: must be a whole number from 0 to 10000'],
    ["a string for a nested boolean", { instanceRefresh: { autoRollback: "true" } }, 'environment "dev": instanceRefresh.autoRollback = "true": must be true or false, not a string'],
    ["a backwards matcher range", { healthCheck: { path: "/health", matcher: "299-200" } }, 'environment "dev": healthCheck.matcher = "299-200": has the backwards range 299-200; write it low-high (200-299)'],
    ["a matcher outside 200-499", { healthCheck: { path: "/health", matcher: "500" } }, "must be HTTP codes from 200 to 499"],
    [
      "a default that conflicts with a set field",
      { healthCheck: { path: "/health", intervalSeconds: 5 } },
      'environment "dev": healthCheck.timeoutSeconds (not set; default 5): must be below intervalSeconds (5)',
    ],
    [
      "a CIDR spelled with leading zeros",
      { allowedCidrs: ["010.0.0.0/8", "10.0.0.0/8"] },
      'environment "dev": allowedCidrs = ["010.0.0.0/8","10.0.0.0/8"]: entry "010.0.0.0/8" must be written without leading zeros (10.0.0.0/8)',
    ],
    ["a state key prefix with a leading slash", { s3Backend: { bucket: "state-bucket", keyPrefix: "/team/app" } }, 'environment "dev": s3Backend.keyPrefix = "/team/app": must not start with /'],
    ["a state key prefix with a trailing slash", { s3Backend: { keyPrefix: "team/" } }, 'environment "dev": s3Backend.keyPrefix = "team/": must be a key prefix like team/sample-app'],
    ["a malformed state KMS key", { s3Backend: { kmsKeyId: "alias/state" } }, 'environment "dev": s3Backend.kmsKeyId = "alias/state": must be a KMS key ARN'],
    ["a misspelled backend field", { s3Backend: { bucket: "state-bucket", kmsKey: "x" } as never }, 'environment "dev": s3Backend.kmsKey = "x": unknown field; did you mean "kmsKeyId"?'],
    ["a region that does not exist", { region: "us-east-7" }, 'environment "dev": region = "us-east-7": must be an AWS region like "us-east-1"; did you mean "us-east-1"?'],
    ["a misspelled region", { region: "eu-wset-1" }, 'did you mean "eu-west-1"?'],
    [
      "more AZs than the region has",
      { region: "us-west-1", azCount: 3 },
      'environment "dev": azCount = 3: must be at most 2: us-west-1 has 2 availability zones (us-west-1a, us-west-1b)',
    ],
    ["an instance type that does not exist", { instanceType: "t3.huge" }, 'environment "dev": instanceType = "t3.huge": must be an EC2 instance type like "t3.micro"; t3.huge is not one'],
    ["a misspelled instance type", { instanceType: "t3.mirco" }, '(did you mean "t3.micro"?)'],
    ["an Arm-only instance type for an x86_64 image", { instanceType: "t4g.small" }, 'environment "dev": instanceType = "t4g.small": must run x86_64 (the images are built and looked up as x86_64); t4g.small is arm64 only'],
    [
      "a certificate from another region",
      { certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/1f2e3d4c-0000-4000-8000-123456789abc" },
      'environment "dev": certificateArn = "arn:aws:acm:eu-west-1:123456789012:certificate/1f2e3d4c-0000-4000-8000-123456789abc": must be an ACM certificate in the load balancer\'s region us-east-1, not eu-west-1: ACM certificates are regional',
    ],
    [
      "a state KMS key in another region than the bucket named by s3Backend.region",
      { s3Backend: { bucket: "team-state", region: "eu-west-1", kmsKeyId: "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab" } },
      'environment "dev": s3Backend.kmsKeyId = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab": must be a KMS key in the state bucket\'s region eu-west-1, not us-east-1: KMS keys are regional',
    ],
    ["a bucket name with two dots", { s3Backend: { bucket: "my..state" } }, 'environment "dev": s3Backend.bucket = "my..state": must not contain two adjacent dots'],
    ["a bucket name AWS reserves", { s3Backend: { bucket: "xn--state" } }, 's3Backend.bucket = "xn--state": must not start with "xn--" (reserved by AWS)'],
    ["a bucket name like an IP address", { s3Backend: { bucket: "192.168.1.10" } }, 's3Backend.bucket = "192.168.1.10": must not be formatted as an IP address'],
    ["a provider version of another major", { awsProviderVersion: "5.100.0" }, 'environment "dev": awsProviderVersion = "5.100.0": must be a 6.x version'],
    [
      "mixed instance types of two architectures",
      { mixedInstances: { instanceTypes: [{ instanceType: "t3.small" }, { instanceType: "m6g.large" }] } },
      'environment "dev": mixedInstances.instanceTypes = [{"instanceType":"t3.small"},{"instanceType":"m6g.large"}]: must all run x86_64, the image\'s architecture; m6g.large is arm64 only (t3.small x86_64, m6g.large arm64)',
    ],
    [
      "an Arm-only mixed instance type for an x86_64 image",
      { mixedInstances: { instanceTypes: [{ instanceType: "t4g.small" }, { instanceType: "t4g.medium" }] } },
      "mixedInstances.instanceTypes = [{\"instanceType\":\"t4g.small\"},{\"instanceType\":\"t4g.medium\"}]: must all run x86_64, the image's architecture; t4g.small is arm64 only",
    ],
    [
      "a mixed instance type weight of 0",
      { mixedInstances: { instanceTypes: [{ instanceType: "t3.small", weightedCapacity: 1 }, { instanceType: "t3.large", weightedCapacity: 0 }] } },
      'mixedInstances.instanceTypes = [{"instanceType":"t3.small","weightedCapacity":1},{"instanceType":"t3.large","weightedCapacity":0}]: entry 1 ("t3.large"): weightedCapacity must be from 1 to 999',
    ],
    [
      "a repeated mixed instance type",
      { mixedInstances: { instanceTypes: [{ instanceType: "t3.small" }, { instanceType: "t3.small" }] } },
      'must not repeat an instance type ("t3.small" is listed twice)',
    ],
    [
      "an On-Demand percentage above 100",
      { mixedInstances: { instanceTypes: [{ instanceType: "t3.small" }], onDemandPercentageAboveBaseCapacity: 150 } },
      'environment "dev": mixedInstances.onDemandPercentageAboveBaseCapacity = 150: must be from 0 to 100',
    ],
    [
      "an On-Demand percentage below 0",
      { mixedInstances: { instanceTypes: [{ instanceType: "t3.small" }], onDemandPercentageAboveBaseCapacity: -5 } },
      'environment "dev": mixedInstances.onDemandPercentageAboveBaseCapacity = -5: must be from 0 to 100',
    ],
    [
      "a negative On-Demand base",
      { mixedInstances: { instanceTypes: [{ instanceType: "t3.small" }], onDemandBaseCapacity: -1 } },
      'environment "dev": mixedInstances.onDemandBaseCapacity = -1: must be from 0 to 10000',
    ],
    [
      "an unknown Spot allocation strategy",
      { mixedInstances: { instanceTypes: [{ instanceType: "t3.small" }], spotAllocationStrategy: "cheapest" as never } },
      'environment "dev": mixedInstances.spotAllocationStrategy = "cheapest": must be one of "price-capacity-optimized", "capacity-optimized", "capacity-optimized-prioritized", "lowest-price"',
    ],
    [
      "request-count scaling on a fixed capacity",
      { capacity: { min: 2, max: 2, desired: 2 }, requestCountTargetTracking: { targetRequestsPerTarget: 500 } },
      'environment "dev": requestCountTargetTracking = {"targetRequestsPerTarget":500}: must not be set when capacity.min equals capacity.max (2): the group\'s size is fixed, so requestCountTargetTracking could never change it; raise capacity.max or drop requestCountTargetTracking',
    ],
    [
      "scheduled actions on a fixed capacity",
      { capacity: { min: 2, max: 2, desired: 2 }, scheduledActions: { morning: { recurrence: "0 8 * * 1-5", desired: 2 } } },
      'environment "dev": scheduledActions = {"morning":{"recurrence":"0 8 * * 1-5","desired":2}}: must not be set when capacity.min equals capacity.max (2): the group\'s size is fixed, so scheduledActions could never change it; raise capacity.max or drop scheduledActions',
    ],
    ["a request-count target of 0", { requestCountTargetTracking: { targetRequestsPerTarget: 0 } }, 'environment "dev": requestCountTargetTracking.targetRequestsPerTarget = 0: must be from 1 to 1000000'],
    ["a request-count target as a string", { requestCountTargetTracking: { targetRequestsPerTarget: "500" } as never }, 'environment "dev": requestCountTargetTracking.targetRequestsPerTarget = "500": must be a number, not a string'],
    ["a request-count policy without its target", { requestCountTargetTracking: {} as never }, 'environment "dev": requestCountTargetTracking.targetRequestsPerTarget: is required; allowed: 1 to 1000000'],
    ["a cron of four fields", { scheduledActions: { morning: { recurrence: "0 8 * *", min: 2 } } }, 'environment "dev": scheduledActions.morning.recurrence = "0 8 * *": must be a cron expression of five fields (minute hour day-of-month month day-of-week), e.g. "0 8 * * 1-5"; "0 8 * *" has 4'],
    ["a cron hour of 25", { scheduledActions: { morning: { recurrence: "0 25 * * *", min: 2 } } }, 'environment "dev": scheduledActions.morning.recurrence = "0 25 * * *": must be a valid cron expression: hour "25" is out of range (0-23)'],
    ["an unknown time zone", { scheduledActions: { morning: { recurrence: "0 8 * * *", timeZone: "Europe/Atlantis", min: 2 } } }, 'environment "dev": scheduledActions.morning.timeZone = "Europe/Atlantis": must be an IANA time zone name like "Europe/Berlin", "America/New_York" or "Etc/UTC"; "Europe/Atlantis" is not in the time zone database'],
    ["a schedule without a size", { scheduledActions: { morning: { recurrence: "0 8 * * *" } } }, 'environment "dev": scheduledActions.morning.desired: or min or max must be set: a scheduled action that sets no size does nothing (AWS refuses it)'],
    ["a schedule with min above max", { scheduledActions: { morning: { recurrence: "0 8 * * *", min: 3, max: 2 } } }, 'environment "dev": scheduledActions.morning.min = 3: must not be greater than max (2)'],
    ["a schedule with desired above max", { scheduledActions: { morning: { recurrence: "0 8 * * *", max: 2, desired: 3 } } }, 'environment "dev": scheduledActions.morning.desired = 3: must not be above max (2)'],
    ["a schedule past the environment's max", { scheduledActions: { morning: { recurrence: "0 8 * * *", max: 5 } } }, 'environment "dev": scheduledActions.morning.max = 5: must be within the group\'s [capacity.min, capacity.max] = [1, 3], not 5: a schedule moves the group inside its bounds; widen them to go further'],
    ["a schedule below the environment's min", { capacity: { min: 2, max: 4, desired: 2 }, scheduledActions: { night: { recurrence: "0 22 * * *", min: 1 } } }, 'environment "dev": scheduledActions.night.min = 1: must be within the group\'s [capacity.min, capacity.max] = [2, 4], not 1'],
    ["a schedule start that is no UTC time", { scheduledActions: { morning: { recurrence: "0 8 * * *", min: 2, startTime: "2030-01-01 08:00" } } }, 'environment "dev": scheduledActions.morning.startTime = "2030-01-01 08:00": must be a UTC time like "2027-01-31T08:00:00Z" (YYYY-MM-DDThh:mm:ssZ), not "2030-01-01 08:00"'],
    ["a schedule ending before it starts", { scheduledActions: { morning: { recurrence: "0 8 * * *", min: 2, startTime: "2030-02-01T00:00:00Z", endTime: "2030-01-01T00:00:00Z" } } }, 'environment "dev": scheduledActions.morning.endTime = "2030-01-01T00:00:00Z": must be after startTime (2030-02-01T00:00:00Z)'],
    ["a schedule name with a space", { scheduledActions: { "scale up": { recurrence: "0 8 * * *", min: 2 } } }, 'environment "dev": scheduledActions.scale up = {"recurrence":"0 8 * * *","min":2}: must be a name of 1 to 255 letters, digits, "_" or "-", starting with a letter or digit, not "scale up"'],
    ["a misspelled schedule field", { scheduledActions: { morning: { recurrence: "0 8 * * *", minSize: 2 } as never } }, 'environment "dev": scheduledActions.morning.minSize = 2: unknown field; allowed fields: recurrence, timeZone, min, max, desired, startTime, endTime'],
    ["a schedule list instead of an object", { scheduledActions: [{ recurrence: "0 8 * * *", min: 2 }] as never }, 'environment "dev": scheduledActions = [{"recurrence":"0 8 * * *","min":2}]: must be an object keyed by name, not a list'],
    [
      "a misspelled mixed instances field",
      { mixedInstances: { instanceTypes: [{ instanceType: "t3.small" }], onDemandPercentage: 50 } as never },
      'environment "dev": mixedInstances.onDemandPercentage = 50: unknown field; did you mean "onDemandPercentageAboveBaseCapacity"?',
    ],
  ])("rejects %s", (_case, change, message) => {
    expect(problemsOf(change as Partial<EnvironmentConfig>)).toContain(message);
  });

  it("reports a missing required field with what is allowed", () => {
    const withoutType: Partial<EnvironmentConfig> = { ...dev };
    delete withoutType.instanceType;
    expect(() => loadEnvironment("dev", { environments: { ...ENVIRONMENTS, dev: withoutType as EnvironmentConfig }, env: {} })).toThrow(
      'environment "dev": instanceType: is required; allowed: an x86_64 type of modules/core/aws-facts.json, e.g. "t3.small"',
    );
  });

  it("reports every unknown key and every wrong type at once, in field order", () => {
    const message = problemsOf({ regoin: "us-east-1", azCount: "3", healthCheck: { path: "/health", timeout: 3, interval: 9 } } as never);
    const lines = message.split("\n").slice(1);
    expect(lines).toEqual([
      '  - environment "dev": azCount = "3": must be a number, not a string (allowed: 2 (an ALB needs two) to the region\'s zone count)',
      '  - environment "dev": healthCheck.timeout = 3: unknown field; did you mean "timeoutSeconds"?',
      '  - environment "dev": healthCheck.interval = 9: unknown field; did you mean "intervalSeconds"?',
      '  - environment "dev": regoin = "us-east-1": unknown field; did you mean "region"?',
    ]);
  });

  it.each<[string, string, string]>([
    ["too long for the AWS names it becomes", "production-eu-central-1", 'environment name "production-eu-central-1": the stack id sample-app-production-eu-central-1 gives the loadBalancer the name "sample-app-production-eu-central-1", which must be 1-32 characters (AWS\'s limit for a load balancer name); got 34'],
    ["not usable in a stack id", "Prod_EU", 'environment name "Prod_EU": must be lowercase letters, digits and hyphens'],
  ])("rejects an environment name %s", (_case, name, message) => {
    expect(() => loadEnvironments({ environments: { [name]: dev }, env: {} })).toThrow(message);
  });

  describe("KMS keys of the state bootstrap", () => {
    const bootstrapProblems = (keyArn: string, region = "us-east-1") => {
      try {
        loadStacks({ env: { SAMPLE_APP_ENVIRONMENTS: "bootstrap" }, bootstrap: { region, kms: { keyArn } } });
      } catch (error) {
        return (error as Error).message;
      }
      return "accepted";
    };

    it("refuses a key of another region or partition than the bucket, and takes one of its region", () => {
      expect(bootstrapProblems("arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab")).toBe(
        'Invalid configuration:\n  - bootstrap (sample-app-bootstrap): kms.keyArn = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab": must be a KMS key in the state bucket\'s region us-east-1, not eu-west-1: KMS keys are regional',
      );
      expect(bootstrapProblems("arn:aws:kms:cn-north-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab", "cn-north-1")).toContain(
        "must be a KMS key of partition aws-cn (arn:aws-cn:…), the partition of cn-north-1, not aws",
      );
      expect(bootstrapProblems("arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab")).toBe("accepted");
    });
  });

  describe("overrides that reach no stack of the run", () => {
    it("warns about an emulator endpoint when no selected environment has an emulator, saying how to silence it", () => {
      expect(loadStacks({ env: { SAMPLE_APP_ENVIRONMENTS: "dev,prod", SAMPLE_APP_EMULATOR_ENDPOINT: "http://127.0.0.1:5001" } }).warnings).toEqual([
        "SAMPLE_APP_EMULATOR_ENDPOINT is set, but no environment of this run (SAMPLE_APP_ENVIRONMENTS=dev,prod) talks to an emulator, so it changes nothing; unset it for this run to silence this",
      ]);
      expect(loadStacks({ env: { SAMPLE_APP_ENVIRONMENTS: "dev,local", SAMPLE_APP_EMULATOR_ENDPOINT: "http://127.0.0.1:5001" } }).warnings).toEqual([]);
    });

    it("warns about a bootstrap emulator endpoint when the bootstrap is not synthesized", () => {
      expect(loadStacks({ env: { SAMPLE_APP_ENVIRONMENTS: "local", SAMPLE_APP_BOOTSTRAP_EMULATOR_ENDPOINT: "http://127.0.0.1:5001" } }).warnings).toEqual([
        "SAMPLE_APP_BOOTSTRAP_EMULATOR_ENDPOINT is set, but the state bootstrap is not synthesized in this run (SAMPLE_APP_ENVIRONMENTS=local), so it changes nothing; add bootstrap to SAMPLE_APP_ENVIRONMENTS, or unset it for this run to silence this",
      ]);
      expect(loadStacks({ env: { SAMPLE_APP_ENVIRONMENTS: "bootstrap", SAMPLE_APP_BOOTSTRAP_EMULATOR_ENDPOINT: "http://127.0.0.1:5001" } }).warnings).toEqual([]);
    });

    it("leaves unrelated variables alone, even ones that look a little like ours", () => {
      expect(loadStacks({ env: { SAMPLE_API_KEY: "x", APP_ENVIRONMENT: "prod", PATH: "/bin", sample: "1" } }).warnings).toEqual([]);
    });
  });

  describe("adoption file names", () => {
    const withFiles = (names: string[]) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "adoption-names-"));
      for (const name of names) fs.writeFileSync(path.join(dir, name), "{}");
      return dir;
    };
    const problems = (dir: string) => {
      try {
        loadStacks({ adoptionDir: dir, env: { SAMPLE_APP_ENVIRONMENTS: "dev" } });
      } catch (error) {
        return (error as Error).message;
      }
      return "accepted";
    };

    it.each<[string, string, string]>([
      ["the wrong case", "Prod.json", "Prod.json: an adoption file for no environment (file names are the environment's name, exact case, with .json); rename it to prod.json, or delete it if its environment is gone"],
      ["an extension in capitals", "stage.JSON", "stage.JSON: an adoption file for no environment (file names are the environment's name, exact case, with .json); rename it to stage.json"],
      ["an unknown environment", "qa.json", "qa.json: an adoption file for no environment (file names are the environment's name, exact case, with .json); known environments: dev, stage, prod, local, or delete it if its environment is gone"],
    ])("refuses a file named for %s, even when that environment is not selected", (_case, file, message) => {
      const dir = withFiles([file, "README.md"]);
      const text = problems(dir);
      fs.rmSync(dir, { recursive: true, force: true });
      expect(text).toContain(`${path.relative(process.cwd(), path.join(dir, file))}: ${message.slice(file.length + 2)}`);
    });

    it("accepts the files of known environments and other kinds of files", () => {
      const dir = withFiles(["README.md"]);
      expect(problems(dir)).toBe("accepted");
      fs.rmSync(dir, { recursive: true, force: true });
    });
  });

  describe("names shared between environments", () => {
    const load = (environments: Record<string, EnvironmentConfig>) => () => loadEnvironments({ environments, env: { SAMPLE_APP_ENVIRONMENTS: "dev,stage" } });
    const named = { names: { loadBalancer: { name: "web-alb" }, instanceRole: { name: "web-role" } } };

    it("accepts the same names in two environments whose accountIds differ", () => {
      expect(load({ ...ENVIRONMENTS, dev: { ...dev, ...named, accountId: "111111111111" }, stage: { ...ENVIRONMENTS.stage, ...named, accountId: "222222222222" } })).not.toThrow();
    });

    it("accepts the same load balancer name in two regions, but not the same IAM role name (IAM is global to the account)", () => {
      expect(load({ ...ENVIRONMENTS, dev: { ...dev, ...named }, stage: { ...ENVIRONMENTS.stage, ...named, region: "eu-west-1" } })).toThrow(
        'environment "dev": names.instanceRole.name = "web-role": is also the IAM role name of environment "stage" and IAM names are unique per account: ' +
          "the second apply fails or takes over the first one's; give each its own name, or, if the two deploy to different AWS accounts, set accountId in both",
      );
      expect(load({ ...ENVIRONMENTS, dev: { ...dev, ...named }, stage: { ...ENVIRONMENTS.stage, ...named, region: "eu-west-1" } })).not.toThrow(/load balancer name/);
    });

    it("compares names only within one place: real AWS and the emulator never share one", () => {
      const environments = { ...ENVIRONMENTS, dev: { ...dev, names: { loadBalancer: { name: "sample-app-local" } } } };
      expect(() => loadEnvironments({ environments, env: { SAMPLE_APP_ENVIRONMENTS: "dev" } })).not.toThrow();
    });

    it("checks a selected environment against the ones not selected", () => {
      const environments = { ...ENVIRONMENTS, dev: { ...dev, names: { autoScalingGroup: { name: "sample-app-stage" } } } };
      expect(() => loadEnvironments({ environments, env: { SAMPLE_APP_ENVIRONMENTS: "dev" } })).toThrow(
        'environment "dev": names.autoScalingGroup.name = "sample-app-stage": is also the auto scaling group name of environment "stage" (its default)',
      );
    });
  });

  describe("SAMPLE_APP_* variables", () => {
    it.each<[string, NodeJS.ProcessEnv, string]>([
      ["an unknown variable", { SAMPLE_APP_ENVIRONMENT: "dev" }, "SAMPLE_APP_ENVIRONMENT: unknown variable; did you mean SAMPLE_APP_ENVIRONMENTS?"],
      ["an unknown variable nothing resembles", { SAMPLE_APP_FAVOURITE_COLOUR: "blue" }, "SAMPLE_APP_FAVOURITE_COLOUR: unknown variable Known: SAMPLE_APP_ENVIRONMENTS"],
      [
        "an image id for an environment that does not exist",
        { SAMPLE_APP_IMAGE_ID_QA: "ami-0123456789abcdef0" },
        'SAMPLE_APP_IMAGE_ID_QA: no environment matches the suffix "QA" Environments: dev (SAMPLE_APP_IMAGE_ID_DEV), stage (SAMPLE_APP_IMAGE_ID_STAGE), prod (SAMPLE_APP_IMAGE_ID_PROD), local (SAMPLE_APP_IMAGE_ID_LOCAL)',
      ],
      ["an image id in the wrong case", { SAMPLE_APP_IMAGE_ID_prod: "ami-0123456789abcdef0" }, 'SAMPLE_APP_IMAGE_ID_prod: no environment matches the suffix "prod"; did you mean SAMPLE_APP_IMAGE_ID_PROD?'],
      [
        "an image id for an environment not being synthesized",
        { SAMPLE_APP_ENVIRONMENTS: "stage", SAMPLE_APP_IMAGE_ID_PROD: "ami-0123456789abcdef0" },
        'SAMPLE_APP_IMAGE_ID_PROD: environment "prod" is not being synthesized (SAMPLE_APP_ENVIRONMENTS=stage); add it there or unset SAMPLE_APP_IMAGE_ID_PROD',
      ],
      ["an empty environment list", { SAMPLE_APP_ENVIRONMENTS: " , " }, 'SAMPLE_APP_ENVIRONMENTS = " , ": names no environment; unset it to synthesize all'],
      ["an empty entry", { SAMPLE_APP_ENVIRONMENTS: "dev,,prod" }, 'SAMPLE_APP_ENVIRONMENTS = "dev,,prod": has an empty entry'],
      ["an environment named twice", { SAMPLE_APP_ENVIRONMENTS: "dev,dev" }, 'SAMPLE_APP_ENVIRONMENTS = "dev,dev": names "dev" twice'],
      ["a misspelled environment", { SAMPLE_APP_ENVIRONMENTS: "prd" }, 'SAMPLE_APP_ENVIRONMENTS: unknown environment "prd"; did you mean "prod"?; known environments: dev, stage, prod, local'],
      ["an empty image id", { SAMPLE_APP_IMAGE_ID_DEV: "" }, 'SAMPLE_APP_IMAGE_ID_DEV = "": must be an AMI id'],
      ["an empty provider version", { SAMPLE_APP_AWS_PROVIDER_VERSION: "" }, 'SAMPLE_APP_AWS_PROVIDER_VERSION = "": must be an exact version like "6.25.0"'],
    ])("rejects %s", (_case, env, message) => {
      expect(() => loadEnvironments({ env })).toThrow(message);
    });

    it("accepts the variables other tools of the project read", () => {
      expect(() => loadEnvironments({ env: { SAMPLE_APP_TOOLCHAIN_HOME: "/tmp/toolchain", SAMPLE_APP_REFRESH_STEP_SECONDS: "1" } })).not.toThrow();
    });
  });

  it("rejects an app port that differs from the port the image's app listens on", () => {
    expect(problemsOf({ appPort: 9090 })).toContain(
      'environment "dev": appPort = 9090: must be 8080, the port the image\'s app listens on (app/app.config.js env.PORT)',
    );
  });

  it("reports an overlap with an environment that is not being synthesized", () => {
    const environments = { ...ENVIRONMENTS, dev: { ...dev, vpcCidr: "10.20.0.0/16" } };
    expect(() => loadEnvironments({ environments, env: { SAMPLE_APP_ENVIRONMENTS: "stage" } })).toThrow(
      'environment "stage": vpcCidr = "10.20.0.0/16": overlaps environment "dev" (10.20.0.0/16)',
    );
  });

  it("reports every problem at once", () => {
    const message = problemsOf({ appPort: 0, azCount: 1, capacity: { min: 3, max: 1, desired: 2 } });
    expect(message).toContain("appPort = 0");
    expect(message).toContain("azCount = 1");
    expect(message).toContain("capacity.min = 3");
  });

  it("rejects an unknown environment name, listing the known ones", () => {
    expect(() => loadEnvironments({ env: { SAMPLE_APP_ENVIRONMENTS: "dev,qa" } })).toThrow(
      'SAMPLE_APP_ENVIRONMENTS: unknown environment "qa"; known environments: dev, stage, prod, local',
    );
  });

  it("selects environments with SAMPLE_APP_ENVIRONMENTS", () => {
    expect(loadEnvironments({ env: { SAMPLE_APP_ENVIRONMENTS: "prod, local" } }).map((e) => e.name)).toEqual(["prod", "local"]);
  });

  it("overrides one environment's image with SAMPLE_APP_IMAGE_ID_<ENV>", () => {
    const [prod, local] = loadEnvironments({
      env: { SAMPLE_APP_ENVIRONMENTS: "prod,local", SAMPLE_APP_IMAGE_ID_LOCAL: "ami-0fedcba9876543210" },
    });
    expect(local.image).toEqual({ kind: "ami", amiId: "ami-0fedcba9876543210", origin: "config" });
    expect(prod.image.kind).toBe("lookup");
  });

  it("rejects a malformed image override, naming the variable", () => {
    expect(() => loadEnvironments({ env: { SAMPLE_APP_IMAGE_ID_DEV: "ami-nope" } })).toThrow(
      'SAMPLE_APP_IMAGE_ID_DEV = "ami-nope": must be an AMI id',
    );
  });

  it("points emulated environments at SAMPLE_APP_EMULATOR_ENDPOINT, and only those", () => {
    const environments = loadEnvironments({ env: { SAMPLE_APP_EMULATOR_ENDPOINT: "http://127.0.0.1:4567" } });
    expect(environments.find((e) => e.name === "local")?.config.emulator).toEqual({ endpoint: "http://127.0.0.1:4567" });
    expect(environments.find((e) => e.name === "dev")?.config.emulator).toBeUndefined();
    expect(() => loadEnvironments({ env: { SAMPLE_APP_EMULATOR_ENDPOINT: "http://example.com" } })).toThrow(
      'SAMPLE_APP_EMULATOR_ENDPOINT = "http://example.com": must point at a loopback address',
    );
  });

  describe("packer-manifest image source", () => {
    const projectRoot = fs.mkdtempSync(path.join(os.tmpdir(), "manifest-"));
    const manifest = {
      builds: [
        { name: "app", builder_type: "amazon-ebs", build_time: 1700000000, artifact_id: "us-east-1:ami-0aaaaaaaaaaaaaaa1", packer_run_uuid: "r1", custom_data: { image_role: "app" } },
        { name: "app", builder_type: "amazon-ebs", build_time: 1700000300, artifact_id: "eu-west-1:ami-0ccccccccccccccc3,us-east-1:ami-0bbbbbbbbbbbbbbb2", packer_run_uuid: "r2", custom_data: { image_role: "app" } },
        { name: "base", builder_type: "amazon-ebs", build_time: 1700000900, artifact_id: "us-east-1:ami-0ddddddddddddddd4", packer_run_uuid: "r3", custom_data: { image_role: "base" } },
      ],
      last_run_uuid: "r3",
    };
    fs.mkdirSync(path.join(projectRoot, "packer"));
    fs.writeFileSync(path.join(projectRoot, "packer", "manifest.json"), JSON.stringify(manifest));
    fs.writeFileSync(path.join(projectRoot, "broken.json"), "{ not json");

    const load = (image: EnvironmentConfig["image"], region = "us-east-1") =>
      loadEnvironment("dev", { environments: { dev: { ...dev, region, image } }, env: {}, projectRoot, imageAppPort: dev.appPort });

    it("picks the newest app AMI for the environment's region, skipping base images", () => {
      expect(load({ kind: "packer-manifest" }).image).toEqual({
        kind: "ami",
        amiId: "ami-0bbbbbbbbbbbbbbb2",
        origin: "packer/manifest.json (run r2)",
      });
      expect(load({ kind: "packer-manifest" }, "eu-west-1").image).toMatchObject({ amiId: "ami-0ccccccccccccccc3" });
    });

    it.each<[string, EnvironmentConfig["image"], string, string]>([
      ["a missing manifest", { kind: "packer-manifest", manifestPath: "nope.json" }, "us-east-1", 'image.manifestPath = "nope.json": file not found; run npm run image:build'],
      ["a manifest that is not JSON", { kind: "packer-manifest", manifestPath: "broken.json" }, "us-east-1", 'image.manifestPath = "broken.json": is not valid JSON'],
      ["no image for the region", { kind: "packer-manifest" }, "ap-south-1", "has no app image for region ap-south-1"],
    ])("rejects %s", (_case, image, region, message) => {
      expect(() => load(image, region)).toThrow(message);
    });
  });
});
