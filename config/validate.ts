import { cidrsOverlap, mustParseCidr, parseCidr, planSubnets } from "../lib/cidr";
import {
  Problem,
  checkAmiId,
  checkCapacity,
  checkCertificateArn,
  checkEach,
  checkHealthCheckMatcher,
  checkHealthCheckPath,
  checkHealthCheckTiming,
  checkInstanceType,
  checkInteger,
  checkIpv4Cidr,
  checkPort,
  checkRefreshPercentages,
  checkSubnetIds,
  checkVpcCidr,
  checkVpcId,
} from "../lib/checks";
import { NAT_MODES } from "../modules/network/network";
import { EnvironmentConfig, IMAGE_SOURCE_KINDS } from "./types";

/** Bad configuration: every problem found, each naming environment, field, value and what is allowed. */
export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** One field's finding, before it is prefixed with the environment. */
interface Finding {
  readonly field: string;
  readonly value: unknown;
  readonly problem: Problem;
}

export function describeProblem(environment: string, field: string, value: unknown, problem: string): string {
  return `environment "${environment}": ${field} = ${JSON.stringify(value)}: ${problem}`;
}

const REGION = /^[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d$/;
const S3_BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const AMI_OWNER = /^(?:self|amazon|aws-marketplace|\d{12})$/;
const PROVIDER_VERSION = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;
const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

function optional<T>(value: T | undefined, check: (value: T) => Problem): Problem {
  return value === undefined ? undefined : check(value);
}

function checkOneOf(value: unknown, allowed: readonly string[]): Problem {
  return allowed.includes(value as string) ? undefined : `must be one of ${allowed.map((a) => `"${a}"`).join(", ")}`;
}

function checkEmulatorEndpoint(value: string): Problem {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "must be a URL like http://127.0.0.1:5000";
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return "must be an http:// or https:// URL";
  }
  return LOOPBACK_HOSTS.has(url.hostname) ? undefined : "must point at a loopback address (127.0.0.1, localhost, [::1])";
}

function networkFindings(config: EnvironmentConfig): Finding[] {
  if (config.existingNetwork) {
    const existing = config.existingNetwork;
    const overlap = (existing.publicSubnetIds ?? []).filter((id) => (existing.privateSubnetIds ?? []).includes(id));
    return [
      { field: "existingNetwork.vpcId", value: existing.vpcId, problem: checkVpcId(existing.vpcId) },
      { field: "existingNetwork.publicSubnetIds", value: existing.publicSubnetIds, problem: checkSubnetIds(existing.publicSubnetIds) },
      {
        field: "existingNetwork.privateSubnetIds",
        value: existing.privateSubnetIds,
        problem:
          checkSubnetIds(existing.privateSubnetIds) ??
          (overlap.length > 0 ? `must not also be listed as public subnets (${overlap.join(", ")})` : undefined),
      },
    ];
  }
  const findings: Finding[] = [
    { field: "vpcCidr", value: config.vpcCidr, problem: checkVpcCidr(config.vpcCidr) },
    { field: "azCount", value: config.azCount, problem: checkInteger(config.azCount, 2, 16) },
    { field: "natMode", value: config.natMode, problem: checkOneOf(config.natMode, NAT_MODES) },
  ];
  if (!findings.some((finding) => finding.problem)) {
    const vpc = mustParseCidr(config.vpcCidr);
    const prefix = config.subnetPrefixLength ?? Math.min(vpc.prefixLength + 4, 28);
    const layout =
      typeof prefix === "number" && Number.isInteger(prefix)
        ? planSubnets(vpc, config.azCount, prefix)
        : "must be a whole number";
    findings.push({
      field: config.subnetPrefixLength === undefined ? "vpcCidr" : "subnetPrefixLength",
      value: config.subnetPrefixLength ?? config.vpcCidr,
      problem: typeof layout === "string" ? layout : undefined,
    });
  }
  return findings;
}

