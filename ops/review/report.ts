/**
 * The review report: one model (written as JSON for machines) and its Markdown rendering
 * (the pull-request comment). Built from the plan JSON alone, so the same plan always
 * gives the same report.
 */
import { createHash } from "crypto";
import { EXIT } from "../shared/exit-codes";
import { ChangeClass, Finding, classifyChanges } from "./classify";
import { RolloutEstimate, RolloutSettings, estimateRollout, formatDuration } from "./estimate";
import { groupRefreshes, purchaseMix, runsSpot } from "./rules/fleet";
import { CostReport, PriceTable, costFlags, costLines, costOfPlan } from "./cost";
import { PlanJson, ResourceChange, assertPlanJson, changeKind, changedAttributes, withoutEmpty } from "./plan";

/**
 * Exit status of `npm run review`, from the exit-code table of every command
 * (ops/shared/exit-codes.ts). Needs approval: at least one disruptive change, a change the
 * review could not classify or that may hurt (needs review), or a check flagged the plan
 * (e.g. ROLLED-BACK-IMAGE: it deploys, or keeps the group on, an image an instance refresh
 * just rolled back). One code for all, so CI's approval gate covers all; the report's verdict
 * and flags say which.
 */
export const EXIT_CODES = { ok: EXIT.done, error: EXIT.error, disruptive: EXIT.needsApproval } as const;

export type Verdict = "no changes" | "benign" | "rolling update" | "disruptive" | "needs approval";

/**
 * A finding that does not come from a single resource change: added by other checks
 * (policy, rollout history, …). Severity "disruptive" counts like a disruptive change.
 */
export interface Flag {
  /** Stable id of the check, e.g. "ROLLBACK-IMAGE". */
  readonly id: string;
  readonly severity: "info" | "warning" | "disruptive";
  readonly message: string;
  /** The resource it is about, when there is one. */
  readonly address?: string;
}

/** A check that looks at the plan and adds flags; see `EXTRA_CHECKS`. */
export type ReviewCheck = (plan: PlanJson, findings: readonly Finding[]) => Flag[];

/**
 * Checks beyond the per-resource classification. Add one here (a pure function of the plan
 * and the findings): its flags appear in the report's "Flags" section and JSON `flags`, and
 * a "disruptive" flag makes the verdict "needs approval" (exit 2) and is shown under the verdict.
 */
export const EXTRA_CHECKS: ReviewCheck[] = [];

export interface RollingUpdate {
  /** The group being refreshed. */
  readonly group: string;
  readonly settings: RolloutSettings;
  readonly estimate: RolloutEstimate;
  readonly autoRollback: boolean;
  readonly skipMatching: boolean;
}

export interface ReviewReport {
  readonly schemaVersion: 1;
  readonly stack: string;
  readonly environment: string;
  readonly engine?: string;
  readonly verdict: Verdict;
  readonly exitCode: number;
  readonly counts: { readonly add: number; readonly change: number; readonly destroy: number; readonly replace: number };
  readonly disruptive: Finding[];
  /** Changes that may hurt or that no rule covers ("not classified: review by hand"): need approval. */
  readonly needsReview: Finding[];
  readonly rollingUpdate: Finding[];
  readonly benign: Finding[];
  readonly rollouts: RollingUpdate[];
  readonly flags: Flag[];
  /** Monthly list price before and after the change, the threshold check and the rollout's peak cost (ops/review/cost.ts). */
  readonly cost: CostReport;
  /** sha256 of the planned changes (address, actions, before, after, unknowns): equal plans, equal fingerprints. */
  readonly planFingerprint: string;
}

export interface ReportOptions {
  readonly stack: string;
  readonly environment: string;
  /** Launch and boot time of one instance for the estimate. @default DEFAULT_BOOT_SECONDS (estimate.ts) */
  readonly bootSeconds?: number;
  readonly checks?: readonly ReviewCheck[];
  /**
   * The environment is marked production (config `production: true`). Unknown (undefined):
   * a change to more Spot needs approval, as in production.
   */
  readonly production?: boolean;
  /** A raise of the monthly list price above this percentage needs approval (--cost-threshold). @default DEFAULT_COST_THRESHOLD_PERCENT (cost.ts) */
  readonly costThresholdPercent?: number;
  /** @default the committed table, ops/review/prices.json */
  readonly priceTable?: PriceTable;
}

/**
 * SPOT-IN-PRODUCTION: every group of a production environment that runs (after this plan) part
 * of its capacity above the On-Demand base on Spot is named, on every review, changed or not.
 */
