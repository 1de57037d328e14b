/**
 * The rollout estimate against AWS's documentation of instance refresh
 * (https://docs.aws.amazon.com/autoscaling/ec2/userguide/instance-refresh-overview.html,
 * .../instance-maintenance-policy-overview-and-considerations.html), the worked numbers in
 * each test's name.
 */
import { DEFAULT_BOOT_SECONDS, RolloutSettings, estimateRollout, formatDuration } from "../../../ops/review/estimate";

/** The local environment's settings: 2 instances, 100 % / 200 %, warmup 60 s, health check 10 s × 2, drain 30 s. */
const LOCAL: RolloutSettings = {
  instances: 2,
  minHealthyPercentage: 100,
  maxHealthyPercentage: 200,
  instanceWarmupSeconds: 60,
  defaultInstanceWarmupSeconds: 60,
  healthCheckGracePeriodSeconds: 120,
  healthCheckIntervalSeconds: 10,
  healthyThreshold: 2,
  deregistrationDelaySeconds: 30,
};

const shape = (settings: Partial<RolloutSettings>) => {
  const e = estimateRollout({ ...LOCAL, ...settings });
  return { batchSize: e.batchSize, batches: e.batches, launchedFirst: e.launchedFirst, takenOutFirst: e.takenOutFirst, minInService: e.minInService, peakInstances: e.peakInstances };
};

describe("estimateRollout: one batch's time", () => {
  it("local, N=2, 100 % / 200 %, default boot 60 s: 1 batch × (60 + max(10 × 2, 60) + 30) = 150 s", () => {
    const estimate = estimateRollout(LOCAL);
    expect(DEFAULT_BOOT_SECONDS).toBe(60);
    expect(estimate).toMatchObject({
      instances: 2,
      batchSize: 2,
      batches: 1,
      totalSeconds: 150,
      warmupSource: "instance_warmup",
      bootSource: "default",
      perBatchSeconds: { boot: 60, healthy: 20, warmup: 60, ready: 60, drain: 30 },
      warnings: [],
    });
    expect(estimate.formula).toBe("1 batch of up to 2 (N = 2, min 100 %, max 200 %) × (boot 60 s + max(healthy 10 s × 2, warmup 60 s) + drain 30 s) = 150 s");
  });

  it("warmup and the health checks overlap (both start at InService): health check 30 s × 5 = 150 s > warmup 60 s counts 150, not 210", () => {
    const estimate = estimateRollout({ ...LOCAL, healthCheckIntervalSeconds: 30, healthyThreshold: 5, bootSeconds: 0 });
    expect(estimate.perBatchSeconds).toEqual({ boot: 0, healthy: 150, warmup: 60, ready: 150, drain: 30, hold: 0 });
    expect(estimate.totalSeconds).toBe(150 + 30);
  });

  it("--boot-seconds 90 replaces the 60 s default: 90 + 60 + 30 = 180 s", () => {
    expect(estimateRollout({ ...LOCAL, bootSeconds: 90 })).toMatchObject({ bootSource: "--boot-seconds", totalSeconds: 180 });
    expect(estimateRollout({ ...LOCAL, bootSeconds: 0 })).toMatchObject({ bootSource: "--boot-seconds", totalSeconds: 90 });
  });

  it("warmup falls back as AWS does: instance_warmup, else default_instance_warmup, else the grace period (120 s), counted once", () => {
    expect(estimateRollout({ ...LOCAL, instanceWarmupSeconds: undefined })).toMatchObject({ warmupSource: "default_instance_warmup", perBatchSeconds: { warmup: 60 } });
    expect(estimateRollout({ ...LOCAL, instanceWarmupSeconds: undefined, defaultInstanceWarmupSeconds: undefined })).toMatchObject({
      warmupSource: "health_check_grace_period",
      perBatchSeconds: { warmup: 120, ready: 120 },
      totalSeconds: 60 + 120 + 30,
    });
    // The grace period is not added on top of a warmup that is set.
    expect(estimateRollout({ ...LOCAL, healthCheckGracePeriodSeconds: 900 }).totalSeconds).toBe(150);
  });
});

