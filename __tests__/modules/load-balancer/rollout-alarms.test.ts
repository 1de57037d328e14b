import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { RolloutAlarms, RolloutAlarmsProps } from "../../../modules/load-balancer/rollout-alarms";
import { resourcesOf, synthScope } from "../../helpers";

const BASE: RolloutAlarmsProps = {
  name: "app",
  loadBalancerArnSuffix: "app/app/0123456789abcdef",
  targetGroupArnSuffix: "targetgroup/app-tg/0123456789abcdef",
};

function synthAlarms(props: Partial<RolloutAlarmsProps> = {}): string {
  return synthScope((scope) => {
    new RolloutAlarms(scope, "alarms", { ...BASE, ...props });
  });
}

describe("RolloutAlarms", () => {
  const synthesized = synthAlarms();
  const dimensions = { LoadBalancer: BASE.loadBalancerArnSuffix, TargetGroup: BASE.targetGroupArnSuffix };

  it("alarms on 10 or more target 5xx in one minute, treating no data as fine", () => {
    expect(synthesized).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
      alarm_name: "app-target-5xx",
      namespace: "AWS/ApplicationELB",
      metric_name: "HTTPCode_Target_5XX_Count",
      dimensions,
      statistic: "Sum",
      period: 60,
      evaluation_periods: 1,
      datapoints_to_alarm: 1,
      threshold: 10,
      comparison_operator: "GreaterThanOrEqualToThreshold",
      treat_missing_data: "notBreaching",
    });
  });

  it("alarms on one or more unhealthy targets for two minutes in a row", () => {
    expect(synthesized).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
      alarm_name: "app-unhealthy-hosts",
      metric_name: "UnHealthyHostCount",
      dimensions,
      statistic: "Maximum",
      period: 60,
      evaluation_periods: 2,
      datapoints_to_alarm: 2,
      threshold: 1,
      treat_missing_data: "notBreaching",
    });
  });

  it("has no alarm actions: the instance refresh watches the state itself", () => {
    for (const alarm of Object.values(resourcesOf(synthesized, "aws_cloudwatch_metric_alarm"))) {
      expect(alarm.alarm_actions).toBeUndefined();
    }
  });

  it("takes thresholds and periods, keeping the other defaults", () => {
    const custom = synthAlarms({ target5xx: { threshold: 50, periodSeconds: 300 }, unhealthyHosts: { evaluationPeriods: 3 } });
    expect(custom).toHaveResourceWithProperties(CloudwatchMetricAlarm, { alarm_name: "app-target-5xx", threshold: 50, period: 300, evaluation_periods: 1 });
    expect(custom).toHaveResourceWithProperties(CloudwatchMetricAlarm, { alarm_name: "app-unhealthy-hosts", threshold: 1, period: 60, evaluation_periods: 3 });
  });

  it.each<[string, Partial<RolloutAlarmsProps>, RegExp]>([
    ["a period that is not whole minutes", { target5xx: { periodSeconds: 30 } }, /target5xx\.periodSeconds must be from 60 to 86400/],
    ["a period of 90 s", { unhealthyHosts: { periodSeconds: 90 } }, /unhealthyHosts\.periodSeconds must be a multiple of 60/],
    ["a threshold of 0", { target5xx: { threshold: 0 } }, /target5xx\.threshold must be from 1 to 1000000/],
    ["a fractional threshold", { unhealthyHosts: { threshold: 1.5 } }, /unhealthyHosts\.threshold must be a whole number/],
    ["no evaluation periods", { unhealthyHosts: { evaluationPeriods: 0 } }, /unhealthyHosts\.evaluationPeriods must be from 1 to 10/],
    ["a name with spaces", { name: "my app" }, /name must be 1-200 letters/],
  ])("rejects %s", (_case, props, message) => {
    expect(() => synthAlarms(props)).toThrow(message);
  });
});
