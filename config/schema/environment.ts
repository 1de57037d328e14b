/**
 * The environment configuration, declared once. The TypeScript types below
 * (`EnvironmentConfig`, `ImageSource`, …) are derived from these schemas, and the same
 * schemas check every environment before anything is synthesized: unknown keys
 * (with the closest valid name), wrong types, missing fields and every value rule,
 * all reported at once. Library: valibot (about 9 KB bundled and ~5 ms per synth on
 * this project's machine, against ~450 KB and ~45 ms for zod 4; see docs/decisions/0002-valibot.md).
 *
 * HOW TO ADD A CONFIG FIELD
 * 1. Add an entry to `ENVIRONMENT_FIELDS` (or to the nested object it belongs to):
 *      myField: v.optional(field(number(), { description: "…", allowed: "1 to 10", default: "5" })),
 *    Leave out `v.optional` only when every environment must set it. The type of
 *    `EnvironmentConfig` follows by itself, and a misspelled key is rejected with a
 *    suggestion without further work.
 * 2. Value rules. When a module consumes the value, the rule belongs to that module's
 *    exported `check…Props` / `check…` function (modules/…), which its constructor uses
 *    too; call it from the `rules(…)` of the object holding the field, translating
 *    config names to prop names where they differ with the tables of config/to-props.ts
 *    (`toProps`, `problemsInConfigTerms`), the one mapping. A rule only the config has goes in
 *    the field's pipe as `rule(checkX)`, with `checkX` in modules/core/checks.ts (returns
 *    `undefined` or a "must be …" sentence).
 * 3. Defaults live in the module (`…_DEFAULTS`); never restate a default here.
 * 4. Use the field in stacks/sample-app-stack.ts (through config/to-props.ts when its name
 *    differs from the prop's), add its row to docs/configuration.md's
 *    "Configuration reference", and a wrong-input case to __tests__/config/config.test.ts.
 */
import * as v from "valibot";
import { architecturesOf, availabilityZonesOf, checkArnPlace, checkRegion } from "../../modules/core/aws-facts";
import { Problem, Problems, checkAmiId, checkCertificateArn, isUnresolved } from "../../modules/core/checks";
import { AUTO_SCALING_GROUP_DEFAULTS, checkAutoScalingGroupNames, DEFAULT_CHECKPOINT_DELAY_SECONDS, MAX_REFRESH_ALARMS, checkAutoScalingGroupProps, checkCpuTargetTracking, checkInstanceRefresh, checkMixedInstances, checkScalingBesideCapacity, MAX_MIXED_INSTANCE_TYPES, MIXED_INSTANCES_DEFAULTS, SPOT_ALLOCATION_STRATEGIES } from "../../modules/auto-scaling-group/app-auto-scaling-group";
import { DEFAULT_SCHEDULE_TIME_ZONE } from "../../modules/auto-scaling-group/scheduled-actions";
import { ROLLOUT_ALARM_COUNT, ROLLOUT_ALARM_DEFAULTS, checkRolloutAlarmSettings } from "../../modules/load-balancer/rollout-alarms";
import { checkAmiLookupProps } from "../../modules/image/ami-lookup";
import { HEALTH_CHECK_DEFAULTS, LOAD_BALANCER_DEFAULTS, checkHealthCheck, checkLoadBalancerNames, checkLoadBalancerProps } from "../../modules/load-balancer/load-balancer";
import { checkExistingNetworkProps } from "../../modules/network/existing-network";
import { LEFTOVER_ACTIONS } from "../adoption";
import { NAT_MODES, checkNetworkProps } from "../../modules/network/network";
import { checkReason, checkResourcePath, checkRuleId } from "../../policy/suppressions";
import { SSM_ACCESS } from "../../modules/auto-scaling-group/app-auto-scaling-group";
import { LIFECYCLE_HOOK_DEFAULTS, LIFECYCLE_HOOK_DEFAULT_RESULTS, LIFECYCLE_HOOK_TIMEOUT_BOUNDS, WARM_POOL_DEFAULTS, WARM_POOL_STATES, WARM_POOL_WITH_MIXED_INSTANCES, checkLifecycleHooks, checkWarmPool } from "../../modules/auto-scaling-group/warm-pool-and-hooks";
import { LOG_BUCKET_DEFAULTS, checkLoadBalancerLogBucketProps } from "../../modules/log-bucket/log-bucket";
import { WEB_ACL_DEFAULTS, checkLoadBalancerWebAclProps } from "../../modules/load-balancer/load-balancer-web-acl";
import { FLOW_LOG_TRAFFIC_TYPES, VPC_FLOW_LOG_DEFAULTS, checkVpcFlowLogProps } from "../../modules/network/vpc-flow-log";
import { checkS3BucketName } from "../../modules/core/checks";
import { describeType, field, flag, list, mustBe, number, renamed, rule, strict, text, withRules } from "./fields";
import { CAPACITY_PROPS, GROUP_NAME_PROPS, LOAD_BALANCER_NAME_PROPS, capacityPropsOf, groupNamesOf, loadBalancerNamesOf, problemsInConfigTerms, scheduledActionsPropsOf } from "../to-props";
import { DEFAULT_AWS_PROVIDER_VERSION, checkAccountId, checkEmulatorEndpoint, checkKeyPrefix, checkManifestPath, checkProviderRegistry, checkProviderVersion } from "./values";

const HEALTH_CHECK_FIELDS = {
  path: field(text(), { description: "path the load balancer requests", allowed: 'starts with "/", no whitespace' }),
  matcher: v.optional(field(text(), { description: "HTTP codes that count as healthy", allowed: '200-499: "200", "200,204", "200-299"', default: `"${HEALTH_CHECK_DEFAULTS.matcher}"` })),
  intervalSeconds: v.optional(field(number(), { description: "seconds between checks", allowed: "5 to 300", default: `${HEALTH_CHECK_DEFAULTS.intervalSeconds}` })),
  timeoutSeconds: v.optional(field(number(), { description: "seconds before a check fails", allowed: "2 to 120, below the interval", default: `${HEALTH_CHECK_DEFAULTS.timeoutSeconds}` })),
  healthyThreshold: v.optional(field(number(), { description: "successes before traffic", allowed: "2 to 10", default: `${HEALTH_CHECK_DEFAULTS.healthyThreshold}` })),
  unhealthyThreshold: v.optional(field(number(), { description: "failures before no traffic", allowed: "2 to 10", default: `${HEALTH_CHECK_DEFAULTS.unhealthyThreshold}` })),
};
const HealthCheckSchema = withRules(strict(HEALTH_CHECK_FIELDS), checkHealthCheck);

