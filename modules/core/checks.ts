/**
 * Small pure checks shared by the environment config validation and the
 * constructs' own prop validation. Each returns `undefined` when the value is
 * acceptable, or a sentence fragment saying what is allowed, so the caller can
 * prefix it with the name of the field or prop it checked.
 */
import { Token } from "cdktf";
import { AWS_NAME_RULES, architecturesOf, closestInstanceType, isMacInstanceType } from "./aws-facts";
import { cidrContains, cidrsOverlap, mustParseCidr, parseCidr } from "./cidr";

export type Problem = string | undefined;

/**
 * A value only known at plan time (a reference to another resource, a variable): value
 * rules cannot judge it, so every check below accepts it.
 */
export function isUnresolved(value: unknown): boolean {
  return Token.isUnresolved(value);
}

export function checkInteger(value: number, min: number, max: number): Problem {
  if (isUnresolved(value)) {
    return undefined;
  }
  if (typeof value !== "number" || !Number.isInteger(value)) {
    return `must be a whole number from ${min} to ${max}`;
  }
  if (value < min || value > max) {
    return `must be from ${min} to ${max}`;
  }
  return undefined;
}

export function checkPort(value: number): Problem {
  return checkInteger(value, 1, 65535);
}

export function checkHealthCheckPath(value: string): Problem {
  if (isUnresolved(value)) {
    return undefined;
  }
  if (typeof value !== "string" || !value.startsWith("/")) {
    return 'must start with "/"';
  }
  if (value.length > 1024 || /\s/.test(value)) {
    return "must be at most 1024 characters without whitespace";
  }
  return undefined;
}

const AMI_ID = /^ami-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;

export function checkAmiId(value: string): Problem {
  if (isUnresolved(value)) {
    return undefined;
  }
  return typeof value === "string" && AMI_ID.test(value)
    ? undefined
    : 'must be an AMI id: "ami-" followed by 8 or 17 lowercase hex digits';
}

export function checkIpv4Cidr(value: string): Problem {
  if (isUnresolved(value)) {
    return undefined;
  }
  const parsed = typeof value === "string" ? parseCidr(value) : "must be a string";
  return typeof parsed === "string" ? parsed : undefined;
}

/** A VPC CIDR must also respect AWS's /16../28 bounds. */
export function checkVpcCidr(value: string): Problem {
  if (isUnresolved(value)) {
    return "must be a literal CIDR, not a reference: the subnets are planned from it at synth time";
  }
  const parsed = typeof value === "string" ? parseCidr(value) : "must be a string";
  if (typeof parsed === "string") {
    return parsed;
  }
  if (parsed.prefixLength < 16 || parsed.prefixLength > 28) {
    return "must have a prefix length from /16 to /28 (AWS VPC limits)";
  }
  const reserved = RESERVED_RANGES.find(([range]) => cidrsOverlap(mustParseCidr(range), parsed));
  if (reserved) {
    return `is in reserved address space (${reserved[0]}, ${reserved[1]}); use a private range like 10.0.0.0/16 (RFC 1918)`;
  }
  return undefined;
}

/** Address space a VPC cannot use (RFC 6890): hosts would be unreachable or misrouted. */
const RESERVED_RANGES: [string, string][] = [
  ["0.0.0.0/8", "\"this network\""],
  ["127.0.0.0/8", "loopback"],
  ["169.254.0.0/16", "link-local"],
  ["224.0.0.0/4", "multicast"],
  ["240.0.0.0/4", "reserved for future use"],
];

export function checkSubnetInside(vpcCidr: string, subnetCidr: string): Problem {
  const vpc = parseCidr(vpcCidr);
  const subnet = parseCidr(subnetCidr);
  if (typeof vpc === "string" || typeof subnet === "string") {
    return "must be valid CIDR blocks";
  }
  return cidrContains(vpc, subnet) ? undefined : `must lie inside the VPC CIDR ${vpcCidr}`;
}

