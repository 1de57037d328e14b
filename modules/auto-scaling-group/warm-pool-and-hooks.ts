/**
 * Props and rules of a group's warm pool, lifecycle hooks and instance maintenance policy
 * (used by {@link AppAutoScalingGroup} in app-auto-scaling-group.ts, and by the environment
 * config, which checks the same rules before synth).
 */
import { Token } from "cdktf";
import { canHibernate, hibernationMemoryMiB } from "../core/aws-facts";
import { Problem, Problems, checkInteger, isUnresolved, optional } from "../core/checks";

/** States instances wait in inside a warm pool (WarmPoolConfiguration.PoolState). */
export const WARM_POOL_STATES = ["Stopped", "Hibernated", "Running"] as const;
export type WarmPoolState = (typeof WARM_POOL_STATES)[number];

/**
 * A pool of instances launched ahead of need (booted once, user data run) and kept stopped,
 * hibernated or running; a scale-out takes them instead of booting new ones (a refresh does not:
 * they run the launch template it replaces, and AWS replaces them after the group's instances).
 * AWS refuses a warm pool on a group with a mixed instances policy or Spot instances.
 */
export interface WarmPoolProps {
  /**
   * The state instances wait in: `Stopped` (pay for volumes only), `Hibernated` (RAM kept on the
   * encrypted root volume; the instance type must support hibernation), or `Running`.
   * @default "Stopped"
   */
  readonly state?: WarmPoolState;
  /**
   * Instances the pool always holds, 0 to the group's `maxSize`.
   * @default 0
   */
  readonly minSize?: number;
  /**
   * Instances in the group and the pool together (any state but terminated), 0 to the group's
   * `maxSize`; the pool holds this less the desired capacity (and at least `minSize`).
   * @default - the group's maxSize (AWS: the pool holds max size less desired capacity)
   */
  readonly maxPreparedCapacity?: number;
  /**
   * On scale-in, return instances to the pool instead of terminating them.
   * @default false
   */
  readonly reuseOnScaleIn?: boolean;
}

/** Defaults of the optional {@link WarmPoolProps} (maxPreparedCapacity: unset, AWS's -1). */
export const WARM_POOL_DEFAULTS = {
  state: "Stopped" as WarmPoolState,
  minSize: 0,
  reuseOnScaleIn: false,
};

/** What the provider sends for "no max prepared capacity" (AWS: max size less desired capacity). */
export const UNSET_MAX_PREPARED_CAPACITY = -1;

/** AWS's bounds of a lifecycle hook's heartbeat timeout, in seconds. */
export const LIFECYCLE_HOOK_TIMEOUT_BOUNDS = { min: 30, max: 7200 } as const;

/** What happens when a hook's heartbeat timeout passes without a CompleteLifecycleAction. */
export const LIFECYCLE_HOOK_DEFAULT_RESULTS = ["CONTINUE", "ABANDON"] as const;
export type LifecycleHookDefaultResult = (typeof LIFECYCLE_HOOK_DEFAULT_RESULTS)[number];

/**
 * A hook on instance termination: the instance waits in Terminating:Wait for the heartbeat
 * timeout (or until something completes the action), so the app drains before shutdown.
 */
export interface TerminatingHookProps {
  /**
   * Seconds an instance waits before it is shut down, 30 to 7200; at least the target group's
   * deregistration delay (the stack derives it from the delay and the app's drain time).
   */
  readonly heartbeatTimeoutSeconds: number;
  /**
   * The result when the timeout passes; either way a terminating instance is terminated.
   * @default "CONTINUE"
   */
  readonly defaultResult?: LifecycleHookDefaultResult;
}

/**
 * A hook on instance launch (also on launches into the warm pool): the instance waits in
 * Pending:Wait until something completes the action or the heartbeat timeout passes.
 */
