/**
 * Reporting configuration problems, and the one rule that spans environments (VPC
 * overlap). Per-environment rules are in the schema (./schema.ts) and the modules it
 * composes; nothing is checked by hand here.
 */
import { cidrsOverlap, mustParseCidr, parseCidr } from "../modules/core/cidr";
import { resolveAutoScalingGroupNames } from "../modules/auto-scaling-group/app-auto-scaling-group";
import { resolveLoadBalancerNames } from "../modules/load-balancer/load-balancer";
import { stackIdFor } from "./stack-ids";
import { PROJECT } from "./environments";
import { EnvironmentConfig, checkEnvironment } from "./schema";

/** Bad configuration: every problem found, each naming environment, field, value and what is allowed. */
export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/**
 * `environment "dev": capacity.min = 4: must not be greater than max (3)`. A field that
 * is not set shows its default instead of a value; an empty field names the whole environment.
 */
/** A value as written in TypeScript: JSON, except the numbers JSON has no word for (NaN, Infinity), shown as they are. */
export function showValue(value: unknown): string {
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  const json = JSON.stringify(value, (_key, item: unknown) => (typeof item === "number" && !Number.isFinite(item) ? `\u0000${item}\u0000` : item));
  return json === undefined ? String(value) : json.replace(/"\\u0000(-?Infinity|NaN)\\u0000"/g, "$1");
}

export function describeProblem(environment: string, field: string, value: unknown, problem: string, defaultValue?: string): string {
  const shown = value === undefined ? (defaultValue === undefined ? "" : ` (not set; default ${defaultValue})`) : ` = ${showValue(value)}`;
  return field === "" ? `environment "${environment}"${shown}: ${problem}` : `environment "${environment}": ${field}${shown}: ${problem}`;
}

/** Every problem of one environment's config, formatted for humans (empty when valid). */
export function validateEnvironment(name: string, config: unknown): string[] {
  return checkEnvironment(config).map((problem) => describeProblem(name, problem.field, problem.value, problem.problem, problem.default));
}

/**
 * Problems for the `checked` environments whose VPC overlaps another's (each pair once).
 * Environments whose created VPCs overlap cannot be peered or attached to one
 * transit gateway later, so overlap is rejected while it is still cheap to fix.
 */
