import { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { Wafv2WebAcl } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { Wafv2WebAclLoggingConfiguration } from "@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration";
import { Wafv2WebAclAssociation } from "@cdktf/provider-aws/lib/wafv2-web-acl-association";
import { LOG_RETENTION_DAYS } from "../network/vpc-flow-log";
import { Problems, checkEach, checkInteger, optional, throwIfProblems } from "../core/checks";
import { closest } from "../core/suggest";

export interface LoadBalancerWebAclProps {
  /** Name of the web ACL and prefix of its metric names. */
  readonly name: string;
  /** ARN of the load balancer to protect. */
  readonly loadBalancerArn: string;
  /**
   * Requests one client IP may send in any 5-minute window before it is blocked, 10 to 2,000,000,000.
   * @default 2000
   */
  readonly rateLimitPer5Minutes?: number;
  /**
   * AWS managed rule groups, evaluated in this order, each blocking what it matches.
   * @default ["AWSManagedRulesAmazonIpReputationList", "AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet"]
   */
  readonly managedRuleGroups?: string[];
  /**
   * Days the log group of blocked and counted requests keeps them (a CloudWatch Logs retention period).
   * @default 365
   */
  readonly logRetentionDays?: number;
}

export const WEB_ACL_DEFAULTS = {
  rateLimitPer5Minutes: 2000,
  logRetentionDays: 365,
  managedRuleGroups: ["AWSManagedRulesAmazonIpReputationList", "AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet"],
} as const;

/**
 * The AWS managed rule groups (vendor AWS) a web ACL can reference without further
 * configuration, from the AWS WAF Developer Guide's "AWS Managed Rules rule groups list"
 * (baseline, use-case, IP reputation, Bot Control). WAF matches names exactly, case included.
 */
export const AWS_MANAGED_RULE_GROUPS = [
  "AWSManagedRulesCommonRuleSet",
  "AWSManagedRulesAdminProtectionRuleSet",
  "AWSManagedRulesKnownBadInputsRuleSet",
  "AWSManagedRulesSQLiRuleSet",
  "AWSManagedRulesLinuxRuleSet",
  "AWSManagedRulesUnixRuleSet",
  "AWSManagedRulesWindowsRuleSet",
  "AWSManagedRulesPHPRuleSet",
  "AWSManagedRulesWordPressRuleSet",
  "AWSManagedRulesAmazonIpReputationList",
  "AWSManagedRulesAnonymousIpList",
  "AWSManagedRulesBotControlRuleSet",
] as const;

/** Managed rule groups that exist but need a ManagedRuleGroupConfig (login or sign-up paths, challenge settings) this module does not pass. */
const CONFIGURED_RULE_GROUPS = ["AWSManagedRulesATPRuleSet", "AWSManagedRulesACFPRuleSet", "AWSManagedRulesAntiDDoSRuleSet"];

function checkManagedRuleGroup(group: string): string | undefined {
  if ((AWS_MANAGED_RULE_GROUPS as readonly string[]).includes(group)) {
    return undefined;
  }
  if (CONFIGURED_RULE_GROUPS.includes(group)) {
    return "needs a rule group configuration (ManagedRuleGroupConfigs) this project does not write; add it to modules/load-balancer/load-balancer-web-acl.ts first";
  }
  const match = closest(group, [...AWS_MANAGED_RULE_GROUPS, ...CONFIGURED_RULE_GROUPS]);
  return `is not an AWS managed rule group (names are exact, case included)${match ? `; did you mean "${match}"?` : "."} Allowed: ${AWS_MANAGED_RULE_GROUPS.join(", ")}`;
}

/** Every rule of {@link LoadBalancerWebAclProps}'s optional parts, by prop. */
export function checkLoadBalancerWebAclProps(props: Partial<LoadBalancerWebAclProps>): Problems {
  return {
    rateLimitPer5Minutes: optional(props.rateLimitPer5Minutes, (limit) => checkInteger(limit, 10, 2_000_000_000)),
    logRetentionDays: optional(props.logRetentionDays, (days) =>
      (LOG_RETENTION_DAYS as readonly number[]).includes(days) ? undefined : `must be one of ${LOG_RETENTION_DAYS.join(", ")} (CloudWatch Logs retention periods)`,
    ),
    managedRuleGroups: optional(props.managedRuleGroups, (groups) =>
      groups.length === 0
        ? "must list at least one rule group (leave waf out to have no web ACL)"
        : (checkEach(groups, checkManagedRuleGroup) ??
          (new Set(groups).size === groups.length ? undefined : "must not repeat a rule group")),
    ),
  };
}

/**
 * A regional WAFv2 web ACL in front of a load balancer: AWS managed rule groups
 * (IP reputation, common exploits, known bad inputs such as Log4Shell) and a per-IP
 * rate limit, with CloudWatch metrics and sampled requests for each rule, and the
 * requests it blocks or counts logged to a CloudWatch Logs group (`aws-waf-logs-<name>`).
 */
export class LoadBalancerWebAcl extends Construct {
  public readonly webAclArn: string;

  constructor(scope: Construct, id: string, props: LoadBalancerWebAclProps) {
    super(scope, id);
    throwIfProblems(`LoadBalancerWebAcl ${this.node.path}`, checkLoadBalancerWebAclProps(props));
    const groups = props.managedRuleGroups ?? [...WEB_ACL_DEFAULTS.managedRuleGroups];
    const metric = (name: string) => ({ cloudwatchMetricsEnabled: true, metricName: name, sampledRequestsEnabled: true });

    const webAcl = new Wafv2WebAcl(this, "web-acl", {
      name: props.name,
      description: `Managed rule groups and a rate limit for ${props.name}`,
      scope: "REGIONAL",
      defaultAction: { allow: {} },
      rule: [
        // The rate limit goes first, so a flood is cut before the managed groups spend capacity on it.
        {
          name: "rate-limit-per-ip",
          priority: 0,
          action: { block: {} },
          statement: { rate_based_statement: { limit: props.rateLimitPer5Minutes ?? WEB_ACL_DEFAULTS.rateLimitPer5Minutes, aggregate_key_type: "IP" } },
          visibilityConfig: metric(`${props.name}-rate-limit`),
        },
        ...groups.map((group, index) => ({
          name: group,
          priority: index + 1,
          overrideAction: { none: {} },
          statement: { managed_rule_group_statement: { name: group, vendor_name: "AWS" } },
          visibilityConfig: metric(`${props.name}-${group}`),
        })),
      ],
      visibilityConfig: metric(props.name),
      tags: { Name: props.name },
    });
    this.webAclArn = webAcl.arn;
    new Wafv2WebAclAssociation(this, "association", { resourceArn: props.loadBalancerArn, webAclArn: webAcl.arn });

    // WAF only delivers to log groups whose name starts with "aws-waf-logs-".
    const logGroup = new CloudwatchLogGroup(this, "log-group", {
      name: `aws-waf-logs-${props.name}`,
      retentionInDays: props.logRetentionDays ?? WEB_ACL_DEFAULTS.logRetentionDays,
    });
    new Wafv2WebAclLoggingConfiguration(this, "logging", {
      resourceArn: webAcl.arn,
      logDestinationConfigs: [logGroup.arn],
      // Allowed requests are in the ALB access logs already; keep what WAF acted on.
      loggingFilter: {
        defaultBehavior: "DROP",
        filter: [
          { behavior: "KEEP", requirement: "MEETS_ANY", condition: [{ actionCondition: { action: "BLOCK" } }, { actionCondition: { action: "COUNT" } }] },
        ],
      },
    });
  }
}
