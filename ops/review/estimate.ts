/**
 * How long an instance refresh takes, what it costs and how low it lets capacity go,
 * estimated from the stack's own settings as AWS documents instance refresh
 * (https://docs.aws.amazon.com/autoscaling/ec2/userguide/instance-refresh-overview.html and
 * .../instance-maintenance-policy-overview-and-considerations.html).
 *
 * N is the group's desired capacity AFTER the change (report.ts reads it from the plan): the
 * refresh replaces the instances the group will have, not the ones it has now.
 *
 * Batches. Auto Scaling keeps at least ceil(N × minHealthy / 100) instances in service and
 * healthy ("rounded up to the nearest integer") and lets in-service plus pending instances grow
 * to floor(N × maxHealthy / 100) (not above the maximum). Each batch therefore
 *
 *   launches  S = maxCount − N          new instances before it takes any old one out, and
 *   takes out T = N − minCount          old instances before their replacements are ready,
 *
 * replacing B = S + T = maxCount − minCount instances (capped at N). When that is 0 (e.g. N = 4,
 * 90 % / 100 %: 4 − 4), Auto Scaling still replaces one instance at a time: it launches first at
 * min healthy 100 % (AWS: "To replace one instance at a time, set both the minimum and maximum
 * healthy percentage to 100 percent. This changes the behavior [...] to launch before
 * terminating"), and otherwise takes one out first (terminate and launch, which AWS calls the
 * legacy default of instance refresh; we assume it also where max healthy is above 100 % but
 * rounds to no room, so the report warns of the dip rather than miss it). With max healthy 100 % there is
 * no room to launch first (S = 0): old instances go first, down to the minimum. With min
 * healthy 100 % nothing may go first (T = 0): new instances are launched up to the maximum.
 * Checkpoints (checkpoint_percentages below 100) end a batch early: the refresh replaces up to
 * ceil(N × p / 100) instances, pauses checkpoint_delay (AWS default 3600 s when only the
 * percentages are set), then goes on.
 *
 * Time per batch:
 *
 *   boot     launch until the app answers: pending → running, the OS boot, the app's start.
 *            No stack setting knows it; `--boot-seconds`, default DEFAULT_BOOT_SECONDS.
 *   ready    the new instances count as healthy "after [they] successfully complete [their]
 *            first health check and the specified warmup time passes". Both clocks start
 *            around InService (Auto Scaling registers the instance with the target group
 *            before it marks it InService, and the warmup runs from InService), so they
 *            overlap and count once: max(healthy, warmup), where healthy = target group
 *            interval × healthy threshold and warmup = the refresh's instance_warmup, else the
 *            group's default_instance_warmup, else its health_check_grace_period (AWS's
 *            fallbacks). The grace period adds nothing besides: it only delays acting on
 *            failed health checks. Starting both clocks at the end of `boot` makes this an
 *            upper bound: InService comes when EC2 reports the instance running, a little
 *            before the app answers.
 *   drain    the old instances of the batch leave the target group: its deregistration delay
 *            (before their replacements launch when they are taken out first, after the new
 *            ones are ready when those are launched first; counted once per batch, which can
 *            overstate a launch-first refresh by up to (batches − 1) × drain if AWS starts the
 *            next batch while the last one drains).
 *
 *   hold     a terminating lifecycle hook's heartbeat timeout: each old instance waits in
 *            Terminating:Wait for all of it (nothing in this stack completes the action early),
 *            counted after the drain (an upper bound: AWS may run the two together).
 *
 *   total = batches × (boot + max(healthy, warmup) + drain + hold) + checkpoints × checkpointDelay
 *           + warm pool
 *
 * Warm pool. Its instances were launched from the launch template the refresh replaces, so no
 * replacement comes from the pool: every new instance of the group boots (instances from the
 * pool skip boot on a scale-out, not in a refresh). AWS then replaces the pool's P instances as
 * well (InstanceRefreshProgressDetails.WarmPoolProgress); they take no traffic and nothing
 * drains, so that part is counted as ceil(P / B) × boot. P = max(pool min size, max prepared
 * capacity − N), the max prepared capacity being the group's max size when unset (AWS's rule).
 *
 * Capacity: at most N + S instances run at once (peakInstances: the refresh's extra cost), and
 * at least N − T are in service (0: the service is down until new instances are ready).
 *
 * AWS rejects max healthy − min healthy > 100 (InstanceMaintenancePolicy / RefreshPreferences:
 * "the difference between them cannot be greater than 100"): the plan applies the launch
 * template, then StartInstanceRefresh fails. That, and every batch that can take the last
 * instance out of service, comes back as a warning the report turns into a flag that needs
 * approval. Values outside the provider's own ranges (min 0..100, max 100..200) cannot be in a
 * plan and are refused.
 *
 * It is an estimate of the refresh's own waiting, not a promise: launch and boot times vary,
 * and a failed health check or alarm stops or rolls the refresh back.
 */