const refreshDefaults = AUTO_SCALING_GROUP_DEFAULTS.instanceRefresh;
const INSTANCE_REFRESH_FIELDS = {
  minHealthyPercentage: v.optional(field(number(), { description: "capacity kept healthy during a refresh", allowed: "0 to 100", default: `${refreshDefaults.minHealthyPercentage}` })),
  maxHealthyPercentage: v.optional(field(number(), { description: "capacity the group may grow to", allowed: "100 to 200, at most 100 above min", default: `${refreshDefaults.maxHealthyPercentage}` })),
  autoRollback: v.optional(field(flag(), { description: "roll back a failed refresh", allowed: "true or false", default: `${refreshDefaults.autoRollback}` })),
  instanceWarmupSeconds: v.optional(field(number(), { description: "seconds before a new instance counts as healthy", allowed: "0 to 3600", default: `${AUTO_SCALING_GROUP_DEFAULTS.defaultInstanceWarmupSeconds}` })),
  skipMatching: v.optional(field(flag(), { description: "skip instances already on the new template", allowed: "true or false", default: `${refreshDefaults.skipMatching}` })),
  alarmNames: v.optional(field(list(text()), { description: "more CloudWatch alarms the refresh watches (besides rolloutAlarms)", allowed: `alarm names, no repeats; at most ${MAX_REFRESH_ALARMS} with the rollout alarms`, default: "none" })),
  checkpoints: v.optional(
    field(
      strict({
        percentages: field(list(number()), { description: "shares of the group replaced at each pause", allowed: "ascending whole numbers 1 to 100, ending with 100" }),
        delaySeconds: v.optional(field(number(), { description: "seconds to wait at each checkpoint", allowed: "0 to 172800", default: `${DEFAULT_CHECKPOINT_DELAY_SECONDS}` })),
      }),
      { description: "pause the refresh to let the alarms judge the new image", allowed: "{ percentages, delaySeconds? }", default: "no pause" },
    ),
  ),
};
const InstanceRefreshSchema = withRules(strict(INSTANCE_REFRESH_FIELDS), checkInstanceRefresh);

const alarmDefaults = ROLLOUT_ALARM_DEFAULTS;
const alarmThresholdFields = (defaults: { threshold: number; periodSeconds: number; evaluationPeriods: number }, unit: string) => ({
  threshold: v.optional(field(number(), { description: `${unit} at or above which a period breaches`, allowed: "a whole number from 1", default: `${defaults.threshold}` })),
  periodSeconds: v.optional(field(number(), { description: "length of one period", allowed: "a multiple of 60, up to 86400", default: `${defaults.periodSeconds}` })),
  evaluationPeriods: v.optional(field(number(), { description: "consecutive breaching periods before ALARM", allowed: "1 to 10", default: `${defaults.evaluationPeriods}` })),
});
const ROLLOUT_ALARMS_FIELDS = {
  enabled: v.optional(field(flag(), { description: "create the alarms and pass them to the instance refresh", allowed: "true or false", default: "true" })),
  target5xx: v.optional(field(strict(alarmThresholdFields(alarmDefaults.target5xx, "5xx responses from the app")), { description: "HTTPCode_Target_5XX_Count (sum)", allowed: "{ threshold?, periodSeconds?, evaluationPeriods? }", default: ">= 10 in one 60 s period" })),
  unhealthyHosts: v.optional(field(strict(alarmThresholdFields(alarmDefaults.unhealthyHosts, "unhealthy targets")), { description: "UnHealthyHostCount (maximum)", allowed: "{ threshold?, periodSeconds?, evaluationPeriods? }", default: ">= 1 in two consecutive 60 s periods" })),
};
const RolloutAlarmsSchema = withRules(strict(ROLLOUT_ALARMS_FIELDS), checkRolloutAlarmSettings);

const cpuDefaults = AUTO_SCALING_GROUP_DEFAULTS.cpuTargetTracking;
const CPU_TARGET_TRACKING_FIELDS = {
  enabled: v.optional(field(flag(), { description: "create the CPU target tracking policy", allowed: "true or false", default: `${cpuDefaults.enabled}` })),
  targetUtilizationPercent: v.optional(field(number(), { description: "average CPU the group holds", allowed: "1 to 100", default: `${cpuDefaults.targetUtilizationPercent}` })),
};
const CpuTargetTrackingSchema = withRules(strict(CPU_TARGET_TRACKING_FIELDS), checkCpuTargetTracking);

const REQUEST_COUNT_TARGET_TRACKING_FIELDS = {
  targetRequestsPerTarget: field(number(), { description: "requests per minute per instance (ALBRequestCountPerTarget) the group holds", allowed: "1 to 1000000" }),
};
const SCHEDULED_ACTION_FIELDS = {
  recurrence: field(text(), { description: "when the action runs: Unix cron, five fields (minute hour day-of-month month day-of-week)", allowed: 'e.g. "0 8 * * 1-5"; values in range, *, a-b, */n, lists, JAN-DEC, SUN-SAT' }),
  timeZone: v.optional(field(text(), { description: "time zone the cron expression is read in", allowed: 'an IANA time zone name, exact case, e.g. "Europe/Berlin"', default: `"${DEFAULT_SCHEDULE_TIME_ZONE}"` })),
  min: v.optional(field(number(), { description: "the group's minimum size from then on", allowed: "within capacity.min to capacity.max, <= max", default: "left as it is" })),
  max: v.optional(field(number(), { description: "the group's maximum size from then on", allowed: "within capacity.min to capacity.max", default: "left as it is" })),
  desired: v.optional(field(number(), { description: "the group's size when the action runs", allowed: "within capacity.min to capacity.max, and min to max of the action", default: "left as it is" })),
  startTime: v.optional(field(text(), { description: "first time the schedule may run (UTC); in the future when applied", allowed: '"YYYY-MM-DDThh:mm:ssZ"', default: "the next cron match" })),
  endTime: v.optional(field(text(), { description: "last time the schedule may run (UTC)", allowed: '"YYYY-MM-DDThh:mm:ssZ", after startTime', default: "no end" })),
};

const ScheduledActionRecord = v.record(text(), strict(SCHEDULED_ACTION_FIELDS), mustBe("an object"));
/** Named scheduled actions; a list is refused before the record (valibot would read it as an object keyed "0", "1", …). */
const ScheduledActionsSchema = v.pipe(
  v.custom<v.InferInput<typeof ScheduledActionRecord>>((actions) => !Array.isArray(actions), "must be an object keyed by name, not a list"),
  ScheduledActionRecord,
);

/** A schedule's size props -> its config keys (the same as capacity's, CAPACITY_PROPS). */
const SCHEDULE_PROP_TO_CONFIG: Record<string, string> = Object.fromEntries(Object.entries(CAPACITY_PROPS).map(([key, prop]) => [prop, key]));

/** The environment's words for the sizes that the group's rules name as props. */
const CONFIG_SIZE_TERMS = {
  group: { minSize: "capacity.min", maxSize: "capacity.max" },
  schedule: SCHEDULE_PROP_TO_CONFIG as { minSize: string; maxSize: string; desiredCapacity: string },
  requestCountTargetTracking: "requestCountTargetTracking",
  scheduledActions: "scheduledActions",
};

