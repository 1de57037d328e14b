import { Construct } from "constructs";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { Problem, checkInteger, throwIfProblems } from "../core/checks";

/** When one alarm fires: `threshold` or more in each of `evaluationPeriods` periods. */
export interface AlarmThresholdProps {
  /**
   * Value at or above which a period counts as breaching.
   * @default 10 target 5xx responses; 1 unhealthy host
   */
  readonly threshold?: number;
  /**
   * Length of one period in seconds, a multiple of 60 (ALB metrics are per minute).
   * @default 60
   */
  readonly periodSeconds?: number;
  /**
   * Consecutive breaching periods before the alarm goes to ALARM, 1 to 10.
   * @default 1 for target 5xx; 2 for unhealthy hosts
   */
  readonly evaluationPeriods?: number;
}

export interface RolloutAlarmsProps {
  /** Prefix of the alarm names: `<name>-target-5xx`, `<name>-unhealthy-hosts`. */
  readonly name: string;
  /** `arn_suffix` of the load balancer (the `LoadBalancer` dimension). */
  readonly loadBalancerArnSuffix: string;
  /** `arn_suffix` of the target group (the `TargetGroup` dimension). */
  readonly targetGroupArnSuffix: string;
  /**
   * 5xx responses returned by the targets (the app), summed per period.
   * @default - 10 or more in one 60 s period
   */
  readonly target5xx?: AlarmThresholdProps;
  /**
   * Targets the load balancer considers unhealthy (maximum per period).
   * @default - 1 or more in two consecutive 60 s periods
   */
  readonly unhealthyHosts?: AlarmThresholdProps;
}

interface ResolvedThreshold {
  readonly threshold: number;
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
}

/** Defaults of the optional {@link RolloutAlarmsProps}; the environment config reuses them. */
export const ROLLOUT_ALARM_DEFAULTS = {
  target5xx: { threshold: 10, periodSeconds: 60, evaluationPeriods: 1 },
  unhealthyHosts: { threshold: 1, periodSeconds: 60, evaluationPeriods: 2 },
} as const;
const DEFAULTS = ROLLOUT_ALARM_DEFAULTS;

/** The alarms {@link RolloutAlarms} creates (the instance refresh watches each). */
export const ROLLOUT_ALARM_COUNT = 2;

/** Every rule of the alarm settings, by prop (`target5xx.threshold`, ...). */
export function checkRolloutAlarmSettings(props: Pick<RolloutAlarmsProps, "target5xx" | "unhealthyHosts">): Record<string, Problem> {
  return {
    ...checkAlarmThreshold("target5xx", props.target5xx, MAX_TARGET_5XX_THRESHOLD),
    ...checkAlarmThreshold("unhealthyHosts", props.unhealthyHosts, MAX_UNHEALTHY_HOSTS_THRESHOLD),
  };
}

/** Checks one alarm's settings; keys are the prop names under `prefix`. */
export function checkAlarmThreshold(prefix: string, value: AlarmThresholdProps | undefined, maxThreshold: number): Record<string, Problem> {
  const problems: Record<string, Problem> = {};
  if (value === undefined) {
    return problems;
  }
  if (value.threshold !== undefined) {
    problems[`${prefix}.threshold`] = checkInteger(value.threshold, 1, maxThreshold);
  }
  if (value.periodSeconds !== undefined) {
    problems[`${prefix}.periodSeconds`] =
      checkInteger(value.periodSeconds, 60, 86400) ?? (value.periodSeconds % 60 === 0 ? undefined : "must be a multiple of 60 (ALB metrics are per minute)");
  }
  if (value.evaluationPeriods !== undefined) {
    problems[`${prefix}.evaluationPeriods`] = checkInteger(value.evaluationPeriods, 1, 10);
  }
  return problems;
}

/** Largest thresholds accepted: beyond these an alarm could never fire on a real service. */
export const MAX_TARGET_5XX_THRESHOLD = 1_000_000;
export const MAX_UNHEALTHY_HOSTS_THRESHOLD = 1000;

