import { Construct } from "constructs";
import { Fn, Token } from "cdktf";
import { architecturesOf } from "../core/aws-facts";
import { AutoscalingGroup } from "@cdktf/provider-aws/lib/autoscaling-group";
import { AutoscalingLifecycleHook } from "@cdktf/provider-aws/lib/autoscaling-lifecycle-hook";
import { AutoscalingPolicy } from "@cdktf/provider-aws/lib/autoscaling-policy";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import {
  PhysicalName,
  givenNameOr,
  Problem,
  Problems,
  checkPhysicalName,
  nameArguments,
  checkAmiId,
  checkCapacity,
  checkInstanceType,
  checkInteger,
  checkPort,
  checkRefreshPercentages,
  isUnresolved,
  nested,
  optional,
  throwIfProblems,
  withDefaults,
} from "../core/checks";
import { RequestCountTargetTracking, RequestCountTargetTrackingSettings, checkRequestCountTargetTracking } from "./request-count-target-tracking";
import { PROP_SIZE_TERMS, ScheduledActionProps, ScheduledScalingActions, SizeTerms, checkScheduledActions, checkScheduledActionsAt } from "./scheduled-actions";
import {
  LIFECYCLE_HOOK_DEFAULTS,
  LifecycleHooksProps,
  UNSET_MAX_PREPARED_CAPACITY,
  WARM_POOL_DEFAULTS,
  WARM_POOL_WITH_MIXED_INSTANCES,
  WarmPoolProps,
  checkLifecycleHooks,
  checkWarmPool,
} from "./warm-pool-and-hooks";

/** What the group needs from the load balancer in front of it. */
export interface ILoadBalancerTargetSource {
  /** Security group of the load balancer; the only source allowed to reach the instances. */
  readonly securityGroupId: string;
  /** Target group the instances register into. */
  readonly targetGroupArn: string;
  /** The load balancer's ARN suffix (`app/<name>/<id>`), for its CloudWatch metrics. */
  readonly loadBalancerArnSuffix: string;
  /** The target group's ARN suffix (`targetgroup/<name>/<id>`), for its CloudWatch metrics. */
  readonly targetGroupArnSuffix: string;
  /** Grants the load balancer egress to the instances' security group on the app port. */
  allowTrafficTo(id: string, securityGroupId: string): void;
}

/** Preferences of the rolling instance refresh started when the launch template changes. */
export interface InstanceRefreshProps {
  /**
   * Share of capacity that must stay healthy during the refresh, 0 to 100. 100 means
   * new instances are launched and healthy before old ones are terminated.
   * @default 100
   */
  readonly minHealthyPercentage?: number;
  /**
   * Share of capacity the group may grow to during the refresh, 100 to 200, at most
   * 100 points above `minHealthyPercentage`.
   * @default 200
   */
  readonly maxHealthyPercentage?: number;
  /**
   * Roll back to the previous configuration when the refresh fails.
   * @default true
   */
  readonly autoRollback?: boolean;
  /**
   * Seconds a new instance needs before it counts toward the healthy share.
   * @default - the group's `defaultInstanceWarmupSeconds`
   */
  readonly instanceWarmupSeconds?: number;
  /**
   * Skip instances that already run the desired configuration. Off, so a refresh
   * replaces every instance even when only user data outside the template changed.
   * @default false
   */
  readonly skipMatching?: boolean;
  /**
   * CloudWatch alarms (names, at most 10) the refresh watches: when one goes to ALARM the
   * refresh fails and, with `autoRollback`, rolls back. See `RolloutAlarms`.
   * @default - no alarms
   */
  readonly alarmNames?: string[];
  /**
   * Pause the refresh at these shares of the group, to watch the new instances take
   * traffic (and the alarms) before the rest is replaced.
   * @default - no checkpoints
   */
  readonly checkpoints?: RefreshCheckpointsProps;
}

/** Points at which an instance refresh pauses. */
export interface RefreshCheckpointsProps {
  /**
   * Percentages of the group replaced at each pause, ascending, unique, 1 to 100; the last
   * must be 100 so that the refresh replaces every instance.
   */
  readonly percentages: number[];
  /**
   * Seconds to wait at each checkpoint, 0 to 172800 (48 h).
   * @default 3600 (AWS's default)
   */
  readonly delaySeconds?: number;
}

/** AWS waits this long at a checkpoint when no delay is given. */
export const DEFAULT_CHECKPOINT_DELAY_SECONDS = 3600;
/** AWS watches at most this many alarms during a refresh. */
export const MAX_REFRESH_ALARMS = 10;

/** Every rule of refresh checkpoints, by prop. */
export function checkRefreshCheckpoints(value: RefreshCheckpointsProps): Problems {
  const percentages = value.percentages;
  let percentagesProblem: string | undefined;
  if (!Array.isArray(percentages) || percentages.length === 0) {
    percentagesProblem = "must list at least one percentage";
  } else if (percentages.some((p) => !Number.isInteger(p) || p < 1 || p > 100)) {
    percentagesProblem = "must be whole numbers from 1 to 100";
  } else if (percentages.some((p, i) => i > 0 && p <= percentages[i - 1])) {
    percentagesProblem = "must be ascending without repeats";
  } else if (percentages[percentages.length - 1] !== 100) {
    percentagesProblem = "must end with 100, or the refresh stops before replacing every instance";
  }
  return {
    percentages: percentagesProblem,
    delaySeconds: optional(value.delaySeconds, (seconds) => checkInteger(seconds, 0, 172800)),
  };
}