/** The request-count policy and the scheduled actions against the environment's capacity, by config path. */
function scalingRules(config: Partial<v.InferOutput<typeof EnvironmentObject>>): Problems {
  const actions = config.scheduledActions;
  const problems = checkScalingBesideCapacity(
    {
      minSize: config.capacity?.min,
      maxSize: config.capacity?.max,
      requestCountTargetTracking: config.requestCountTargetTracking,
      scheduledActions: scheduledActionsPropsOf(actions),
    },
    CONFIG_SIZE_TERMS,
  );
  // scheduledActions.<name>.minSize -> scheduledActions.<name>.min
  return Object.fromEntries(
    Object.entries(problems).map(([path, problem]) => {
      const keys = path.split(".");
      const last = keys[keys.length - 1];
      return [keys[0] === "scheduledActions" && keys.length === 3 && last in SCHEDULE_PROP_TO_CONFIG ? [...keys.slice(0, 2), SCHEDULE_PROP_TO_CONFIG[last]].join(".") : path, problem];
    }),
  );
}

const mixedDefaults = MIXED_INSTANCES_DEFAULTS;
const MIXED_INSTANCE_TYPE_FIELDS = {
  instanceType: field(text(), { description: "an instance type the group may launch", allowed: "an x86_64 type of modules/core/aws-facts.json" }),
  weightedCapacity: v.optional(field(number(), { description: "capacity units one instance of this type counts for", allowed: "1 to 999, on every type or on none", default: "1 (no weights)" })),
};
/** The images are x86_64 (packer/*.pkr.hcl, modules/image/ami-lookup.ts): so must every instance type be. */
const IMAGE_ARCHITECTURE = "x86_64";
const MIXED_INSTANCES_FIELDS = {
  instanceTypes: field(list(strict(MIXED_INSTANCE_TYPE_FIELDS)), { description: "instance types, most preferred first; they replace instanceType", allowed: `1 to ${MAX_MIXED_INSTANCE_TYPES} of [{ instanceType, weightedCapacity? }], no repeats, all ${IMAGE_ARCHITECTURE} (the image's architecture)` }),
  onDemandBaseCapacity: v.optional(field(number(), { description: "capacity always On-Demand, before any Spot", allowed: "0 to 10000", default: `${mixedDefaults.onDemandBaseCapacity}` })),
  onDemandPercentageAboveBaseCapacity: v.optional(field(number(), { description: "share of the capacity above the base that runs On-Demand; the rest runs on Spot", allowed: "0 to 100", default: `${mixedDefaults.onDemandPercentageAboveBaseCapacity} (no Spot)` })),
  spotAllocationStrategy: v.optional(field(v.picklist(SPOT_ALLOCATION_STRATEGIES, () => `must be one of ${SPOT_ALLOCATION_STRATEGIES.map((s) => `"${s}"`).join(", ")}`), { description: "how Spot capacity is spread over the types' Spot pools", allowed: SPOT_ALLOCATION_STRATEGIES.map((s) => `"${s}"`).join(", "), default: `"${mixedDefaults.spotAllocationStrategy}"` })),
  capacityRebalance: v.optional(field(flag(), { description: "replace a Spot instance as soon as AWS signals a raised interruption risk", allowed: "true or false", default: `${mixedDefaults.capacityRebalance}` })),
};
const MixedInstancesSchema = withRules(strict(MIXED_INSTANCES_FIELDS), (mixed) =>
  mixed.instanceTypes === undefined ? {} : checkMixedInstances({ ...mixed, instanceTypes: mixed.instanceTypes }, IMAGE_ARCHITECTURE),
);

const warmDefaults = WARM_POOL_DEFAULTS;
const WARM_POOL_FIELDS = {
  state: v.optional(field(v.picklist(WARM_POOL_STATES, () => `must be one of ${WARM_POOL_STATES.map((s) => `"${s}"`).join(", ")}`), { description: "state instances wait in", allowed: '"Stopped", "Hibernated" (an instance type that can hibernate), "Running"', default: `"${warmDefaults.state}"` })),
  minSize: v.optional(field(number(), { description: "instances the pool always holds", allowed: "0 to capacity.max", default: `${warmDefaults.minSize}` })),
  maxPreparedCapacity: v.optional(field(number(), { description: "instances in the group and the pool together", allowed: "0 to capacity.max", default: "capacity.max (the pool holds max less desired)" })),
  reuseOnScaleIn: v.optional(field(flag(), { description: "return instances to the pool on scale-in instead of terminating them", allowed: "true or false", default: `${warmDefaults.reuseOnScaleIn}` })),
};
// Rules that need the group (max size, instance type) are in environmentRules.
const WarmPoolSchema = strict(WARM_POOL_FIELDS);

const hookTimeout = `${LIFECYCLE_HOOK_TIMEOUT_BOUNDS.min} to ${LIFECYCLE_HOOK_TIMEOUT_BOUNDS.max}`;
const hookResult = (defaultResult: string) =>
  v.optional(field(v.picklist(LIFECYCLE_HOOK_DEFAULT_RESULTS, () => `must be ${LIFECYCLE_HOOK_DEFAULT_RESULTS.map((r) => `"${r}"`).join(" or ")}`), { description: "result when the timeout passes", allowed: '"CONTINUE" or "ABANDON"', default: `"${defaultResult}"` }));
const LIFECYCLE_HOOKS_FIELDS = {
  terminating: v.optional(
    field(
      strict({
        enabled: v.optional(field(flag(), { description: "create the terminating hook", allowed: "true or false", default: "true" })),
        heartbeatTimeoutSeconds: v.optional(field(number(), { description: "seconds a terminating instance is held before shutdown", allowed: `${hookTimeout}, at least deregistrationDelaySeconds`, default: "deregistrationDelaySeconds + the app's drain time (app/app.config.js kill_timeout), at least 30" })),
      }),
      { description: "hold terminating instances while the load balancer and the app drain", allowed: "{ enabled?, heartbeatTimeoutSeconds? }", default: "on, timeout derived from the drain" },
    ),
  ),
  launching: v.optional(
    field(
      strict({
        heartbeatTimeoutSeconds: v.optional(field(number(), { description: "seconds a launching instance waits for CompleteLifecycleAction", allowed: hookTimeout, default: `${LIFECYCLE_HOOK_DEFAULTS.launching.heartbeatTimeoutSeconds}` })),
        defaultResult: hookResult(LIFECYCLE_HOOK_DEFAULTS.launching.defaultResult),
        notificationTargetArn: v.optional(field(text(), { description: "SNS topic or SQS queue told about each launch", allowed: "an ARN, with roleArn", default: "none" })),
        roleArn: v.optional(field(text(), { description: "role Auto Scaling assumes to notify", allowed: "an IAM role ARN, with notificationTargetArn", default: "none" })),
      }),
      { description: "hold launching instances until something completes the action (an initial hook: changing it replaces the group)", allowed: "{ heartbeatTimeoutSeconds?, defaultResult?, notificationTargetArn?, roleArn? }", default: "no launching hook" },
    ),
  ),
};
const LifecycleHooksSchema = withRules(strict(LIFECYCLE_HOOKS_FIELDS), (hooks) =>
  // The terminating timeout against the deregistration delay is in environmentRules.
  checkLifecycleHooks({ launching: hooks.launching, terminating: hooks.terminating?.heartbeatTimeoutSeconds === undefined ? undefined : { heartbeatTimeoutSeconds: hooks.terminating.heartbeatTimeoutSeconds } }),
);

