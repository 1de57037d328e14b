/**
 * Rules for what keeps evidence and state: buckets (access logs, the state bucket) and their
 * settings, log groups, flow logs, alarms a rollout relies on, the state lock table, keys.
 */
import { ResourceChange } from "../plan";
import { AttributeChange, Outcome, RuleInput, TypeRule, asNumber, benign, block, disruptive, review, show, CREATED } from "./rule";
import { PlanContext, attachesToNew } from "./plan-context";

function bucketName(rc: ResourceChange): string {
  return String(rc.change.before?.bucket ?? rc.change.after?.bucket ?? "");
}

function bucketUse(bucket: string, plan: PlanContext): string {
  if (plan.accessLogBuckets.has(bucket)) return "access-log bucket";
  if (plan.stateBootstrap) return "state bucket";
  return "bucket";
}

/** What is lost with a bucket's objects, by its use. */
function bucketLoss(use: string): string {
  if (use === "state bucket") return "every environment's state is lost: tofu no longer knows what it manages";
  if (use === "access-log bucket") return "the load balancer's access logs are lost and new ones cannot be delivered";
  return "what it keeps is lost";
}

export const bucket: TypeRule = {
  role: (rc, plan) => bucketUse(bucketName(rc), plan),
  replace: ({ rc, plan }) =>
    disruptive(`the ${bucketUse(bucketName(rc), plan)} ${bucketName(rc)} is deleted with what it holds and created empty: ${bucketLoss(bucketUse(bucketName(rc), plan))}`),
  delete: ({ rc, plan }) =>
    disruptive(
      `the ${bucketUse(bucketName(rc), plan)} ${bucketName(rc)} is deleted${rc.change.before?.force_destroy === true ? " with every object in it (force_destroy)" : " (the apply fails if it still holds objects)"}: ${bucketLoss(bucketUse(bucketName(rc), plan))}`,
    ),
  update: {
    force_destroy: (c) => (c.after === true ? review("force_destroy on: a later destroy deletes the bucket with every object in it") : benign("force_destroy off")),
    object_lock_enabled: () => review("object lock setting changes"),
  },
};

/** The bucket's settings resources (aws_s3_bucket_*): they harden or weaken what the bucket keeps. */
function bucketSetting(what: string, weakened: string, update: TypeRule["update"]): TypeRule {
  return {
    role: (rc, plan) => `${what} of the ${bucketUse(bucketName(rc), plan)}`,
    create: ({ rc, plan }) => (attachesToNew(plan, rc, ["bucket"]) ? CREATED : benign(`${what} set on ${bucketName(rc)}`)),
    replace: ({ rc }) => review(`the ${what} of ${bucketName(rc)} is removed and set again: ${weakened} in between`),
    delete: ({ rc }) => review(`the ${what} of ${bucketName(rc)} is removed: ${weakened}`),
    update,
  };
}

export const bucketVersioning = bucketSetting("versioning", "overwritten or deleted objects cannot be recovered", {
  versioning_configuration: (c) =>
    block(c.after).status === "Enabled" ? benign("versioning on") : review(`versioning ${show(block(c.after).status)}: overwritten or deleted objects (state, logs) can no longer be recovered`),
  mfa: () => review("MFA delete setting changes"),
});

export const bucketPublicAccessBlock = bucketSetting("public access block", "a policy or ACL could make the bucket public", {
  ...Object.fromEntries(
    ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"].map((a) => [
      a,
      (c: AttributeChange): Outcome => (c.after === true ? benign(`${a} on`) : review(`${a} off: the bucket can be made public`)),
    ]),
  ),
  skip_destroy: "benign",
});

export const bucketEncryption = bucketSetting("encryption settings", "new objects fall back to the default encryption", {
  rule: (c) => review(`encryption changes (${show(c.after)}): check readers have the key`),
  expected_bucket_owner: "benign",
});

export const bucketPolicy = bucketSetting("bucket policy", "only the bucket owner's IAM permissions apply (log delivery may be refused)", {
  policy: () => review("the bucket policy changes: read who may write, read and delete"),
});