export interface LaunchingHookProps {
  /**
   * Seconds a launching instance waits, 30 to 7200.
   * @default 300
   */
  readonly heartbeatTimeoutSeconds?: number;
  /**
   * The result when the timeout passes: `ABANDON` terminates the instance, `CONTINUE` puts it
   * in service.
   * @default "ABANDON"
   */
  readonly defaultResult?: LifecycleHookDefaultResult;
  /**
   * SNS topic or SQS queue told about each launch (with `roleArn`).
   * @default - no notification (something on the instance completes the action)
   */
  readonly notificationTargetArn?: string;
  /**
   * Role Auto Scaling assumes to publish to `notificationTargetArn`; set both or neither.
   * @default - none
   */
  readonly roleArn?: string;
}

/** Lifecycle hooks of the group. */
export interface LifecycleHooksProps {
  /**
   * The terminating hook (an `aws_autoscaling_lifecycle_hook`).
   * @default - no terminating hook
   */
  readonly terminating?: TerminatingHookProps;
  /**
   * The launching hook (an `initial_lifecycle_hook` of the group).
   * @default - no launching hook
   */
  readonly launching?: LaunchingHookProps;
}

/** Defaults of the optional hook props. */
export const LIFECYCLE_HOOK_DEFAULTS = {
  terminating: { defaultResult: "CONTINUE" as LifecycleHookDefaultResult },
  launching: { heartbeatTimeoutSeconds: 300, defaultResult: "ABANDON" as LifecycleHookDefaultResult },
};

/**
 * The terminating hook's heartbeat timeout for a target group deregistration delay and the
 * app's drain time: the instance is held until both have passed (AWS deregisters it from the
 * target group first; the app then drains on SIGTERM), within AWS's 30 to 7200 s.
 */
export function terminatingHookTimeoutSeconds(deregistrationDelaySeconds: number, appDrainSeconds: number): number {
  return Math.min(LIFECYCLE_HOOK_TIMEOUT_BOUNDS.max, Math.max(LIFECYCLE_HOOK_TIMEOUT_BOUNDS.min, deregistrationDelaySeconds + appDrainSeconds));
}

const ARN = /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{0,12}:.+$/;

function checkHookTimeout(seconds: number): Problem {
  return checkInteger(seconds, LIFECYCLE_HOOK_TIMEOUT_BOUNDS.min, LIFECYCLE_HOOK_TIMEOUT_BOUNDS.max);
}

function checkDefaultResult(result: string): Problem {
  return isUnresolved(result) || (LIFECYCLE_HOOK_DEFAULT_RESULTS as readonly string[]).includes(result)
    ? undefined
    : `must be ${LIFECYCLE_HOOK_DEFAULT_RESULTS.map((r) => `"${r}"`).join(" or ")}, not ${JSON.stringify(result)}`;
}

function checkArn(value: string): Problem {
  return isUnresolved(value) || ARN.test(value) ? undefined : `must be an ARN (arn:aws:…), not ${JSON.stringify(value)}`;
}

/**
 * Every rule of {@link LifecycleHooksProps}, by dotted prop. `deregistrationDelaySeconds`, when
 * known, is the least the terminating hook must hold an instance.
 */
export function checkLifecycleHooks(hooks: LifecycleHooksProps, deregistrationDelaySeconds?: number): Problems {
  const terminating = hooks.terminating;
  const launching = hooks.launching;
  let terminatingTimeout: Problem;
  if (terminating !== undefined) {
    terminatingTimeout = checkHookTimeout(terminating.heartbeatTimeoutSeconds);
    if (
      terminatingTimeout === undefined &&
      deregistrationDelaySeconds !== undefined &&
      !isUnresolved(terminating.heartbeatTimeoutSeconds) &&
      !isUnresolved(deregistrationDelaySeconds) &&
      terminating.heartbeatTimeoutSeconds < deregistrationDelaySeconds
    ) {
      terminatingTimeout = `must be at least the target group's deregistration delay (${deregistrationDelaySeconds} s), or instances shut down while the load balancer still drains them`;
    }
  }
  const hasTarget = launching?.notificationTargetArn !== undefined;
  const hasRole = launching?.roleArn !== undefined;
  return {
    "terminating.heartbeatTimeoutSeconds": terminatingTimeout,
    "terminating.defaultResult": optional(terminating?.defaultResult, checkDefaultResult),
    "launching.heartbeatTimeoutSeconds": optional(launching?.heartbeatTimeoutSeconds, checkHookTimeout),
    "launching.defaultResult": optional(launching?.defaultResult, checkDefaultResult),
    "launching.notificationTargetArn": optional(launching?.notificationTargetArn, checkArn),
    "launching.roleArn": hasTarget !== hasRole ? "must be set together with notificationTargetArn (Auto Scaling assumes the role to publish to the target)" : optional(launching?.roleArn, checkArn),
  };
}