const EXISTING_NETWORK_FIELDS = {
  vpcId: field(text(), { description: "the existing VPC", allowed: "vpc-<8 or 17 hex digits>" }),
  publicSubnetIds: field(list(text()), { description: "subnets for the load balancer", allowed: ">= 2 subnet ids, no repeats" }),
  privateSubnetIds: v.optional(field(list(text()), { description: "subnets for the instances", allowed: ">= 2 subnet ids, none of them public", default: "none: public subnets only, instances there with public addresses" })),
  privateSubnetsHaveEgress: v.optional(field(flag(), { description: "private subnets route to the internet (NAT)", allowed: "true or false", default: "true" })),
};
const ExistingNetworkSchema = withRules(strict(EXISTING_NETWORK_FIELDS), (network) =>
  checkExistingNetworkProps({ vpcId: network.vpcId ?? "", publicSubnetIds: network.publicSubnetIds ?? [], privateSubnetIds: network.privateSubnetIds }),
);

const REMOTE_NETWORK_OUTPUT_FIELDS = {
  vpcId: v.optional(field(text(), { description: "output with the VPC id", allowed: "an output name", default: '"vpc_id"' })),
  publicSubnetIds: v.optional(field(text(), { description: "output with the public subnet ids", allowed: "an output name", default: '"public_subnet_ids"' })),
  privateSubnetIds: v.optional(field(text(), { description: "output with the private subnet ids", allowed: "an output name", default: '"private_subnet_ids"' })),
};
const NETWORK_FROM_STATE_FIELDS = {
  bucket: field(v.pipe(text(), rule(checkS3BucketName)), { description: "bucket of the network stack's state", allowed: "an S3 bucket name" }),
  key: field(text(), { description: "key of the network stack's state", allowed: "an S3 key, e.g. network/terraform.tfstate" }),
  region: v.optional(field(v.pipe(text(), rule(checkRegion)), { description: "region of the bucket", allowed: "an AWS region", default: "the environment's region" })),
  outputs: v.optional(field(strict(REMOTE_NETWORK_OUTPUT_FIELDS), { description: "names of the network stack's outputs", allowed: "{ vpcId?, publicSubnetIds?, privateSubnetIds? }", default: "vpc_id, public_subnet_ids, private_subnet_ids" })),
  privateSubnetsHaveEgress: v.optional(field(flag(), { description: "private subnets route to the internet (NAT)", allowed: "true or false", default: "true" })),
};

const CAPACITY_FIELDS = {
  min: field(number(), { description: "lower bound of the group size", allowed: "0 to 10000, <= max" }),
  max: field(number(), { description: "upper bound of the group size", allowed: "1 to 10000" }),
  desired: field(number(), { description: "initial group size", allowed: "min to max" }),
};
const CapacitySchema = withRules(strict(CAPACITY_FIELDS), (capacity) =>
  problemsInConfigTerms(checkAutoScalingGroupProps(capacityPropsOf(capacity)), CAPACITY_PROPS),
);

export const IMAGE_SOURCE_KINDS = ["ami", "packer-manifest", "lookup", "promoted"] as const;

const ImageSourceSchema = v.variant(
  "kind",
  [
    /** A fixed AMI id. */
    strict({
      kind: v.literal("ami"),
      amiId: field(v.pipe(text(), rule(checkAmiId)), { description: "the AMI", allowed: "ami-<8 or 17 hex digits>" }),
    }),
    /** The newest AMI for the region in a Packer manifest, read at synth time so the plan shows the id. */
    strict({
      kind: v.literal("packer-manifest"),
      manifestPath: v.optional(field(v.pipe(text(), rule(checkManifestPath)), { description: "the Packer manifest", allowed: "a .json path", default: '"packer/manifest.json"' })),
    }),
    /** The newest AMI matching a name pattern and owners, looked up at plan time (`aws_ami`). */
    withRules(
      strict({
        kind: v.literal("lookup"),
        namePattern: field(text(), { description: "AMI name pattern", allowed: "1-128 characters, * and ? as wildcards" }),
        owners: field(list(text()), { description: "accounts to search", allowed: '"self", "amazon", "aws-marketplace" or 12-digit account ids' }),
      }),
      (lookup) => checkAmiLookupProps({ namePattern: lookup.namePattern ?? "", owners: lookup.owners ?? [] }),
    ),
    /**
     * The newest AMI matching a name pattern and owners that carries the environment's
     * promotion tag (`sample-app:promoted-to-<environment>`, set by `npm run image:promote`).
     */
    withRules(
      strict({
        kind: v.literal("promoted"),
        namePattern: field(text(), { description: "AMI name pattern", allowed: "1-128 characters, * and ? as wildcards" }),
        owners: field(list(text()), { description: "accounts to search", allowed: '"self", "amazon", "aws-marketplace" or 12-digit account ids' }),
      }),
      (lookup) => checkAmiLookupProps({ namePattern: lookup.namePattern ?? "", owners: lookup.owners ?? [] }),
    ),
  ],
  (issue) =>
    issue.path
      ? `must be one of ${IMAGE_SOURCE_KINDS.map((kind) => `"${kind}"`).join(", ")}`
      : `must be an object like { kind: "lookup", namePattern, owners }, not ${describeType(issue.input)}`,
);

const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;
const DYNAMODB_TABLE = /^[A-Za-z0-9_.-]{3,255}$/;

export function checkKmsKeyArn(value: string): Problem {
  return KMS_KEY_ARN.test(value) ? undefined : "must be a KMS key ARN like arn:aws:kms:us-east-1:123456789012:key/<key id>";
}

export function checkDynamodbTableName(value: string): Problem {
  return DYNAMODB_TABLE.test(value) ? undefined : "must be a DynamoDB table name: 3-255 letters, digits, _ . -";
}

function checkStateKey(value: string): Problem {
  return /^[^/\s][^\s]*\.tfstate$/.test(value) && !value.includes("//") ? undefined : "must be an S3 key like team/app/terraform.tfstate (no leading /, no spaces, ending in .tfstate)";
}