export function spotFlags(plan: PlanJson, production: boolean | undefined): Flag[] {
  if (production !== true) return [];
  return (plan.resource_changes ?? [])
    .filter((rc) => rc.mode === "managed" && rc.type === "aws_autoscaling_group" && rc.change.after)
    .flatMap((rc) => {
      const mix = purchaseMix(rc.change.after, rc.change.after_unknown?.mixed_instances_policy);
      if (!runsSpot(mix)) return [];
      const share = mix.onDemandPercentage === undefined ? "a share known only after apply" : `${100 - mix.onDemandPercentage} %`;
      return [{
        id: "SPOT-IN-PRODUCTION",
        severity: "warning" as const,
        address: rc.address,
        message: `the group runs ${share} of its capacity above an On-Demand base of ${mix.base ?? "(known after apply)"} on Spot (${mix.spotAllocationStrategy ?? "AWS's default strategy"}${mix.instanceTypes.length ? `; ${mix.instanceTypes.join(", ")}` : ""}) in this production environment: allowed, and those instances can be reclaimed at two minutes' notice.`,
      }];
    });
}

function num(value: unknown, what: string): number {
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  if (typeof n !== "number" || !Number.isFinite(n)) {
    throw new Error(`the plan has no usable ${what} (got ${JSON.stringify(value)})`);
  }
  return n;
}

function optionalNum(value: unknown, what: string): number | undefined {
  return value === undefined || value === null || value === "" ? undefined : num(value, what);
}

function first<T>(value: unknown): T | undefined {
  return Array.isArray(value) ? (value[0] as T | undefined) : undefined;
}

/** The target group the refreshed group registers into: by ARN, else the only one. */
function targetGroupFor(plan: PlanJson, group: ResourceChange): Record<string, unknown> {
  const groups = (plan.resource_changes ?? []).filter((rc) => rc.mode === "managed" && (rc.type === "aws_lb_target_group" || rc.type === "aws_alb_target_group"));
  const arns = [...((group.change.before?.target_group_arns as string[]) ?? []), ...((group.change.after?.target_group_arns as string[]) ?? [])];
  const byArn = groups.find((tg) => arns.includes(tg.change.before?.arn as string) || arns.includes(tg.change.after?.arn as string));
  const chosen = byArn ?? (groups.length === 1 ? groups[0] : undefined);
  if (!chosen) {
    throw new Error(`cannot tell which target group ${group.address} registers into (found ${groups.length}); the estimate needs its health check and deregistration delay`);
  }
  return (chosen.change.after ?? chosen.change.before)!;
}

/**
 * The instances the refresh replaces: the group's desired capacity after the change; the
 * capacity in state when the plan does not know it yet (unknown after) or does not set it
 * (ignore_changes keeps the state's value, as with CPU target tracking on); clamped into the
 * group's min_size..max_size after the change, as Auto Scaling does.
 */
function capacityAfter(group: ResourceChange): { instances: number; instancesBefore?: number } {
  const before = group.change.before ?? {};
  const after = group.change.after ?? {};
  const unknown = (group.change.after_unknown ?? {}) as Record<string, unknown>;
  const known = (key: string) => (unknown[key] === true ? undefined : optionalNum(after[key], `${group.address} ${key} after the change`));
  const stateDesired = optionalNum(before.desired_capacity, `${group.address} desired_capacity in state`);
  let instances = known("desired_capacity") ?? stateDesired;
  if (instances === undefined) {
    throw new Error(`the plan has no usable ${group.address} desired_capacity (neither after the change nor in state)`);
  }
  const minSize = known("min_size");
  const maxSize = known("max_size");
  if (minSize !== undefined) instances = Math.max(instances, minSize);
  if (maxSize !== undefined) instances = Math.min(instances, maxSize);
  return stateDesired !== undefined && stateDesired !== instances ? { instances, instancesBefore: stateDesired } : { instances };
}

const TERMINATING = "autoscaling:EC2_INSTANCE_TERMINATING";

/**
 * The heartbeat timeout of the group's terminating hook: an initial hook of the group, or an
 * aws_autoscaling_lifecycle_hook naming it (the only group of the plan when the name is not
 * known yet). The longest when there are several: each holds the instance.
 */
