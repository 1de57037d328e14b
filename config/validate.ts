/**
 * Reporting configuration problems, and the one rule that spans environments (VPC
 * overlap). Per-environment rules are in the schema (./schema.ts) and the modules it
 * composes; nothing is checked by hand here.
 */
import { cidrsOverlap, mustParseCidr, parseCidr } from "../lib/cidr";
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
