/**
 * Names whose change forces a replacement: prefixes by default (so replacements apply),
 * fixed names to keep an existing deployment's objects, and AWS's rules for each.
 */
import { AutoscalingGroup } from "@cdktf/provider-aws/lib/autoscaling-group";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { ENVIRONMENTS } from "../../config/environments";
import { loadEnvironment } from "../../config/load";
import { ConfigError } from "../../config/validate";
import { EnvironmentConfig } from "../../config/types";
import { AppAutoScalingGroup, AutoScalingGroupNames } from "../../modules/auto-scaling-group/app-auto-scaling-group";
import { LoadBalancer, LoadBalancerNames } from "../../modules/load-balancer/load-balancer";
import { resourcesOf, synthScope } from "../helpers";

function synthBoth(loadBalancerNames?: LoadBalancerNames, groupNames?: AutoScalingGroupNames): string {
  return synthScope((scope) => {
    const loadBalancer = new LoadBalancer(scope, "load-balancer", {
      name: "test",
      names: loadBalancerNames,
      vpcId: "vpc-0123456789abcdef0",
      subnetIds: ["subnet-0000000000000000a", "subnet-0000000000000000b"],
      appPort: 8080,
    });
    new AppAutoScalingGroup(scope, "auto-scaling-group", {
      name: "test",
      names: groupNames,
      vpcId: "vpc-0123456789abcdef0",
      subnetIds: ["subnet-0000000000000000c", "subnet-0000000000000000d"],
      imageId: "ami-0123456789abcdef0",
      instanceType: "t3.micro",
      userData: "#!/bin/sh\n",
      appPort: 8080,
      minSize: 1,
      maxSize: 2,
      loadBalancer,
    });
  });
}

const securityGroupNamed = (synthesized: string, pathPart: string) =>
  Object.entries(resourcesOf(synthesized, "aws_security_group")).find(([id]) => id.startsWith(pathPart))![1];