function terminatingHookSeconds(plan: PlanJson, group: ResourceChange): number | undefined {
  const after = group.change.after ?? {};
  const groups = (plan.resource_changes ?? []).filter((rc) => rc.mode === "managed" && rc.type === "aws_autoscaling_group");
  const initial = ((after.initial_lifecycle_hook as Array<Record<string, unknown>> | undefined) ?? []).filter((hook) => hook.lifecycle_transition === TERMINATING);
  const separate = (plan.resource_changes ?? [])
    .filter((rc) => rc.mode === "managed" && rc.type === "aws_autoscaling_lifecycle_hook" && rc.change.after !== null && rc.change.after !== undefined)
    .map((rc) => rc.change.after as Record<string, unknown>)
    .filter((hook) => hook.lifecycle_transition === TERMINATING)
    .filter((hook) => (hook.autoscaling_group_name === undefined ? groups.length === 1 : hook.autoscaling_group_name === after.name));
  // AWS's default heartbeat timeout is 3600 s.
  const timeouts = [...initial, ...separate].map((hook) => optionalNum(hook.heartbeat_timeout, "lifecycle hook heartbeat_timeout") ?? 3600);
  return timeouts.length ? Math.max(...timeouts) : undefined;
}

/** The group's warm pool after the change, for the estimate. */
function warmPoolOf(group: ResourceChange): RolloutSettings["warmPool"] {
  const after = group.change.after ?? {};
  const pool = first<Record<string, unknown>>(after.warm_pool);
  if (pool === undefined) return undefined;
  return {
    minSize: optionalNum(pool.min_size, "warm_pool.min_size") ?? 0,
    maxPreparedCapacity: optionalNum(pool.max_group_prepared_capacity, "warm_pool.max_group_prepared_capacity"),
    maxSize: num(after.max_size, `${group.address} max_size`),
    state: typeof pool.pool_state === "string" ? pool.pool_state : undefined,
  };
}

/** The settings that govern a group's refresh, read from the plan; boot time from --boot-seconds, else the estimate's default. */
export function rolloutSettings(plan: PlanJson, group: ResourceChange, bootSeconds?: number): RollingUpdate {
  const after = group.change.after ?? {};
  const refresh = first<Record<string, unknown>>(after.instance_refresh) ?? {};
  const preferences = first<Record<string, unknown>>(refresh.preferences) ?? {};
  // Without refresh preferences, AWS uses the group's instance maintenance policy, else 90 % / 100 %.
  const maintenance = first<Record<string, unknown>>(after.instance_maintenance_policy) ?? {};
  const targetGroup = targetGroupFor(plan, group);
  const healthCheck = first<Record<string, unknown>>(targetGroup.health_check) ?? {};
  let settings: RolloutSettings = {
    ...capacityAfter(group),
    minHealthyPercentage:
      optionalNum(preferences.min_healthy_percentage, "min_healthy_percentage") ?? optionalNum(maintenance.min_healthy_percentage, "instance_maintenance_policy.min_healthy_percentage") ?? 90,
    maxHealthyPercentage:
      optionalNum(preferences.max_healthy_percentage, "max_healthy_percentage") ?? optionalNum(maintenance.max_healthy_percentage, "instance_maintenance_policy.max_healthy_percentage") ?? 100,
    instanceWarmupSeconds: optionalNum(preferences.instance_warmup, "instance_warmup"),
    defaultInstanceWarmupSeconds: optionalNum(after.default_instance_warmup, "default_instance_warmup") || undefined,
    healthCheckGracePeriodSeconds: optionalNum(after.health_check_grace_period, "health_check_grace_period") ?? 300,
    healthCheckIntervalSeconds: num(healthCheck.interval, "target group health_check.interval"),
    healthyThreshold: num(healthCheck.healthy_threshold, "target group health_check.healthy_threshold"),
    deregistrationDelaySeconds: optionalNum(targetGroup.deregistration_delay, "deregistration_delay") ?? 300,
    checkpointPercentages: (preferences.checkpoint_percentages as number[] | undefined) ?? undefined,
    checkpointDelaySeconds: optionalNum(preferences.checkpoint_delay, "checkpoint_delay"),
    ...(bootSeconds === undefined ? {} : { bootSeconds }),
  };
  const hook = terminatingHookSeconds(plan, group);
  const warmPool = warmPoolOf(group);
  if (hook !== undefined) settings = { ...settings, terminatingHookSeconds: hook };
  if (warmPool !== undefined) settings = { ...settings, warmPool };
  return {
    group: group.address,
    settings,
    estimate: estimateRollout(settings),
    autoRollback: preferences.auto_rollback === true,
    skipMatching: preferences.skip_matching === true,
  };
}

