import { PolicyRule, Violation } from "../rule";
import { block, blocks, isTrue, refersTo, resourcesOfType } from "../stack-view";

/**
 * SA-007: in production, an internet-facing load balancer serves HTTPS, and its HTTP
 * listener only redirects to HTTPS.
 */
export const SA007_HTTPS_IN_PRODUCTION: PolicyRule = {
  id: "SA-007",
  name: "HTTPS only in production",
  rationale: "Plain HTTP exposes sessions and content to anyone on the path and lets them alter responses.",
  level: "error",
  productionOnly: true,
  check(stack) {
    if (!stack.production) {
      return [];
    }
    const listeners = resourcesOfType(stack, "aws_lb_listener", "aws_alb_listener");
    const violations: Violation[] = [];
    for (const lb of resourcesOfType(stack, "aws_lb", "aws_alb").filter((candidate) => !isTrue(candidate.values.internal))) {
      const own = listeners.filter((listener) => refersTo(listener.values.load_balancer_arn, lb));
      const hasHttps = own.some((listener) => String(listener.values.protocol).toUpperCase() === "HTTPS");
      for (const listener of own.filter((candidate) => String(candidate.values.protocol ?? "HTTP").toUpperCase() === "HTTP")) {
        const actions = blocks(listener.values.default_action);
        const redirectsToHttps =
          actions.length > 0 && actions.every((action) => action.type === "redirect" && block(action.redirect)?.protocol === "HTTPS");
        if (redirectsToHttps) {
          continue;
        }
        violations.push(
          hasHttps
            ? { resource: listener, message: "the HTTP listener must redirect to HTTPS, not serve the app" }
            : {
                resource: listener,
                message: "serves the app over plain HTTP; give the load balancer a certificate so HTTP redirects to HTTPS",
                missingSetting: "certificateArn",
              },
        );
      }
    }
    return violations;
  },
};