export const bucketLifecycle = bucketSetting("lifecycle rules", "objects are kept forever", {
  rule: (c) => {
    const days = (v: unknown): number[] =>
      (Array.isArray(v) ? v : []).flatMap((r: Record<string, unknown>) => [block(r.expiration).days, block(r.noncurrent_version_expiration).noncurrent_days].map(asNumber).filter((d): d is number => d !== undefined));
    const before = Math.min(...days(c.before), Infinity);
    const after = Math.min(...days(c.after), Infinity);
    return after < before ? review(`objects now expire after ${after} days (was ${before === Infinity ? "never" : before}): evidence older than that is deleted`) : benign("objects are kept at least as long as before");
  },
  transition_default_minimum_object_size: "benign",
  expected_bucket_owner: "benign",
});

export const bucketOwnership = bucketSetting("ownership controls", "object ownership falls back to the default", {
  rule: (c) => review(`object ownership ${show(block(c.before).object_ownership)} → ${show(block(c.after).object_ownership)}: log delivery that relies on ACLs may be refused`),
});

export const bucketLogging = bucketSetting("server access logging", "access to the bucket is no longer logged", {
  target_bucket: () => review("the bucket's access logs go to another bucket"),
  target_prefix: "benign",
});

function logGroupUse(rc: ResourceChange, plan: PlanContext): string {
  const arn = String(rc.change.before?.arn ?? "");
  const used = plan.changes.some((c) => c.type === "aws_flow_log" && arn && JSON.stringify(c.change.before ?? {}).includes(arn.replace(/:\*$/, "")));
  return used ? "flow-log group" : "log group";
}

export const logGroup: TypeRule = {
  role: logGroupUse,
  replace: ({ rc, plan }) => review(`the ${logGroupUse(rc, plan)} is deleted with its logs and created empty`),
  delete: ({ rc, plan }) => review(`the ${logGroupUse(rc, plan)} is deleted with every log in it${logGroupUse(rc, plan) === "flow-log group" ? "; the flow log has nowhere to deliver" : ""}`),
  update: {
    retention_in_days: (c) => {
      const before = asNumber(c.before) || Infinity;
      const after = asNumber(c.after) || Infinity;
      return after < before ? review(`logs are kept ${after} days instead of ${before === Infinity ? "forever" : before}: older ones are deleted`) : benign(`logs are kept ${after === Infinity ? "forever" : `${after} days`}`);
    },
    kms_key_id: () => review("the log group's encryption key changes: readers need the new key"),
    skip_destroy: "benign",
    log_group_class: "benign",
  },
};

export const flowLog: TypeRule = {
  role: "flow log",
  replace: () => benign("the flow log is re-created (a gap of seconds in the record)"),
  delete: () => review("VPC traffic is no longer recorded"),
  update: {
    max_aggregation_interval: "benign",
    log_format: () => review("flow-log records get another format: queries and parsers may break"),
    traffic_type: (c) => review(`flow logs record ${show(c.after)} traffic instead of ${show(c.before)}`),
  },
};

function alarmName(rc: ResourceChange): string {
  return String(rc.change.before?.alarm_name ?? rc.change.after?.alarm_name ?? "");
}

/**
 * When an alarm fires. For an alarm the rollout watches this decides whether a bad rollout is
 * stopped and rolled back, so a person looks; for any other alarm it is tuning.
 */
function alarmTuning(change: AttributeChange, { rc, plan }: RuleInput): Outcome {
  const what = `${change.name} ${show(change.before)} → ${show(change.after)}`;
  return plan.rolloutAlarms.has(alarmName(rc))
    ? review(`the rollout alarm ${alarmName(rc)} fires on other terms (${what}): a rollout it used to stop may now run to the end, or one it let through may be rolled back`)
    : benign(`alarm tuning (${what})`);
}

