import { PolicyRule, Violation } from "../rule";
import { ResourceView, StackView, blocks, referencedResource, resourcesOfType } from "../stack-view";

const TERMINATING = "autoscaling:EC2_INSTANCE_TERMINATING";
/** AWS's defaults when the attributes are not set. */
const DEFAULT_HEARTBEAT_SECONDS = 3600;
const DEFAULT_DEREGISTRATION_DELAY_SECONDS = 300;

/** A literal number of seconds (Terraform JSON may hold "30"); undefined for a reference or an expression. */
function seconds(value: unknown, fallback: number): number | undefined {
  if (value === undefined || value === null) return fallback;
  const n = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
  return typeof n === "number" && Number.isFinite(n) ? n : undefined;
}

/** The longest deregistration delay of the target groups the group registers into (known ones only). */
function longestDelay(stack: StackView, group: ResourceView): { delay: number; targetGroup: ResourceView } | undefined {
  const arns = Array.isArray(group.values.target_group_arns) ? group.values.target_group_arns : [];
  let longest: { delay: number; targetGroup: ResourceView } | undefined;
  for (const arn of arns) {
    const targetGroup = referencedResource(stack, arn);
    if (targetGroup?.type !== "aws_lb_target_group" && targetGroup?.type !== "aws_alb_target_group") continue;
    const delay = seconds(targetGroup.values.deregistration_delay, DEFAULT_DEREGISTRATION_DELAY_SECONDS);
    if (delay !== undefined && (longest === undefined || delay > longest.delay)) longest = { delay, targetGroup };
  }
  return longest;
}

/**
 * SA-019: a group's terminating lifecycle hook holds an instance at least as long as the load
 * balancer drains it; a shorter hook shuts the instance down while requests are still in flight.
 */
export const SA019_TERMINATING_HOOK_OUTLASTS_DRAIN: PolicyRule = {
  id: "SA-019",
  name: "A terminating lifecycle hook outlasts the target group's deregistration delay",
  rationale: "The hook is there to let the app drain; one shorter than the load balancer's drain ends the wait before the drain does.",
  level: "error",
  check(stack) {
    const groups = resourcesOfType(stack, "aws_autoscaling_group");
    const hooks: { resource: ResourceView; group: ResourceView | undefined; timeout: unknown; what: string }[] = [
      ...resourcesOfType(stack, "aws_autoscaling_lifecycle_hook")
        .filter((hook) => hook.values.lifecycle_transition === TERMINATING)
        .map((hook) => ({ resource: hook, group: referencedResource(stack, hook.values.autoscaling_group_name), timeout: hook.values.heartbeat_timeout, what: "its heartbeat_timeout" })),
      ...groups.flatMap((group) =>
        blocks(group.values.initial_lifecycle_hook)
          .filter((hook) => hook.lifecycle_transition === TERMINATING)
          .map((hook) => ({ resource: group, group, timeout: hook.heartbeat_timeout, what: `the heartbeat_timeout of its initial hook ${String(hook.name)}` })),
      ),
    ];
    return hooks.flatMap(({ resource, group, timeout, what }): Violation[] => {
      const held = seconds(timeout, DEFAULT_HEARTBEAT_SECONDS);
      const drain = group === undefined ? undefined : longestDelay(stack, group);
      if (held === undefined || drain === undefined || held >= drain.delay) return [];
      return [
        {
          resource,
          message: `the terminating hook holds instances ${held} s (${what}), less than the ${drain.delay} s deregistration delay of ${drain.targetGroup.address}: instances shut down mid-drain; raise it to at least ${drain.delay} s (config: lifecycleHooks.terminating.heartbeatTimeoutSeconds, or leave it unset to derive it)`,
        },
      ];
    });
  },
};