describe("estimateRollout: batches as AWS computes them from min / max healthy", () => {
  it("AWS's example, N=10, min 90 %, max 100 %: 10 % at a time, old first: 10 batches of 1, at least 9 in service, peak 10", () => {
    expect(shape({ instances: 10, minHealthyPercentage: 90, maxHealthyPercentage: 100 })).toEqual({ batchSize: 1, batches: 10, launchedFirst: 0, takenOutFirst: 1, minInService: 9, peakInstances: 10 });
  });

  it("AWS's example, N=100, min 90 %, max 120 %: between 90 and 120 instances: batches of 30 (20 launched first, 10 taken out first), 4 batches", () => {
    expect(shape({ instances: 100, minHealthyPercentage: 90, maxHealthyPercentage: 120 })).toEqual({ batchSize: 30, batches: 4, launchedFirst: 20, takenOutFirst: 10, minInService: 90, peakInstances: 120 });
  });

  it("AWS: min 100 % and max 100 % replace one at a time, launched first: N=3: 3 batches of 1, never below 3, peak 4", () => {
    expect(shape({ instances: 3, maxHealthyPercentage: 100 })).toEqual({ batchSize: 1, batches: 3, launchedFirst: 1, takenOutFirst: 0, minInService: 3, peakInstances: 4 });
    expect(estimateRollout({ ...LOCAL, instances: 3, maxHealthyPercentage: 100 }).warnings).toEqual([]);
  });

  it("max > 100 launches first up to max: N=3, 100 % / 150 %: floor(4.5) − 3 = 1 per batch, 3 batches, peak 4", () => {
    expect(shape({ instances: 3, maxHealthyPercentage: 150 })).toEqual({ batchSize: 1, batches: 3, launchedFirst: 1, takenOutFirst: 0, minInService: 3, peakInstances: 4 });
  });

  it("max = 100 takes old ones out first down to min: N=5, 50 % / 100 %: 5 − ceil(2.5) = 2 per batch, 3 batches, down to 3, peak 5", () => {
    expect(shape({ instances: 5, minHealthyPercentage: 50, maxHealthyPercentage: 100 })).toEqual({ batchSize: 2, batches: 3, launchedFirst: 0, takenOutFirst: 2, minInService: 3, peakInstances: 5 });
  });

  it("N=10, min 90 %, max 110 %: 11 − 9 = 2 per batch (1 launched first, 1 taken out first), 5 batches × 150 s = 750 s, peak 11", () => {
    const estimate = estimateRollout({ ...LOCAL, instances: 10, minHealthyPercentage: 90, maxHealthyPercentage: 110 });
    expect(estimate).toMatchObject({ batchSize: 2, batches: 5, launchedFirst: 1, takenOutFirst: 1, minInService: 9, peakInstances: 11, totalSeconds: 5 * 150 });
  });

  it("N=4, min 90 %, max 120 %: ceil(3.6) = 4 and floor(4.8) = 4 leave no room: batches of 1, taken out first (terminate and launch), in service down to 3, warned", () => {
    const estimate = estimateRollout({ ...LOCAL, instances: 4, minHealthyPercentage: 90, maxHealthyPercentage: 120 });
    expect(estimate).toMatchObject({ batchSize: 1, batches: 4, launchedFirst: 0, takenOutFirst: 1, minInService: 3, peakInstances: 4, totalSeconds: 4 * 150 });
    expect(estimate.warnings).toEqual([
      {
        kind: "capacity",
        message: "min healthy 90 % of 4 rounds up to all 4 and max healthy 120 % leaves no room to launch first, so in service may drop to 3 while each replacement starts.",
      },
    ]);
  });

  it("N=4, min 100 %, max 200 %: all 4 launched first in 1 batch: peak 8 instances (twice the cost while it runs)", () => {
    expect(shape({ instances: 4 })).toEqual({ batchSize: 4, batches: 1, launchedFirst: 4, takenOutFirst: 0, minInService: 4, peakInstances: 8 });
  });

  it("checkpoints end batches early: N=10, 100 % / 150 %, checkpoints [20, 100], delay 600 s: 1 batch of 2, pause, 2 batches of up to 5 = 3 batches + 600 s", () => {
    const estimate = estimateRollout({ ...LOCAL, instances: 10, maxHealthyPercentage: 150, checkpointPercentages: [20, 100], checkpointDelaySeconds: 600 });
    expect(estimate).toMatchObject({ batchSize: 5, batches: 3, checkpointSeconds: 600, totalSeconds: 3 * 150 + 600 });
    expect(estimate.formula).toContain("+ 1 checkpoint × 600 s");
  });

  it("checkpoint_percentages without checkpoint_delay wait AWS's default 3600 s: N=2, [50, 100]: 2 batches × 150 + 3600 s", () => {
    expect(estimateRollout({ ...LOCAL, maxHealthyPercentage: 150, checkpointPercentages: [50, 100] })).toMatchObject({ batches: 2, checkpointSeconds: 3600, totalSeconds: 2 * 150 + 3600 });
  });

  it("N=0: nothing to replace, no time, no warning", () => {
    expect(estimateRollout({ ...LOCAL, instances: 0 })).toMatchObject({ batches: 0, batchSize: 0, totalSeconds: 0, peakInstances: 0, warnings: [] });
  });
});

