import { AutoscalingGroup } from "@cdktf/provider-aws/lib/autoscaling-group";
import { AutoscalingLifecycleHook } from "@cdktf/provider-aws/lib/autoscaling-lifecycle-hook";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { TerraformVariable } from "cdktf";
import { AppAutoScalingGroup } from "../../../modules/auto-scaling-group/app-auto-scaling-group";
import { terminatingHookTimeoutSeconds } from "../../../modules/auto-scaling-group/warm-pool-and-hooks";
import { canHibernate } from "../../../modules/core/aws-facts";
import { LoadBalancer } from "../../../modules/load-balancer/load-balancer";
import { onlyResource, resourcesOf, synthScope } from "../../helpers";
import { BASE, GroupProps, synthGroup } from "./group-fixture";

describe("AppAutoScalingGroup warm pool (warmPool)", () => {
  it("is off by default: no warm_pool, no hibernation on the template", () => {
    const synthesized = synthGroup();
    expect(onlyResource(synthesized, "aws_autoscaling_group").warm_pool).toBeUndefined();
    expect(onlyResource(synthesized, "aws_launch_template").hibernation_options).toBeUndefined();
  });

  it("is Stopped, min 0, max prepared unset (-1) and no reuse on scale-in by default", () => {
    expect(synthGroup({ warmPool: {} })).toHaveResourceWithProperties(AutoscalingGroup, {
      warm_pool: { pool_state: "Stopped", min_size: 0, max_group_prepared_capacity: -1, instance_reuse_policy: { reuse_on_scale_in: false } },
    });
  });

  it("takes a state, a min size, a max prepared capacity and reuse on scale-in; Hibernated configures hibernation on the template", () => {
    const synthesized = synthGroup({ warmPool: { state: "Hibernated", minSize: 1, maxPreparedCapacity: 5, reuseOnScaleIn: true } });
    expect(synthesized).toHaveResourceWithProperties(AutoscalingGroup, {
      warm_pool: { pool_state: "Hibernated", min_size: 1, max_group_prepared_capacity: 5, instance_reuse_policy: { reuse_on_scale_in: true } },
    });
    expect(synthesized).toHaveResourceWithProperties(LaunchTemplate, {
      hibernation_options: { configured: true },
      block_device_mappings: [expect.objectContaining({ ebs: expect.objectContaining({ encrypted: "true" }) })],
    });
  });

  it.each<[string, Partial<GroupProps>, RegExp]>([
    ["a min size above maxSize", { warmPool: { minSize: 7 } }, /warmPool\.minSize must be at most the group's maximum size \(6\)/],
    ["a max prepared capacity above maxSize", { warmPool: { maxPreparedCapacity: 10 } }, /warmPool\.maxPreparedCapacity must be at most the group's maximum size \(6\)/],
    ["a negative min size", { warmPool: { minSize: -1 } }, /warmPool\.minSize must be from 0 to 6/],
    ["an unknown state", { warmPool: { state: "Paused" as never } }, /warmPool\.state must be one of "Stopped", "Hibernated", "Running", not "Paused"/],
    ["Hibernated on a type that cannot hibernate", { instanceType: "c5a.large", warmPool: { state: "Hibernated" } }, /warmPool\.state must not be "Hibernated" with instance type c5a\.large, which cannot hibernate/],
    ["a warm pool with mixed instances", { warmPool: {}, mixedInstances: { instanceTypes: [{ instanceType: "t3.micro" }, { instanceType: "t3a.micro" }] } }, /warmPool must not be set together with mixedInstances: AWS refuses a warm pool on a group with a mixed instances policy or Spot/],
  ])("rejects %s, naming the prop", (_case, props, message) => {
    expect(() => synthGroup(props)).toThrow(message);
  });

  it("needs a root volume that holds the RAM of a hibernating instance (RAM + 4 GiB for the system)", () => {
    expect(() => synthGroup({ instanceType: "t3.large", warmPool: { state: "Hibernated" } })).not.toThrow();
    expect(() => synthGroup({ instanceType: "t3.xlarge", warmPool: { state: "Hibernated" } })).toThrow(
      /warmPool\.state must not be "Hibernated" with instance type t3\.xlarge on a 16 GiB root volume: hibernation writes the 16384 MiB of RAM to the root volume, which needs at least 20 GiB/,
    );
    expect(() => synthGroup({ instanceType: "t3.xlarge", rootVolume: { sizeGiB: 20 }, warmPool: { state: "Hibernated" } })).not.toThrow();
    expect(() => synthGroup({ instanceType: "t3.xlarge", warmPool: { state: "Stopped" } })).not.toThrow();
  });

  it("knows which instance types can hibernate from modules/core/aws-facts.json, and takes an unknown one on trust", () => {
    expect(canHibernate("t3.micro")).toBe(true);
    expect(canHibernate("c5a.large")).toBe(false);
    expect(canHibernate("x99.huge")).toBeUndefined();
  });
});

describe("AppAutoScalingGroup lifecycle hooks (lifecycleHooks)", () => {
  it("has none by default", () => {
    const synthesized = synthGroup();
    expect(resourcesOf(synthesized, "aws_autoscaling_lifecycle_hook")).toEqual({});
    expect(onlyResource(synthesized, "aws_autoscaling_group").initial_lifecycle_hook).toBeUndefined();
  });

  it("makes the terminating hook a resource of its own (updated in place), CONTINUE by default", () => {
    const synthesized = synthGroup({ lifecycleHooks: { terminating: { heartbeatTimeoutSeconds: 45 } }, deregistrationDelaySeconds: 30 });
    expect(synthesized).toHaveResourceWithProperties(AutoscalingLifecycleHook, {
      name: "test-terminating",
      autoscaling_group_name: expect.stringMatching(/^\$\{aws_autoscaling_group\.auto-scaling-group_asg_[A-F0-9]+\.name\}$/),
      lifecycle_transition: "autoscaling:EC2_INSTANCE_TERMINATING",
      heartbeat_timeout: 45,
      default_result: "CONTINUE",
    });
    expect(onlyResource(synthesized, "aws_autoscaling_group").initial_lifecycle_hook).toBeUndefined();
  });

  it("makes the launching hook an initial hook of the group (the first instances wait in it too), ABANDON after 300 s by default", () => {
    const synthesized = synthGroup({ lifecycleHooks: { launching: {} } });
    expect(synthesized).toHaveResourceWithProperties(AutoscalingGroup, {
      initial_lifecycle_hook: [{ name: "test-launching", lifecycle_transition: "autoscaling:EC2_INSTANCE_LAUNCHING", heartbeat_timeout: 300, default_result: "ABANDON" }],
    });
    expect(resourcesOf(synthesized, "aws_autoscaling_lifecycle_hook")).toEqual({});
  });

  it("passes a launching hook's timeout, result, notification target and role", () => {
    const topic = "arn:aws:sns:us-east-1:123456789012:launches";
    const role = "arn:aws:iam::123456789012:role/hooks";
    expect(synthGroup({ lifecycleHooks: { launching: { heartbeatTimeoutSeconds: 600, defaultResult: "CONTINUE", notificationTargetArn: topic, roleArn: role } } })).toHaveResourceWithProperties(AutoscalingGroup, {
      initial_lifecycle_hook: [expect.objectContaining({ heartbeat_timeout: 600, default_result: "CONTINUE", notification_target_arn: topic, role_arn: role })],
    });
  });

  it.each<[string, Partial<GroupProps>, RegExp]>([
    ["a terminating timeout below 30 s", { lifecycleHooks: { terminating: { heartbeatTimeoutSeconds: 29 } } }, /lifecycleHooks\.terminating\.heartbeatTimeoutSeconds must be from 30 to 7200/],
    ["a terminating timeout above 7200 s", { lifecycleHooks: { terminating: { heartbeatTimeoutSeconds: 7201 } } }, /lifecycleHooks\.terminating\.heartbeatTimeoutSeconds must be from 30 to 7200/],
    ["a terminating timeout shorter than the deregistration delay", { deregistrationDelaySeconds: 120, lifecycleHooks: { terminating: { heartbeatTimeoutSeconds: 60 } } }, /lifecycleHooks\.terminating\.heartbeatTimeoutSeconds must be at least the target group's deregistration delay \(120 s\)/],
    ["an unknown default result", { lifecycleHooks: { launching: { defaultResult: "RETRY" as never } } }, /lifecycleHooks\.launching\.defaultResult must be "CONTINUE" or "ABANDON", not "RETRY"/],
    ["a launching timeout below 30 s", { lifecycleHooks: { launching: { heartbeatTimeoutSeconds: 10 } } }, /lifecycleHooks\.launching\.heartbeatTimeoutSeconds must be from 30 to 7200/],
    ["a notification target without a role", { lifecycleHooks: { launching: { notificationTargetArn: "arn:aws:sns:us-east-1:123456789012:t" } } }, /lifecycleHooks\.launching\.roleArn must be set together with notificationTargetArn/],
    ["a notification target that is no ARN", { lifecycleHooks: { launching: { notificationTargetArn: "my-topic", roleArn: "arn:aws:iam::123456789012:role/r" } } }, /lifecycleHooks\.launching\.notificationTargetArn must be an ARN/],
  ])("rejects %s, naming the prop", (_case, props, message) => {
    expect(() => synthGroup(props)).toThrow(message);
  });

  it("derives the terminating timeout from the deregistration delay and the app's drain, within AWS's 30 to 7200 s", () => {
    expect(terminatingHookTimeoutSeconds(30, 15)).toBe(45);
    expect(terminatingHookTimeoutSeconds(0, 15)).toBe(30);
    expect(terminatingHookTimeoutSeconds(3600, 3700)).toBe(7200);
  });
});

describe("AppAutoScalingGroup instance maintenance policy", () => {
  it("follows the refresh's min and max healthy percentages (100/200 by default)", () => {
    expect(synthGroup()).toHaveResourceWithProperties(AutoscalingGroup, {
      instance_maintenance_policy: { min_healthy_percentage: 100, max_healthy_percentage: 200 },
    });
    expect(synthGroup({ instanceRefresh: { minHealthyPercentage: 90, maxHealthyPercentage: 150 } })).toHaveResourceWithProperties(AutoscalingGroup, {
      instance_maintenance_policy: { min_healthy_percentage: 90, max_healthy_percentage: 150 },
      instance_refresh: expect.objectContaining({ preferences: expect.objectContaining({ min_healthy_percentage: 90, max_healthy_percentage: 150 }) }),
    });
  });
});

describe("warm pool and hooks with values known only at plan time", () => {
  it("pass tokens through unchanged and do not judge them", () => {
    const synthesized = synthScope((scope) => {
      const variable = (name: string) => new TerraformVariable(scope, name, { type: "number" }).numberValue;
      const loadBalancer = new LoadBalancer(scope, "load-balancer", { name: "test", vpcId: BASE.vpcId, subnetIds: ["subnet-0000000000000000a", "subnet-0000000000000000b"], appPort: 8080 });
      new AppAutoScalingGroup(scope, "auto-scaling-group", {
        ...BASE,
        loadBalancer,
        maxSize: variable("max_size"),
        instanceType: new TerraformVariable(scope, "instance_type", { type: "string" }).stringValue,
        warmPool: { state: "Hibernated", minSize: variable("warm_min"), maxPreparedCapacity: variable("warm_max") },
        deregistrationDelaySeconds: variable("delay"),
        lifecycleHooks: { terminating: { heartbeatTimeoutSeconds: variable("terminating_timeout") }, launching: { heartbeatTimeoutSeconds: variable("launching_timeout") } },
        instanceRefresh: { minHealthyPercentage: variable("min_healthy") },
      });
    });
    const group = onlyResource(synthesized, "aws_autoscaling_group");
    expect(group.warm_pool).toEqual(expect.objectContaining({ min_size: "${var.warm_min}", max_group_prepared_capacity: "${var.warm_max}" }));
    expect(group.initial_lifecycle_hook).toEqual([expect.objectContaining({ heartbeat_timeout: "${var.launching_timeout}" })]);
    expect(group.instance_maintenance_policy).toEqual({ min_healthy_percentage: "${var.min_healthy}", max_healthy_percentage: 200 });
    expect(onlyResource(synthesized, "aws_autoscaling_lifecycle_hook").heartbeat_timeout).toBe("${var.terminating_timeout}");
  });
});