/** What the warm pool rules need to know about the group. */
export interface WarmPoolContext {
  /** The group's maximum size. */
  readonly maxSize?: number;
  /** The launch template's instance type. */
  readonly instanceType?: string;
  /** Size of the root volume in GiB (a hibernating instance writes its RAM there). */
  readonly rootVolumeGiB?: number;
}

/** What the OS and the app take on the root volume besides a hibernating instance's RAM (an assumption). */
export const HIBERNATION_ROOT_HEADROOM_GIB = 4;

/** Why a warm pool and a mixed instances policy cannot go together (named by both keys' owners). */
export const WARM_POOL_WITH_MIXED_INSTANCES = "AWS refuses a warm pool on a group with a mixed instances policy or Spot instances";

/** Every rule of {@link WarmPoolProps}, by prop; `context` holds what the group knows. */
export function checkWarmPool(warm: WarmPoolProps, context: WarmPoolContext = {}): Problems {
  const maxSize = context.maxSize !== undefined && !Token.isUnresolved(context.maxSize) && Number.isInteger(context.maxSize) ? context.maxSize : undefined;
  const upTo = (value: number): Problem => {
    const problem = checkInteger(value, 0, maxSize ?? 10000);
    return problem !== undefined && maxSize !== undefined && Number.isInteger(value) && value > maxSize
      ? `must be at most the group's maximum size (${maxSize}): a warm pool larger than that holds instances the group can never take in`
      : problem;
  };
  let state: Problem;
  if (warm.state !== undefined && !isUnresolved(warm.state)) {
    if (!(WARM_POOL_STATES as readonly string[]).includes(warm.state)) {
      state = `must be one of ${WARM_POOL_STATES.map((s) => `"${s}"`).join(", ")}, not ${JSON.stringify(warm.state)}`;
    } else if (warm.state === "Hibernated" && context.instanceType !== undefined && !isUnresolved(context.instanceType) && canHibernate(context.instanceType) === false) {
      state = `must not be "Hibernated" with instance type ${context.instanceType}, which cannot hibernate (modules/core/aws-facts.json hibernation); use "Stopped" or a type that can hibernate`;
    } else if (warm.state === "Hibernated" && context.instanceType !== undefined && !isUnresolved(context.instanceType) && context.rootVolumeGiB !== undefined && !isUnresolved(context.rootVolumeGiB)) {
      const memoryMiB = hibernationMemoryMiB(context.instanceType);
      const needed = memoryMiB === undefined ? undefined : Math.ceil(memoryMiB / 1024) + HIBERNATION_ROOT_HEADROOM_GIB;
      if (needed !== undefined && context.rootVolumeGiB < needed) {
        state = `must not be "Hibernated" with instance type ${context.instanceType} on a ${context.rootVolumeGiB} GiB root volume: hibernation writes the ${memoryMiB} MiB of RAM to the root volume, which needs at least ${needed} GiB (RAM + ${HIBERNATION_ROOT_HEADROOM_GIB} GiB for the system); use "Stopped", a smaller type, or a larger root volume`;
      }
    }
  }
  return {
    state,
    minSize: optional(warm.minSize, upTo),
    maxPreparedCapacity: optional(warm.maxPreparedCapacity, upTo),
  };
}
