import { AutoscalingPolicy } from "@cdktf/provider-aws/lib/autoscaling-policy";
import { AutoscalingSchedule } from "@cdktf/provider-aws/lib/autoscaling-schedule";
import { TerraformVariable } from "cdktf";
import { AppAutoScalingGroup } from "../../../modules/auto-scaling-group/app-auto-scaling-group";
import { RequestCountTargetTracking } from "../../../modules/auto-scaling-group/request-count-target-tracking";
import { ScheduledScalingActions, checkRecurrence, checkScheduleTime, checkTimeZone } from "../../../modules/auto-scaling-group/scheduled-actions";
import { LoadBalancer } from "../../../modules/load-balancer/load-balancer";
import { onlyResource, refTo, resourcesOf, synthScope } from "../../helpers";
import { BASE, GroupProps, synthGroup } from "./group-fixture";

describe("request-count target tracking", () => {
  const synthesized = synthGroup({ requestCountTargetTracking: { targetRequestsPerTarget: 800 } });

  it("tracks ALBRequestCountPerTarget with a resource label built from the load balancer's and target group's arn_suffix", () => {
    const lb = refTo(synthesized, "aws_lb", "load-balancer_", "arn_suffix");
    const tg = refTo(synthesized, "aws_lb_target_group", "load-balancer_target-group", "arn_suffix");
    expect(synthesized).toHaveResourceWithProperties(AutoscalingPolicy, {
      name: "test-request-count-target-tracking",
      autoscaling_group_name: refTo(synthesized, "aws_autoscaling_group", "auto-scaling-group_asg_", "name"),
      policy_type: "TargetTrackingScaling",
      target_tracking_configuration: {
        predefined_metric_specification: { predefined_metric_type: "ALBRequestCountPerTarget", resource_label: `${lb}/${tg}` },
        target_value: 800,
      },
    });
  });

  it("sits beside the CPU policy, and alone when CPU tracking is off; the group then ignores desired_capacity drift", () => {
    const types = (s: string) => Object.values(resourcesOf(s, "aws_autoscaling_policy")).map((p) => (p.target_tracking_configuration as { predefined_metric_specification: { predefined_metric_type: string } }).predefined_metric_specification.predefined_metric_type);
    expect(types(synthesized).sort()).toEqual(["ALBRequestCountPerTarget", "ASGAverageCPUUtilization"]);
    const alone = synthGroup({ cpuTargetTracking: { enabled: false }, requestCountTargetTracking: { targetRequestsPerTarget: 100 } });
    expect(types(alone)).toEqual(["ALBRequestCountPerTarget"]);
    expect(onlyResource(alone, "aws_autoscaling_group").lifecycle).toEqual({ ignore_changes: ["desired_capacity"] });
  });

  it("is absent by default", () => {
    expect(Object.values(resourcesOf(synthGroup(), "aws_autoscaling_policy")).map((p) => p.name)).toEqual(["test-cpu-target-tracking"]);
  });

  it("passes tokens through unchanged", () => {
    const synthesized = synthScope((scope) => {
      new RequestCountTargetTracking(scope, "requests", {
        name: "t",
        autoScalingGroupName: new TerraformVariable(scope, "group", { type: "string" }).stringValue,
        loadBalancerArnSuffix: new TerraformVariable(scope, "lb", { type: "string" }).stringValue,
        targetGroupArnSuffix: new TerraformVariable(scope, "tg", { type: "string" }).stringValue,
        targetRequestsPerTarget: new TerraformVariable(scope, "target", { type: "number" }).numberValue,
      });
    });
    expect(synthesized).toHaveResourceWithProperties(AutoscalingPolicy, {
      autoscaling_group_name: "${var.group}",
      target_tracking_configuration: {
        predefined_metric_specification: { predefined_metric_type: "ALBRequestCountPerTarget", resource_label: "${var.lb}/${var.tg}" },
        target_value: "${var.target}",
      },
    });
  });
});

