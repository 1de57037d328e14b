import { PolicyRule, Violation } from "../rule";
import { blocks, refersTo, resourcesOfType } from "../stack-view";

/** SA-014: every VPC's default security group is managed, with no rules. */
export const SA014_DEFAULT_SECURITY_GROUP: PolicyRule = {
  id: "SA-014",
  name: "Default security group without rules",
  rationale: "AWS's default group lets its members talk freely and out to anywhere; anything launched without a group would get it.",
  level: "error",
  check(stack) {
    const defaults = resourcesOfType(stack, "aws_default_security_group");
    const violations: Violation[] = [];
    for (const vpc of resourcesOfType(stack, "aws_vpc")) {
      const managed = defaults.filter((group) => refersTo(group.values.vpc_id, vpc));
      if (managed.length === 0) {
        violations.push({ resource: vpc, message: "the VPC's default security group keeps AWS's rules; manage it with an aws_default_security_group without rules" });
      }
    }
    for (const group of defaults) {
      if (blocks(group.values.ingress).length > 0 || blocks(group.values.egress).length > 0) {
        violations.push({ resource: group, message: "the default security group must have no ingress and no egress rules" });
      }
    }
    return violations;
  },
};