/**
 * ROLLOUT: what the estimate found about a refresh. Settings that can take every instance out
 * of service at once, or that AWS rejects, need approval; a capacity dip is a warning.
 */
export function rolloutFlags(rollout: RollingUpdate): Flag[] {
  return rollout.estimate.warnings.map((w) => ({
    id: "ROLLOUT",
    severity: w.kind === "capacity" ? "warning" : "disruptive",
    address: rollout.group,
    message: w.kind === "outage" ? `instance refresh outage: ${w.message}` : w.message,
  }));
}

export function planFingerprint(plan: PlanJson): string {
  const changes = (plan.resource_changes ?? [])
    .filter((rc) => !["no-op", "read"].includes(changeKind(rc.change.actions)))
    .map((rc) => [rc.address, rc.change.actions, rc.change.before, rc.change.after, rc.change.after_unknown ?? {}])
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
  return createHash("sha256").update(JSON.stringify(changes)).digest("hex");
}

/**
 * DRIFT: resources changed outside tofu (the plan's resource_drift), listed. A resource
 * deleted outside tofu, or drift this plan reverts (an attribute tofu marks relevant, or one
 * the plan's own change to that resource sets back), needs approval: the plan undoes
 * something someone did on purpose or by accident. Other drift (what tofu only records in
 * state, e.g. attributes the provider reads back differently after the first refresh) is
 * listed as info.
 */
export function driftFlags(plan: PlanJson): Flag[] {
  const drift = (plan as { resource_drift?: ResourceChange[] }).resource_drift ?? [];
  const relevant = new Map<string, Set<string>>();
  for (const r of (plan as { relevant_attributes?: Array<{ resource: string; attribute: unknown[] }> }).relevant_attributes ?? []) {
    const first = Array.isArray(r.attribute) ? r.attribute[0] : undefined;
    if (typeof first === "string") relevant.set(r.resource, new Set([...(relevant.get(r.resource) ?? []), first]));
  }
  const flags: Flag[] = [];
  const recorded: string[] = [];
  for (const rc of drift) {
    if (!rc || rc.mode !== "managed" || !Array.isArray(rc.change?.actions)) continue;
    const kind = changeKind(rc.change.actions);
    if (kind === "no-op" || kind === "read") continue;
    if (kind === "delete") {
      flags.push({ id: "DRIFT", severity: "disruptive", address: rc.address, message: `${rc.address} was deleted outside tofu; this plan creates it again. Find out who deleted it and why before approving.` });
      continue;
    }
    const changed = changedAttributes({ ...rc.change, after_unknown: {} });
    if (changed.length === 0) continue;
    const planned = (plan.resource_changes ?? []).find((c) => c.address === rc.address);
    // Reverted: the plan changes the attribute back to the value the state had before the drift.
    const plannedChanges = planned && !["no-op", "read"].includes(changeKind(planned.change.actions)) ? changedAttributes(planned.change) : [];
    const reverted = new Set(
      plannedChanges.filter((a) => {
        const unknown = (planned!.change.after_unknown ?? {})[a];
        const same = JSON.stringify(withoutEmpty(planned!.change.after?.[a])) === JSON.stringify(withoutEmpty(rc.change.before?.[a]));
        return !JSON.stringify(unknown ?? false).includes("true") && same;
      }),
    );
    const undone = changed.filter((a) => reverted.has(a) || relevant.get(rc.address)?.has(a));
    if (undone.length) {
      flags.push({
        id: "DRIFT",
        severity: "disruptive",
        address: rc.address,
        message: `${rc.address} was changed outside tofu (${undone.join(", ")}); this plan sets it back to the configuration. Find out who changed it and why before approving.`,
      });
    } else {
      recorded.push(`${rc.address} (${changed.join(", ")})`);
    }
  }
  if (recorded.length) {
    flags.push({ id: "DRIFT", severity: "info", message: `read back differently from the last state; this plan does not change them, tofu only records it: ${recorded.join("; ")}.` });
  }
  return flags;
}