describe("scheduled actions", () => {
  const SCHEDULES = {
    "weekday-morning": { recurrence: "0 8 * * 1-5", timeZone: "Europe/Berlin", minSize: 3, desiredCapacity: 4 },
    "weekday-evening": { recurrence: "0 19 * * MON-FRI", minSize: 2 },
    "quarter-end": { recurrence: "*/30 9-17 * * *", maxSize: 6, startTime: "2030-01-01T00:00:00Z", endTime: "2030-04-01T00:00:00Z" },
  };
  const synthesized = synthGroup({ cpuTargetTracking: { enabled: false }, scheduledActions: SCHEDULES });

  it("creates one aws_autoscaling_schedule per name, on the group, with the time zone (Etc/UTC by default) and -1 for sizes not set", () => {
    const group = refTo(synthesized, "aws_autoscaling_group", "auto-scaling-group_asg_", "name");
    expect(synthesized).toHaveResourceWithProperties(AutoscalingSchedule, {
      scheduled_action_name: "weekday-morning",
      autoscaling_group_name: group,
      recurrence: "0 8 * * 1-5",
      time_zone: "Europe/Berlin",
      min_size: 3,
      max_size: -1,
      desired_capacity: 4,
    });
    expect(synthesized).toHaveResourceWithProperties(AutoscalingSchedule, {
      scheduled_action_name: "weekday-evening",
      time_zone: "Etc/UTC",
      min_size: 2,
      max_size: -1,
      desired_capacity: -1,
    });
    expect(synthesized).toHaveResourceWithProperties(AutoscalingSchedule, {
      scheduled_action_name: "quarter-end",
      max_size: 6,
      start_time: "2030-01-01T00:00:00Z",
      end_time: "2030-04-01T00:00:00Z",
    });
    expect(Object.values(resourcesOf(synthesized, "aws_autoscaling_schedule"))).toHaveLength(3);
    const evening = Object.values(resourcesOf(synthesized, "aws_autoscaling_schedule")).find((s) => s.scheduled_action_name === "weekday-evening")!;
    expect(evening.start_time).toBeUndefined();
    expect(evening.end_time).toBeUndefined();
  });

  it("keys each schedule's address by its name, so removing one moves no other", () => {
    const ids = (s: string) => Object.keys(resourcesOf(s, "aws_autoscaling_schedule")).sort();
    const all = ids(synthesized);
    const rest = Object.fromEntries(Object.entries(SCHEDULES).filter(([name]) => name !== "weekday-morning"));
    const fewer = ids(synthGroup({ cpuTargetTracking: { enabled: false }, scheduledActions: rest }));
    expect(fewer).toHaveLength(2);
    expect(fewer.every((id) => all.includes(id))).toBe(true);
    expect(all.find((id) => id.includes("weekday-morning"))).toBeDefined();
  });

  it("makes the group ignore desired_capacity drift even without a scaling policy (a schedule moves it)", () => {
    expect(onlyResource(synthesized, "aws_autoscaling_group").lifecycle).toEqual({ ignore_changes: ["desired_capacity"] });
    expect(resourcesOf(synthesized, "aws_autoscaling_policy")).toEqual({});
    expect(onlyResource(synthGroup({ cpuTargetTracking: { enabled: false }, scheduledActions: {} }), "aws_autoscaling_group").lifecycle).toBeUndefined();
  });

  it("passes tokens through unchanged", () => {
    const synthesized = synthScope((scope) => {
      const variable = (name: string, type: string) => new TerraformVariable(scope, name, { type });
      new ScheduledScalingActions(scope, "schedules", {
        autoScalingGroupName: variable("group", "string").stringValue,
        actions: {
          nightly: {
            recurrence: variable("cron", "string").stringValue,
            timeZone: variable("zone", "string").stringValue,
            minSize: variable("min", "number").numberValue,
            maxSize: variable("max", "number").numberValue,
            desiredCapacity: variable("desired", "number").numberValue,
            startTime: variable("start", "string").stringValue,
            endTime: variable("end", "string").stringValue,
          },
        },
      });
    });
    expect(synthesized).toHaveResourceWithProperties(AutoscalingSchedule, {
      autoscaling_group_name: "${var.group}",
      recurrence: "${var.cron}",
      time_zone: "${var.zone}",
      min_size: "${var.min}",
      max_size: "${var.max}",
      desired_capacity: "${var.desired}",
      start_time: "${var.start}",
      end_time: "${var.end}",
    });
  });
});