describe("names that force replacement", () => {
  it("defaults to name prefixes for the target group and both security groups, each created before the old one is destroyed", () => {
    const synthesized = synthBoth();
    expect(synthesized).toHaveResourceWithProperties(LbTargetGroup, { name_prefix: "tg-", lifecycle: { create_before_destroy: true } });
    const target = Object.values(resourcesOf(synthesized, "aws_lb_target_group"))[0];
    expect(target.name).toBeUndefined();
    expect(securityGroupNamed(synthesized, "load-balancer_security-group")).toMatchObject({
      name_prefix: "test-alb-",
      lifecycle: { create_before_destroy: true },
    });
    expect(securityGroupNamed(synthesized, "load-balancer_security-group").name).toBeUndefined();
    expect(securityGroupNamed(synthesized, "auto-scaling-group_security-group")).toMatchObject({
      name_prefix: "test-instances-",
      lifecycle: { create_before_destroy: true },
    });
    // The ALB and the group keep readable fixed names: nothing this project sets forces their replacement.
    expect(synthesized).toHaveResourceWithProperties(Lb, { name: "test" });
    expect(synthesized).toHaveResourceWithProperties(AutoscalingGroup, { name: "test" });
    expect(synthesized).toHaveResourceWithProperties(LaunchTemplate, { name_prefix: "test-" });
  });

  it("gives fixed names with useNamePrefix: false", () => {
    const synthesized = synthBoth({ useNamePrefix: false }, { useNamePrefix: false });
    expect(synthesized).toHaveResourceWithProperties(LbTargetGroup, { name: "test-tg" });
    expect(synthesized).toHaveResourceWithProperties(SecurityGroup, { name: "test-alb" });
    expect(synthesized).toHaveResourceWithProperties(SecurityGroup, { name: "test-instances" });
  });

  it("keeps every name and security group description of an adopted deployment", () => {
    const synthesized = synthBoth(
      {
        loadBalancer: { name: "sample-app-alb" },
        targetGroup: { name: "sample-app-alb" },
        securityGroup: { name: "sample-app-alb", description: "Allow HTTP traffic into sample-app-alb" },
      },
      {
        securityGroup: { name: "sample-app-asg", description: "Allow HTTP traffic into sample-app-asg" },
        launchTemplate: { namePrefix: "sample-app-asg" },
        autoScalingGroup: { name: "sample-app-asg20240414163932598800000002" },
      },
    );
    expect(synthesized).toHaveResourceWithProperties(Lb, { name: "sample-app-alb" });
    expect(synthesized).toHaveResourceWithProperties(LbTargetGroup, { name: "sample-app-alb" });
    expect(securityGroupNamed(synthesized, "load-balancer_security-group")).toMatchObject({
      name: "sample-app-alb",
      description: "Allow HTTP traffic into sample-app-alb",
    });
    expect(securityGroupNamed(synthesized, "auto-scaling-group_security-group")).toMatchObject({
      name: "sample-app-asg",
      description: "Allow HTTP traffic into sample-app-asg",
    });
    expect(synthesized).toHaveResourceWithProperties(LaunchTemplate, { name_prefix: "sample-app-asg" });
    expect(synthesized).toHaveResourceWithProperties(AutoscalingGroup, { name: "sample-app-asg20240414163932598800000002" });
  });

  it.each<[string, LoadBalancerNames, RegExp]>([
    ["an ALB name over 32 characters", { loadBalancer: { name: "x".repeat(33) } }, /names\.loadBalancer\.name must be 1-32 characters \(AWS's limit for a load balancer name\); got 33/],
    ["a target group prefix over 6 characters", { targetGroup: { namePrefix: "sample-" } }, /names\.targetGroup\.namePrefix must be 1-6 characters/],
    ["an ALB name ending in a hyphen", { loadBalancer: { name: "app-" } }, /names\.loadBalancer\.name must not start or end with a hyphen/],
    ["an ALB name starting with internal-", { loadBalancer: { name: "internal-app" } }, /must not start with "internal-"/],
    ["both name and namePrefix", { targetGroup: { name: "a", namePrefix: "b" } }, /names\.targetGroup\.name must not be set together with namePrefix/],
    [
      "a fixed security group name without a description",
      { securityGroup: { name: "sample-app-alb" } },
      /names\.securityGroup\.description must be set when securityGroup\.name is fixed/,
    ],
    ["a description on a target group", { targetGroup: { description: "x" } }, /names\.targetGroup\.description is not settable/],
    ["a security group name starting with sg-", { securityGroup: { name: "sg-1", description: "d" } }, /must not start with "sg-"/],
  ])("rejects %s", (_case, names, message) => {
    expect(() => synthBoth(names)).toThrow(message);
  });

  it.each<[string, AutoScalingGroupNames, RegExp]>([
    ["a launch template name with a space", { launchTemplate: { name: "my template" } }, /names\.launchTemplate\.name must use only letters, digits and \(\)\.-\/_/],
    ["a role prefix over 38 characters", { role: { namePrefix: "r".repeat(39) } }, /names\.role\.namePrefix must be 1-38 characters/],
    ["a security group description over 255 characters", { securityGroup: { description: "d".repeat(256) } }, /names\.securityGroup\.description must be 1-255 characters; got 256/],
  ])("rejects %s for the group", (_case, names, message) => {
    expect(() => synthBoth(undefined, names)).toThrow(message);
  });

  describe("in the environment config", () => {
    const problemsOf = (names: EnvironmentConfig["names"]): string => {
      try {
        loadEnvironment("dev", { environments: { ...ENVIRONMENTS, dev: { ...ENVIRONMENTS.dev, names } }, env: {} });
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as Error).message;
      }
      throw new Error("expected the configuration to be rejected");
    };

    it.each<[string, EnvironmentConfig["names"], string]>([
      [
        "an ALB name too long",
        { loadBalancer: { name: "sample-app-alb-for-the-production-account" } },
        'environment "dev": names.loadBalancer.name = "sample-app-alb-for-the-production-account": must be 1-32 characters (AWS\'s limit for a load balancer name); got 41',
      ],
      [
        "a fixed instance security group name without its description",
        { instanceSecurityGroup: { name: "sample-app-asg" } },
        'environment "dev": names.instanceSecurityGroup.description: must be set when securityGroup.name is fixed',
      ],
      ["an unknown key", { targetGroup: { prefix: "tg-" } } as never, 'environment "dev": names.targetGroup.prefix = "tg-": unknown field; allowed fields: name, namePrefix, description'],
    ])("rejects %s, naming the entry", (_case, names, message) => {
      expect(problemsOf(names)).toContain(message);
    });

    it("reports a stack id too long for the default ALB name, then for the access-log bucket, and accepts it once both are named", () => {
      const config = { ...ENVIRONMENTS.dev };
      const long = "production-eu-central-1";
      expect(() => loadEnvironment(long, { environments: { [long]: config }, env: {} })).toThrow(/set names\.loadBalancer/);
      const withAlbName = { ...config, names: { loadBalancer: { name: "prod-euc1" } } };
      expect(() => loadEnvironment(long, { environments: { [long]: withAlbName }, env: {} })).toThrow(
        'environment name "production-eu-central-1": is too long for the access-log bucket the stack creates: its name prefix "sample-app-production-eu-central-1-logs-" has 40 characters',
      );
      expect(loadEnvironment(long, { environments: { [long]: { ...withAlbName, accessLogs: { bucketName: "prod-euc1-alb-logs" } } }, env: {} }).name).toBe(long);
    });
  });
});
