/**
 * SA-019 against plain provider resources (a hook resource and an initial hook), and against
 * the stack's own terminating hook, which derives its timeout from the deregistration delay.
 */
import { TerraformStack, TerraformVariable, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { AutoscalingGroup } from "@cdktf/provider-aws/lib/autoscaling-group";
import { AutoscalingLifecycleHook } from "@cdktf/provider-aws/lib/autoscaling-lifecycle-hook";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { Finding, PolicyChecks } from "../../policy/policy-checks";
import { RULES } from "../../policy/rules";
import { SA019_TERMINATING_HOOK_OUTLASTS_DRAIN } from "../../policy/rules/sa-019-terminating-hook-outlasts-drain";

const TERMINATING = "autoscaling:EC2_INSTANCE_TERMINATING";

function check(build: (stack: TerraformStack) => void): Finding[] {
  const stack = new TerraformStack(Testing.app(), "test");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  build(stack);
  return [...new PolicyChecks({ rules: [SA019_TERMINATING_HOOK_OUTLASTS_DRAIN], production: false }).check(stack).findings];
}

function group(stack: TerraformStack, delay?: number | string, initialHookTimeout?: number) {
  const targetGroup = new LbTargetGroup(stack, "tg", { port: 8080, protocol: "HTTP", vpcId: "vpc-0123456789abcdef0", ...(delay === undefined ? {} : { deregistrationDelay: String(delay) }) });
  return new AutoscalingGroup(stack, "asg", {
    minSize: 1,
    maxSize: 3,
    launchTemplate: { id: "lt-0123456789abcdef0", version: "1" },
    targetGroupArns: [targetGroup.arn],
    ...(initialHookTimeout === undefined ? {} : { initialLifecycleHook: [{ name: "drain", lifecycleTransition: TERMINATING, heartbeatTimeout: initialHookTimeout }] }),
  });
}

describe("SA-019 a terminating lifecycle hook outlasts the target group's deregistration delay", () => {
  it("is listed with a stable id, after SA-017 (SA-018 is taken by the scaling work)", () => {
    expect(RULES.map((rule) => rule.id)).toContain("SA-019");
    expect(SA019_TERMINATING_HOOK_OUTLASTS_DRAIN).toMatchObject({ level: "error" });
  });

  it("passes a hook at least as long as the delay, a launching hook, and a hook whose timeout is known only at plan time", () => {
    expect(
      check((stack) => {
        const asg = group(stack, 30);
        new AutoscalingLifecycleHook(stack, "equal", { name: "a", autoscalingGroupName: asg.name, lifecycleTransition: TERMINATING, heartbeatTimeout: 30 });
        new AutoscalingLifecycleHook(stack, "launching", { name: "b", autoscalingGroupName: asg.name, lifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING", heartbeatTimeout: 30 });
        new AutoscalingLifecycleHook(stack, "token", { name: "c", autoscalingGroupName: asg.name, lifecycleTransition: TERMINATING, heartbeatTimeout: new TerraformVariable(stack, "t", { type: "number" }).numberValue });
        // AWS's default heartbeat (3600 s) outlasts any delay.
        new AutoscalingLifecycleHook(stack, "default", { name: "d", autoscalingGroupName: asg.name, lifecycleTransition: TERMINATING });
      }),
    ).toEqual([]);
  });

  it("fails a hook resource shorter than the delay, naming both and the config key", () => {
    const findings = check((stack) => {
      const asg = group(stack, 120);
      new AutoscalingLifecycleHook(stack, "short", { name: "a", autoscalingGroupName: asg.name, lifecycleTransition: TERMINATING, heartbeatTimeout: 60 });
    });
    expect(findings).toEqual([expect.objectContaining({ rule: "SA-019", level: "error", subject: "short" })]);
    expect(findings[0].message).toContain("the terminating hook holds instances 60 s (its heartbeat_timeout), less than the 120 s deregistration delay of aws_lb_target_group.tg");
    expect(findings[0].message).toContain("lifecycleHooks.terminating.heartbeatTimeoutSeconds");
  });

  it("fails an initial terminating hook shorter than the delay, and counts AWS's default delay (300 s) when none is set", () => {
    expect(check((stack) => group(stack, 90, 60))).toEqual([expect.objectContaining({ rule: "SA-019", subject: "asg" })]);
    expect(check((stack) => group(stack, undefined, 200))[0].message).toContain("less than the 300 s deregistration delay");
  });
});
