/**
 * How long an instance refresh takes, estimated from the stack's own settings.
 *
 * The refresh replaces the group's N instances in batches. Auto Scaling keeps at least
 * ceil(N × minHealthy / 100) instances healthy and runs at most floor(N × maxHealthy / 100),
 * so one batch replaces
 *
 *   B = max(1, floor(N × maxHealthy / 100) − ceil(N × minHealthy / 100))
 *
 * instances (100 % / 200 % with N = 3: 6 − 3 = 3, everything in one batch), and there are
 * ceil(N / B) batches. Each batch waits, one after the other, for
 *
 *   boot     the new instances to start and the app to listen (not a stack setting:
 *            `--boot-seconds`, 0 unless given)
 *   healthy  the target group to see them healthy: interval × healthy threshold
 *   warmup   the refresh's instance warmup (falls back to the group's default instance
 *            warmup, then to its health check grace period, as Auto Scaling does)
 *   drain    the old instances to drain from the target group: deregistration delay
 *
 * plus, when checkpoints are configured, checkpoint delay once per checkpoint below 100 %.
 *
 *   total = batches × (boot + healthy + warmup + drain) + checkpoints × checkpointDelay
 *
 * It is an estimate of the refresh's own waiting, not a promise: instance launch and AMI
 * boot times vary, and a failed health check rolls the refresh back (auto rollback).
 */
export interface RolloutSettings {
  /** Instances in service now (the group's desired capacity in state). */
  readonly instances: number;
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
  /** Launch plus boot time of one instance, which no stack setting knows. @default 0 */
  readonly bootSeconds?: number;
}

export interface RolloutEstimate {
  readonly instances: number;
  readonly batchSize: number;
  readonly batches: number;
  readonly perBatchSeconds: {
    readonly boot: number;
    readonly healthy: number;
    readonly warmup: number;
    readonly drain: number;
  };
  readonly warmupSource: "instance_warmup" | "default_instance_warmup" | "health_check_grace_period";
  readonly checkpointSeconds: number;
  readonly totalSeconds: number;
  /** The arithmetic, spelled out for the report. */
  readonly formula: string;
}

function checkNonNegative(name: string, value: number | undefined): void {
  if (value !== undefined && (!Number.isFinite(value) || value < 0)) {
    throw new Error(`rollout estimate: ${name} must be a number >= 0, got ${value}`);
  }
}

export function estimateRollout(settings: RolloutSettings): RolloutEstimate {
  const { instances, minHealthyPercentage: minHealthy, maxHealthyPercentage: maxHealthy } = settings;
  for (const [name, value] of Object.entries(settings)) {
    if (typeof value === "number") checkNonNegative(name, value);
  }
  if (!Number.isInteger(instances)) {
    throw new Error(`rollout estimate: instances must be a whole number, got ${instances}`);
  }
  if (minHealthy > 100 || maxHealthy < 100 || maxHealthy > 200) {
    throw new Error(`rollout estimate: min healthy ${minHealthy} % must be <= 100 and max healthy ${maxHealthy} % within 100..200`);
  }
  const warmupSource =
    settings.instanceWarmupSeconds !== undefined
      ? "instance_warmup"
      : settings.defaultInstanceWarmupSeconds !== undefined
        ? "default_instance_warmup"
        : "health_check_grace_period";
  const warmup = settings.instanceWarmupSeconds ?? settings.defaultInstanceWarmupSeconds ?? settings.healthCheckGracePeriodSeconds;
  const boot = settings.bootSeconds ?? 0;
  const healthy = settings.healthCheckIntervalSeconds * settings.healthyThreshold;
  const drain = settings.deregistrationDelaySeconds;
  const batchSize = instances === 0 ? 0 : Math.max(1, Math.floor((instances * maxHealthy) / 100) - Math.ceil((instances * minHealthy) / 100));
  const batches = instances === 0 ? 0 : Math.ceil(instances / batchSize);
  const checkpoints = instances === 0 ? 0 : (settings.checkpointPercentages ?? []).filter((p) => p < 100).length;
  const checkpointSeconds = checkpoints * (settings.checkpointDelaySeconds ?? 0);
  const perBatch = boot + healthy + warmup + drain;
  const totalSeconds = batches * perBatch + checkpointSeconds;
  const formula =
    `${batches} batch${batches === 1 ? "" : "es"} of up to ${batchSize} (N = ${instances}, min ${minHealthy} %, max ${maxHealthy} %) × ` +
    `(boot ${boot} s + healthy ${settings.healthCheckIntervalSeconds} s × ${settings.healthyThreshold} + warmup ${warmup} s + drain ${drain} s)` +
    (checkpointSeconds ? ` + ${checkpoints} checkpoint${checkpoints === 1 ? "" : "s"} × ${settings.checkpointDelaySeconds} s` : "") +
    ` = ${totalSeconds} s`;
  return {
    instances,
    batchSize,
    batches,
    perBatchSeconds: { boot, healthy, warmup, drain },
    warmupSource,
    checkpointSeconds,
    totalSeconds,
    formula,
  };
}

/** "1 min 50 s", "45 s", "1 h 02 min". */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ""}`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")} min`;
}