function imageFindings(config: EnvironmentConfig): Finding[] {
  const image = config.image;
  const kind = checkOneOf(image?.kind, IMAGE_SOURCE_KINDS);
  if (kind) {
    return [{ field: "image.kind", value: image?.kind, problem: kind }];
  }
  switch (image.kind) {
    case "ami":
      return [{ field: "image.amiId", value: image.amiId, problem: checkAmiId(image.amiId) }];
    case "lookup":
      return [
        {
          field: "image.namePattern",
          value: image.namePattern,
          problem:
            typeof image.namePattern === "string" && /^[\w.*?()[\]/ -]{1,128}$/.test(image.namePattern)
              ? undefined
              : "must be an AMI name pattern of 1-128 characters, * and ? as wildcards",
        },
        {
          field: "image.owners",
          value: image.owners,
          problem:
            Array.isArray(image.owners) && image.owners.length > 0
              ? checkEach(image.owners, (owner) =>
                  AMI_OWNER.test(owner) ? undefined : 'must be "self", "amazon", "aws-marketplace" or a 12-digit account id',
                )
              : "must list at least one owner",
        },
      ];
    case "packer-manifest":
      return [
        {
          field: "image.manifestPath",
          value: image.manifestPath,
          problem: optional(image.manifestPath, (p) =>
            typeof p === "string" && p.endsWith(".json") ? undefined : "must be a path to a .json file",
          ),
        },
      ];
  }
}

