import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { Wafv2WebAcl } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { Wafv2WebAclLoggingConfiguration } from "@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration";
import { Wafv2WebAclAssociation } from "@cdktf/provider-aws/lib/wafv2-web-acl-association";
import { LoadBalancer, LoadBalancerProps } from "../../../modules/load-balancer/load-balancer";
import { refTo, resourcesOf, synthScope } from "../../helpers";

const synthLb = (props: Partial<LoadBalancerProps> = {}) =>
  synthScope((scope) => {
    const lb = new LoadBalancer(scope, "lb", { name: "test", vpcId: "vpc-0123456789abcdef0", subnetIds: ["subnet-0000000000000000a", "subnet-0000000000000000b"], appPort: 8080, ...props });
    lb.allowTrafficTo("x", "sg-0123456789abcdef0");
  });

describe("LoadBalancer waf", () => {
  it("has no web ACL unless asked", () => {
    expect(resourcesOf(synthLb(), "aws_wafv2_web_acl")).toEqual({});
  });

  it("puts a regional web ACL with a per-IP rate limit first, then the AWS managed rule groups, on the load balancer", () => {
    const synthesized = synthLb({ waf: {} });
    expect(synthesized).toHaveResourceWithProperties(Wafv2WebAcl, {
      name: "test",
      scope: "REGIONAL",
      default_action: { allow: {} },
      rule: [
        expect.objectContaining({ name: "rate-limit-per-ip", priority: 0, action: { block: {} }, statement: { rate_based_statement: { limit: 2000, aggregate_key_type: "IP" } } }),
        expect.objectContaining({ name: "AWSManagedRulesAmazonIpReputationList", priority: 1, override_action: { none: {} }, statement: { managed_rule_group_statement: { name: "AWSManagedRulesAmazonIpReputationList", vendor_name: "AWS" } } }),
        expect.objectContaining({ name: "AWSManagedRulesCommonRuleSet", priority: 2 }),
        expect.objectContaining({ name: "AWSManagedRulesKnownBadInputsRuleSet", priority: 3 }),
      ],
      visibility_config: { cloudwatch_metrics_enabled: true, metric_name: "test", sampled_requests_enabled: true },
    });
    expect(synthesized).toHaveResourceWithProperties(Wafv2WebAclAssociation, {
      resource_arn: refTo(synthesized, "aws_lb", "lb_load-balancer", "arn"),
      web_acl_arn: refTo(synthesized, "aws_wafv2_web_acl", "lb_web-acl", "arn"),
    });
  });

  it("logs the requests it blocks or counts to an aws-waf-logs- group kept 365 days", () => {
    const synthesized = synthLb({ waf: {} });
    expect(synthesized).toHaveResourceWithProperties(CloudwatchLogGroup, { name: "aws-waf-logs-test", retention_in_days: 365 });
    expect(synthesized).toHaveResourceWithProperties(Wafv2WebAclLoggingConfiguration, {
      resource_arn: refTo(synthesized, "aws_wafv2_web_acl", "lb_web-acl", "arn"),
      log_destination_configs: [refTo(synthesized, "aws_cloudwatch_log_group", "lb_web-acl_log-group", "arn")],
      logging_filter: expect.objectContaining({ default_behavior: "DROP" }),
    });
  });

  it("takes the rate limit and the rule groups from its props", () => {
    const synthesized = synthLb({ waf: { rateLimitPer5Minutes: 500, managedRuleGroups: ["AWSManagedRulesSQLiRuleSet"] } });
    const acl = Object.values(resourcesOf(synthesized, "aws_wafv2_web_acl"))[0] as { rule: { name: string; statement: Record<string, Record<string, unknown>> }[] };
    expect(acl.rule.map((rule) => rule.name)).toEqual(["rate-limit-per-ip", "AWSManagedRulesSQLiRuleSet"]);
    expect(acl.rule[0].statement.rate_based_statement.limit).toBe(500);
  });

  it.each<[string, LoadBalancerProps["waf"], string]>([
    ["a rate limit below AWS's minimum", { rateLimitPer5Minutes: 5 }, "waf.rateLimitPer5Minutes must be from 10 to 2000000000"],
    ["a log retention CloudWatch does not offer", { logRetentionDays: 10 }, "waf.logRetentionDays must be one of 1, 3, 5"],
    ["no rule groups", { managedRuleGroups: [] }, "waf.managedRuleGroups must list at least one rule group"],
    ["a group that is not an AWS managed one", { managedRuleGroups: ["MyRules"] }, 'waf.managedRuleGroups entry "MyRules" is not an AWS managed rule group (names are exact, case included). Allowed: AWSManagedRulesCommonRuleSet,'],
    ["a managed group name in the wrong case", { managedRuleGroups: ["AWSManagedRulesSqliRuleSet"] }, 'waf.managedRuleGroups entry "AWSManagedRulesSqliRuleSet" is not an AWS managed rule group (names are exact, case included); did you mean "AWSManagedRulesSQLiRuleSet"?'],
    ["a managed group that needs a configuration", { managedRuleGroups: ["AWSManagedRulesATPRuleSet"] }, 'waf.managedRuleGroups entry "AWSManagedRulesATPRuleSet" needs a rule group configuration (ManagedRuleGroupConfigs) this project does not write'],
    ["a repeated group", { managedRuleGroups: ["AWSManagedRulesCommonRuleSet", "AWSManagedRulesCommonRuleSet"] }, "waf.managedRuleGroups must not repeat a rule group"],
  ])("rejects %s", (_case, waf, message) => {
    expect(() => synthLb({ waf })).toThrow(message);
  });
});