const S3_BACKEND_FIELDS = {
  bucket: v.optional(field(v.pipe(text(), rule(checkS3BucketName)), { description: "an existing bucket for the state files", allowed: "an S3 bucket name (AWS's naming rules)", default: "the bucket of the bootstrap settings file (state-backend.json); local state until it exists" })),
  region: v.optional(field(v.pipe(text(), rule(checkRegion)), { description: "region of the bucket", allowed: "an AWS region", default: "the bootstrap bucket's region, else the environment's" })),
  keyPrefix: v.optional(field(v.pipe(text(), rule(checkKeyPrefix)), { description: "prefix of the state key", allowed: "a/b/c, no leading or trailing /", default: '"sample-app"' })),
  key: v.optional(field(v.pipe(text(), rule(checkStateKey)), { description: "exact state key, e.g. an adopted deployment's existing state", allowed: "an S3 key ending in .tfstate, no leading /", default: "<keyPrefix>/<stack id>.tfstate" })),
  kmsKeyId: v.optional(field(v.pipe(text(), rule(checkKmsKeyArn)), { description: "KMS key that encrypts the state object", allowed: "a KMS key ARN", default: "the bootstrap's key, else the bucket's default encryption" })),
  dynamodbTable: v.optional(field(v.pipe(text(), rule(checkDynamodbTableName)), { description: "DynamoDB lock table, besides the S3 lock file", allowed: "a table name with a LockID string hash key", default: "the bootstrap's table, else the lock file only" })),
};

export const EMULATOR_FIELDS = {
  endpoint: field(v.pipe(text(), rule(checkEmulatorEndpoint)), { description: "base URL of the emulator", allowed: "http(s) URL on 127.0.0.1, localhost or [::1]" }),
};

const SUPPRESSION_FIELDS = {
  rule: field(v.pipe(text(), rule(checkRuleId)), { description: "the rule switched off", allowed: "a rule id, e.g. \"SA-005\" (docs/policy-rules.md)" }),
  resource: field(v.pipe(text(), rule(checkResourcePath)), { description: "the one resource it is switched off for", allowed: "construct path below the stack, as the synth output prints it" }),
  reason: field(v.pipe(text(), rule(checkReason)), { description: "why the rule does not apply there", allowed: "a sentence, at least 20 characters" }),
};
const POLICY_FIELDS = {
  suppressions: v.optional(field(list(strict(SUPPRESSION_FIELDS)), { description: "rules switched off per resource", allowed: "[{ rule, resource, reason }]", default: "none" })),
};
const PHYSICAL_NAME_FIELDS = {
  name: v.optional(field(text(), { description: "fixed name (keeps an existing object's name)", allowed: "AWS's rules for the object" })),
  namePrefix: v.optional(field(text(), { description: "name prefix; AWS appends a unique suffix", allowed: "AWS's rules for the object's prefix" })),
  description: v.optional(field(text(), { description: "security group description", allowed: "1-255 characters" })),
};
const PhysicalNameSchema = strict(PHYSICAL_NAME_FIELDS);
const physicalName = (what: string, defaultText: string) =>
  v.optional(field(PhysicalNameSchema, { description: what, allowed: "{ name } or { namePrefix }, plus description for security groups", default: defaultText }));

/**
 * Names of the objects whose name (or security group description) forces a replacement;
 * rules from the modules that name them.
 */
const NAMES_FIELDS = {
  useNamePrefix: v.optional(field(flag(), { description: "name prefixes for the target group and both security groups, so replacements apply", allowed: "true or false", default: "true" })),
  loadBalancer: physicalName("the ALB (prefix at most 6 characters)", "name <stack id>"),
  targetGroup: physicalName("the target group (prefix at most 6 characters)", 'prefix "tg-" (useNamePrefix) or name <stack id>-tg'),
  loadBalancerSecurityGroup: physicalName("the ALB's security group", "prefix <stack id>-alb- or name <stack id>-alb"),
  instanceSecurityGroup: physicalName("the instances' security group", "prefix <stack id>-instances- or name <stack id>-instances"),
  launchTemplate: physicalName("the launch template", "prefix <stack id>-"),
  autoScalingGroup: physicalName("the auto scaling group", "name <stack id>"),
  instanceRole: physicalName("the instances' IAM role", "prefix <stack id>-"),
  instanceProfile: physicalName("the instance profile", "prefix <stack id>-"),
};
const NamesSchema = withRules(strict(NAMES_FIELDS), (names) => ({
  ...problemsInConfigTerms(checkLoadBalancerNames(loadBalancerNamesOf(names)), LOAD_BALANCER_NAME_PROPS),
  ...problemsInConfigTerms(checkAutoScalingGroupNames(groupNamesOf(names)), GROUP_NAME_PROPS),
}));

const DEFAULT_VPC_FIELDS = {
  defaultSubnetsOnly: v.optional(field(flag(), { description: "only the default subnet of each AZ", allowed: "true or false", default: "false: every subnet of the default VPC, as the book's modules" })),
};

const ADOPTED_RESOURCE_FIELDS = {
  from: field(text(), { description: "the resource's address in the old state", allowed: "a managed resource address, e.g. module.alb.aws_lb.sample_app" }),
  importId: v.optional(field(text(), { description: "the object's id, when the old resource has another type", allowed: "an id, e.g. sgr-0123456789abcdef0" })),
};
const ADOPTION_FIELDS = {
  source: v.optional(field(text(), { description: "where the old state was read from", allowed: "a file or s3://bucket/key" })),
  resources: field(v.record(text(), strict(ADOPTED_RESOURCE_FIELDS), mustBe("an object")), { description: "construct path below the stack -> the old resource it takes over", allowed: '{ "<construct path>": { from, importId? } }' }),
  leftovers: v.optional(field(v.record(text(), v.picklist(LEFTOVER_ACTIONS, () => 'must be "forget" or "destroy"'), mustBe("an object")), { description: "old resources nothing takes over", allowed: '{ "<old address>": "forget" | "destroy" }', default: "none" })),
  stateAddresses: v.optional(field(list(text()), { description: "every address of the old state (checked against the mapping)", allowed: "resource addresses", default: "not checked at synth" })),
};

const ACCESS_LOGS_FIELDS = {
  bucketName: v.optional(field(text(), { description: "exact name of the log bucket the stack creates", allowed: "an S3 bucket name AWS accepts", default: "generated: <stack id>-logs-<suffix>" })),
  existingBucketName: v.optional(field(v.pipe(text(), rule(checkS3BucketName)), { description: "log to this existing bucket instead of creating one (its policy must allow ELB log delivery)", allowed: "an S3 bucket name", default: "a bucket is created" })),
  prefix: v.optional(field(text(), { description: "key prefix of the logs", allowed: "a/b/c, no leading or trailing /, no AWSLogs", default: "the bucket root" })),
  expirationDays: v.optional(field(number(), { description: "days the created bucket keeps logs", allowed: "1 to 3650", default: `${LOG_BUCKET_DEFAULTS.expirationDays}` })),
};
const AccessLogsSchema = withRules(strict(ACCESS_LOGS_FIELDS), (logs) => ({
  ...renamed(checkLoadBalancerLogBucketProps({ bucketName: logs.bucketName, logPrefix: logs.prefix, expirationDays: logs.expirationDays }), {
    bucketName: "bucketName",
    logPrefix: "prefix",
    expirationDays: "expirationDays",
  }),
  existingBucketName:
    logs.existingBucketName !== undefined && (logs.bucketName !== undefined || logs.expirationDays !== undefined)
      ? "must not be set together with bucketName or expirationDays (those describe a bucket the stack creates)"
      : undefined,
}));

