/**
 * The one mapping from configuration names to construct props, where they differ. The stack
 * builds props with it (stacks/sample-app-stack.ts) and the schema uses the same tables to name
 * a construct's problem by the config key a user wrote (config/schema/environment.ts), so a
 * renamed key is one edit here, not one in each place.
 *
 * The config keeps its own names where they read better in a file that configures a whole
 * environment (`capacity.min`, not `minSize`; `instanceRole`, not the group's `role`); renaming
 * them would break every team's configuration for no gain.
 */
import type { Problems } from "../modules/core/checks";
import type { AutoScalingGroupNames } from "../modules/auto-scaling-group/app-auto-scaling-group";
import type { ScheduledActionProps } from "../modules/auto-scaling-group/scheduled-actions";
import type { LoadBalancerNames } from "../modules/load-balancer/load-balancer";
import type { FlowLogsProps } from "../modules/network/network";
import type { EnvironmentConfig } from "./schema/types";

/** A config object's keys -> the construct props they set. */
export type KeyMap = Readonly<Record<string, string>>;

/** `capacity` -> AppAutoScalingGroup. */
export const CAPACITY_PROPS = { min: "minSize", max: "maxSize", desired: "desiredCapacity" } as const satisfies KeyMap;

/** `names` -> LoadBalancer's `names`. */
export const LOAD_BALANCER_NAME_PROPS = {
  useNamePrefix: "useNamePrefix",
  loadBalancer: "loadBalancer",
  targetGroup: "targetGroup",
  loadBalancerSecurityGroup: "securityGroup",
} as const satisfies KeyMap;

/** `names` -> AppAutoScalingGroup's `names`. */
export const GROUP_NAME_PROPS = {
  useNamePrefix: "useNamePrefix",
  instanceSecurityGroup: "securityGroup",
  launchTemplate: "launchTemplate",
  autoScalingGroup: "autoScalingGroup",
  instanceRole: "role",
  instanceProfile: "instanceProfile",
} as const satisfies KeyMap;

type Mapped<T, M extends KeyMap> = { -readonly [K in keyof M as M[K]]?: K extends keyof T ? T[K] : never };

/** The props `map` sets from `config` (keys the config does not have are left out). */
export function toProps<T extends object, M extends KeyMap>(config: T, map: M): Mapped<T, M> {
  const props: Record<string, unknown> = {};
  for (const [key, prop] of Object.entries(map)) {
    const value = (config as Record<string, unknown>)[key];
    if (value !== undefined) props[prop] = value;
  }
  return props as Mapped<T, M>;
}

/**
 * A construct's problems under the config keys they came from: `securityGroup.name` becomes
 * `loadBalancerSecurityGroup.name`. A problem of a prop the map does not set keeps its name.
 */
export function problemsInConfigTerms(problems: Problems, map: KeyMap): Problems {
  const configKeyOf = new Map(Object.entries(map).map(([key, prop]) => [prop, key]));
  const renamed: Problems = {};
  for (const [path, problem] of Object.entries(problems)) {
    if (problem === undefined) continue;
    const [prop, ...rest] = path.split(".");
    renamed[[configKeyOf.get(prop) ?? prop, ...rest].join(".")] = problem;
  }
  return renamed;
}

// Spelled out rather than taken from EnvironmentConfig: the schema that defines that type calls
// these functions, and a type cannot be inferred from a schema that depends on it.
type NameConfig = { readonly name?: string; readonly namePrefix?: string; readonly description?: string };
type NamesConfig = { readonly useNamePrefix?: boolean } & { readonly [K in keyof typeof LOAD_BALANCER_NAME_PROPS | keyof typeof GROUP_NAME_PROPS]?: K extends "useNamePrefix" ? boolean : NameConfig };
type CapacityConfig = { readonly min: number; readonly max: number; readonly desired: number };
type CapacityProps = { minSize: number; maxSize: number; desiredCapacity: number };

/** The load balancer's names from the environment's `names`. */
export function loadBalancerNamesOf(names: NamesConfig | undefined): LoadBalancerNames | undefined {
  return names && toProps(names, LOAD_BALANCER_NAME_PROPS);
}

/** The group's names from the environment's `names`. */
export function groupNamesOf(names: NamesConfig | undefined): AutoScalingGroupNames | undefined {
  return names && toProps(names, GROUP_NAME_PROPS);
}

/** The group's size props from the environment's `capacity` (partial while the schema checks it). */
export function capacityPropsOf(capacity: CapacityConfig): CapacityProps;
export function capacityPropsOf(capacity: Partial<CapacityConfig>): Partial<CapacityProps>;
export function capacityPropsOf(capacity: Partial<CapacityConfig>): Partial<CapacityProps> {
  return toProps(capacity, CAPACITY_PROPS);
}

type ScheduledActionConfig = {
  readonly recurrence?: string;
  readonly timeZone?: string;
  readonly min?: number;
  readonly max?: number;
  readonly desired?: number;
  readonly startTime?: string;
  readonly endTime?: string;
};

/** The environment's scheduled actions as the group's props: sizes renamed as `capacity`'s are (CAPACITY_PROPS). */
export function scheduledActionsPropsOf(actions: Readonly<Record<string, ScheduledActionConfig>> | undefined): Record<string, ScheduledActionProps> | undefined {
  return (
    actions &&
    Object.fromEntries(
      Object.entries(actions).map(([name, { min, max, desired, recurrence, ...timing }]) => [
        name,
        // recurrence is required by the schema (partial only while the schema checks it).
        { recurrence: recurrence as string, ...timing, ...capacityPropsOf({ min, max, desired }) },
      ]),
    )
  );
}

/**
 * The config's flat flow log settings as the network module takes them: one destination,
 * either a log group (retention, key) or a bucket.
 */
export function flowLogsPropsOf(config: EnvironmentConfig["flowLogs"]): FlowLogsProps {
  return {
    trafficType: config?.trafficType,
    destination:
      config?.destination === "s3"
        ? { kind: "s3", bucketArn: config.bucketArn ?? "" }
        : { kind: "cloud-watch-logs", retentionDays: config?.retentionDays, kmsKeyArn: config?.kmsKeyArn },
  };
}