/** The alarm names of a refresh (AWS accepts up to 10); unresolved tokens are taken on trust. */
export function checkRefreshAlarmNames(names: string[]): Problem {
  if (!Array.isArray(names) || names.length > MAX_REFRESH_ALARMS) {
    return `must list at most ${MAX_REFRESH_ALARMS} alarm names`;
  }
  const literal = names.filter((name) => !Token.isUnresolved(name));
  if (literal.some((name) => typeof name !== "string" || name.length < 1 || name.length > 255)) {
    return "must be alarm names of 1 to 255 characters";
  }
  return new Set(literal).size === literal.length ? undefined : "must not repeat an alarm";
}

/** Spot allocation strategies of Auto Scaling (InstancesDistribution.SpotAllocationStrategy). */
export const SPOT_ALLOCATION_STRATEGIES = ["price-capacity-optimized", "capacity-optimized", "capacity-optimized-prioritized", "lowest-price"] as const;
export type SpotAllocationStrategy = (typeof SPOT_ALLOCATION_STRATEGIES)[number];

/** AWS accepts at most this many instance types (launch template overrides) in a mixed instances policy. */
export const MAX_MIXED_INSTANCE_TYPES = 40;

/** One instance type a mixed instances group may launch. */
export interface MixedInstanceTypeProps {
  /** EC2 instance type, of the same architecture as every other type of the group (the image's). */
  readonly instanceType: string;
  /**
   * Capacity units one instance of this type counts for, 1 to 999 (then min, max and desired
   * capacity are in units). Set on every type or on none.
   * @default - 1 unit per instance (no weights)
   */
  readonly weightedCapacity?: number;
}

/**
 * Several instance types and a share of Spot instances (a mixed instances policy). The launch
 * template moves inside the policy, so a new template version still starts an instance refresh.
 */
export interface MixedInstancesProps {
  /**
   * Instance types, most preferred first (the order On-Demand capacity is filled in); they
   * replace the launch template's `instanceType`. 1 to 40, no repeats, all of one architecture.
   */
  readonly instanceTypes: MixedInstanceTypeProps[];
  /**
   * Capacity (units) always filled with On-Demand instances before any Spot, 0 or more.
   * @default 0
   */
  readonly onDemandBaseCapacity?: number;
  /**
   * Share of the capacity above the base that runs On-Demand, 0 to 100; the rest runs on Spot.
   * @default 100 (no Spot)
   */
  readonly onDemandPercentageAboveBaseCapacity?: number;
  /**
   * How Spot capacity is spread over the instance types' Spot pools.
   * @default "price-capacity-optimized"
   */
  readonly spotAllocationStrategy?: SpotAllocationStrategy;
  /**
   * Launch a replacement when AWS signals that a Spot instance is at elevated risk of
   * interruption (before the two-minute notice).
   * @default false
   */
  readonly capacityRebalance?: boolean;
}

/** Whether these settings run part of the group above the On-Demand base on Spot (defaults applied). */
export function runsSpotAboveBase(mixed: MixedInstancesProps | undefined): boolean {
  const percentage = mixed?.onDemandPercentageAboveBaseCapacity ?? MIXED_INSTANCES_DEFAULTS.onDemandPercentageAboveBaseCapacity;
  return mixed !== undefined && (isUnresolved(percentage) || percentage < 100);
}

/**
 * Every rule of {@link MixedInstancesProps}, by prop. `architecture`, when known, is the one
 * the instance types must run (the image's); otherwise they must only agree with each other.
 */
export function checkMixedInstances(mixed: MixedInstancesProps, architecture?: string): Problems {
  return {
    instanceTypes: checkMixedInstanceTypes(mixed.instanceTypes, architecture),
    onDemandBaseCapacity: optional(mixed.onDemandBaseCapacity, (base) => checkInteger(base, 0, 10000)),
    onDemandPercentageAboveBaseCapacity: optional(mixed.onDemandPercentageAboveBaseCapacity, (percentage) => checkInteger(percentage, 0, 100)),
    spotAllocationStrategy: optional(mixed.spotAllocationStrategy, (strategy) =>
      isUnresolved(strategy) || (SPOT_ALLOCATION_STRATEGIES as readonly string[]).includes(strategy)
        ? undefined
        : `must be one of ${SPOT_ALLOCATION_STRATEGIES.map((s) => `"${s}"`).join(", ")}, not ${JSON.stringify(strategy)}`,
    ),
  };
}

function checkMixedInstanceTypes(types: MixedInstanceTypeProps[], architecture: string | undefined): Problem {
  if (isUnresolved(types)) {
    return undefined;
  }
  if (!Array.isArray(types) || types.length < 1 || types.length > MAX_MIXED_INSTANCE_TYPES) {
    return `must list 1 to ${MAX_MIXED_INSTANCE_TYPES} instance types`;
  }
  for (const [index, entry] of types.entries()) {
    const type = entry?.instanceType;
    const problem = isUnresolved(type) ? undefined : checkInstanceType(type);
    if (problem) {
      return `entry ${index} (${JSON.stringify(type)}): instanceType ${problem}`;
    }
    const weight = entry.weightedCapacity;
    const weightProblem = weight === undefined ? undefined : checkInteger(weight, 1, 999);
    if (weightProblem) {
      return `entry ${index} (${JSON.stringify(type)}): weightedCapacity ${weightProblem}`;
    }
  }
  const literal = types.map((entry) => entry.instanceType).filter((type) => !isUnresolved(type));
  const repeated = literal.find((type, index) => literal.indexOf(type) !== index);
  if (repeated !== undefined) {
    return `must not repeat an instance type (${JSON.stringify(repeated)} is listed twice)`;
  }
  const weighted = types.filter((entry) => entry.weightedCapacity !== undefined).length;
  if (weighted > 0 && weighted < types.length) {
    return "must give weightedCapacity to every instance type or to none (AWS counts an unweighted type as 1 unit only when none is weighted)";
  }
  // One architecture: the image's when known, else the one all the types share.
  const runs = literal.map((type) => ({ type, architectures: architecturesOf(type) }));
  const wanted = architecture ?? ["x86_64", "arm64"].find((candidate) => runs.every((r) => r.architectures.includes(candidate)));
  const stranger = wanted === undefined ? runs.find((r) => !r.architectures.includes(runs[0].architectures[0])) : runs.find((r) => !r.architectures.includes(wanted));
  if (stranger !== undefined) {
    const described = runs.map((r) => `${r.type} ${r.architectures.join("/")}`).join(", ");
    return architecture !== undefined
      ? `must all run ${architecture}, the image's architecture; ${stranger.type} is ${stranger.architectures.join("/")} only (${described})`
      : `must all run one architecture (the image's); they mix architectures: ${described}`;
  }
  return undefined;
}