/** Health percentages as AWS instance refresh accepts them. */
export function checkRefreshPercentages(minHealthy: number, maxHealthy: number): Record<string, Problem> {
  const problems: Record<string, Problem> = {
    minHealthyPercentage: checkInteger(minHealthy, 0, 100),
    maxHealthyPercentage: checkInteger(maxHealthy, 100, 200),
  };
  const known = !isUnresolved(minHealthy) && !isUnresolved(maxHealthy);
  if (known && !problems.minHealthyPercentage && !problems.maxHealthyPercentage && maxHealthy - minHealthy > 100) {
    problems.maxHealthyPercentage =
      `minus minHealthyPercentage (${minHealthy}) must be at most 100 (AWS limits the spread to 100 points)`;
  }
  return problems;
}

export function checkCapacity(min: number, max: number, desired: number): Record<string, Problem> {
  const problems: Record<string, Problem> = {
    min: checkInteger(min, 0, 10000),
    max: checkInteger(max, 1, 10000),
    desired: checkInteger(desired, 0, 10000),
  };
  if ([min, max, desired].some(isUnresolved)) {
    // Only known at plan time; AWS checks min <= desired <= max then.
    return problems;
  }
  if (!problems.min && !problems.max && min > max) {
    problems.min = `must not be greater than max (${max})`;
  }
  if (!problems.min && !problems.max && !problems.desired && (desired < min || desired > max)) {
    problems.desired = `must be within [min, max] = [${min}, ${max}]`;
  }
  return problems;
}

export function checkHealthCheckTiming(intervalSeconds: number, timeoutSeconds: number): Record<string, Problem> {
  const problems: Record<string, Problem> = {
    intervalSeconds: checkInteger(intervalSeconds, 5, 300),
    timeoutSeconds: checkInteger(timeoutSeconds, 2, 120),
  };
  const known = !isUnresolved(intervalSeconds) && !isUnresolved(timeoutSeconds);
  if (known && !problems.intervalSeconds && !problems.timeoutSeconds && timeoutSeconds >= intervalSeconds) {
    problems.timeoutSeconds = `must be below intervalSeconds (${intervalSeconds})`;
  }
  return problems;
}

/** An instance type EC2 has (modules/core/aws-facts.json). */
export function checkInstanceType(value: string): Problem {
  if (isUnresolved(value)) {
    return undefined;
  }
  if (typeof value !== "string" || !/^[a-z][a-z0-9-]*\.[a-z0-9-]+$/.test(value)) {
    return 'must be an EC2 instance type like "t3.micro"';
  }
  if (architecturesOf(value).length === 0) {
    if (isMacInstanceType(value)) {
      return `must be an EC2 instance type for Linux in an auto scaling group; ${value} is a Mac instance type, which EC2 runs only on a Dedicated Host with macOS (choose e.g. "t3.small" or "m5.metal")`;
    }
    const match = closestInstanceType(value);
    return `must be an EC2 instance type like "t3.micro"; ${value} is not one${match ? ` (did you mean "${match}"?)` : ""}`;
  }
  return undefined;
}

const ACM_ARN = /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]+$/;

export function checkCertificateArn(value: string): Problem {
  if (isUnresolved(value)) {
    return undefined;
  }
  return typeof value === "string" && ACM_ARN.test(value)
    ? undefined
    : "must be an ACM certificate ARN (arn:aws:acm:<region>:<account id>:certificate/<id>)";
}

/** ALB target group matchers: codes 200-499, single, comma-separated, or a low-high range. */
export function checkHealthCheckMatcher(value: string): Problem {
  if (isUnresolved(value)) {
    return undefined;
  }
  const allowed = 'must be HTTP codes from 200 to 499 like "200", "200,204" or "200-299"';
  if (typeof value !== "string" || !/^\d{3}(?:-\d{3})?(?:,\d{3}(?:-\d{3})?)*$/.test(value)) {
    return allowed;
  }
  for (const part of value.split(",")) {
    const [low, high = low] = part.split("-").map(Number);
    if (low < 200 || high > 499) {
      return `${allowed} (${part} is outside 200-499)`;
    }
    if (low > high) {
      return `has the backwards range ${part}; write it low-high (${high}-${low})`;
    }
  }
  return undefined;
}