export const metricAlarm: TypeRule = {
  role: (rc, plan) => (plan.rolloutAlarms.has(alarmName(rc)) ? "rollout alarm" : "alarm"),
  replace: ({ rc, plan }) =>
    plan.rolloutAlarms.has(alarmName(rc)) ? review("a rollout alarm is re-created: a rollout running during the apply cannot see it in between") : benign("the alarm is re-created"),
  delete: ({ rc, plan }) =>
    plan.rolloutAlarms.has(alarmName(rc))
      ? disruptive(`the rollout watches ${alarmName(rc)}: with it gone, the next instance refresh fails to start or runs unwatched`)
      : review(`the alarm ${alarmName(rc)} is deleted: nobody is told when it would fire`),
  update: {
    threshold: alarmTuning,
    evaluation_periods: alarmTuning,
    datapoints_to_alarm: alarmTuning,
    period: alarmTuning,
    comparison_operator: alarmTuning,
    statistic: alarmTuning,
    extended_statistic: alarmTuning,
    treat_missing_data: alarmTuning,
    alarm_description: "benign",
    unit: "benign",
    evaluate_low_sample_count_percentiles: "benign",
    dimensions: (c) => (c.unknown ? benign("the alarm follows a resource created in this apply (its dimensions)") : review(`the alarm watches something else: ${show(c.after)} instead of ${show(c.before)}`)),
    metric_name: (c) => review(`the alarm watches ${show(c.after)} instead of ${show(c.before)}`),
    namespace: (c) => review(`the alarm watches namespace ${show(c.after)} instead of ${show(c.before)}`),
    metric_query: () => review("the alarm's metric query changes"),
    actions_enabled: (c) => (c.after === false ? review("the alarm's actions are off: nobody is told when it fires") : benign("alarm actions on")),
    alarm_actions: (c) => (Array.isArray(c.after) && (c.after as unknown[]).length === 0 ? review("the alarm notifies nobody") : review(`the alarm notifies ${show(c.after)} instead of ${show(c.before)}`)),
    ok_actions: "benign",
    insufficient_data_actions: "benign",
  },
};

/** A DynamoDB table is the state lock table when its hash key is tofu's LockID. */
function isLockTable(rc: ResourceChange): boolean {
  return (rc.change.before ?? rc.change.after)?.hash_key === "LockID";
}

export const lockTable: TypeRule = {
  role: (rc) => (isLockTable(rc) ? "state lock table" : "DynamoDB table"),
  replace: ({ rc }) =>
    isLockTable(rc)
      ? disruptive("the lock table is deleted and created: applies running in between are not locked and can corrupt state")
      : disruptive("the table is deleted with its items and created empty"),
  delete: ({ rc }) => (isLockTable(rc) ? disruptive("state locking stops: concurrent applies can corrupt state") : disruptive("the table is deleted with its items")),
  update: {
    deletion_protection_enabled: (c) => (c.after === true ? benign("deletion protection on") : review("deletion protection off")),
    point_in_time_recovery: (c) => (block(c.after).enabled === true ? benign("point-in-time recovery on") : review("point-in-time recovery off")),
    server_side_encryption: () => review("the lock table's encryption changes"),
    billing_mode: "benign",
    read_capacity: "benign",
    write_capacity: "benign",
  },
};

export const kmsKey: TypeRule = {
  role: "KMS key",
  replace: () => disruptive("the key is scheduled for deletion: what it encrypts (state, logs) becomes unreadable once it is gone"),
  delete: () => disruptive("the key is scheduled for deletion: what it encrypts (state, logs) becomes unreadable once it is gone"),
  update: {
    description: "benign",
    deletion_window_in_days: "benign",
    enable_key_rotation: (c) => (c.after === true ? benign("key rotation on") : review("key rotation off")),
    rotation_period_in_days: "benign",
    policy: () => review("the key policy changes: who may encrypt and decrypt"),
    is_enabled: (c) => (c.after === false ? disruptive("the key is disabled: nothing it encrypts can be read or written") : benign("key enabled")),
  },
};

export const kmsAlias: TypeRule = {
  role: "KMS alias",
  replace: () => review("the alias is re-created: whatever names the key by alias fails in between"),
  delete: () => review("the alias is deleted: whatever names the key by alias fails"),
  update: { target_key_id: () => review("the alias points to another key") },
};

export const trail: TypeRule = {
  role: "CloudTrail trail",
  replace: () => review("the trail is re-created: API calls in between are not recorded"),
  delete: () => disruptive("API calls are no longer recorded"),
  update: {
    enable_logging: (c) => (c.after === false ? disruptive("the trail stops recording API calls") : benign("the trail records API calls")),
  },
};