describe("estimateRollout: settings that take the service down or that AWS rejects", () => {
  it("N=4, min 0 %, max 100 %: all 4 taken out at once, 0 in service: an outage warning", () => {
    const estimate = estimateRollout({ ...LOCAL, instances: 4, minHealthyPercentage: 0, maxHealthyPercentage: 100 });
    expect(estimate).toMatchObject({ batchSize: 4, batches: 1, takenOutFirst: 4, minInService: 0, peakInstances: 4 });
    expect(estimate.warnings).toEqual([
      { kind: "outage", message: "min healthy 0 %: Auto Scaling may take all 4 instances out of service at once; the service answers nothing until new instances are ready (about 120 s per batch)." },
    ]);
  });

  it("N=1, min 90 %, max 100 %: the only instance is taken out before its replacement is ready: an outage warning", () => {
    const estimate = estimateRollout({ ...LOCAL, instances: 1, minHealthyPercentage: 90, maxHealthyPercentage: 100 });
    expect(estimate).toMatchObject({ batchSize: 1, takenOutFirst: 1, minInService: 0 });
    expect(estimate.warnings.map((w) => w.kind)).toEqual(["outage"]);
    expect(estimate.warnings[0].message).toBe(
      "the group's only instance is taken out of service before its replacement is ready (min healthy 90 % of 1, max healthy 100 %); the service answers nothing for about 150 s. Set min healthy to 100 % so the new instance is launched first.",
    );
  });

  it("N=1, min 100 %, max 100 %: launched first, peak 2, no warning", () => {
    const estimate = estimateRollout({ ...LOCAL, instances: 1, maxHealthyPercentage: 100 });
    expect(estimate).toMatchObject({ launchedFirst: 1, minInService: 1, peakInstances: 2, warnings: [] });
  });

  it("AWS rejects max − min > 100: min 50 %, max 200 % (150 apart) is flagged as rejected", () => {
    const estimate = estimateRollout({ ...LOCAL, instances: 4, minHealthyPercentage: 50 });
    expect(estimate.warnings).toEqual([
      {
        kind: "rejected",
        message:
          "AWS rejects min healthy 50 % with max healthy 200 %: the two may be at most 100 points apart. The apply updates the launch template and the group, then fails to start the instance refresh, so the running instances keep the old configuration.",
      },
    ]);
    // Exactly 100 apart is allowed.
    expect(estimateRollout({ ...LOCAL, instances: 4, minHealthyPercentage: 100, maxHealthyPercentage: 200 }).warnings).toEqual([]);
  });

  it("rejects values no plan can hold (the provider validates 0..100 and 100..200)", () => {
    expect(() => estimateRollout({ ...LOCAL, instances: -1 })).toThrow(/instances must be a number >= 0/);
    expect(() => estimateRollout({ ...LOCAL, instances: 1.5 })).toThrow(/whole number/);
    expect(() => estimateRollout({ ...LOCAL, maxHealthyPercentage: 250 })).toThrow(/max healthy 250 % within 100..200/);
    expect(() => estimateRollout({ ...LOCAL, healthCheckIntervalSeconds: Number.NaN })).toThrow(/healthCheckIntervalSeconds/);
  });
});

describe("formatDuration", () => {
  it.each([
    [45, "45 s"],
    [110, "1 min 50 s"],
    [120, "2 min"],
    [3720, "1 h 02 min"],
  ])("%d s -> %s", (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});