const FLOW_LOGS_FIELDS = {
  destination: v.optional(field(v.picklist(["cloud-watch-logs", "s3"], () => 'must be "cloud-watch-logs" or "s3"'), { description: "where the records go", allowed: '"cloud-watch-logs" (a log group the stack creates) or "s3" (bucketArn)', default: '"cloud-watch-logs"' })),
  retentionDays: v.optional(field(number(), { description: "days the log group keeps records", allowed: "a CloudWatch Logs retention period (1, 3, 5, 7, 14, 30, …, 3653)", default: `${VPC_FLOW_LOG_DEFAULTS.retentionDays}` })),
  kmsKeyArn: v.optional(field(text(), { description: "KMS key of the log group", allowed: "a KMS key ARN", default: "CloudWatch Logs' own encryption" })),
  bucketArn: v.optional(field(text(), { description: "existing bucket for destination s3", allowed: "arn:aws:s3:::<bucket>[/<prefix>]" })),
  trafficType: v.optional(field(v.picklist(FLOW_LOG_TRAFFIC_TYPES, () => `must be one of ${FLOW_LOG_TRAFFIC_TYPES.map((t) => `"${t}"`).join(", ")}`), { description: "traffic recorded", allowed: '"ALL", "ACCEPT", "REJECT"', default: `"${VPC_FLOW_LOG_DEFAULTS.trafficType}"` })),
};
const FlowLogsSchema = withRules(strict(FLOW_LOGS_FIELDS), (logs) => {
  const s3 = logs.destination === "s3";
  const problems = checkVpcFlowLogProps({
    destination: s3 ? { kind: "s3", bucketArn: logs.bucketArn ?? "" } : { kind: "cloud-watch-logs", retentionDays: logs.retentionDays, kmsKeyArn: logs.kmsKeyArn },
  });
  return {
    retentionDays: s3 && logs.retentionDays !== undefined ? 'applies to destination "cloud-watch-logs" only' : problems["destination.retentionDays"],
    kmsKeyArn: s3 && logs.kmsKeyArn !== undefined ? 'applies to destination "cloud-watch-logs" only' : problems["destination.kmsKeyArn"],
    bucketArn: !s3 && logs.bucketArn !== undefined ? 'applies to destination "s3" only' : problems["destination.bucketArn"],
  };
});

const WAF_FIELDS = {
  rateLimitPer5Minutes: v.optional(field(number(), { description: "requests per client IP per 5 minutes before it is blocked", allowed: "10 to 2000000000", default: `${WEB_ACL_DEFAULTS.rateLimitPer5Minutes}` })),
  logRetentionDays: v.optional(field(number(), { description: "days the log group of blocked/counted requests keeps them", allowed: "a CloudWatch Logs retention period", default: `${WEB_ACL_DEFAULTS.logRetentionDays}` })),
  managedRuleGroups: v.optional(field(list(text()), { description: "AWS managed rule groups, in order", allowed: "AWS managed rule group names, exact case (baseline, use-case, IP reputation, Bot Control), no repeats", default: WEB_ACL_DEFAULTS.managedRuleGroups.join(", ") })),
};
const WafSchema = withRules(strict(WAF_FIELDS), (waf) => checkLoadBalancerWebAclProps(waf));