/**
 * Launch-to-listening time of one instance when `--boot-seconds` is not given. 60 s: EC2 takes
 * typically 10–30 s from pending to running on Nitro instance types, Amazon Linux 2023 boots to
 * its services in roughly 15–30 s more, and the app is baked into the image (packer/), so PM2
 * starts it in seconds with nothing to install at boot; the first reads of a root volume
 * restored from a snapshot are slower. These are typical figures, not measured by this project:
 * measure yours (launch time to the first healthy target) and pass it with --boot-seconds.
 */
export const DEFAULT_BOOT_SECONDS = 60;

/** AWS's checkpoint_delay when checkpoint_percentages are given without one. */
export const DEFAULT_CHECKPOINT_DELAY_SECONDS = 3600;

export interface RolloutSettings {
  /** Instances the refresh replaces: the group's desired capacity after the change. */
  readonly instances: number;
  /** The desired capacity in state, when it differs from `instances`. */
  readonly instancesBefore?: number;
  readonly minHealthyPercentage: number;
  readonly maxHealthyPercentage: number;
  /** instance_refresh.preferences.instance_warmup, when set. */
  readonly instanceWarmupSeconds?: number;
  /** default_instance_warmup of the group, when set. */
  readonly defaultInstanceWarmupSeconds?: number;
  /** health_check_grace_period of the group. */
  readonly healthCheckGracePeriodSeconds: number;
  readonly healthCheckIntervalSeconds: number;
  readonly healthyThreshold: number;
  readonly deregistrationDelaySeconds: number;
  /** checkpoint_percentages of the refresh preferences. */
  readonly checkpointPercentages?: readonly number[];
  readonly checkpointDelaySeconds?: number;
  /** Launch plus boot time of one instance, which no stack setting knows. @default DEFAULT_BOOT_SECONDS */
  readonly bootSeconds?: number;
  /** Heartbeat timeout of a terminating lifecycle hook on the group, when it has one. */
  readonly terminatingHookSeconds?: number;
  /** The group's warm pool, when it has one. */
  readonly warmPool?: {
    readonly minSize: number;
    /** -1 (or unset): the group's max size. */
    readonly maxPreparedCapacity?: number;
    /** The group's max size after the change. */
    readonly maxSize: number;
    readonly state?: string;
  };
}

export interface RolloutWarning {
  /**
   * outage: the refresh can take every instance out of service at once; rejected: AWS refuses
   * these settings (the apply fails half-way); capacity: in-service capacity dips below what
   * the settings suggest.
   */
  readonly kind: "outage" | "rejected" | "capacity";
  readonly message: string;
}

