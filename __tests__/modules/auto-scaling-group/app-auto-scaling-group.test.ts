import { AutoscalingGroup } from "@cdktf/provider-aws/lib/autoscaling-group";
import { AutoscalingPolicy } from "@cdktf/provider-aws/lib/autoscaling-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Fn, TerraformVariable } from "cdktf";
import { AppAutoScalingGroup } from "../../../modules/auto-scaling-group/app-auto-scaling-group";
import { LoadBalancer } from "../../../modules/load-balancer/load-balancer";
import { onlyResource, refTo, resourcesOf, synthScope } from "../../helpers";
import { BASE, GroupProps, synthGroup, USER_DATA } from "./group-fixture";

describe("AppAutoScalingGroup", () => {
  const synthesized = synthGroup();
  const instanceSg = refTo(synthesized, "aws_security_group", "auto-scaling-group_security-group", "id");
  const albSg = refTo(synthesized, "aws_security_group", "load-balancer_security-group", "id");

  describe("instance security group", () => {
    it("admits only the app port, only from the ALB's security group", () => {
      const ingress = Object.values(resourcesOf(synthesized, "aws_vpc_security_group_ingress_rule")).filter(
        (rule) => rule.security_group_id === instanceSg,
      );
      expect(ingress).toEqual([
        expect.objectContaining({ from_port: 8080, to_port: 8080, ip_protocol: "tcp", referenced_security_group_id: albSg }),
      ]);
      expect(ingress[0].cidr_ipv4).toBeUndefined();
    });

    it("has no SSH rule at all", () => {
      const rules = [
        ...Object.values(resourcesOf(synthesized, "aws_vpc_security_group_ingress_rule")),
        ...Object.values(resourcesOf(synthesized, "aws_vpc_security_group_egress_rule")),
      ];
      expect(rules.filter((rule) => rule.from_port === 22 || rule.to_port === 22 || rule.ip_protocol === "-1")).toEqual([]);
    });

    it("lets the ALB reach the instances on the app port", () => {
      expect(synthesized).toHaveResourceWithProperties(
        VpcSecurityGroupEgressRule,
        { security_group_id: albSg, referenced_security_group_id: instanceSg, from_port: 8080, to_port: 8080 },
      );
    });

    it("allows HTTPS out for SSM and nothing else", () => {
      const egress = Object.values(resourcesOf(synthesized, "aws_vpc_security_group_egress_rule")).filter(
        (rule) => rule.security_group_id === instanceSg,
      );
      expect(egress).toEqual([expect.objectContaining({ from_port: 443, to_port: 443, cidr_ipv4: "0.0.0.0/0" })]);
    });
  });

  it("gives instances an IAM role through an instance profile, allowed only what Session Manager needs", () => {
    const role = onlyResource(synthesized, "aws_iam_role");
    expect(String(role.assume_role_policy)).toContain("data.aws_iam_policy_document");
    const documents = JSON.parse(synthesized).data.aws_iam_policy_document as Record<string, { statement: object[] }>;
    const assume = Object.entries(documents).find(([id]) => id.includes("assume-role-policy"))![1];
    expect(assume.statement).toEqual([
      expect.objectContaining({ actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: ["ec2.amazonaws.com"] }] }),
    ]);
    const sessionManager = Object.entries(documents).find(([id]) => id.includes("session-manager-policy"))![1];
    expect(sessionManager.statement).toEqual([
      expect.objectContaining({
        actions: ["ssm:UpdateInstanceInformation"],
        resources: [expect.stringMatching(/^arn:\$\{data\.aws_partition\.[^}]+\.partition\}:ec2:\$\{data\.aws_region\.[^}]+\.region\}:\$\{data\.aws_caller_identity\.[^}]+\.account_id\}:instance\/\*$/)],
      }),
      expect.objectContaining({
        actions: ["ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"],
        resources: ["*"],
      }),
    ]);
    const inline = onlyResource(synthesized, "aws_iam_role_policy");
    expect(inline.role).toBe(refTo(synthesized, "aws_iam_role", "auto-scaling-group_role", "id"));
    expect(String(inline.policy)).toMatch(/^\$\{data\.aws_iam_policy_document\.auto-scaling-group_session-manager-policy_[^}]+\.json\}$/);
    expect(resourcesOf(synthesized, "aws_iam_role_policy_attachment")).toEqual({});
    expect(onlyResource(synthesized, "aws_iam_instance_profile").role).toBe(refTo(synthesized, "aws_iam_role", "auto-scaling-group_role", "name"));
  });

  it("attaches AmazonSSMManagedInstanceCore instead with ssmAccess managed-instance-core", () => {
    const managed = synthGroup({ ssmAccess: "managed-instance-core" });
    expect(managed).toHaveResourceWithProperties(IamRolePolicyAttachment, {
      policy_arn: expect.stringMatching(/^arn:\$\{data\.aws_partition\.[^}]+\.partition\}:iam::aws:policy\/AmazonSSMManagedInstanceCore$/),
    });
    expect(resourcesOf(managed, "aws_iam_role_policy")).toEqual({});
  });

  describe("launch template", () => {
    const template = onlyResource(synthesized, "aws_launch_template");

    it("has a name prefix, the image, the instance type and base64 user data", () => {
      expect(template).toMatchObject({
        name_prefix: "test-",
        image_id: BASE.imageId,
        instance_type: "t3.micro",
        user_data: Buffer.from(USER_DATA).toString("base64"),
        vpc_security_group_ids: [instanceSg],
        iam_instance_profile: { arn: refTo(synthesized, "aws_iam_instance_profile", "auto-scaling-group_instance-profile", "arn") },
      });
    });

    it("requires IMDSv2 with a hop limit of 1", () => {
      expect(synthesized).toHaveResourceWithProperties(LaunchTemplate, {
        metadata_options: expect.objectContaining({ http_tokens: "required", http_put_response_hop_limit: 1, http_endpoint: "enabled" }),
      });
    });

    it("has an encrypted gp3 root volume, detailed monitoring and create_before_destroy", () => {
      expect(template.block_device_mappings).toEqual([
        { device_name: "/dev/xvda", ebs: { volume_type: "gp3", volume_size: 16, encrypted: "true", delete_on_termination: "true" } },
      ]);
      expect(template.monitoring).toEqual({ enabled: true });
      expect(template.lifecycle).toEqual({ create_before_destroy: true });
    });

    it("tags the instances and volumes it launches", () => {
      expect(template.tag_specifications).toEqual([
        { resource_type: "instance", tags: { Name: "test" } },
        { resource_type: "volume", tags: { Name: "test" } },
      ]);
    });

    it("with associatePublicIpAddress, moves the security group into a public network interface", () => {
      const publicTemplate = onlyResource(synthGroup({ associatePublicIpAddress: true }), "aws_launch_template");
      expect(publicTemplate.vpc_security_group_ids).toBeUndefined();
      expect(publicTemplate.network_interfaces).toEqual([
        expect.objectContaining({ device_index: 0, associate_public_ip_address: "true", security_groups: [expect.stringContaining("aws_security_group")] }),
      ]);
    });
  });

  describe("group", () => {
    it("runs min/max/desired in the subnets, attached to the target group with ELB health checks", () => {
      expect(synthesized).toHaveResourceWithProperties(AutoscalingGroup, {
        name: "test",
        min_size: 2,
        max_size: 6,
        desired_capacity: 3,
        vpc_zone_identifier: BASE.subnetIds,
        target_group_arns: [refTo(synthesized, "aws_lb_target_group", "load-balancer_target-group", "arn")],
        health_check_type: "ELB",
        health_check_grace_period: 120,
        default_instance_warmup: 60,
      });
    });

    it("references the launch template's latest_version, never $Latest", () => {
      const group = onlyResource(synthesized, "aws_autoscaling_group");
      expect(group.launch_template).toEqual({
        id: refTo(synthesized, "aws_launch_template", "auto-scaling-group_launch-template", "id"),
        version: refTo(synthesized, "aws_launch_template", "auto-scaling-group_launch-template", "latest_version"),
      });
      expect(synthesized).not.toContain("$Latest");
    });

    it("rolls with instance refresh: 100 % min healthy, 200 % max healthy, auto rollback", () => {
      expect(synthesized).toHaveResourceWithProperties(AutoscalingGroup, {
        instance_refresh: {
          strategy: "Rolling",
          preferences: {
            min_healthy_percentage: 100,
            max_healthy_percentage: 200,
            auto_rollback: true,
            instance_warmup: "60",
            skip_matching: false,
          },
        },
      });
    });

    it("lets every refresh preference be overridden", () => {
      const custom = synthGroup({
        instanceRefresh: { minHealthyPercentage: 90, maxHealthyPercentage: 150, autoRollback: false, instanceWarmupSeconds: 300, skipMatching: true },
      });
      expect(custom).toHaveResourceWithProperties(AutoscalingGroup, {
        instance_refresh: {
          strategy: "Rolling",
          preferences: { min_healthy_percentage: 90, max_healthy_percentage: 150, auto_rollback: false, instance_warmup: "300", skip_matching: true },
        },
      });
    });

    it("passes alarms as the refresh's alarm specification, and no specification without alarms", () => {
      const withAlarms = synthGroup({ instanceRefresh: { alarmNames: ["app-5xx", "app-unhealthy"] } });
      expect(withAlarms).toHaveResourceWithProperties(AutoscalingGroup, {
        instance_refresh: expect.objectContaining({
          preferences: expect.objectContaining({ alarm_specification: { alarms: ["app-5xx", "app-unhealthy"] }, auto_rollback: true }),
        }),
      });
      const preferences = (onlyResource(synthesized, "aws_autoscaling_group").instance_refresh as { preferences: Record<string, unknown> }).preferences;
      expect(preferences.alarm_specification).toBeUndefined();
      expect(preferences.checkpoint_percentages).toBeUndefined();
    });

    it("pauses at checkpoints, with AWS's one-hour delay made explicit when none is given", () => {
      expect(synthGroup({ instanceRefresh: { checkpoints: { percentages: [25, 50, 100], delaySeconds: 300 } } })).toHaveResourceWithProperties(
        AutoscalingGroup,
        { instance_refresh: expect.objectContaining({ preferences: expect.objectContaining({ checkpoint_percentages: [25, 50, 100], checkpoint_delay: "300" }) }) },
      );
      expect(synthGroup({ instanceRefresh: { checkpoints: { percentages: [100] } } })).toHaveResourceWithProperties(AutoscalingGroup, {
        instance_refresh: expect.objectContaining({ preferences: expect.objectContaining({ checkpoint_percentages: [100], checkpoint_delay: "3600" }) }),
      });
    });

    it("applies desired_capacity changes when no scaling policy owns the size", () => {
      const withoutPolicy = synthGroup({ cpuTargetTracking: { enabled: false }, desiredCapacity: 4 });
      const group = onlyResource(withoutPolicy, "aws_autoscaling_group");
      expect(group.desired_capacity).toBe(4);
      expect(group.lifecycle).toBeUndefined();
      expect(resourcesOf(withoutPolicy, "aws_autoscaling_policy")).toEqual({});
    });

    it("ignores desired_capacity drift (the CPU policy owns the size), enables group metrics and propagates a Name tag", () => {
      const group = onlyResource(synthesized, "aws_autoscaling_group");
      expect(group.lifecycle).toEqual({ ignore_changes: ["desired_capacity"] });
      expect(group.enabled_metrics).toEqual(expect.arrayContaining(["GroupInServiceInstances", "GroupDesiredCapacity", "GroupTotalInstances"]));
      expect(group.tag).toEqual([{ key: "Name", value: "test", propagate_at_launch: true }]);
    });

    it("scales on average CPU at 50 % by default", () => {
      expect(synthesized).toHaveResourceWithProperties(AutoscalingPolicy, {
        autoscaling_group_name: refTo(synthesized, "aws_autoscaling_group", "auto-scaling-group_asg_", "name"),
        policy_type: "TargetTrackingScaling",
        target_tracking_configuration: {
          predefined_metric_specification: { predefined_metric_type: "ASGAverageCPUUtilization" },
          target_value: 50,
        },
      });
    });

    it("takes another CPU target, or no policy at all", () => {
      expect(synthGroup({ cpuTargetTracking: { targetUtilizationPercent: 70 } })).toHaveResourceWithProperties(AutoscalingPolicy, {
        target_tracking_configuration: expect.objectContaining({ target_value: 70 }),
      });
      expect(resourcesOf(synthGroup({ cpuTargetTracking: { enabled: false } }), "aws_autoscaling_policy")).toEqual({});
    });
  });

  it.each<[string, Partial<GroupProps>, RegExp]>([
    ["min greater than max", { minSize: 5, maxSize: 3, desiredCapacity: 4 }, /minSize must not be greater than max \(3\)/],
    ["desired below min", { desiredCapacity: 1 }, /desiredCapacity must be within \[min, max\] = \[2, 6\]/],
    ["desired above max", { desiredCapacity: 7 }, /desiredCapacity must be within \[min, max\] = \[2, 6\]/],
    ["min healthy above 100", { instanceRefresh: { minHealthyPercentage: 101 } }, /instanceRefresh\.minHealthyPercentage must be from 0 to 100/],
    ["max healthy below 100", { instanceRefresh: { maxHealthyPercentage: 99 } }, /instanceRefresh\.maxHealthyPercentage must be from 100 to 200/],
    ["max healthy above 200", { instanceRefresh: { maxHealthyPercentage: 201 } }, /instanceRefresh\.maxHealthyPercentage must be from 100 to 200/],
    ["a spread over 100 points", { instanceRefresh: { minHealthyPercentage: 50, maxHealthyPercentage: 200 } }, /minus minHealthyPercentage \(50\) must be at most 100/],
    ["a port outside 1-65535", { appPort: 0 }, /appPort must be from 1 to 65535/],
    ["a malformed AMI id", { imageId: "ami-123" }, /imageId must be an AMI id/],
    ["a malformed instance type", { instanceType: "large" }, /instanceType must be an EC2 instance type/],
    ["empty user data", { userData: "  " }, /userData must not be empty/],
    ["a CPU target above 100", { cpuTargetTracking: { targetUtilizationPercent: 120 } }, /cpuTargetTracking\.targetUtilizationPercent must be from 1 to 100/],
    ["checkpoints not ending at 100", { instanceRefresh: { checkpoints: { percentages: [20, 50] } } }, /instanceRefresh\.checkpoints\.percentages must end with 100/],
    ["checkpoints out of order", { instanceRefresh: { checkpoints: { percentages: [50, 20, 100] } } }, /instanceRefresh\.checkpoints\.percentages must be ascending without repeats/],
    ["a checkpoint of 0", { instanceRefresh: { checkpoints: { percentages: [0, 100] } } }, /instanceRefresh\.checkpoints\.percentages must be whole numbers from 1 to 100/],
    ["no checkpoints", { instanceRefresh: { checkpoints: { percentages: [] } } }, /instanceRefresh\.checkpoints\.percentages must list at least one percentage/],
    ["a checkpoint delay over 48 h", { instanceRefresh: { checkpoints: { percentages: [100], delaySeconds: 172801 } } }, /instanceRefresh\.checkpoints\.delaySeconds must be from 0 to 172800/],
    ["more than 10 alarms", { instanceRefresh: { alarmNames: Array.from({ length: 11 }, (_, i) => `a${i}`) } }, /instanceRefresh\.alarmNames must list at most 10 alarm names/],
    ["a repeated alarm", { instanceRefresh: { alarmNames: ["a", "a"] } }, /instanceRefresh\.alarmNames must not repeat an alarm/],
  ])("rejects %s", (_case, props, message) => {
    expect(() => synthGroup(props)).toThrow(message);
  });

  describe("values known only at plan time", () => {
    const tokens = () => {
      let values: Partial<GroupProps> = {};
      const synthesized = synthScope((scope) => {
        const variable = (name: string, type: string) => new TerraformVariable(scope, name, { type });
        values = {
          imageId: variable("image_id", "string").stringValue,
          instanceType: variable("instance_type", "string").stringValue,
          userData: Fn.templatefile("user-data.sh.tpl", { port: 8080 }),
          minSize: variable("min_size", "number").numberValue,
          maxSize: variable("max_size", "number").numberValue,
          desiredCapacity: variable("desired", "number").numberValue,
        };
        const loadBalancer = new LoadBalancer(scope, "load-balancer", {
          name: "test",
          vpcId: BASE.vpcId,
          subnetIds: ["subnet-0000000000000000a", "subnet-0000000000000000b"],
          appPort: 8080,
        });
        new AppAutoScalingGroup(scope, "auto-scaling-group", { ...BASE, ...values, loadBalancer });
      });
      return synthesized;
    };

    it("are not judged at synth time (AWS judges them at plan time)", () => {
      expect(tokens).not.toThrow();
      const group = onlyResource(tokens(), "aws_autoscaling_group");
      expect(group.min_size).toBe("${var.min_size}");
      expect(group.desired_capacity).toBe("${var.desired}");
    });

    it("encode user data given as a token with Terraform's base64encode", () => {
      const template = onlyResource(tokens(), "aws_launch_template");
      expect(template.user_data).toBe('${base64encode(templatefile("user-data.sh.tpl", {"port" = 8080}))}');
      expect(template.image_id).toBe("${var.image_id}");
    });
  });

  describe("mixed instances (mixedInstances)", () => {
    const TYPES = [{ instanceType: "t3.small" }, { instanceType: "t3a.small" }, { instanceType: "m5.large" }];
    const template = (synthesized: string, attribute: string) => refTo(synthesized, "aws_launch_template", "auto-scaling-group_launch-template", attribute);

    it("is off by default: the launch template on the group, no policy, no capacity rebalance", () => {
      const group = onlyResource(synthesized, "aws_autoscaling_group");
      expect(group.launch_template).toBeDefined();
      expect(group.mixed_instances_policy).toBeUndefined();
      expect(group.capacity_rebalance).toBeUndefined();
    });

    it("moves the launch template (latest_version, never $Latest) inside the policy, all On-Demand by default", () => {
      const mixed = synthGroup({ mixedInstances: { instanceTypes: TYPES } });
      expect(onlyResource(mixed, "aws_autoscaling_group").launch_template).toBeUndefined();
      expect(mixed).toHaveResourceWithProperties(AutoscalingGroup, {
        mixed_instances_policy: {
          launch_template: {
            launch_template_specification: { launch_template_id: template(mixed, "id"), version: template(mixed, "latest_version") },
            override: [{ instance_type: "t3.small" }, { instance_type: "t3a.small" }, { instance_type: "m5.large" }],
          },
          instances_distribution: {
            on_demand_allocation_strategy: "prioritized",
            on_demand_base_capacity: 0,
            on_demand_percentage_above_base_capacity: 100,
            spot_allocation_strategy: "price-capacity-optimized",
          },
        },
        capacity_rebalance: false,
        // Instance refresh is unchanged: a new template version changes the policy, which starts a refresh.
        instance_refresh: expect.objectContaining({ strategy: "Rolling" }),
      });
      expect(JSON.stringify(onlyResource(mixed, "aws_autoscaling_group"))).not.toContain("$Latest");
    });

    it("takes weights, an On-Demand base, a Spot share, another Spot strategy and capacity rebalance", () => {
      const mixed = synthGroup({
        mixedInstances: {
          instanceTypes: [{ instanceType: "t3.small", weightedCapacity: 1 }, { instanceType: "t3.medium", weightedCapacity: 2 }],
          onDemandBaseCapacity: 1,
          onDemandPercentageAboveBaseCapacity: 50,
          spotAllocationStrategy: "capacity-optimized",
          capacityRebalance: true,
        },
      });
      expect(mixed).toHaveResourceWithProperties(AutoscalingGroup, {
        mixed_instances_policy: {
          launch_template: expect.objectContaining({
            override: [{ instance_type: "t3.small", weighted_capacity: "1" }, { instance_type: "t3.medium", weighted_capacity: "2" }],
          }),
          instances_distribution: expect.objectContaining({
            on_demand_base_capacity: 1,
            on_demand_percentage_above_base_capacity: 50,
            spot_allocation_strategy: "capacity-optimized",
          }),
        },
        capacity_rebalance: true,
      });
    });

    it.each<[string, GroupProps["mixedInstances"], RegExp]>([
      ["instance types of two architectures", { instanceTypes: [{ instanceType: "t3.small" }, { instanceType: "t4g.small" }] }, /mixedInstances\.instanceTypes must all run x86_64, the image's architecture; t4g\.small is arm64 only/],
      ["a weight of 0", { instanceTypes: [{ instanceType: "t3.small", weightedCapacity: 0 }, { instanceType: "t3.large", weightedCapacity: 2 }] }, /mixedInstances\.instanceTypes entry 0 \("t3\.small"\): weightedCapacity must be from 1 to 999/],
      ["weights on some types only", { instanceTypes: [{ instanceType: "t3.small", weightedCapacity: 1 }, { instanceType: "t3.large" }] }, /mixedInstances\.instanceTypes must give weightedCapacity to every instance type or to none/],
      ["a repeated type", { instanceTypes: [{ instanceType: "t3.small" }, { instanceType: "t3.small" }] }, /mixedInstances\.instanceTypes must not repeat an instance type \("t3\.small" is listed twice\)/],
      ["no types", { instanceTypes: [] }, /mixedInstances\.instanceTypes must list 1 to 40 instance types/],
      ["an unknown type", { instanceTypes: [{ instanceType: "t3.smal" }] }, /mixedInstances\.instanceTypes entry 0 \("t3\.smal"\): instanceType must be an EC2 instance type/],
      ["an On-Demand share above 100", { instanceTypes: TYPES, onDemandPercentageAboveBaseCapacity: 101 }, /mixedInstances\.onDemandPercentageAboveBaseCapacity must be from 0 to 100/],
      ["an On-Demand share below 0", { instanceTypes: TYPES, onDemandPercentageAboveBaseCapacity: -1 }, /mixedInstances\.onDemandPercentageAboveBaseCapacity must be from 0 to 100/],
      ["a negative On-Demand base", { instanceTypes: TYPES, onDemandBaseCapacity: -1 }, /mixedInstances\.onDemandBaseCapacity must be from 0 to 10000/],
      ["an unknown Spot strategy", { instanceTypes: TYPES, spotAllocationStrategy: "cheapest" as never }, /mixedInstances\.spotAllocationStrategy must be one of "price-capacity-optimized", "capacity-optimized", "capacity-optimized-prioritized", "lowest-price", not "cheapest"/],
    ])("rejects %s, naming the prop", (_case, mixedInstances, message) => {
      expect(() => synthGroup({ mixedInstances })).toThrow(message);
    });

    it("checks the types against the launch template's architecture (an arm64 image's types must all be arm64)", () => {
      expect(() => synthGroup({ instanceType: "t4g.small", mixedInstances: { instanceTypes: [{ instanceType: "t4g.medium" }, { instanceType: "m6g.large" }] } })).not.toThrow();
      expect(() => synthGroup({ instanceType: "t4g.small", mixedInstances: { instanceTypes: [{ instanceType: "t3.small" }] } })).toThrow(
        /mixedInstances\.instanceTypes must all run arm64, the image's architecture; t3\.small is x86_64 only/,
      );
    });

    it("passes values known only at plan time through unchanged", () => {
      let types: string[] = [];
      const synthesized = synthScope((scope) => {
        const variable = (name: string, type: string) => new TerraformVariable(scope, name, { type });
        types = [variable("first_type", "string").stringValue, variable("second_type", "string").stringValue];
        const loadBalancer = new LoadBalancer(scope, "load-balancer", {
          name: "test",
          vpcId: BASE.vpcId,
          subnetIds: ["subnet-0000000000000000a", "subnet-0000000000000000b"],
          appPort: 8080,
        });
        new AppAutoScalingGroup(scope, "auto-scaling-group", {
          ...BASE,
          instanceType: variable("instance_type", "string").stringValue,
          loadBalancer,
          mixedInstances: {
            instanceTypes: types.map((instanceType) => ({ instanceType, weightedCapacity: variable(`weight_${types.indexOf(instanceType)}`, "number").numberValue })),
            onDemandBaseCapacity: variable("base", "number").numberValue,
            onDemandPercentageAboveBaseCapacity: variable("percentage", "number").numberValue,
          },
        });
      });
      const policy = onlyResource(synthesized, "aws_autoscaling_group").mixed_instances_policy as Record<string, Record<string, unknown>>;
      expect(policy.launch_template.override).toEqual([
        { instance_type: "${var.first_type}", weighted_capacity: "${var.weight_0}" },
        { instance_type: "${var.second_type}", weighted_capacity: "${var.weight_1}" },
      ]);
      expect(policy.instances_distribution).toEqual(expect.objectContaining({ on_demand_base_capacity: "${var.base}", on_demand_percentage_above_base_capacity: "${var.percentage}" }));
    });
  });

  it("has no ingress rule that admits a CIDR", () => {
    expect(synthesized).not.toHaveResourceWithProperties(VpcSecurityGroupIngressRule, { security_group_id: instanceSg, cidr_ipv4: expect.anything() });
  });
});