/** Target tracking on the group's average CPU. */
export interface CpuTargetTrackingProps {
  /**
   * Create the scaling policy.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Average CPU utilisation the group scales to hold, 1 to 100.
   * @default 50
   */
  readonly targetUtilizationPercent?: number;
}

/** Encrypted gp3 root volume. */
export interface RootVolumeProps {
  /**
   * Size in GiB; must be at least the AMI's snapshot size.
   * @default 16
   */
  readonly sizeGiB?: number;
  /**
   * Root device name of the AMI.
   * @default "/dev/xvda" (Amazon Linux 2023)
   */
  readonly deviceName?: string;
}

/**
 * Names of the objects whose name (or security group description) forces Terraform to
 * replace them when it changes, for keeping the names of an existing deployment.
 */
export interface AutoScalingGroupNames {
  /**
   * Give the security group a name prefix (AWS appends a unique suffix), so a
   * replacement (a new description) is created before the old group is deleted.
   * `false` gives it the fixed name `<name>-instances`.
   * @default true
   */
  readonly useNamePrefix?: boolean;
  /**
   * The instances' security group and its description. A fixed `name` needs an explicit
   * `description`: a fixed-name group can never be replaced (InvalidGroup.Duplicate).
   * @default { namePrefix: "<name>-instances-" } with useNamePrefix, else { name: "<name>-instances" }
   */
  readonly securityGroup?: PhysicalName;
  /**
   * The launch template (every change but the name is a new version, never a replacement).
   * @default { namePrefix: "<name>-" }
   */
  readonly launchTemplate?: PhysicalName;
  /**
   * The group. Nothing else forces its replacement, which would relaunch the fleet.
   * @default { name: "<name>" }
   */
  readonly autoScalingGroup?: PhysicalName;
  /**
   * The instances' IAM role.
   * @default { namePrefix: "<name>-" } (cut to 38 characters)
   */
  readonly role?: PhysicalName;
  /**
   * The instance profile.
   * @default { namePrefix: "<name>-" } (cut to 38 characters)
   */
  readonly instanceProfile?: PhysicalName;
}

export interface AppAutoScalingGroupProps {
  /** Name of the group, base of the launch template, role and security group names (see `names`). */
  readonly name: string;
  /**
   * Names and the security group description, for keeping the names of an existing deployment.
   * @default - see {@link AutoScalingGroupNames}
   */
  readonly names?: AutoScalingGroupNames;
  /** VPC of the instances. */
  readonly vpcId: string;
  /** Subnets to launch into, one per availability zone. */
  readonly subnetIds: string[];
  /**
   * Give instances a public IPv4 address; needed only in public subnets without NAT.
   * @default false
   */
  readonly associatePublicIpAddress?: boolean;
  /** AMI with the app baked in (`ami-...`, or a token from a data source). */
  readonly imageId: string;
  /** EC2 instance type (of the launch template; `mixedInstances.instanceTypes` override it). */
  readonly instanceType: string;
  /**
   * Several instance types and a share of Spot: the group launches through a mixed instances
   * policy, with the launch template inside it.
   * @default - one instance type (`instanceType`), all On-Demand
   */
  readonly mixedInstances?: MixedInstancesProps;
  /**
   * Instances booted ahead of need and kept stopped (or hibernated, or running) beside the
   * group; scale-outs take them first. Not with `mixedInstances` (AWS refuses it).
   * @default - no warm pool
   */
  readonly warmPool?: WarmPoolProps;
  /**
   * Lifecycle hooks: a terminating hook that holds instances while they drain, and a launching
   * hook (from the group's creation on, so the first instances have it too).
   * @default - no hooks
   */
  readonly lifecycleHooks?: LifecycleHooksProps;
  /**
   * Target group deregistration delay the terminating hook must outlast (checked, not applied).
   * @default - not checked
   */
  readonly deregistrationDelaySeconds?: number;
  /** Boot script (plain text, or a token such as a `templatefile()` result; base64-encoded here) that starts the app. */
  readonly userData: string;
  /** Port the app listens on. */
  readonly appPort: number;
  /** The load balancer in front of the group. */
  readonly loadBalancer: ILoadBalancerTargetSource;
  /** Lower bound of the group size. */
  readonly minSize: number;
  /** Upper bound of the group size. */
  readonly maxSize: number;
  /**
   * Group size, within [minSize, maxSize]. While a scaling policy (CPU or request count) or a
   * scheduled action is on, they own the running size, so this is only the initial size
   * (later changes to it are ignored, and an apply never undoes a scale-out). Without
   * them, it is the size, and changing it resizes the group.
   * @default minSize
   */
  readonly desiredCapacity?: number;
  /**
   * Seconds after launch before failed load balancer health checks mark an instance unhealthy.
   * @default 120
   */
  readonly healthCheckGracePeriodSeconds?: number;
  /**
   * Seconds a new instance needs before its metrics count (scaling and refreshes).
   * @default 60
   */
  readonly defaultInstanceWarmupSeconds?: number;
  /**
   * Rolling refresh preferences.
   * @default - rolling, 100 % min healthy, 200 % max healthy, auto rollback
   */
  readonly instanceRefresh?: InstanceRefreshProps;
  /**
   * CPU target tracking policy.
   * @default - enabled at 50 %
   */
  readonly cpuTargetTracking?: CpuTargetTrackingProps;
  /**
   * Target tracking on the load balancer's requests per instance (ALBRequestCountPerTarget),
   * beside the CPU policy (the group follows whichever asks for more instances). Not with a
   * fixed size (`minSize` equal to `maxSize`).
   * @default - no request-count policy
   */
  readonly requestCountTargetTracking?: RequestCountTargetTrackingSettings;
  /**
   * Scheduled actions keyed by name: at cron times, set the group's min, max and/or desired
   * size, each within [minSize, maxSize]. Not with a fixed size (`minSize` equal to `maxSize`).
   * @default - no scheduled actions
   */
  readonly scheduledActions?: Readonly<Record<string, ScheduledActionProps>>;
  /**
   * Root volume.
   * @default - 16 GiB gp3, encrypted, on /dev/xvda
   */
  readonly rootVolume?: RootVolumeProps;
  /**
   * Tags for the instances and volumes the group launches (provider default tags
   * do not reach resources that an ASG creates).
   * @default {}
   */
  readonly instanceTags?: Record<string, string>;
  /**
   * What the instance role may do for Systems Manager:
   * - `session-manager`: only what Session Manager needs (register the instance,
   *   open the session channels); no Run Command, State Manager, Parameter Store reads;
   * - `managed-instance-core`: AWS's AmazonSSMManagedInstanceCore, which adds Run
   *   Command, patching and inventory, and reads every SSM parameter of the account.
   * @default "session-manager"
   */
  readonly ssmAccess?: SsmAccess;
}