/**
 * CloudWatch alarms that say a rollout is going wrong, for the instance refresh's alarm
 * specification: with them, a refresh fails (and with auto rollback, rolls back) as soon
 * as the new instances answer with 5xx or fail their health checks, even when `/health`
 * itself passed during the warmup.
 *
 * No alarm actions: the instance refresh watches the state itself. Missing data is "not
 * breaching": an idle service has no 5xx datapoints, and that is good news.
 */
/** The names of the alarms {@link RolloutAlarms} creates for `name`: target 5xx, unhealthy hosts. */
export function rolloutAlarmNames(name: string): [string, string] {
  return [`${name}-target-5xx`, `${name}-unhealthy-hosts`];
}

export class RolloutAlarms extends Construct {
  /** Names of the alarms, in a stable order (target 5xx, unhealthy hosts). */
  public readonly alarmNames: string[];
  public readonly alarmArns: string[];

  constructor(scope: Construct, id: string, props: RolloutAlarmsProps) {
    super(scope, id);
    throwIfProblems(`RolloutAlarms ${this.node.path}`, {
      name: /^[\w.-]{1,200}$/.test(props.name) ? undefined : "must be 1-200 letters, digits, '.', '_' or '-'",
      ...checkRolloutAlarmSettings(props),
    });
    const target5xx: ResolvedThreshold = { ...DEFAULTS.target5xx, ...definedOnly(props.target5xx) };
    const unhealthy: ResolvedThreshold = { ...DEFAULTS.unhealthyHosts, ...definedOnly(props.unhealthyHosts) };

    const targetGroupDimensions = {
      LoadBalancer: props.loadBalancerArnSuffix,
      TargetGroup: props.targetGroupArnSuffix,
    };
    const [target5xxName, unhealthyName] = rolloutAlarmNames(props.name);
    const alarms = [
      new CloudwatchMetricAlarm(this, "target-5xx", {
        alarmName: target5xxName,
        alarmDescription: `${props.name}: the app answered ${target5xx.threshold} or more 5xx in ${describePeriods(target5xx)}; an instance refresh watching it fails and rolls back`,
        namespace: "AWS/ApplicationELB",
        metricName: "HTTPCode_Target_5XX_Count",
        dimensions: targetGroupDimensions,
        statistic: "Sum",
        period: target5xx.periodSeconds,
        evaluationPeriods: target5xx.evaluationPeriods,
        datapointsToAlarm: target5xx.evaluationPeriods,
        threshold: target5xx.threshold,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        treatMissingData: "notBreaching",
        tags: { Name: `${props.name}-target-5xx` },
      }),
      new CloudwatchMetricAlarm(this, "unhealthy-hosts", {
        alarmName: unhealthyName,
        alarmDescription: `${props.name}: ${unhealthy.threshold} or more targets unhealthy in ${describePeriods(unhealthy)}; an instance refresh watching it fails and rolls back`,
        namespace: "AWS/ApplicationELB",
        metricName: "UnHealthyHostCount",
        dimensions: targetGroupDimensions,
        statistic: "Maximum",
        period: unhealthy.periodSeconds,
        evaluationPeriods: unhealthy.evaluationPeriods,
        datapointsToAlarm: unhealthy.evaluationPeriods,
        threshold: unhealthy.threshold,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        treatMissingData: "notBreaching",
        tags: { Name: `${props.name}-unhealthy-hosts` },
      }),
    ];
    this.alarmNames = alarms.map((alarm) => alarm.alarmName);
    this.alarmArns = alarms.map((alarm) => alarm.arn);
  }
}

function describePeriods(value: ResolvedThreshold): string {
  return value.evaluationPeriods === 1
    ? `one ${value.periodSeconds} s period`
    : `${value.evaluationPeriods} consecutive ${value.periodSeconds} s periods`;
}

function definedOnly<T extends object>(value: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(value ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}