describe("scheduled action values", () => {
  it.each(["0 8 * * 1-5", "*/15 * * * *", "30 0 1 1,6,12 *", "0 19 * * MON-FRI", "0 0 1 JAN-MAR sun", "0-30/10 9-17 * * *"])("takes the cron %p", (cron) => {
    expect(checkRecurrence(cron)).toBeUndefined();
  });
  it.each<[string, RegExp]>([
    ["0 8 * *", /five fields .* has 4/],
    ["0 8 * * 1-5 2027", /five fields .* has 6/],
    ["", /five fields .* has 0/],
    ["60 8 * * *", /minute "60" is out of range \(0-59\)/],
    ["0 24 * * *", /hour "24" is out of range \(0-23\)/],
    ["0 8 0 * *", /day of month "0" is out of range \(1-31\)/],
    ["0 8 * 13 *", /month "13" is out of range \(1-12 or JAN-DEC\)/],
    ["0 8 * * 7", /day of week "7" is out of range \(0-6 or SUN-SAT\)/],
    ["0 8 * * 5-1", /range "5-1" must go from low to high/],
    ["0 8 ? * MON", /day of month "\?" is out of range/],
    ["*/0 * * * *", /minute step \/0 must be from 1 to 59/],
    ["0 8 * * FUN", /day of week "FUN" is out of range/],
  ])("refuses the cron %p", (cron, message) => {
    expect(checkRecurrence(cron)).toMatch(message);
  });
  it.each(["Europe/Berlin", "America/New_York", "Etc/UTC", "Etc/GMT+9", "America/Argentina/Buenos_Aires", "UTC"])("takes the time zone %p", (zone) => {
    expect(checkTimeZone(zone)).toBeUndefined();
  });
  it.each<[string, RegExp]>([
    ["Mars/Olympus_Mons", /not in the time zone database/],
    ["europe/berlin", /spelled exactly as the time zone database does: "Europe\/Berlin"/],
    ["+01:00", /must be an IANA time zone name/],
    ["CET ", /must be an IANA time zone name/],
  ])("refuses the time zone %p", (zone, message) => {
    expect(checkTimeZone(zone)).toMatch(message);
  });
  it("takes UTC times in YYYY-MM-DDThh:mm:ssZ only, and only real dates", () => {
    expect(checkScheduleTime("2030-01-31T08:00:00Z")).toBeUndefined();
    for (const bad of ["2030-01-31 08:00:00", "2030-01-31T08:00:00+01:00", "2030-02-30T00:00:00Z", "2030-01-31T08:00:00.000Z", "tomorrow"]) {
      expect(checkScheduleTime(bad)).toMatch(/must be a UTC time like "2027-01-31T08:00:00Z"/);
    }
  });
});