export function buildReport(planInput: unknown, options: ReportOptions): ReviewReport {
  assertPlanJson(planInput);
  const plan = planInput;
  const findings = classifyChanges(plan, { production: options.production });
  const byClass = (c: ChangeClass) => findings.filter((f) => f.class === c);
  const counts = { add: 0, change: 0, destroy: 0, replace: 0 };
  for (const f of findings) {
    if (f.kind === "create" || f.kind === "replace") counts.add++;
    if (f.kind === "delete" || f.kind === "replace") counts.destroy++;
    if (f.kind === "replace") counts.replace++;
    if (f.kind === "update") counts.change++;
  }
  // Every group the apply refreshes gets an estimate, whatever its class: a refresh at unsafe
  // settings is why a group is disruptive, and the estimate says what it does.
  const rollouts = findings
    .filter((f) => f.type === "aws_autoscaling_group" && f.kind === "update")
    .map((f) => (plan.resource_changes ?? []).find((rc) => rc.address === f.address)!)
    .filter((rc) => groupRefreshes(rc, changedAttributes(rc.change)))
    .map((rc) => rolloutSettings(plan, rc, options.bootSeconds));
  const cost = costOfPlan(plan, { thresholdPercent: options.costThresholdPercent, table: options.priceTable, rollouts });
  const flags = [...(options.checks ?? EXTRA_CHECKS).flatMap((check) => check(plan, findings)), ...driftFlags(plan), ...rollouts.flatMap(rolloutFlags), ...spotFlags(plan, options.production), ...costFlags(cost)];
  const flagged = flags.some((f) => f.severity === "disruptive");
  const disruptive = byClass("disruptive").length > 0 || byClass("needs-review").length > 0 || flagged;
  const verdict: Verdict = byClass("disruptive").length > 0
    ? "disruptive"
    : flagged || byClass("needs-review").length > 0
      ? "needs approval"
      : byClass("rolling-update").length > 0
      ? "rolling update"
      : findings.length > 0
        ? "benign"
        : "no changes";
  return {
    schemaVersion: 1,
    stack: options.stack,
    environment: options.environment,
    engine: plan.terraform_version,
    verdict,
    exitCode: disruptive ? EXIT_CODES.disruptive : EXIT_CODES.ok,
    counts,
    disruptive: byClass("disruptive"),
    needsReview: byClass("needs-review"),
    rollingUpdate: byClass("rolling-update"),
    benign: byClass("benign"),
    rollouts,
    flags,
    cost,
    planFingerprint: planFingerprint(plan),
  };
}

// ------------------------------------------------------------------------------ Markdown

const VERDICT_LINE: Record<Verdict, string> = {
  disruptive: "🛑 **Disruptive**: this change interrupts the running service. Approve it explicitly.",
  "rolling update": "🔄 **Rolling update**: the instances are replaced by instance refresh behind the load balancer; no downtime expected.",
  benign: "✅ **Benign**: nothing running is replaced.",
  "no changes": "✅ **No changes**: the infrastructure matches the configuration.",
  "needs approval": "🛑 **Needs approval**: this plan has changes that may hurt, that the review could not classify, or that a check flagged (see below). Approve it explicitly only once you have read why.",
};

/** Escapes text for a Markdown table cell. */
function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function nameText(f: Finding): string {
  if (!f.name) return "";
  const { before, after } = f.name;
  return before && after && before !== after ? `\`${before}\` → \`${after}\`` : `\`${before ?? after}\``;
}

function findingRow(f: Finding): string {
  const forced = f.forcedBy.length ? f.forcedBy.map((p) => `\`${p}\``).join(", ") : f.kind === "update" ? "" : (f.reason ?? "");
  return `| ${f.kind} | \`${cell(f.address)}\` | ${cell(f.role)} | ${nameText(f)} | ${cell(forced)} | ${cell(f.impact)} |`;
}

const TABLE_HEAD = ["| action | resource | role | name | forced by | why it matters |", "|---|---|---|---|---|---|"];