/** Every field of an environment; docs/configuration.md's reference lists the same. */
export const ENVIRONMENT_FIELDS = {
  region: field(v.pipe(text(), rule(checkRegion)), { description: "AWS region", allowed: 'a region of modules/core/aws-facts.json, e.g. "us-east-1"' }),
  accountId: v.optional(field(v.pipe(text(), rule(checkAccountId)), { description: "AWS account the environment deploys to: the provider refuses credentials of any other (allowed_account_ids), and names only have to differ from other environments in the same account", allowed: "a 12-digit account id", default: "not checked: the credentials' account" })),
  vpcCidr: field(text(), { description: "VPC IPv4 CIDR", allowed: "/16 to /28, no host bits; must not overlap another environment's VPC" }),
  azCount: field(number(), { description: "availability zones", allowed: "2 (an ALB needs two) to the region's zone count" }),
  natMode: field(v.picklist(NAT_MODES, () => `must be one of ${NAT_MODES.map((mode) => `"${mode}"`).join(", ")}`), {
    description: "egress of private subnets",
    allowed: '"none" (instances then run in public subnets with public IPs), "single", "per-az"',
  }),
  subnetPrefixLength: v.optional(field(number(), { description: "size of each subnet", allowed: "the subnets must fit the VPC, /28 at most", default: "VPC prefix + 4" })),
  defaultVpc: v.optional(field(strict(DEFAULT_VPC_FIELDS), { description: "use the region's default VPC (public subnets only; the book's chapter 3 setup)", allowed: "{ defaultSubnetsOnly? }", default: "a VPC is created" })),
  existingNetworkFromState: v.optional(field(strict(NETWORK_FROM_STATE_FIELDS), { description: "use an existing VPC read from another stack's outputs (terraform_remote_state, S3)", allowed: "{ bucket, key, region?, outputs?, privateSubnetsHaveEgress? }", default: "a VPC is created" })),
  existingNetwork: v.optional(field(ExistingNetworkSchema, { description: "use an existing VPC instead", allowed: "{ vpcId, publicSubnetIds, privateSubnetIds, privateSubnetsHaveEgress? }", default: "a VPC is created" })),
  instanceType: field(text(), { description: "EC2 instance type", allowed: 'an x86_64 type of modules/core/aws-facts.json, e.g. "t3.small"' }),
  mixedInstances: v.optional(field(MixedInstancesSchema, { description: "several instance types and a share of Spot (a mixed instances policy; instance refresh still rolls a new image)", allowed: "{ instanceTypes, onDemandBaseCapacity?, onDemandPercentageAboveBaseCapacity?, spotAllocationStrategy?, capacityRebalance? }", default: "instanceType only, all On-Demand" })),
  warmPool: v.optional(field(WarmPoolSchema, { description: "instances booted ahead of need beside the group; scale-outs take them first (not with mixedInstances)", allowed: "{ state?, minSize?, maxPreparedCapacity?, reuseOnScaleIn? }", default: "no warm pool" })),
  lifecycleHooks: v.optional(field(LifecycleHooksSchema, { description: "lifecycle hooks: terminating (holds instances while they drain) and launching", allowed: "{ terminating?, launching? }", default: "no hooks" })),
  capacity: field(CapacitySchema, { description: "group size", allowed: "{ min, max, desired }, min <= desired <= max" }),
  appPort: field(number(), { description: "port the app listens on", allowed: "1 to 65535" }),
  healthCheck: field(HealthCheckSchema, { description: "target group health check", allowed: "{ path, matcher?, intervalSeconds?, timeoutSeconds?, healthyThreshold?, unhealthyThreshold? }" }),
  instanceRefresh: v.optional(field(InstanceRefreshSchema, { description: "rolling refresh preferences", allowed: "{ minHealthyPercentage?, maxHealthyPercentage?, autoRollback?, instanceWarmupSeconds?, skipMatching?, alarmNames?, checkpoints? }", default: "100 % / 200 %, auto rollback" })),
  rolloutAlarms: v.optional(field(RolloutAlarmsSchema, { description: "CloudWatch alarms a refresh watches: one in ALARM fails (and rolls back) the refresh", allowed: "{ enabled?, target5xx?, unhealthyHosts? }", default: "on: target 5xx and unhealthy hosts" })),
  cpuTargetTracking: v.optional(field(CpuTargetTrackingSchema, { description: "CPU target tracking", allowed: "{ enabled?, targetUtilizationPercent? }", default: `on, ${cpuDefaults.targetUtilizationPercent} %` })),
  requestCountTargetTracking: v.optional(field(strict(REQUEST_COUNT_TARGET_TRACKING_FIELDS), { description: "target tracking on the ALB's requests per instance, beside the CPU policy (not with capacity.min = capacity.max)", allowed: "{ targetRequestsPerTarget }", default: "no request-count policy" })),
  scheduledActions: v.optional(field(ScheduledActionsSchema, { description: "scheduled changes of the group's size, keyed by name (not with capacity.min = capacity.max)", allowed: '{ "<name>": { recurrence, timeZone?, min?, max?, desired?, startTime?, endTime? } }, sizes within capacity', default: "none" })),
  certificateArn: v.optional(field(text(), { description: "ACM certificate: HTTP redirects to HTTPS", allowed: "an ACM certificate ARN in the environment's region", default: "HTTP only" })),
  allowedCidrs: field(list(text()), { description: "who may reach the ALB", allowed: "IPv4 CIDRs, no repeats" }),
  image: field(ImageSourceSchema, { description: "where the AMI comes from", allowed: '{ kind: "ami", amiId } | { kind: "packer-manifest", manifestPath? } | { kind: "lookup", namePattern, owners } | { kind: "promoted", namePattern, owners }' }),
  deletionProtection: field(flag(), { description: "ALB deletion protection", allowed: "true or false" }),
  deregistrationDelaySeconds: v.optional(field(number(), { description: "ALB drain time", allowed: "0 to 3600", default: `${LOAD_BALANCER_DEFAULTS.deregistrationDelaySeconds}` })),
  slowStartSeconds: v.optional(field(number(), { description: "traffic ramp for new instances", allowed: "30 to 900", default: "off" })),
  s3Backend: v.optional(field(strict(S3_BACKEND_FIELDS), { description: "remote state in S3 (with emulator: the emulator's S3)", allowed: "{ bucket?, region?, keyPrefix?, key?, kmsKeyId?, dynamodbTable? }; {} = the bootstrap's bucket", default: "local state file" })),
  emulator: v.optional(field(strict(EMULATOR_FIELDS), { description: "talk to an AWS emulator", allowed: "{ endpoint } on a loopback address", default: "real AWS" })),
  accessLogs: v.optional(field(AccessLogsSchema, { description: "ALB access logs", allowed: "{ bucketName? | existingBucketName?, prefix?, expirationDays? }", default: "on, to a bucket the stack creates" })),
  flowLogs: v.optional(field(FlowLogsSchema, { description: "VPC flow logs (created VPCs)", allowed: "{ destination?, retentionDays?, kmsKeyArn?, bucketArn?, trafficType? }", default: "on, to a CloudWatch Logs group kept 365 days" })),
  waf: v.optional(field(WafSchema, { description: "WAFv2 web ACL on the ALB", allowed: "{ rateLimitPer5Minutes?, managedRuleGroups?, logRetentionDays? }", default: "no web ACL" })),
  ssmAccess: v.optional(field(v.picklist(SSM_ACCESS, () => `must be one of ${SSM_ACCESS.map((a) => `"${a}"`).join(", ")}`), { description: "Systems Manager permissions of the instances", allowed: '"session-manager" (sessions only) or "managed-instance-core" (AmazonSSMManagedInstanceCore)', default: '"session-manager"' })),
  production: v.optional(field(flag(), { description: "apply the production policy rules (HTTPS, deletion protection, remote state, promoted image, WAF)", allowed: "true or false", default: "false" })),
  policy: v.optional(field(strict(POLICY_FIELDS), { description: "policy rule suppressions", allowed: "{ suppressions? }", default: "no suppressions" })),
  adoption: v.optional(field(strict(ADOPTION_FIELDS), { description: "take over an existing deployment's objects (written by npm run adopt)", allowed: "{ source?, resources, leftovers?, stateAddresses? }", default: "nothing adopted" })),
  names: v.optional(field(NamesSchema, { description: "names and security group descriptions whose change forces a replacement", allowed: "{ useNamePrefix?, loadBalancer?, targetGroup?, loadBalancerSecurityGroup?, instanceSecurityGroup?, launchTemplate?, autoScalingGroup?, instanceRole?, instanceProfile? }", default: "prefixes where AWS has them" })),
  awsProviderVersion: v.optional(field(v.pipe(text(), rule(checkProviderVersion)), { description: "exact AWS provider pin", allowed: 'a released 6.x version like "6.25.0" (config/provider-releases.json)', default: `${DEFAULT_AWS_PROVIDER_VERSION} (DEFAULT_AWS_PROVIDER_VERSION in config/schema.ts; the same under cdktf and cdktn)` })),
  providerRegistry: v.optional(field(v.pipe(text(), rule(checkProviderRegistry)), { description: "registry host of the AWS provider's source address (`<host>/hashicorp/aws`); must match the engine and the committed lock files", allowed: '"registry.opentofu.org" (OpenTofu), "registry.terraform.io" (Terraform), or your registry mirror\'s host', default: '"registry.opentofu.org"' })),
};

const EnvironmentObject = strict(ENVIRONMENT_FIELDS);

