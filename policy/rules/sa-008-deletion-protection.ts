import { PolicyRule } from "../rule";
import { isTrue, resourcesOfType } from "../stack-view";

/** SA-008: production load balancers cannot be deleted by a stray apply. */
export const SA008_DELETION_PROTECTION: PolicyRule = {
  id: "SA-008",
  name: "Deletion protection in production",
  rationale: "A destroy or a replacement in a reviewed-too-quickly plan takes the service's front door down.",
  level: "error",
  productionOnly: true,
  check(stack) {
    if (!stack.production) {
      return [];
    }
    return resourcesOfType(stack, "aws_lb", "aws_alb")
      .filter((lb) => !isTrue(lb.values.enable_deletion_protection))
      .map((resource) => ({ resource, message: "enable_deletion_protection must be true in production" }));
  },
};