const VPC_ID = /^vpc-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;
const SUBNET_ID = /^subnet-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;

export function checkVpcId(value: string): Problem {
  if (isUnresolved(value)) {
    return undefined;
  }
  return typeof value === "string" && VPC_ID.test(value) ? undefined : "must be a VPC id like vpc-0123456789abcdef0";
}

export function checkSubnetIds(ids: string[]): Problem {
  if (isUnresolved(ids)) {
    return undefined;
  }
  if (!Array.isArray(ids) || ids.length < 2) {
    return "must list at least 2 subnets (an ALB needs two availability zones)";
  }
  const bad = ids.filter((id) => !isUnresolved(id) && (typeof id !== "string" || !SUBNET_ID.test(id)));
  if (bad.length > 0) {
    return `must be subnet ids like subnet-0123456789abcdef0 (got ${bad.join(", ")})`;
  }
  return new Set(ids).size === ids.length ? undefined : "must not repeat a subnet";
}

/** Applies `check` to each value; reports the first value that fails, named. */
export function checkEach<T>(values: readonly T[], check: (value: T) => Problem): Problem {
  if (isUnresolved(values)) {
    return undefined;
  }
  for (const value of values) {
    const problem = isUnresolved(value) ? undefined : check(value);
    if (problem) {
      return `entry ${JSON.stringify(value)} ${problem}`;
    }
  }
  return undefined;
}

/** Problems keyed by prop (or dotted sub-prop) name; `undefined` means the prop is fine. */
export type Problems = Record<string, Problem>;

/**
 * `defaults` overlaid with the props that are set. Unlike a spread, a prop given as
 * `undefined` keeps its default.
 */
export function withDefaults<T extends object>(defaults: Required<T>, props: T | undefined): Required<T> {
  const result = { ...defaults };
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value !== undefined) {
      (result as Record<string, unknown>)[key] = value;
    }
  }
  return result;
}

/** Runs `check` only when `value` is set: for optional props without a default. */
export function optional<T>(value: T | undefined, check: (value: T) => Problem): Problem {
  return value === undefined ? undefined : check(value);
}

/** Prefixes every key of `problems` with `prefix.`, for props nested in an object prop. */
export function nested(prefix: string, problems: Problems): Problems {
  return Object.fromEntries(Object.entries(problems).map(([key, problem]) => [`${prefix}.${key}`, problem]));
}

/** Throws one error listing every problem, each prefixed by its prop name. */
export function throwIfProblems(owner: string, problems: Problems): void {
  const found = Object.entries(problems).filter(([, problem]) => problem !== undefined);
  if (found.length > 0) {
    throw new Error(`${owner}: ${found.map(([prop, problem]) => `${prop} ${problem}`).join("; ")}`);
  }
}

/**
 * The name of an AWS object whose change forces Terraform to replace it: a fixed `name`
 * or a `namePrefix` (AWS or the provider appends a unique suffix), and, for security
 * groups, the `description`, which forces replacement too.
 */
export interface PhysicalName {
  /** Fixed name; keeps the name an existing (adopted) object already has. */
  readonly name?: string;
  /** Name prefix; the provider appends a unique suffix, so a replacement can exist beside the old object. */
  readonly namePrefix?: string;
  /** Description, where the resource has one whose change forces replacement (security groups). */
  readonly description?: string;
}

/** AWS's naming rules for one kind of object (see {@link NAME_RULES}). */
export interface NameRule {
  /** What the rule is for, in messages. */
  readonly what: string;
  readonly minLength: number;
  readonly maxLength: number;
  /** Longest prefix the provider accepts (the name length minus its unique suffix). */
  readonly maxPrefixLength: number;
  readonly characters: RegExp;
  /** The allowed characters, in words. */
  readonly charactersInWords: string;
  /** Names must not start with these. */
  readonly forbiddenStarts?: readonly string[];
  /** Names must not start or end with a hyphen (ELB names). */
  readonly noEdgeHyphens?: boolean;
  /** Descriptions: max length and characters, when the object has a replacement-forcing description. */
  readonly description?: { readonly maxLength: number; readonly characters: RegExp; readonly charactersInWords: string };
}

