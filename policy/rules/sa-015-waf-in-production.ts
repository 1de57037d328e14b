import { PolicyRule } from "../rule";
import { isTrue, refersTo, resourcesOfType } from "../stack-view";

/** SA-015: production load balancers sit behind a WAF web ACL. */
export const SA015_WAF_IN_PRODUCTION: PolicyRule = {
  id: "SA-015",
  name: "WAF web ACL in production",
  rationale: "Managed rule groups and a rate limit stop known exploits and floods before they reach the instances.",
  level: "warning",
  productionOnly: true,
  check(stack) {
    if (!stack.production) {
      return [];
    }
    const associations = resourcesOfType(stack, "aws_wafv2_web_acl_association");
    return resourcesOfType(stack, "aws_lb", "aws_alb")
      .filter((lb) => !isTrue(lb.values.internal))
      .filter((lb) => !associations.some((association) => refersTo(association.values.resource_arn, lb)))
      .map((resource) => ({ resource, message: "no WAFv2 web ACL is associated with this internet-facing load balancer (config: waf)" }));
  },
};
