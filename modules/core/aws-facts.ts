/**
 * AWS facts the configuration is checked against: regions and their availability
 * zones, instance types and their CPU architectures (and which can hibernate), and the rules of the names AWS
 * gives out. Data, not literals in checks: modules/core/aws-facts.json is generated from
 * botocore's and moto's data by `npm run aws-facts:refresh` and committed.
 */
import facts from "./aws-facts.json";
import { closest, editDistance } from "./suggest";

/** One of AWS's naming rules as the facts file records it (names.*), with the page it comes from. */
export interface AwsNameRule {
  readonly minLength?: number;
  readonly maxLength: number;
  readonly pattern: string;
  readonly mustNotStartWith?: readonly string[];
  readonly mustNotEndWith?: readonly string[];
  readonly mustNotContain?: readonly string[];
  readonly mustNotBeIpAddress?: boolean;
  readonly source: string;
}

interface RegionFacts {
  readonly partition: string;
  readonly description: string;
  /** Zone names, or null where the data has none (new or isolated regions). */
  readonly availabilityZones: readonly string[] | null;
}

const REGIONS = facts.regions as Readonly<Record<string, RegionFacts>>;
const X86_64 = new Set(facts.instanceTypes.x86_64);
const ARM64 = new Set(facts.instanceTypes.arm64);
const HIBERNATION_MEMORY_MIB = facts.hibernation.memoryMiBByInstanceType as Readonly<Record<string, number>>;

/** Where the list of instance types able to hibernate comes from (and what else hibernation needs). */
export const HIBERNATION_SOURCE: string = facts.hibernation.source;

/** Name rules by kind of name (the S3 bucket rules are used; ELB, EC2 and IAM names: modules/core/checks.ts NAME_RULES). */
export const AWS_NAME_RULES = facts.names as Readonly<Record<"loadBalancer" | "targetGroup" | "s3Bucket" | "iamRoleNamePrefix" | "iamInstanceProfileNamePrefix", AwsNameRule>>;

/** Where the facts came from, e.g. { moto: "5.2.5", botocore: "1.44.5" }. */
export const AWS_FACTS_SOURCE: Readonly<Record<string, string>> = facts.source;

export function knownRegions(): string[] {
  return Object.keys(REGIONS);
}

export function isKnownRegion(region: string): boolean {
  return Object.hasOwn(REGIONS, region);
}

const REGION = /^[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d$/;

/** A region AWS has (modules/core/aws-facts.json): undefined, or what is allowed (with the closest region). */
export function checkRegion(value: string): string | undefined {
  if (REGION.test(value) && isKnownRegion(value)) {
    return undefined;
  }
  const match = closest(value, knownRegions());
  return `must be an AWS region like "us-east-1"${match ? `; did you mean "${match}"?` : ""} (the regions are in modules/core/aws-facts.json)`;
}

/** The partition of a known region ("aws", "aws-cn", "aws-us-gov", …), undefined for an unknown one. */
export function partitionOf(region: string): string | undefined {
  return REGIONS[region]?.partition;
}

/**
 * Whether the ARN of a regional object (`what`, e.g. "a KMS key") can be used from `region`:
 * same partition, and, unless `regional` is false (S3 bucket ARNs carry no region), the same
 * region. `where` says whose region it is, e.g. "the environment's region".
 */
export function checkArnPlace(arn: string, region: string, what: string, where: string, regional = true): string | undefined {
  const [, partition, , arnRegion] = arn.split(":");
  const expected = partitionOf(region);
  if (expected !== undefined && partition !== expected) {
    return `must be ${what} of partition ${expected} (arn:${expected}:…), the partition of ${region}, not ${partition}`;
  }
  if (regional && arnRegion !== region) {
    return `must be ${what} in ${where} ${region}, not ${arnRegion}: ${what.replace(/^an? /, "")}s are regional`;
  }
  return undefined;
}

/** The region's availability zones, or undefined when the data does not list them. */
export function availabilityZonesOf(region: string): readonly string[] | undefined {
  return REGIONS[region]?.availabilityZones ?? undefined;
}

/** The CPU architectures an instance type runs, empty when the type is unknown. */
export function architecturesOf(instanceType: string): string[] {
  return [X86_64.has(instanceType) ? "x86_64" : "", ARM64.has(instanceType) ? "arm64" : ""].filter(Boolean);
}

/**
 * Whether the instance type can hibernate (EC2's HibernationSupported); undefined when the
 * type is unknown to the data, so a newer type is not refused on old facts.
 */
export function canHibernate(instanceType: string): boolean | undefined {
  if (architecturesOf(instanceType).length === 0) {
    return undefined;
  }
  return Object.hasOwn(HIBERNATION_MEMORY_MIB, instanceType);
}

/** Memory (MiB) of an instance type that can hibernate: what its root volume must hold. */
export function hibernationMemoryMiB(instanceType: string): number | undefined {
  return Object.hasOwn(HIBERNATION_MEMORY_MIB, instanceType) ? HIBERNATION_MEMORY_MIB[instanceType] : undefined;
}

/**
 * The known instance type closest to a misspelled one: within its family when the family
 * exists; otherwise only a type of another family that is as close as a typo (one edit)
 * and of the same architecture, so "mac1.metal" does not become "a1.metal".
 */
export function closestInstanceType(instanceType: string): string | undefined {
  const family = instanceType.split(".")[0];
  const all = [...X86_64, ...ARM64];
  const sameFamily = all.filter((name) => name.startsWith(`${family}.`));
  if (sameFamily.length > 0) {
    return closest(instanceType, sameFamily);
  }
  const match = closest(instanceType, all);
  return match !== undefined && editDistance(instanceType, match) <= 1 ? match : undefined;
}

/** Mac instances (mac1, mac2, mac-m4…): EC2 runs them only on Dedicated Hosts, with macOS. */
export function isMacInstanceType(instanceType: string): boolean {
  return /^mac[\w-]*\./.test(instanceType);
}

/** The first rule of `rule` that `value` breaks, as "must …", or undefined. */
export function checkName(value: string, rule: AwsNameRule): string | undefined {
  const length = rule.minLength !== undefined ? `${rule.minLength}-${rule.maxLength}` : `at most ${rule.maxLength}`;
  if (value.length > rule.maxLength || (rule.minLength !== undefined && value.length < rule.minLength)) {
    return `must be ${length} characters (it has ${value.length})`;
  }
  if (!new RegExp(rule.pattern).test(value)) {
    return `must match ${rule.pattern}`;
  }
  const prefix = rule.mustNotStartWith?.find((forbidden) => value.startsWith(forbidden));
  if (prefix !== undefined) {
    return `must not start with "${prefix}"`;
  }
  const suffix = rule.mustNotEndWith?.find((forbidden) => value.endsWith(forbidden));
  if (suffix !== undefined) {
    return `must not end with "${suffix}"`;
  }
  const infix = rule.mustNotContain?.find((forbidden) => value.includes(forbidden));
  if (infix !== undefined) {
    return `must not contain "${infix}"`;
  }
  if (rule.mustNotBeIpAddress && /^\d+\.\d+\.\d+\.\d+$/.test(value)) {
    return "must not be formatted as an IP address";
  }
  return undefined;
}
