import { PolicyRule } from "../rule";
import { resourcesOfType } from "../stack-view";

/** The first element of a block list as Terraform JSON writes it (an object or a one-element list). */
function blockOf(value: unknown): Record<string, unknown> | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first !== null && typeof first === "object" ? (first as Record<string, unknown>) : undefined;
}

/** SA-017: a production group running part of its capacity above the On-Demand base on Spot says so. */
export const SA017_SPOT_IN_PRODUCTION: PolicyRule = {
  id: "SA-017",
  name: "Spot above the On-Demand base in production is stated",
  rationale: "Spot instances are reclaimed at two minutes' notice; a production fleet may run them, but only as a stated choice.",
  level: "warning",
  productionOnly: true,
  check(stack) {
    if (!stack.production) {
      return [];
    }
    return resourcesOfType(stack, "aws_autoscaling_group").flatMap((resource) => {
      const distribution = blockOf(blockOf(resource.values.mixed_instances_policy)?.instances_distribution);
      if (blockOf(resource.values.mixed_instances_policy) === undefined) {
        return [];
      }
      // AWS's default when unset is 100 (all On-Demand); a value known only at plan time may be below it.
      const percentage = distribution?.on_demand_percentage_above_base_capacity ?? 100;
      const base = distribution?.on_demand_base_capacity ?? 0;
      if (typeof percentage === "number" && percentage >= 100) {
        return [];
      }
      const share = typeof percentage === "number" ? `${100 - percentage} %` : "a share known only at plan time";
      return [
        {
          resource,
          message: `${share} of the capacity above the On-Demand base (${String(base)}) runs on Spot in this production environment: those instances can be reclaimed at two minutes' notice (config: mixedInstances.onDemandPercentageAboveBaseCapacity)`,
        },
      ];
    });
  },
};