export function findOverlappingVpcs(environments: Readonly<Record<string, EnvironmentConfig>>, checked: string[]): string[] {
  const created = Object.entries(environments).filter(
    ([, config]) =>
      config !== null &&
      typeof config === "object" &&
      !config.existingNetwork &&
      !config.defaultVpc &&
      !config.existingNetworkFromState &&
      typeof config.vpcCidr === "string" &&
      typeof parseCidr(config.vpcCidr) !== "string",
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

/** Real AWS, or the emulator an environment talks to: names in one never clash with names in another. */
const placeOf = (config: EnvironmentConfig) => config.emulator?.endpoint ?? "aws";

/** Two environments may share an account unless both name their accounts and these differ. */
function mayShareAccount(a: EnvironmentConfig, b: EnvironmentConfig): boolean {
  return placeOf(a) === placeOf(b) && (a.accountId === undefined || b.accountId === undefined || a.accountId === b.accountId);
}

interface OwnedName {
  /** What is named, in words ("load balancer name"). */
  readonly what: string;
  /** The field that sets it; undefined when it is this project's default, derived from the stack id. */
  readonly field?: string;
  readonly value: string;
  /** Unique per account and region (true), per account (IAM), or everywhere (S3 buckets: "global"). */
  readonly scope: "region" | "account" | "global";
}

/** The fixed names (not prefixes) an environment's stack gives its objects. */
function ownedNames(name: string, config: EnvironmentConfig): OwnedName[] {
  const stackId = stackIdFor(name);
  const names = config.names ?? {};
  const owned: OwnedName[] = [];
  const add = (what: string, configKey: string, resolved: { name?: string }, scope: OwnedName["scope"]) => {
    if (resolved.name !== undefined) {
      const explicit = (names as Record<string, { name?: string } | undefined>)[configKey]?.name !== undefined;
      owned.push({ what, field: explicit ? `names.${configKey}.name` : undefined, value: resolved.name, scope });
    }
  };
  const lb = resolveLoadBalancerNames(stackId, {
    useNamePrefix: names.useNamePrefix,
    loadBalancer: names.loadBalancer,
    targetGroup: names.targetGroup,
    securityGroup: names.loadBalancerSecurityGroup,
  });
  add("load balancer name", "loadBalancer", lb.loadBalancer, "region");
  add("target group name", "targetGroup", lb.targetGroup, "region");
  const group = resolveAutoScalingGroupNames(stackId, {
    useNamePrefix: names.useNamePrefix,
    securityGroup: names.instanceSecurityGroup,
    launchTemplate: names.launchTemplate,
    autoScalingGroup: names.autoScalingGroup,
    role: names.instanceRole,
    instanceProfile: names.instanceProfile,
  });
  add("auto scaling group name", "autoScalingGroup", group.autoScalingGroup, "region");
  add("launch template name", "launchTemplate", group.launchTemplate, "region");
  add("IAM role name", "instanceRole", group.role, "account");
  add("instance profile name", "instanceProfile", group.instanceProfile, "account");
  if (config.accessLogs?.bucketName !== undefined) {
    owned.push({ what: "access-log bucket name", field: "accessLogs.bucketName", value: config.accessLogs.bucketName, scope: "global" });
  }
  return owned;
}

/** The state object an environment's stack keeps its state in, when it is in S3. */
function stateObject(name: string, config: EnvironmentConfig): { bucket: string; key: string; field: string } | undefined {
  const s3 = config.s3Backend;
  if (s3 === undefined) return undefined;
  // Without a bucket: the bootstrap's bucket of the settings file (one per emulator, or real AWS).
  const bucket = s3.bucket ?? `the bootstrap's bucket${config.emulator ? ` in the emulator at ${config.emulator.endpoint}` : ""}`;
  return { bucket, key: s3.key ?? `${s3.keyPrefix ?? PROJECT}/${stackIdFor(name)}.tfstate`, field: s3.key !== undefined ? "s3Backend.key" : "s3Backend.keyPrefix" };
}

const isEnvironment = (config: unknown): config is EnvironmentConfig =>
  config !== null && typeof config === "object" && !Array.isArray(config) && typeof (config as EnvironmentConfig).region === "string";

/**
 * Problems for the `checked` environments that would share a state object, or an AWS name
 * that must be unique, with another environment: the second apply would take over or
 * overwrite the first one's (state: destroy its resources). Names are compared per AWS
 * account and region as AWS scopes them; two environments whose `accountId`s differ do not collide.
 */
export function findSharedNames(environments: Readonly<Record<string, EnvironmentConfig>>, checked: string[]): string[] {
  const valid = Object.entries(environments).filter(([, config]) => isEnvironment(config));
  const problems: string[] = [];
  for (const [name, config] of valid) {
    if (!checked.includes(name)) continue;
    const others = valid.filter(([otherName]) => otherName !== name);
    const state = stateObject(name, config);
    if (state !== undefined && config.s3Backend?.key !== undefined) {
      const sharing = others.filter(([otherName, other]) => {
        const theirs = stateObject(otherName, other);
        return theirs !== undefined && theirs.bucket === state.bucket && theirs.key === state.key;
      });
      for (const [otherName] of sharing) {
        problems.push(
          describeProblem(
            name,
            state.field,
            config.s3Backend.key,
            `is also the state key of environment "${otherName}" in ${state.bucket.startsWith("the ") ? state.bucket : `bucket ${state.bucket}`}; ` +
              `two stacks in one state file overwrite each other (an apply of one destroys the other's resources): give each environment its own key`,
          ),
        );
      }
    }
    for (const owned of ownedNames(name, config)) {
      if (owned.field === undefined) continue; // a default derived from the unique stack id: the other side reports it
      for (const [otherName, other] of others) {
        const clash = ownedNames(otherName, other).find((theirs) => theirs.what === owned.what && theirs.value === owned.value);
        if (clash === undefined) continue;
        const sameScope = owned.scope === "global" ? placeOf(config) === placeOf(other) : (mayShareAccount(config, other) && (owned.scope === "account" || config.region === other.region));
        if (!sameScope) continue;
        const where = owned.scope === "global" ? "S3 bucket names are global" : owned.scope === "account" ? "IAM names are unique per account" : `both deploy to ${config.region}`;
        const silence =
          owned.scope === "global"
            ? "give each environment its own bucket (or log to one with existingBucketName)"
            : `give each its own name, or, if the two deploy to different AWS accounts, set accountId in both`;
        problems.push(
          describeProblem(
            name,
            owned.field,
            owned.value,
            `is also the ${owned.what} of environment "${otherName}"${clash.field === undefined ? " (its default)" : ""} and ${where}: the second apply fails or takes over the first one's; ${silence}`,
          ),
        );
      }
    }
  }
  return problems;
}