describe("rules", () => {
  const cron = "0 8 * * *";
  it.each<[string, Partial<GroupProps>, RegExp]>([
    ["a request target of 0", { requestCountTargetTracking: { targetRequestsPerTarget: 0 } }, /requestCountTargetTracking\.targetRequestsPerTarget must be from 1 to 1000000/],
    ["a fractional request target", { requestCountTargetTracking: { targetRequestsPerTarget: 10.5 } }, /requestCountTargetTracking\.targetRequestsPerTarget must be a whole number/],
    [
      "request-count scaling on a fixed-size group",
      { minSize: 3, maxSize: 3, desiredCapacity: 3, requestCountTargetTracking: { targetRequestsPerTarget: 100 } },
      /requestCountTargetTracking must not be set when minSize equals maxSize \(3\): the group's size is fixed, so requestCountTargetTracking could never change it; raise maxSize or drop requestCountTargetTracking/,
    ],
    [
      "schedules on a fixed-size group",
      { minSize: 3, maxSize: 3, desiredCapacity: 3, scheduledActions: { up: { recurrence: cron, desiredCapacity: 3 } } },
      /scheduledActions must not be set when minSize equals maxSize \(3\).*raise maxSize or drop scheduledActions/,
    ],
    ["a schedule that sets no size", { scheduledActions: { idle: { recurrence: cron } } }, /scheduledActions\.idle\.desiredCapacity or minSize or maxSize must be set/],
    ["a schedule's min above its max", { scheduledActions: { up: { recurrence: cron, minSize: 5, maxSize: 4 } } }, /scheduledActions\.up\.minSize must not be greater than maxSize \(4\)/],
    ["a schedule's desired below its min", { scheduledActions: { up: { recurrence: cron, minSize: 4, desiredCapacity: 3 } } }, /scheduledActions\.up\.desiredCapacity must not be below minSize \(4\)/],
    ["a schedule's desired above its max", { scheduledActions: { up: { recurrence: cron, maxSize: 4, desiredCapacity: 5 } } }, /scheduledActions\.up\.desiredCapacity must not be above maxSize \(4\)/],
    ["a schedule above the group's max", { scheduledActions: { up: { recurrence: cron, maxSize: 8 } } }, /scheduledActions\.up\.maxSize must be within the group's \[minSize, maxSize\] = \[2, 6\], not 8/],
    ["a schedule below the group's min", { scheduledActions: { down: { recurrence: cron, minSize: 1 } } }, /scheduledActions\.down\.minSize must be within the group's \[minSize, maxSize\] = \[2, 6\], not 1/],
    ["a bad cron", { scheduledActions: { up: { recurrence: "0 8 * *", minSize: 3 } } }, /scheduledActions\.up\.recurrence must be a cron expression of five fields/],
    ["a bad time zone", { scheduledActions: { up: { recurrence: cron, timeZone: "Berlin", minSize: 3 } } }, /scheduledActions\.up\.timeZone must be an IANA time zone name/],
    ["a bad start time", { scheduledActions: { up: { recurrence: cron, minSize: 3, startTime: "2030-01-01" } } }, /scheduledActions\.up\.startTime must be a UTC time/],
    ["an end before the start", { scheduledActions: { up: { recurrence: cron, minSize: 3, startTime: "2030-01-02T00:00:00Z", endTime: "2030-01-01T00:00:00Z" } } }, /scheduledActions\.up\.endTime must be after startTime \(2030-01-02T00:00:00Z\)/],
    ["a name with a dot", { scheduledActions: { "scale.up": { recurrence: cron, minSize: 3 } } }, /scheduledActions\.scale\.up must be a name of 1 to 255 letters, digits, "_" or "-"/],
    ["a negative size", { scheduledActions: { up: { recurrence: cron, desiredCapacity: -1 } } }, /scheduledActions\.up\.desiredCapacity must be from 0 to 10000/],
  ])("rejects %s, naming the prop", (_case, props, message) => {
    expect(() => synthGroup(props)).toThrow(message);
  });

  it("does not compare sizes known only at plan time with the group's bounds", () => {
    const synthesized = synthScope((scope) => {
      const loadBalancer = new LoadBalancer(scope, "load-balancer", { name: "test", vpcId: BASE.vpcId, subnetIds: ["subnet-0000000000000000a", "subnet-0000000000000000b"], appPort: 8080 });
      const size = (name: string) => new TerraformVariable(scope, name, { type: "number" }).numberValue;
      new AppAutoScalingGroup(scope, "auto-scaling-group", {
        ...BASE,
        loadBalancer,
        scheduledActions: { up: { recurrence: "0 8 * * *", minSize: size("min"), maxSize: size("max"), desiredCapacity: size("desired") } },
      });
    });
    expect(synthesized).toHaveResourceWithProperties(AutoscalingSchedule, { min_size: "${var.min}", max_size: "${var.max}", desired_capacity: "${var.desired}" });
  });

  it("does not compare a schedule with bounds known only at plan time", () => {
    expect(() =>
      synthScope((scope) => {
        const loadBalancer = new LoadBalancer(scope, "load-balancer", { name: "test", vpcId: BASE.vpcId, subnetIds: ["subnet-0000000000000000a", "subnet-0000000000000000b"], appPort: 8080 });
        const max = new TerraformVariable(scope, "max", { type: "number" }).numberValue;
        new AppAutoScalingGroup(scope, "auto-scaling-group", {
          ...BASE,
          maxSize: max,
          loadBalancer,
          requestCountTargetTracking: { targetRequestsPerTarget: 100 },
          scheduledActions: { up: { recurrence: "0 8 * * *", maxSize: 50 } },
        });
      }),
    ).not.toThrow();
  });
});