/** Every problem of one environment's config, formatted for humans. */
export function validateEnvironment(name: string, config: EnvironmentConfig): string[] {
  const capacity = checkCapacity(config.capacity?.min, config.capacity?.max, config.capacity?.desired);
  const healthCheck = config.healthCheck ?? ({} as EnvironmentConfig["healthCheck"]);
  const timing = checkHealthCheckTiming(healthCheck.intervalSeconds ?? 10, healthCheck.timeoutSeconds ?? 5);
  const refresh = config.instanceRefresh ?? {};
  const percentages = checkRefreshPercentages(refresh.minHealthyPercentage ?? 100, refresh.maxHealthyPercentage ?? 200);
  const findings: Finding[] = [
    {
      field: "region",
      value: config.region,
      problem: typeof config.region === "string" && REGION.test(config.region) ? undefined : 'must be an AWS region like "us-east-1"',
    },
    ...networkFindings(config),
    { field: "instanceType", value: config.instanceType, problem: checkInstanceType(config.instanceType) },
    { field: "capacity.min", value: config.capacity?.min, problem: capacity.min },
    { field: "capacity.max", value: config.capacity?.max, problem: capacity.max },
    { field: "capacity.desired", value: config.capacity?.desired, problem: capacity.desired },
    { field: "appPort", value: config.appPort, problem: checkPort(config.appPort) },
    { field: "healthCheck.path", value: healthCheck.path, problem: checkHealthCheckPath(healthCheck.path) },
    { field: "healthCheck.matcher", value: healthCheck.matcher, problem: optional(healthCheck.matcher, checkHealthCheckMatcher) },
    { field: "healthCheck.intervalSeconds", value: healthCheck.intervalSeconds, problem: timing.intervalSeconds },
    { field: "healthCheck.timeoutSeconds", value: healthCheck.timeoutSeconds, problem: timing.timeoutSeconds },
    {
      field: "healthCheck.healthyThreshold",
      value: healthCheck.healthyThreshold,
      problem: optional(healthCheck.healthyThreshold, (v) => checkInteger(v, 2, 10)),
    },
    {
      field: "healthCheck.unhealthyThreshold",
      value: healthCheck.unhealthyThreshold,
      problem: optional(healthCheck.unhealthyThreshold, (v) => checkInteger(v, 2, 10)),
    },
    { field: "instanceRefresh.minHealthyPercentage", value: refresh.minHealthyPercentage, problem: percentages.minHealthyPercentage },
    { field: "instanceRefresh.maxHealthyPercentage", value: refresh.maxHealthyPercentage, problem: percentages.maxHealthyPercentage },
    {
      field: "instanceRefresh.instanceWarmupSeconds",
      value: refresh.instanceWarmupSeconds,
      problem: optional(refresh.instanceWarmupSeconds, (v) => checkInteger(v, 0, 3600)),
    },
    {
      field: "cpuTargetTracking.targetUtilizationPercent",
      value: config.cpuTargetTracking?.targetUtilizationPercent,
      problem: optional(config.cpuTargetTracking?.targetUtilizationPercent, (v) => checkInteger(v, 1, 100)),
    },
    { field: "certificateArn", value: config.certificateArn, problem: optional(config.certificateArn, checkCertificateArn) },
    {
      field: "allowedCidrs",
      value: config.allowedCidrs,
      problem:
        !Array.isArray(config.allowedCidrs) || config.allowedCidrs.length === 0
          ? "must list at least one IPv4 CIDR"
          : (checkEach(config.allowedCidrs, checkIpv4Cidr) ??
            (new Set(config.allowedCidrs).size === config.allowedCidrs.length ? undefined : "must not repeat a CIDR")),
    },
    ...imageFindings(config),
    {
      field: "deletionProtection",
      value: config.deletionProtection,
      problem: typeof config.deletionProtection === "boolean" ? undefined : "must be true or false",
    },
    {
      field: "deregistrationDelaySeconds",
      value: config.deregistrationDelaySeconds,
      problem: optional(config.deregistrationDelaySeconds, (v) => checkInteger(v, 0, 3600)),
    },
    {
      field: "slowStartSeconds",
      value: config.slowStartSeconds,
      problem: optional(config.slowStartSeconds, (v) => checkInteger(v, 30, 900)),
    },
    {
      field: "s3Backend.bucket",
      value: config.s3Backend?.bucket,
      problem: optional(config.s3Backend?.bucket, (v) =>
        S3_BUCKET.test(v) ? undefined : "must be an S3 bucket name: 3-63 lowercase letters, digits, dots, hyphens",
      ),
    },
    {
      field: "s3Backend.region",
      value: config.s3Backend?.region,
      problem: optional(config.s3Backend?.region, (v) => (REGION.test(v) ? undefined : 'must be an AWS region like "us-east-1"')),
    },
    {
      field: "s3Backend.keyPrefix",
      value: config.s3Backend?.keyPrefix,
      problem: optional(config.s3Backend?.keyPrefix, (v) =>
        /^[\w.-]+(?:\/[\w.-]+)*$/.test(v) ? undefined : "must be a key prefix like team/sample-app (no leading or trailing /)",
      ),
    },
    { field: "emulator.endpoint", value: config.emulator?.endpoint, problem: optional(config.emulator?.endpoint, checkEmulatorEndpoint) },
    {
      field: "awsProviderVersion",
      value: config.awsProviderVersion,
      problem: optional(config.awsProviderVersion, (v) =>
        PROVIDER_VERSION.test(v) ? undefined : 'must be an exact version like "6.25.0"',
      ),
    },
  ];
  if (config.emulator && config.s3Backend) {
    findings.push({ field: "s3Backend", value: config.s3Backend, problem: "must not be set together with emulator (emulated stacks keep local state)" });
  }
  return findings
    .filter((finding): finding is Finding & { problem: string } => finding.problem !== undefined)
    .map((finding) => describeProblem(name, finding.field, finding.value, finding.problem));
}

/**
 * Problems for the `checked` environments whose VPC overlaps another's (each pair once).
 * Environments whose created VPCs overlap cannot be peered or attached to one
 * transit gateway later, so overlap is rejected while it is still cheap to fix.
 */
export function findOverlappingVpcs(environments: Record<string, EnvironmentConfig>, checked: string[]): string[] {
  const created = Object.entries(environments).filter(
    ([, config]) => !config.existingNetwork && typeof parseCidr(config.vpcCidr) !== "string",
  );
  const problems: string[] = [];
  created.forEach(([name, config], index) => {
    if (!checked.includes(name)) {
      return;
    }
    for (const [otherName, other] of created.filter(([otherName], otherIndex) => otherIndex > index || !checked.includes(otherName))) {
      if (otherName !== name && cidrsOverlap(mustParseCidr(config.vpcCidr), mustParseCidr(other.vpcCidr))) {
        problems.push(
          describeProblem(name, "vpcCidr", config.vpcCidr, `overlaps environment "${otherName}" (${other.vpcCidr}); VPC CIDRs must be disjoint`),
        );
      }
    }
  });
  return problems;
}
