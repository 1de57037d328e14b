/**
 * The accepted checkov findings (policy/checkov/checkov-skips.json) and how a scan's
 * failures are matched against them: by check id, by resource (cdktf's logical id
 * without its 8-character hash suffix, so the entry survives renames of nothing), and
 * optionally by stack. Every entry carries its reason.
 */
export interface CheckovSkip {
  /** Check id, e.g. "CKV_AWS_2". */
  readonly check: string;
  /** Resource logical id without the hash suffix, e.g. "load-balancer_http-listener". */
  readonly resource: string;
  /** Stacks the entry applies to; all when left out. */
  readonly stacks?: readonly string[];
  /** Why the finding is not a weakness here, or where it is enforced instead. */
  readonly reason: string;
}

/** One failed check as checkov reports it. */
export interface CheckovFailure {
  readonly stack: string;
  readonly check: string;
  /** checkov's resource id: "aws_lb.load-balancer_30A23327", "resource.x_ABCDEF12", "data.x_ABCDEF12". */
  readonly resource: string;
  readonly name: string;
}

const CHECK_ID = /^CKV2?_AWS_\d+$/;
const KEYS = new Set(["check", "resource", "stacks", "reason"]);

/** Parses and checks the skip file; throws one error listing every problem. */
export function parseSkips(text: string, source: string): CheckovSkip[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${source}: not valid JSON: ${(error as Error).message}`);
  }
  const skips = (parsed as { skips?: unknown })?.skips;
  if (!Array.isArray(skips)) {
    throw new Error(`${source}: must be an object with a "skips" list`);
  }
  const problems: string[] = [];
  const seen = new Set<string>();
  skips.forEach((entry: Record<string, unknown>, index) => {
    const at = `${source}: skips[${index}]`;
    if (entry === null || typeof entry !== "object") {
      problems.push(`${at}: must be an object { check, resource, stacks?, reason }`);
      return;
    }
    for (const key of Object.keys(entry).filter((key) => !KEYS.has(key))) {
      problems.push(`${at}: unknown field "${key}" (allowed: check, resource, stacks, reason)`);
    }
    if (typeof entry.check !== "string" || !CHECK_ID.test(entry.check)) {
      problems.push(`${at}.check = ${JSON.stringify(entry.check)}: must be a checkov AWS check id like "CKV_AWS_2"`);
    }
    if (typeof entry.resource !== "string" || !/^[A-Za-z0-9_-]+$/.test(entry.resource)) {
      problems.push(`${at}.resource = ${JSON.stringify(entry.resource)}: must be a resource's logical id without the hash suffix, e.g. "load-balancer_http-listener"`);
    }
    if (entry.stacks !== undefined && (!Array.isArray(entry.stacks) || entry.stacks.length === 0 || entry.stacks.some((stack) => typeof stack !== "string"))) {
      problems.push(`${at}.stacks: must be a non-empty list of stack ids (leave it out for all stacks)`);
    }
    if (typeof entry.reason !== "string" || entry.reason.trim().length < 20) {
      problems.push(`${at}.reason: must say why the finding is accepted, in at least 20 characters`);
    }
    const key = `${String(entry.check)} ${String(entry.resource)} ${JSON.stringify(entry.stacks ?? "*")}`;
    if (seen.has(key)) {
      problems.push(`${at}: repeats an earlier entry for ${entry.check} on ${entry.resource}`);
    }
    seen.add(key);
  });
  if (problems.length > 0) {
    throw new Error(problems.join("\n"));
  }
  return skips as CheckovSkip[];
}

/** The logical id of a checkov resource id, without cdktf's hash suffix. */
export function baseName(resource: string): string {
  const name = resource.slice(resource.lastIndexOf(".") + 1);
  return name.replace(/_[0-9A-F]{8}$/, "");
}

/** The skip entry that accepts a failure, if any. */
export function skipFor(failure: CheckovFailure, skips: readonly CheckovSkip[]): CheckovSkip | undefined {
  return skips.find(
    (skip) => skip.check === failure.check && skip.resource === baseName(failure.resource) && (skip.stacks === undefined || skip.stacks.includes(failure.stack)),
  );
}

/** Splits failures into accepted and unlisted, and finds entries that matched nothing. */
export function classify(failures: readonly CheckovFailure[], skips: readonly CheckovSkip[]) {
  const used = new Set<CheckovSkip>();
  const unlisted: CheckovFailure[] = [];
  const accepted: { failure: CheckovFailure; skip: CheckovSkip }[] = [];
  for (const failure of failures) {
    const skip = skipFor(failure, skips);
    if (skip) {
      used.add(skip);
      accepted.push({ failure, skip });
    } else {
      unlisted.push(failure);
    }
  }
  return { accepted, unlisted, unused: skips.filter((skip) => !used.has(skip)) };
}
