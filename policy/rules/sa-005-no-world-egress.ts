import { PolicyRule } from "../rule";
import { isWorld, securityGroupRules } from "../security-group-rules";

/**
 * SA-005: no security group sends all traffic to the internet. Covers the
 * `aws_vpc_security_group_egress_rule` form, which checkov lets through.
 */
export const SA005_NO_WORLD_EGRESS: PolicyRule = {
  id: "SA-005",
  name: "No all-traffic egress to the world",
  rationale: "Unrestricted egress is how a compromised host exfiltrates data and fetches tools; name the ports it needs.",
  level: "error",
  check(stack) {
    return securityGroupRules(stack)
      .filter((rule) => rule.direction === "egress" && rule.protocol === "-1" && rule.cidrs.some(isWorld))
      .map((rule) => ({
        resource: rule.resource,
        message: `egress of all traffic to ${rule.cidrs.filter(isWorld).join(", ")}: allow only the protocols and ports needed (e.g. tcp 443)`,
      }));
  },
};