export interface RolloutEstimate {
  /** N: the desired capacity after the change. */
  readonly instances: number;
  /** Instances replaced per batch (B). */
  readonly batchSize: number;
  readonly batches: number;
  /** New instances launched per batch before any old one is taken out (S). */
  readonly launchedFirst: number;
  /** Old instances taken out per batch before their replacements are ready (T). */
  readonly takenOutFirst: number;
  /** Fewest instances in service during the refresh (N − T). */
  readonly minInService: number;
  /** Most instances running at once (N + S): what the refresh costs on top of N. */
  readonly peakInstances: number;
  readonly perBatchSeconds: {
    readonly boot: number;
    readonly healthy: number;
    readonly warmup: number;
    /** max(healthy, warmup): they run at the same time. */
    readonly ready: number;
    readonly drain: number;
    /** The terminating hook's heartbeat timeout (0 without one). */
    readonly hold: number;
  };
  /** Instances in the warm pool (P), replaced after the group's; 0 without a pool. */
  readonly warmPoolInstances: number;
  /** Time to replace the warm pool's instances: ceil(P / B) × boot. */
  readonly warmPoolSeconds: number;
  readonly warmupSource: "instance_warmup" | "default_instance_warmup" | "health_check_grace_period";
  /** Where `boot` comes from: --boot-seconds, or DEFAULT_BOOT_SECONDS. */
  readonly bootSource: "--boot-seconds" | "default";
  readonly checkpointSeconds: number;
  readonly totalSeconds: number;
  /** The arithmetic, spelled out for the report. */
  readonly formula: string;
  readonly warnings: RolloutWarning[];
}

function checkNonNegative(name: string, value: number | undefined): void {
  if (value !== undefined && (!Number.isFinite(value) || value < 0)) {
    throw new Error(`rollout estimate: ${name} must be a number >= 0, got ${value}`);
  }
}

const plural = (n: number, word: string, many = `${word}s`) => `${n} ${n === 1 ? word : many}`;

/** Batches, with checkpoints ending a batch early: instances replaced before each pause. */
function batchCount(instances: number, batchSize: number, checkpoints: readonly number[]): { batches: number; pauses: number } {
  const stops = [...new Set(checkpoints.filter((p) => p < 100).map((p) => Math.min(instances, Math.ceil((instances * p) / 100))))]
    .filter((n) => n > 0 && n < instances)
    .sort((a, b) => a - b);
  let batches = 0;
  let done = 0;
  for (const stop of [...stops, instances]) {
    batches += Math.ceil((stop - done) / batchSize);
    done = stop;
  }
  return { batches, pauses: stops.length };
}