export const SSM_ACCESS = ["session-manager", "managed-instance-core"] as const;
export type SsmAccess = (typeof SSM_ACCESS)[number];

/** Defaults of the optional {@link AppAutoScalingGroupProps}; the environment config reuses them. */
export const AUTO_SCALING_GROUP_DEFAULTS = {
  healthCheckGracePeriodSeconds: 120,
  defaultInstanceWarmupSeconds: 60,
  instanceRefresh: {
    minHealthyPercentage: 100,
    maxHealthyPercentage: 200,
    autoRollback: true,
    skipMatching: false,
  },
  cpuTargetTracking: { enabled: true, targetUtilizationPercent: 50 } as Required<CpuTargetTrackingProps>,
  rootVolume: { sizeGiB: 16, deviceName: "/dev/xvda" } as Required<RootVolumeProps>,
} as const;

/** Defaults of the optional {@link MixedInstancesProps}. */
export const MIXED_INSTANCES_DEFAULTS = {
  onDemandBaseCapacity: 0,
  onDemandPercentageAboveBaseCapacity: 100,
  spotAllocationStrategy: "price-capacity-optimized" as SpotAllocationStrategy,
  capacityRebalance: false,
};

/** Every rule of the refresh preferences, by prop (defaults applied). */
export function checkInstanceRefresh(refresh: InstanceRefreshProps | undefined): Problems {
  const percentages = checkRefreshPercentages(
    refresh?.minHealthyPercentage ?? AUTO_SCALING_GROUP_DEFAULTS.instanceRefresh.minHealthyPercentage,
    refresh?.maxHealthyPercentage ?? AUTO_SCALING_GROUP_DEFAULTS.instanceRefresh.maxHealthyPercentage,
  );
  return {
    minHealthyPercentage: percentages.minHealthyPercentage,
    maxHealthyPercentage: percentages.maxHealthyPercentage,
    instanceWarmupSeconds: optional(refresh?.instanceWarmupSeconds, (seconds) => checkInteger(seconds, 0, 3600)),
    alarmNames: optional(refresh?.alarmNames, checkRefreshAlarmNames),
    ...(refresh?.checkpoints === undefined ? {} : nested("checkpoints", checkRefreshCheckpoints(refresh.checkpoints))),
  };
}

/** Every rule of CPU target tracking, by prop (defaults applied). */
export function checkCpuTargetTracking(cpu: CpuTargetTrackingProps | undefined): Problems {
  const resolved = withDefaults(AUTO_SCALING_GROUP_DEFAULTS.cpuTargetTracking, cpu);
  return { targetUtilizationPercent: checkInteger(resolved.targetUtilizationPercent, 1, 100) };
}

/** The names {@link AppAutoScalingGroup} gives its objects for `name` and `names` (defaults applied). */
export function resolveAutoScalingGroupNames(name: string, names: AutoScalingGroupNames | undefined): {
  securityGroup: PhysicalName & { description: string };
  launchTemplate: PhysicalName;
  autoScalingGroup: PhysicalName;
  role: PhysicalName;
  instanceProfile: PhysicalName;
} {
  const usePrefix = names?.useNamePrefix ?? true;
  const pick = givenNameOr;
  const iamPrefix = `${name}-`.slice(0, 38);
  return {
    securityGroup: {
      ...pick(names?.securityGroup, usePrefix ? { namePrefix: `${name}-instances-` } : { name: `${name}-instances` }),
      description: names?.securityGroup?.description ?? `Instances of ${name}: app port from the load balancer only, no SSH`,
    },
    launchTemplate: pick(names?.launchTemplate, { namePrefix: `${name}-` }),
    autoScalingGroup: pick(names?.autoScalingGroup, { name }),
    role: pick(names?.role, { namePrefix: iamPrefix }),
    instanceProfile: pick(names?.instanceProfile, { namePrefix: iamPrefix }),
  };
}