const SECURITY_GROUP_CHARACTERS = /^[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]*$/;
const SECURITY_GROUP_CHARACTERS_IN_WORDS = "letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*";

/** AWS's rules for the names this project sets (ELB, EC2, Auto Scaling and IAM API references). */
export const NAME_RULES = {
  loadBalancer: {
    what: "load balancer name",
    minLength: 1,
    maxLength: 32,
    maxPrefixLength: 6,
    characters: /^[a-zA-Z0-9-]*$/,
    charactersInWords: "letters, digits and hyphens",
    forbiddenStarts: ["internal-"],
    noEdgeHyphens: true,
  },
  targetGroup: {
    what: "target group name",
    minLength: 1,
    maxLength: 32,
    maxPrefixLength: 6,
    characters: /^[a-zA-Z0-9-]*$/,
    charactersInWords: "letters, digits and hyphens",
    noEdgeHyphens: true,
  },
  securityGroup: {
    what: "security group name",
    minLength: 1,
    maxLength: 255,
    maxPrefixLength: 100,
    characters: SECURITY_GROUP_CHARACTERS,
    charactersInWords: SECURITY_GROUP_CHARACTERS_IN_WORDS,
    forbiddenStarts: ["sg-"],
    description: { maxLength: 255, characters: SECURITY_GROUP_CHARACTERS, charactersInWords: SECURITY_GROUP_CHARACTERS_IN_WORDS },
  },
  launchTemplate: {
    what: "launch template name",
    minLength: 3,
    maxLength: 128,
    maxPrefixLength: 99,
    characters: /^[a-zA-Z0-9().\-/_]*$/,
    charactersInWords: "letters, digits and ().-/_",
  },
  autoScalingGroup: {
    what: "auto scaling group name",
    minLength: 1,
    maxLength: 255,
    maxPrefixLength: 229,
    // Printable characters; a colon would be read as an ARN separator.
    characters: /^[\x20-\x39\x3b-\x7e]*$/,
    charactersInWords: "printable characters except ':'",
  },
  iamRole: {
    what: "IAM role name",
    minLength: 1,
    maxLength: 64,
    maxPrefixLength: 38,
    characters: /^[\w+=,.@-]*$/,
    charactersInWords: "letters, digits and +=,.@_-",
  },
  instanceProfile: {
    what: "instance profile name",
    minLength: 1,
    maxLength: 128,
    maxPrefixLength: 38,
    characters: /^[\w+=,.@-]*$/,
    charactersInWords: "letters, digits and +=,.@_-",
  },
} as const satisfies Record<string, NameRule>;

export type NamedResourceKind = keyof typeof NAME_RULES;

function checkNameText(rule: NameRule, value: string, asPrefix: boolean): Problem {
  if (typeof value !== "string") {
    return "must be a string";
  }
  // A token, or a Terraform expression written out ("${var.x}"): the provider checks it at plan time.
  if (isUnresolved(value) || value.includes("${")) {
    return undefined;
  }
  const max = asPrefix ? rule.maxPrefixLength : rule.maxLength;
  const min = asPrefix ? 1 : rule.minLength;
  if (value.length < min || value.length > max) {
    return `must be ${min}-${max} characters (AWS's limit for a ${rule.what}${asPrefix ? " prefix" : ""}); got ${value.length}`;
  }
  if (!rule.characters.test(value)) {
    return `must use only ${rule.charactersInWords}`;
  }
  const forbidden = (rule.forbiddenStarts ?? []).find((start) => value.toLowerCase().startsWith(start));
  if (forbidden) {
    return `must not start with "${forbidden}"`;
  }
  if (rule.noEdgeHyphens && (value.startsWith("-") || (!asPrefix && value.endsWith("-")))) {
    return asPrefix ? "must not start with a hyphen" : "must not start or end with a hyphen";
  }
  return undefined;
}