export function estimateRollout(settings: RolloutSettings): RolloutEstimate {
  const { instances, minHealthyPercentage: minHealthy, maxHealthyPercentage: maxHealthy } = settings;
  for (const [name, value] of Object.entries(settings)) {
    if (typeof value === "number") checkNonNegative(name, value);
  }
  for (const [name, value] of Object.entries(settings.warmPool ?? {})) {
    if (typeof value === "number" && name !== "maxPreparedCapacity") checkNonNegative(`warmPool.${name}`, value);
  }
  if (!Number.isInteger(instances)) {
    throw new Error(`rollout estimate: instances must be a whole number, got ${instances}`);
  }
  if (minHealthy > 100 || maxHealthy < 100 || maxHealthy > 200) {
    throw new Error(`rollout estimate: min healthy ${minHealthy} % must be <= 100 and max healthy ${maxHealthy} % within 100..200`);
  }
  const warnings: RolloutWarning[] = [];
  if (maxHealthy - minHealthy > 100) {
    warnings.push({
      kind: "rejected",
      message:
        `AWS rejects min healthy ${minHealthy} % with max healthy ${maxHealthy} %: the two may be at most 100 points apart. ` +
        "The apply updates the launch template and the group, then fails to start the instance refresh, so the running instances keep the old configuration.",
    });
  }

  const warmupSource =
    settings.instanceWarmupSeconds !== undefined
      ? "instance_warmup"
      : settings.defaultInstanceWarmupSeconds !== undefined
        ? "default_instance_warmup"
        : "health_check_grace_period";
  const warmup = settings.instanceWarmupSeconds ?? settings.defaultInstanceWarmupSeconds ?? settings.healthCheckGracePeriodSeconds;
  const boot = settings.bootSeconds ?? DEFAULT_BOOT_SECONDS;
  const healthy = settings.healthCheckIntervalSeconds * settings.healthyThreshold;
  const ready = Math.max(healthy, warmup);
  const drain = settings.deregistrationDelaySeconds;
  const hold = settings.terminatingHookSeconds ?? 0;

  const minCount = Math.ceil((instances * minHealthy) / 100);
  const maxCount = Math.floor((instances * maxHealthy) / 100);
  let launchedFirst = Math.max(0, maxCount - instances);
  let takenOutFirst = Math.max(0, instances - minCount);
  if (instances > 0 && launchedFirst + takenOutFirst === 0) {
    // No room either way: one at a time, launched first at min healthy 100 %.
    if (minHealthy === 100) launchedFirst = 1;
    else takenOutFirst = 1;
  }
  // A batch never replaces more than the group has (only a spread AWS rejects gets here).
  takenOutFirst = Math.min(takenOutFirst, instances);
  launchedFirst = Math.min(launchedFirst, instances - takenOutFirst);
  const batchSize = instances === 0 ? 0 : launchedFirst + takenOutFirst;
  const checkpointPercentages = settings.checkpointPercentages ?? [];
  const { batches, pauses } = instances === 0 ? { batches: 0, pauses: 0 } : batchCount(instances, batchSize, checkpointPercentages);
  const checkpointDelay = checkpointPercentages.length ? (settings.checkpointDelaySeconds ?? DEFAULT_CHECKPOINT_DELAY_SECONDS) : (settings.checkpointDelaySeconds ?? 0);
  const checkpointSeconds = pauses * checkpointDelay;
  const perBatch = boot + ready + drain + hold;
  const pool = settings.warmPool;
  const prepared = pool === undefined ? 0 : pool.maxPreparedCapacity === undefined || pool.maxPreparedCapacity < 0 ? pool.maxSize : pool.maxPreparedCapacity;
  const warmPoolInstances = pool === undefined ? 0 : Math.max(pool.minSize, prepared - instances, 0);
  const warmPoolSeconds = warmPoolInstances === 0 || batchSize === 0 ? 0 : Math.ceil(warmPoolInstances / batchSize) * boot;
  const totalSeconds = batches * perBatch + checkpointSeconds + warmPoolSeconds;
  const minInService = instances - takenOutFirst;
  const peakInstances = instances + launchedFirst;

  if (instances > 0 && minInService === 0) {
    warnings.push({
      kind: "outage",
      message:
        minHealthy === 0
          ? `min healthy 0 %: Auto Scaling may take all ${plural(instances, "instance")} out of service at once; the service answers nothing until new instances are ready (about ${boot + ready} s per batch).`
          : // min > 0 keeps ceil(N × min / 100) >= 1, so only a group of one gets here.
            `the group's only instance is taken out of service before its replacement is ready (min healthy ${minHealthy} % of 1, max healthy ${maxHealthy} %); the service answers nothing for about ${drain + boot + ready} s. Set min healthy to 100 % so the new instance is launched first.`,
    });
  } else if (instances > 0 && minInService < minCount) {
    warnings.push({
      kind: "capacity",
      message: `min healthy ${minHealthy} % of ${instances} rounds up to all ${minCount} and max healthy ${maxHealthy} % leaves no room to launch first, so in service may drop to ${minInService} while each replacement starts.`,
    });
  }

  const formula =
    `${plural(batches, "batch", "batches")} of up to ${batchSize} (N = ${instances}, min ${minHealthy} %, max ${maxHealthy} %) × ` +
    `(boot ${boot} s + max(healthy ${settings.healthCheckIntervalSeconds} s × ${settings.healthyThreshold}, warmup ${warmup} s) + drain ${drain} s` +
    (hold ? ` + terminating hook ${hold} s` : "") +
    ")" +
    (checkpointSeconds ? ` + ${plural(pauses, "checkpoint")} × ${checkpointDelay} s` : "") +
    (warmPoolSeconds ? ` + warm pool ${Math.ceil(warmPoolInstances / batchSize)} × boot ${boot} s` : "") +
    ` = ${totalSeconds} s`;
  return {
    instances,
    batchSize,
    batches,
    launchedFirst,
    takenOutFirst,
    minInService,
    peakInstances,
    perBatchSeconds: { boot, healthy, warmup, ready, drain, hold },
    warmPoolInstances,
    warmPoolSeconds,
    warmupSource,
    bootSource: settings.bootSeconds === undefined ? "default" : "--boot-seconds",
    checkpointSeconds,
    totalSeconds,
    formula,
    warnings,
  };
}

/** "1 min 50 s", "45 s", "1 h 02 min". */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ""}`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")} min`;
}
