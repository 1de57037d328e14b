import { RolloutSettings, estimateRollout, formatDuration } from "../../review/estimate";

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

describe("estimateRollout", () => {
  it("replaces everything in one batch at 100 % / 200 %: healthy + warmup + drain", () => {
    const estimate = estimateRollout(LOCAL);
    expect(estimate).toMatchObject({ instances: 2, batchSize: 2, batches: 1, totalSeconds: 10 * 2 + 60 + 30, warmupSource: "instance_warmup" });
    expect(estimate.formula).toBe("1 batch of up to 2 (N = 2, min 100 %, max 200 %) × (boot 0 s + healthy 10 s × 2 + warmup 60 s + drain 30 s) = 110 s");
  });

  it("sizes batches from min and max healthy, rounding the way Auto Scaling does (min up, max down)", () => {
    // 10 instances, 90 % / 110 %: at most 11 running, at least 9 healthy -> 2 per batch, 5 batches.
    expect(estimateRollout({ ...LOCAL, instances: 10, minHealthyPercentage: 90, maxHealthyPercentage: 110 })).toMatchObject({ batchSize: 2, batches: 5, totalSeconds: 5 * 110 });
    // 3 instances, 100 % / 150 %: floor(4.5) - 3 = 1 per batch.
    expect(estimateRollout({ ...LOCAL, instances: 3, maxHealthyPercentage: 150 })).toMatchObject({ batchSize: 1, batches: 3 });
    // 3 instances, 100 % / 100 % would allow none: still one at a time.
    expect(estimateRollout({ ...LOCAL, instances: 3, maxHealthyPercentage: 100 })).toMatchObject({ batchSize: 1, batches: 3 });
    // 5 instances, 50 % / 100 %: 5 - ceil(2.5) = 2 per batch, 3 batches.
    expect(estimateRollout({ ...LOCAL, instances: 5, minHealthyPercentage: 50, maxHealthyPercentage: 100 })).toMatchObject({ batchSize: 2, batches: 3 });
  });

  it("takes the warmup from instance_warmup, else the group's default warmup, else the grace period", () => {
    expect(estimateRollout({ ...LOCAL, instanceWarmupSeconds: undefined })).toMatchObject({ warmupSource: "default_instance_warmup", perBatchSeconds: { warmup: 60 } });
    expect(estimateRollout({ ...LOCAL, instanceWarmupSeconds: undefined, defaultInstanceWarmupSeconds: undefined })).toMatchObject({
      warmupSource: "health_check_grace_period",
      perBatchSeconds: { warmup: 120 },
      totalSeconds: 20 + 120 + 30,
    });
  });

  it("adds boot time per batch and checkpoint delays once per checkpoint below 100 %", () => {
    const estimate = estimateRollout({ ...LOCAL, bootSeconds: 90, checkpointPercentages: [50, 100], checkpointDelaySeconds: 600, maxHealthyPercentage: 150 });
    expect(estimate).toMatchObject({ batchSize: 1, batches: 2, checkpointSeconds: 600, totalSeconds: 2 * (90 + 20 + 60 + 30) + 600 });
    expect(estimate.formula).toContain("+ 1 checkpoint × 600 s");
  });

  it("estimates nothing for an empty group", () => {
    expect(estimateRollout({ ...LOCAL, instances: 0 })).toMatchObject({ batches: 0, totalSeconds: 0 });
  });

  it("rejects settings no group can have", () => {
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
