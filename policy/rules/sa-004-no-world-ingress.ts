import { PolicyRule, Violation } from "../rule";
import { isWorld, securityGroupRules } from "../security-group-rules";
import { isTrue, refersTo, resourcesOfType } from "../stack-view";

const LISTENER_PORTS = new Set([80, 443]);

/**
 * SA-004: the only ingress open to the internet is an internet-facing load balancer's
 * HTTP/HTTPS listener ports. Everything else is reached by security group reference.
 */
export const SA004_NO_WORLD_INGRESS: PolicyRule = {
  id: "SA-004",
  name: "No world-open ingress except the ALB's 80/443",
  rationale: "Anything reachable from 0.0.0.0/0 or ::/0 is scanned within minutes; only the public listeners need to be.",
  level: "error",
  check(stack) {
    const publicLoadBalancers = resourcesOfType(stack, "aws_lb", "aws_alb").filter((lb) => !isTrue(lb.values.internal));
    const violations: Violation[] = [];
    for (const rule of securityGroupRules(stack)) {
      const open = rule.cidrs.filter(isWorld);
      if (rule.direction !== "ingress" || open.length === 0) {
        continue;
      }
      const group = stack.resources.find((resource) => refersTo(rule.securityGroup, resource));
      const onPublicLoadBalancer = group !== undefined && publicLoadBalancers.some((lb) => refersTo(lb.values.security_groups, group));
      const listenerPort = rule.protocol === "tcp" && rule.fromPort === rule.toPort && LISTENER_PORTS.has(rule.fromPort);
      if (!(onPublicLoadBalancer && listenerPort)) {
        const ports = rule.protocol === "-1" ? "all traffic" : `${rule.protocol} ${rule.fromPort}-${rule.toPort}`;
        violations.push({
          resource: rule.resource,
          message: `ingress of ${ports} from ${open.join(", ")}: only an internet-facing load balancer's security group may be open to the world, on 80 or 443`,
        });
      }
    }
    return violations;
  },
};