/** Rules across fields of an environment, from the modules that consume them. */
function environmentRules(config: Partial<v.InferOutput<typeof EnvironmentObject>>): Problems {
  const network =
    config.existingNetwork === undefined && config.defaultVpc === undefined && config.existingNetworkFromState === undefined
      ? renamed(
          checkNetworkProps({ cidrBlock: config.vpcCidr, azCount: config.azCount, natMode: config.natMode, subnetPrefixLength: config.subnetPrefixLength }),
          { cidrBlock: "vpcCidr", azCount: "azCount", natMode: "natMode", subnetPrefixLength: "subnetPrefixLength" },
        )
      : {};
  const loadBalancer = renamed(
    checkLoadBalancerProps({
      appPort: config.appPort,
      allowedCidrs: config.allowedCidrs,
      certificateArn: config.certificateArn,
      deregistrationDelaySeconds: config.deregistrationDelaySeconds,
      slowStartSeconds: config.slowStartSeconds,
    }),
    {
      appPort: "appPort",
      allowedCidrs: "allowedCidrs",
      certificateArn: "certificateArn",
      deregistrationDelaySeconds: "deregistrationDelaySeconds",
      slowStartSeconds: "slowStartSeconds",
    },
  );
  const group = renamed(checkAutoScalingGroupProps({ instanceType: config.instanceType }), { instanceType: "instanceType" });
  // The rollout alarms and the user's own share AWS's limit of alarms per refresh.
  const ownAlarms = config.rolloutAlarms?.enabled === false ? 0 : ROLLOUT_ALARM_COUNT;
  const extraAlarms = config.instanceRefresh?.alarmNames ?? [];
  return {
    ...network,
    ...loadBalancer,
    ...group,
    ...scalingRules(config),
    // What a production environment must not have, however the policy rules are configured.
    emulator: config.production === true && config.emulator !== undefined ? "must not be set in a production environment (production: true): an emulator is for local development" : undefined,
    "instanceRefresh.minHealthyPercentage":
      config.production === true && config.instanceRefresh?.minHealthyPercentage === 0
        ? "must be above 0 in a production environment (production: true): 0 lets a rollout take every instance out of service at once"
        : undefined,
    "s3Backend.key":
      config.s3Backend?.key !== undefined && config.s3Backend.keyPrefix !== undefined
        ? "must not be set together with keyPrefix (key is the whole path)"
        : undefined,
    defaultVpc:
      config.defaultVpc !== undefined && config.existingNetwork !== undefined
        ? "must not be set together with existingNetwork (choose one network)"
        : undefined,
    existingNetworkFromState:
      config.existingNetworkFromState !== undefined && (config.existingNetwork !== undefined || config.defaultVpc !== undefined)
        ? "must not be set together with existingNetwork or defaultVpc (choose one network)"
        : undefined,
    ...awsFactRules(config),
    ...warmPoolAndHookRules(config),
    "instanceRefresh.alarmNames":
      extraAlarms.length + ownAlarms > MAX_REFRESH_ALARMS && extraAlarms.length <= MAX_REFRESH_ALARMS
        ? `must list at most ${MAX_REFRESH_ALARMS - ownAlarms} alarms: AWS watches at most ${MAX_REFRESH_ALARMS}, and the rollout alarms take ${ownAlarms}`
        : undefined,
  };
}

/** The warm pool and the hooks against the group they belong to. */
function warmPoolAndHookRules(config: Partial<v.InferOutput<typeof EnvironmentObject>>): Problems {
  const problems: Problems = {};
  if (config.warmPool !== undefined) {
    const warm = checkWarmPool(config.warmPool, { maxSize: config.capacity?.max, instanceType: config.instanceType, rootVolumeGiB: AUTO_SCALING_GROUP_DEFAULTS.rootVolume.sizeGiB });
    for (const [key, problem] of Object.entries(warm)) {
      problems[`warmPool.${key}`] = problem?.replace("the group's maximum size", "capacity.max");
    }
    if (config.mixedInstances !== undefined) {
      problems.warmPool = `must not be set together with mixedInstances: ${WARM_POOL_WITH_MIXED_INSTANCES}; remove one of warmPool and mixedInstances`;
    }
  }
  if (config.lifecycleHooks?.terminating?.enabled === false && config.lifecycleHooks.terminating.heartbeatTimeoutSeconds !== undefined) {
    problems["lifecycleHooks.terminating.heartbeatTimeoutSeconds"] = "must not be set with enabled: false (there is no terminating hook to time out)";
  }
  const timeout = config.lifecycleHooks?.terminating?.heartbeatTimeoutSeconds;
  const delay = config.deregistrationDelaySeconds ?? LOAD_BALANCER_DEFAULTS.deregistrationDelaySeconds;
  if (config.lifecycleHooks?.terminating?.enabled !== false && typeof timeout === "number" && Number.isInteger(timeout) && timeout < delay && timeout >= LIFECYCLE_HOOK_TIMEOUT_BOUNDS.min) {
    problems["lifecycleHooks.terminating.heartbeatTimeoutSeconds"] = `must be at least deregistrationDelaySeconds (${delay}): a shorter hook shuts instances down while the load balancer still drains them`;
  }
  return problems;
}

/** What AWS allows for this region and this image (modules/core/aws-facts.json). */
function awsFactRules(config: Partial<v.InferOutput<typeof EnvironmentObject>>): Problems {
  const problems: Problems = {};
  const zones = config.region !== undefined ? availabilityZonesOf(config.region) : undefined;
  const createsNetwork = config.existingNetwork === undefined && config.defaultVpc === undefined;
  if (zones && createsNetwork && typeof config.azCount === "number" && config.azCount > zones.length) {
    // Subnets would wrap around onto zones already used: no more availability, same cost.
    problems.azCount = `must be at most ${zones.length}: ${config.region} has ${zones.length} availability zones (${zones.join(", ")})`;
  }
  if (typeof config.instanceType === "string" && !isUnresolved(config.instanceType)) {
    const architectures = architecturesOf(config.instanceType);
    if (architectures.length > 0 && !architectures.includes("x86_64")) {
      problems.instanceType = `must run x86_64 (the images are built and looked up as x86_64); ${config.instanceType} is ${architectures.join("/")} only`;
    }
  }
  if (config.region !== undefined) {
    const region = config.region;
    if (config.certificateArn !== undefined && checkCertificateArn(config.certificateArn) === undefined) {
      problems.certificateArn = checkArnPlace(config.certificateArn, region, "an ACM certificate", "the load balancer's region");
    }
    const flowLogKey = config.flowLogs?.kmsKeyArn;
    if (flowLogKey !== undefined && checkKmsKeyArn(flowLogKey) === undefined) {
      problems["flowLogs.kmsKeyArn"] = checkArnPlace(flowLogKey, region, "a KMS key", "the log group's region");
    }
    const flowLogBucket = config.flowLogs?.bucketArn;
    if (flowLogBucket !== undefined && flowLogBucket.startsWith("arn:")) {
      problems["flowLogs.bucketArn"] = checkArnPlace(flowLogBucket, region, "an S3 bucket", "", false);
    }
    const stateKey = config.s3Backend?.kmsKeyId;
    // Without a bucket the state is in the bootstrap's bucket, whose region config/state.ts compares.
    if (stateKey !== undefined && config.s3Backend?.bucket !== undefined && checkKmsKeyArn(stateKey) === undefined) {
      const bucketRegion = config.s3Backend.region ?? region;
      problems["s3Backend.kmsKeyId"] = checkArnPlace(stateKey, bucketRegion, "a KMS key", "the state bucket's region");
    }
  }
  return problems;
}

/** One environment's configuration. */
export const EnvironmentSchema = withRules(EnvironmentObject, environmentRules);