/** Every rule of a {@link PhysicalName} for `kind`, by key (`name`, `namePrefix`, `description`). */
export function checkPhysicalName(kind: NamedResourceKind, value: PhysicalName | undefined): Problems {
  if (value === undefined) {
    return {};
  }
  const rule: NameRule = NAME_RULES[kind];
  const both = value.name !== undefined && value.namePrefix !== undefined;
  return {
    name: both ? "must not be set together with namePrefix (choose one)" : optional(value.name, (name) => checkNameText(rule, name, false)),
    namePrefix: optional(value.namePrefix, (prefix) => checkNameText(rule, prefix, true)),
    description: optional(value.description, (description) => {
      if (!rule.description) {
        return `is not settable for a ${rule.what.replace(/ name$/, "")} (its description never forces replacement)`;
      }
      if (typeof description !== "string" || isUnresolved(description) || description.includes("${")) {
        return typeof description === "string" ? undefined : "must be a string";
      }
      if (description.length < 1 || description.length > rule.description.maxLength) {
        return `must be 1-${rule.description.maxLength} characters; got ${description.length}`;
      }
      return rule.description.characters.test(description) ? undefined : `must use only ${rule.description.charactersInWords}`;
    }),
  };
}

/** `name` / `name_prefix` arguments of a resource for a {@link PhysicalName}. */
/**
 * The name an object gets: the one `names` gives (a fixed name or a prefix), else `fallback`.
 * Shared by the load balancer's and the group's name resolution.
 */
export function givenNameOr(given: PhysicalName | undefined, fallback: PhysicalName): PhysicalName {
  return given?.name !== undefined || given?.namePrefix !== undefined ? given : fallback;
}

export function nameArguments(value: PhysicalName): { name?: string; namePrefix?: string } {
  return value.name !== undefined ? { name: value.name } : { namePrefix: value.namePrefix };
}

/**
 * An S3 general purpose bucket name as AWS accepts it: the S3 naming rules, in full, from the AWS
 * facts (modules/core/aws-facts.json, names.s3Bucket, with the page they come from). The one
 * bucket-name check: state buckets, log buckets and remote network state all use it.
 */
export function checkS3BucketName(value: string): Problem {
  const rule = AWS_NAME_RULES.s3Bucket;
  const shape = `${rule.minLength}-${rule.maxLength} lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit`;
  if (typeof value !== "string" || value.length < (rule.minLength ?? 0) || value.length > rule.maxLength || !new RegExp(rule.pattern).test(value)) {
    return `must be an S3 bucket name: ${shape}`;
  }
  const infix = rule.mustNotContain?.find((forbidden) => value.includes(forbidden));
  if (infix !== undefined) {
    return infix === ".." ? "must not contain two adjacent dots" : `must not contain "${infix}"`;
  }
  if (rule.mustNotBeIpAddress && /^\d{1,3}(?:\.\d{1,3}){3}$/.test(value)) {
    return "must not be formatted as an IP address";
  }
  const prefix = rule.mustNotStartWith?.find((reserved) => value.startsWith(reserved));
  if (prefix !== undefined) {
    return `must not start with "${prefix}" (reserved by AWS)`;
  }
  const suffix = rule.mustNotEndWith?.find((reserved) => value.endsWith(reserved));
  return suffix !== undefined ? `must not end with "${suffix}" (reserved by AWS)` : undefined;
}

/** An S3 key prefix for logs: no leading or trailing slash, and no "AWSLogs" (ELB appends it). */
export function checkLogPrefix(value: string): Problem {
  if (typeof value !== "string" || !/^[A-Za-z0-9!_.*'()-]+(?:\/[A-Za-z0-9!_.*'()-]+)*$/.test(value)) {
    return "must be an S3 key prefix like team/sample-app: letters, digits and !_.*'()- separated by single slashes, no leading or trailing slash";
  }
  return /(^|\/)AWSLogs(\/|$)/.test(value) ? 'must not contain "AWSLogs" (the load balancer appends it)' : undefined;
}