/** Every rule of {@link AutoScalingGroupNames}, by dotted prop. */
export function checkAutoScalingGroupNames(names: AutoScalingGroupNames | undefined): Problems {
  const securityGroup = checkPhysicalName("securityGroup", names?.securityGroup);
  return {
    ...nested("securityGroup", securityGroup),
    "securityGroup.description":
      names?.securityGroup?.name !== undefined && names.securityGroup.description === undefined
        ? "must be set when securityGroup.name is fixed: a security group with a fixed name cannot be replaced (InvalidGroup.Duplicate), so its description must not follow this project's default text"
        : securityGroup.description,
    ...nested("launchTemplate", checkPhysicalName("launchTemplate", names?.launchTemplate)),
    ...nested("autoScalingGroup", checkPhysicalName("autoScalingGroup", names?.autoScalingGroup)),
    ...nested("role", checkPhysicalName("iamRole", names?.role)),
    ...nested("instanceProfile", checkPhysicalName("instanceProfile", names?.instanceProfile)),
  };
}

/** Whether the names derived from `name` (for objects `names` does not name) are valid AWS names. */
function checkDerivedNames(name: string, names: AutoScalingGroupNames | undefined): Problem {
  const resolved = resolveAutoScalingGroupNames(name, names);
  const kinds = {
    securityGroup: "securityGroup",
    launchTemplate: "launchTemplate",
    autoScalingGroup: "autoScalingGroup",
    role: "iamRole",
    instanceProfile: "instanceProfile",
  } as const;
  for (const [key, kind] of Object.entries(kinds) as [keyof typeof kinds, (typeof kinds)[keyof typeof kinds]][]) {
    if (names?.[key]?.name !== undefined || names?.[key]?.namePrefix !== undefined) {
      continue; // given, not derived from `name`: checked as names.<key>
    }
    const value = { name: resolved[key].name, namePrefix: resolved[key].namePrefix };
    const problem = Object.values(checkPhysicalName(kind, value)).find((found) => found !== undefined);
    if (problem) {
      return `gives the ${key} the name${value.name === undefined ? " prefix" : ""} ${JSON.stringify(value.name ?? value.namePrefix)}, which ${problem}; shorten it or set names.${key}`;
    }
  }
  return undefined;
}

/**
 * Every rule of {@link AppAutoScalingGroupProps}, by prop. Props that are not given
 * are skipped (or checked at their default), so callers holding only some of them,
 * such as the environment config, can check those.
 */
export function checkAutoScalingGroupProps(props: Partial<AppAutoScalingGroupProps>): Problems {
  const capacity =
    props.minSize !== undefined && props.maxSize !== undefined
      ? checkCapacity(props.minSize, props.maxSize, props.desiredCapacity ?? props.minSize)
      : {};
  return {
    name: optional(props.name, (name) => checkDerivedNames(name, props.names)),
    ...nested("names", checkAutoScalingGroupNames(props.names)),
    subnetIds: optional(props.subnetIds, (ids) => (isUnresolved(ids) || ids.length >= 1 ? undefined : "must list at least one subnet")),
    imageId: optional(props.imageId, checkAmiId),
    instanceType: optional(props.instanceType, checkInstanceType),
    ...(props.mixedInstances === undefined ? {} : nested("mixedInstances", checkMixedInstances(props.mixedInstances, templateArchitecture(props.instanceType)))),
    ...(props.warmPool === undefined ? {} : nested("warmPool", checkWarmPool(props.warmPool, { maxSize: props.maxSize, instanceType: props.instanceType, rootVolumeGiB: props.rootVolume?.sizeGiB ?? AUTO_SCALING_GROUP_DEFAULTS.rootVolume.sizeGiB }))),
    warmPool: props.warmPool !== undefined && props.mixedInstances !== undefined ? `must not be set together with mixedInstances: ${WARM_POOL_WITH_MIXED_INSTANCES}` : undefined,
    ...(props.lifecycleHooks === undefined ? {} : nested("lifecycleHooks", checkLifecycleHooks(props.lifecycleHooks, props.deregistrationDelaySeconds))),
    userData: optional(props.userData, (text) => (isUnresolved(text) || text.trim().length > 0 ? undefined : "must not be empty")),
    appPort: optional(props.appPort, checkPort),
    minSize: capacity.min,
    maxSize: capacity.max,
    desiredCapacity: capacity.desired,
    healthCheckGracePeriodSeconds: checkInteger(
      props.healthCheckGracePeriodSeconds ?? AUTO_SCALING_GROUP_DEFAULTS.healthCheckGracePeriodSeconds,
      0,
      7200,
    ),
    defaultInstanceWarmupSeconds: checkInteger(
      props.defaultInstanceWarmupSeconds ?? AUTO_SCALING_GROUP_DEFAULTS.defaultInstanceWarmupSeconds,
      0,
      3600,
    ),
    ...nested("instanceRefresh", checkInstanceRefresh(props.instanceRefresh)),
    ...nested("cpuTargetTracking", checkCpuTargetTracking(props.cpuTargetTracking)),
    ...checkScalingBesideCapacity(props),
    "rootVolume.sizeGiB": checkInteger(props.rootVolume?.sizeGiB ?? AUTO_SCALING_GROUP_DEFAULTS.rootVolume.sizeGiB, 1, 16384),
  };
}

/**
 * The request-count policy and the scheduled actions: their own rules, and that they need a
 * group whose size can move (minSize below maxSize), within whose bounds every schedule stays.
 * `terms` names the sizes in the messages (the group's bounds and a schedule's sizes).
 */