/** The rollout part of the Markdown: size, capacity during the refresh, duration, warnings. */
function rolloutLines(r: RollingUpdate): string[] {
  const e = r.estimate;
  const s = r.settings;
  const n = (count: number, word: string, many = `${word}s`) => `${count} ${count === 1 ? word : many}`;
  const order =
    e.launchedFirst && e.takenOutFirst
      ? `${e.launchedFirst} launched before and ${e.takenOutFirst} taken out before the new ones are ready`
      : e.launchedFirst
        ? `new instances launched before old ones are taken out`
        : `old instances taken out before their replacements are ready`;
  const extra = e.peakInstances - e.instances;
  const lines = [
    `- \`${r.group}\`: **${n(e.instances, "instance")}** replaced by instance refresh` +
      (s.instancesBefore !== undefined ? ` (the desired capacity after this change; ${s.instancesBefore} now)` : "") +
      ` at min ${s.minHealthyPercentage} % / max ${s.maxHealthyPercentage} % healthy, ` +
      `${n(e.batches, "batch", "batches")} of up to ${e.batchSize}` +
      (e.batchSize ? ` (${order})` : "") +
      `; auto rollback ${r.autoRollback ? "on" : "**off**"}.`,
    `- Capacity during the refresh: at least **${e.minInService} in service**, at most **${n(e.peakInstances, "instance")} running** at once` +
      (extra > 0 ? ` (${extra} more than after the change, billed while the refresh runs)` : "") +
      ".",
    `- Estimated duration: **${formatDuration(e.totalSeconds)}**: ${e.formula} (warmup from \`${e.warmupSource}\`, counted once with the health checks; ` +
      (e.bootSource === "default"
        ? `boot ${e.perBatchSeconds.boot} s is the default assumption for launch until the app answers: pass --boot-seconds N with your measured time).`
        : `boot from --boot-seconds).`),
  ];
  if (e.perBatchSeconds.hold) {
    lines.push(`- Terminating hook: each old instance is held ${e.perBatchSeconds.hold} s (its heartbeat timeout; nothing completes the action early) after its ${e.perBatchSeconds.drain} s drain, counted in every batch.`);
  }
  if (s.warmPool) {
    lines.push(
      `- Warm pool (${s.warmPool.state ?? "Stopped"}, ${n(e.warmPoolInstances, "instance")}): its instances run the launch template being replaced, so none of the group's replacements comes from it and each one boots (pool instances skip boot on scale-outs, not in a refresh). ` +
        `AWS replaces the pool's instances after the group's; they take no traffic, counted as ${formatDuration(e.warmPoolSeconds)} of boots.`,
    );
  }
  for (const w of e.warnings) {
    lines.push(`- ${w.kind === "capacity" ? "⚠️" : "🛑"} **${w.kind === "outage" ? "Outage" : w.kind === "rejected" ? "AWS rejects these settings" : "Capacity dips"}**: ${w.message}`);
  }
  return lines;
}

/** The Markdown for the pull-request comment. `marker` lets the workflow find and update it. */
export function renderMarkdown(report: ReviewReport, marker = `<!-- sample-app-review:${report.stack} -->`): string {
  const c = report.counts;
  const lines: string[] = [
    marker,
    `### Plan review: \`${report.stack}\``,
    "",
    VERDICT_LINE[report.verdict],
    "",
    `**${c.add} to add, ${c.change} to change, ${c.destroy} to destroy** (${c.replace} replaced)${report.engine ? ` · engine ${report.engine}` : ""} · exit code ${report.exitCode}`,
  ];
  // Flags that need an approval come first, as a caution block, not after the tables.
  const blocking = report.flags.filter((f) => f.severity === "disruptive");
  if (blocking.length) {
    lines.push("", "> [!CAUTION]", ...blocking.map((f) => `> **\`${f.id}\`**${f.address ? ` (\`${f.address}\`)` : ""}: ${f.message}`).flatMap((l, i) => (i ? [">", l] : [l])));
  }
  if (report.disruptive.length) {
    lines.push("", "#### Disruptive", "", ...TABLE_HEAD, ...report.disruptive.map(findingRow));
  }
  if (report.needsReview.length) {
    lines.push("", "#### Needs review", "", ...TABLE_HEAD, ...report.needsReview.map(findingRow));
  }
  if (report.rollingUpdate.length || report.rollouts.length) {
    lines.push("", "#### Rolling update", "");
    for (const r of report.rollouts) lines.push(...rolloutLines(r));
    if (report.rollingUpdate.length) lines.push("", ...TABLE_HEAD, ...report.rollingUpdate.map(findingRow));
  }
  if (report.benign.length) {
    lines.push("", `<details><summary>Benign (${report.benign.length})</summary>`, "", ...TABLE_HEAD, ...report.benign.map(findingRow), "", "</details>");
  }
  lines.push("", "#### Cost", "", ...costLines(report.cost));
  const others = report.flags.filter((f) => f.severity !== "disruptive");
  if (others.length) {
    lines.push("", "#### Flags", "", ...others.map((f) => `- **${f.severity}** \`${f.id}\`${f.address ? ` (\`${f.address}\`)` : ""}: ${f.message}`));
  }
  lines.push("", `<sub>plan fingerprint \`${report.planFingerprint.slice(0, 16)}\` · \`npm run review -- ${report.environment}\`</sub>`, "");
  return lines.join("\n");
}