export function checkScalingBesideCapacity(
  props: Partial<AppAutoScalingGroupProps>,
  terms: { group: { minSize: string; maxSize: string }; schedule: SizeTerms; requestCountTargetTracking: string; scheduledActions: string } = {
    group: { minSize: "minSize", maxSize: "maxSize" },
    schedule: PROP_SIZE_TERMS,
    requestCountTargetTracking: "requestCountTargetTracking",
    scheduledActions: "scheduledActions",
  },
): Problems {
  const { minSize: min, maxSize: max } = props;
  const known = min !== undefined && max !== undefined && !isUnresolved(min) && !isUnresolved(max);
  const fixed = known && min === max;
  const fixedProblem = (prop: string) =>
    `must not be set when ${terms.group.minSize} equals ${terms.group.maxSize} (${min}): the group's size is fixed, so ${prop} could never change it; raise ${terms.group.maxSize} or drop ${prop}`;
  const problems: Problems = {};
  if (props.requestCountTargetTracking !== undefined) {
    Object.assign(problems, nested("requestCountTargetTracking", checkRequestCountTargetTracking(props.requestCountTargetTracking)));
    if (fixed) problems.requestCountTargetTracking = fixedProblem(terms.requestCountTargetTracking);
  }
  const actions = props.scheduledActions;
  if (actions !== undefined) {
    const own = checkScheduledActions(actions, terms.schedule);
    Object.assign(problems, checkScheduledActionsAt("scheduledActions", actions, terms.schedule));
    if (fixed && Object.keys(actions).length > 0) {
      problems.scheduledActions = fixedProblem(terms.scheduledActions);
    } else if (known && own[""] === undefined && !isUnresolved(actions)) {
      // The group's bounds are Terraform's: a schedule moves the group inside them, never past them.
      for (const [name, action] of Object.entries(actions)) {
        for (const key of ["minSize", "maxSize", "desiredCapacity"] as const) {
          const value = action?.[key];
          const path = `scheduledActions.${name}.${key}`;
          if (typeof value === "number" && !isUnresolved(value) && !own[`${name}.${key}`] && (value < min || value > max)) {
            problems[path] = `must be within the group's [${terms.group.minSize}, ${terms.group.maxSize}] = [${min}, ${max}], not ${value}: a schedule moves the group inside its bounds; widen them to go further`;
          }
        }
      }
    }
  }
  return problems;
}

/** Whether something other than Terraform sets the group's running size (so its desired_capacity drift is ignored). */
function scalesOnItsOwn(props: AppAutoScalingGroupProps, cpuEnabled: boolean): boolean {
  return cpuEnabled || props.requestCountTargetTracking !== undefined || Object.keys(props.scheduledActions ?? {}).length > 0;
}

/** The architecture the launch template's instance type runs, when it runs exactly one (the image must too). */
function templateArchitecture(instanceType: string | undefined): string | undefined {
  if (instanceType === undefined || isUnresolved(instanceType)) {
    return undefined;
  }
  const architectures = architecturesOf(instanceType);
  return architectures.length === 1 ? architectures[0] : undefined;
}

const GROUP_METRICS = [
  "GroupMinSize",
  "GroupMaxSize",
  "GroupDesiredCapacity",
  "GroupInServiceInstances",
  "GroupPendingInstances",
  "GroupStandbyInstances",
  "GroupTerminatingInstances",
  "GroupTotalInstances",
];

/**
 * An Auto Scaling Group of app instances behind a load balancer, rolled by instance
 * refresh whenever its launch template changes (for example, a new image id).
 */
export class AppAutoScalingGroup extends Construct {
  public readonly autoScalingGroupName: string;
  public readonly launchTemplateId: string;
  public readonly securityGroupId: string;
  public readonly roleName: string;

  constructor(scope: Construct, id: string, props: AppAutoScalingGroupProps) {
    super(scope, id);

    throwIfProblems(`AppAutoScalingGroup ${this.node.path}`, checkAutoScalingGroupProps(props));
    const defaults = AUTO_SCALING_GROUP_DEFAULTS;
    const desiredCapacity = props.desiredCapacity ?? props.minSize;
    const healthCheckGracePeriod = props.healthCheckGracePeriodSeconds ?? defaults.healthCheckGracePeriodSeconds;
    const defaultInstanceWarmup = props.defaultInstanceWarmupSeconds ?? defaults.defaultInstanceWarmupSeconds;
    // Alarms and checkpoints have no default (none): they are read from the props below.
    const refresh = withDefaults<Omit<InstanceRefreshProps, "alarmNames" | "checkpoints">>(
      { ...defaults.instanceRefresh, instanceWarmupSeconds: defaultInstanceWarmup },
      props.instanceRefresh,
    );
    const cpu = withDefaults(defaults.cpuTargetTracking, props.cpuTargetTracking);
    const rootVolume = withDefaults(defaults.rootVolume, props.rootVolume);
    const mixed = props.mixedInstances && withDefaults<MixedInstancesProps>({ ...MIXED_INSTANCES_DEFAULTS, instanceTypes: [] }, props.mixedInstances);
    const warm = props.warmPool && withDefaults<WarmPoolProps>({ ...WARM_POOL_DEFAULTS, maxPreparedCapacity: UNSET_MAX_PREPARED_CAPACITY }, props.warmPool);
    const launchingProps = props.lifecycleHooks?.launching;
    const launching = launchingProps && {
      heartbeatTimeoutSeconds: launchingProps.heartbeatTimeoutSeconds ?? LIFECYCLE_HOOK_DEFAULTS.launching.heartbeatTimeoutSeconds,
      defaultResult: launchingProps.defaultResult ?? LIFECYCLE_HOOK_DEFAULTS.launching.defaultResult,
    };

    const names = resolveAutoScalingGroupNames(props.name, props.names);
    const securityGroup = new SecurityGroup(this, "security-group", {
      ...nameArguments(names.securityGroup),
      description: names.securityGroup.description,
      vpcId: props.vpcId,
      tags: { Name: `${props.name}-instances` },
      // The launch template and the ALB's rules move to a replacement before the old group
      // goes; its name prefix lets both exist at once.
      lifecycle: { createBeforeDestroy: true },
    });
    this.securityGroupId = securityGroup.id;
    new VpcSecurityGroupIngressRule(this, "ingress-from-load-balancer", {
      securityGroupId: securityGroup.id,
      description: "App port from the load balancer (traffic and health checks)",
      ipProtocol: "tcp",
      fromPort: props.appPort,
      toPort: props.appPort,
      referencedSecurityGroupId: props.loadBalancer.securityGroupId,
    });
    // HTTPS out is what SSM Session Manager, CloudWatch and package repositories need.
    new VpcSecurityGroupEgressRule(this, "egress-https", {
      securityGroupId: securityGroup.id,
      description: "HTTPS to AWS APIs (SSM) and package repositories",
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrIpv4: "0.0.0.0/0",
    });
    props.loadBalancer.allowTrafficTo("instances", securityGroup.id);

    const partition = new DataAwsPartition(this, "partition");
    const assumeRole = new DataAwsIamPolicyDocument(this, "assume-role-policy", {
      statement: [
        {
          effect: "Allow",
          actions: ["sts:AssumeRole"],
          principals: [{ type: "Service", identifiers: ["ec2.amazonaws.com"] }],
        },
      ],
    });
    const role = new IamRole(this, "role", {
      ...nameArguments(names.role),
      description: `Instances of ${props.name}`,
      assumeRolePolicy: assumeRole.json,
    });
    this.roleName = role.name;
    // Shell access through SSM Session Manager replaces SSH: no key pair, no port 22.
    if ((props.ssmAccess ?? "session-manager") === "managed-instance-core") {
      new IamRolePolicyAttachment(this, "ssm-managed-instance-core", {
        role: role.name,
        policyArn: `arn:${partition.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore`,
      });
    } else {
      const account = new DataAwsCallerIdentity(this, "account");
      const region = new DataAwsRegion(this, "region");
      // The minimum for Session Manager (AWS: "Create a custom IAM role for Session
      // Manager"): register the instance (its own id only) and open the session channels
      // (ssmmessages has no resource types, hence "*"). Nothing reads parameters or runs commands.
      const sessionManager = new DataAwsIamPolicyDocument(this, "session-manager-policy", {
        statement: [
          {
            sid: "RegisterInstance",
            effect: "Allow",
            actions: ["ssm:UpdateInstanceInformation"],
            resources: [`arn:${partition.partition}:ec2:${region.region}:${account.accountId}:instance/*`],
          },
          {
            sid: "SessionChannels",
            effect: "Allow",
            actions: ["ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"],
            resources: ["*"],
          },
        ],
      });
      new IamRolePolicy(this, "session-manager", { name: "session-manager", role: role.id, policy: sessionManager.json });
    }
    const instanceProfile = new IamInstanceProfile(this, "instance-profile", {
      ...nameArguments(names.instanceProfile),
      role: role.name,
    });

    const instanceTags = { Name: props.name, ...(props.instanceTags ?? {}) };
    const launchTemplate = new LaunchTemplate(this, "launch-template", {
      ...nameArguments(names.launchTemplate),
      description: `Instances of ${props.name}`,
      imageId: props.imageId,
      instanceType: props.instanceType,
      // A token (say, a templatefile() result) is encoded by Terraform at plan time; base64 of
      // the token's placeholder string would boot instances with garbage.
      userData: isUnresolved(props.userData) ? Fn.base64encode(props.userData) : Buffer.from(props.userData, "utf8").toString("base64"),
      iamInstanceProfile: { arn: instanceProfile.arn },
      updateDefaultVersion: true,
      ...(props.associatePublicIpAddress
        ? {
            networkInterfaces: [
              { deviceIndex: 0, associatePublicIpAddress: "true", securityGroups: [securityGroup.id] },
            ],
          }
        : { vpcSecurityGroupIds: [securityGroup.id] }),
      metadataOptions: {
        httpEndpoint: "enabled",
        // IMDSv2 only, and a hop limit of 1 so containers on the host cannot reach the credentials.
        httpTokens: "required",
        httpPutResponseHopLimit: 1,
        instanceMetadataTags: "disabled",
      },
      blockDeviceMappings: [
        {
          deviceName: rootVolume.deviceName,
          ebs: {
            volumeType: "gp3",
            volumeSize: rootVolume.sizeGiB,
            encrypted: "true",
            deleteOnTermination: "true",
          },
        },
      ],
      monitoring: { enabled: true },
      // Hibernating (in the warm pool) needs it on the template; the root volume is encrypted already.
      ...(warm?.state === "Hibernated" ? { hibernationOptions: { configured: true } } : {}),
      tagSpecifications: [
        { resourceType: "instance", tags: instanceTags },
        { resourceType: "volume", tags: instanceTags },
      ],
      tags: { Name: props.name },
      // A replacement template must exist before the group is pointed away from the old one.
      lifecycle: { createBeforeDestroy: true },
    });
    this.launchTemplateId = launchTemplate.id;

    const templateVersion = { id: launchTemplate.id, version: Token.asString(launchTemplate.latestVersion) };
    const group = new AutoscalingGroup(this, "asg", {
      ...nameArguments(names.autoScalingGroup),
      minSize: props.minSize,
      maxSize: props.maxSize,
      desiredCapacity,
      vpcZoneIdentifier: props.subnetIds,
      targetGroupArns: [props.loadBalancer.targetGroupArn],
      healthCheckType: "ELB",
      healthCheckGracePeriod,
      defaultInstanceWarmup,
      // The template's number, never "$Latest": with "$Latest" a new template version
      // changes nothing in the group's config, so Terraform would not start a refresh.
      // With mixed instances the template moves inside the policy, with the same version.
      ...(mixed === undefined
        ? { launchTemplate: templateVersion }
        : {
            mixedInstancesPolicy: {
              launchTemplate: {
                launchTemplateSpecification: { launchTemplateId: templateVersion.id, version: templateVersion.version },
                override: mixed.instanceTypes.map((entry) => ({
                  instanceType: entry.instanceType,
                  ...(entry.weightedCapacity === undefined ? {} : { weightedCapacity: String(entry.weightedCapacity) }),
                })),
              },
              instancesDistribution: {
                // The order of instanceTypes is the order of preference for On-Demand capacity.
                onDemandAllocationStrategy: "prioritized",
                onDemandBaseCapacity: mixed.onDemandBaseCapacity,
                onDemandPercentageAboveBaseCapacity: mixed.onDemandPercentageAboveBaseCapacity,
                spotAllocationStrategy: mixed.spotAllocationStrategy,
              },
            },
            capacityRebalance: mixed.capacityRebalance,
          }),
      instanceRefresh: {
        strategy: "Rolling",
        preferences: {
          minHealthyPercentage: refresh.minHealthyPercentage,
          // Set explicitly: the provider sends 100 when it is unset, which with 100 % min
          // healthy leaves the refresh no room to launch replacements.
          maxHealthyPercentage: refresh.maxHealthyPercentage,
          autoRollback: refresh.autoRollback,
          instanceWarmup: String(refresh.instanceWarmupSeconds),
          skipMatching: refresh.skipMatching,
          ...(props.instanceRefresh?.alarmNames?.length
            ? { alarmSpecification: { alarms: props.instanceRefresh.alarmNames } }
            : {}),
          ...(props.instanceRefresh?.checkpoints
            ? {
                checkpointPercentages: props.instanceRefresh.checkpoints.percentages,
                // Explicit, so the plan shows the pause; AWS would wait the same when unset.
                checkpointDelay: String(props.instanceRefresh.checkpoints.delaySeconds ?? DEFAULT_CHECKPOINT_DELAY_SECONDS),
              }
            : {}),
        },
      },
      // Replacements outside a refresh (health checks, rebalancing) keep the refresh's bounds,
      // so they never take the fleet below what a rollout may.
      instanceMaintenancePolicy: {
        minHealthyPercentage: refresh.minHealthyPercentage,
        maxHealthyPercentage: refresh.maxHealthyPercentage,
      },
      ...(warm === undefined
        ? {}
        : {
            warmPool: {
              poolState: warm.state,
              minSize: warm.minSize,
              maxGroupPreparedCapacity: warm.maxPreparedCapacity,
              instanceReusePolicy: { reuseOnScaleIn: warm.reuseOnScaleIn },
            },
          }),
      // The launching hook is an initial hook: it exists before the group launches anything, so
      // the first instances (and the warm pool's) wait in it too. A separate hook resource would
      // be created after them. The provider replaces the group when an initial hook changes.
      ...(launching === undefined
        ? {}
        : {
            initialLifecycleHook: [
              {
                name: `${props.name}-launching`,
                lifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING",
                heartbeatTimeout: launching.heartbeatTimeoutSeconds,
                defaultResult: launching.defaultResult,
                ...(launchingProps?.notificationTargetArn === undefined
                  ? {}
                  : { notificationTargetArn: launchingProps.notificationTargetArn, roleArn: launchingProps.roleArn }),
              },
            ],
          }),
      enabledMetrics: GROUP_METRICS,
      metricsGranularity: "1Minute",
      tag: [{ key: "Name", value: props.name, propagateAtLaunch: true }],
      // When a scaling policy or a schedule owns the running size, an apply must not reset it
      // to the initial value; without them, desired_capacity is the size and changes must apply.
      ...(scalesOnItsOwn(props, cpu.enabled) ? { lifecycle: { ignoreChanges: ["desired_capacity"] } } : {}),
    });
    this.autoScalingGroupName = group.name;

    // The terminating hook is a resource of its own, not an initial hook: it acts only when an
    // instance terminates, so it covers the first instances all the same, and a new timeout
    // (a new deregistration delay) updates it in place where an initial hook would replace the group.
    const terminating = props.lifecycleHooks?.terminating;
    if (terminating !== undefined) {
      new AutoscalingLifecycleHook(this, "terminating-hook", {
        name: `${props.name}-terminating`,
        autoscalingGroupName: group.name,
        lifecycleTransition: "autoscaling:EC2_INSTANCE_TERMINATING",
        heartbeatTimeout: terminating.heartbeatTimeoutSeconds,
        defaultResult: terminating.defaultResult ?? LIFECYCLE_HOOK_DEFAULTS.terminating.defaultResult,
      });
    }

    if (cpu.enabled) {
      new AutoscalingPolicy(this, "cpu-target-tracking", {
        name: `${props.name}-cpu-target-tracking`,
        autoscalingGroupName: group.name,
        policyType: "TargetTrackingScaling",
        targetTrackingConfiguration: {
          predefinedMetricSpecification: { predefinedMetricType: "ASGAverageCPUUtilization" },
          targetValue: cpu.targetUtilizationPercent,
        },
      });
    }
    if (props.requestCountTargetTracking !== undefined) {
      new RequestCountTargetTracking(this, "request-count-target-tracking", {
        ...props.requestCountTargetTracking,
        name: `${props.name}-request-count-target-tracking`,
        autoScalingGroupName: group.name,
        loadBalancerArnSuffix: props.loadBalancer.loadBalancerArnSuffix,
        targetGroupArnSuffix: props.loadBalancer.targetGroupArnSuffix,
      });
    }
    if (props.scheduledActions !== undefined && Object.keys(props.scheduledActions).length > 0) {
      new ScheduledScalingActions(this, "scheduled-actions", { autoScalingGroupName: group.name, actions: props.scheduledActions });
    }
  }
}
