import { PolicyRule } from "../rule";
import { referencedResource, resourcesOfType } from "../stack-view";

const SIZES = [
  ["min_size", "min"],
  ["max_size", "max"],
  ["desired_capacity", "desired"],
] as const;

/** A size a scheduled action sets (the provider's -1, or nothing, is "left as it is"). */
function setSize(value: unknown): number | undefined {
  return typeof value === "number" && value >= 0 ? value : undefined;
}

/**
 * SA-018: in production, no scheduled action takes the group below its own minimum, and none
 * sets a size of 0: at its time it would scale the service in past the floor the environment
 * declares (or stop it), with nobody at the keyboard.
 */
export const SA018_PRODUCTION_SCHEDULES_KEEP_FLOOR: PolicyRule = {
  id: "SA-018",
  name: "Production scheduled actions keep the group at or above its minimum",
  rationale: "A scheduled action runs unattended; in production it must not scale the fleet below the floor the environment declares, or to nothing.",
  level: "error",
  productionOnly: true,
  check(stack) {
    if (!stack.production) {
      return [];
    }
    return resourcesOfType(stack, "aws_autoscaling_schedule").flatMap((resource) => {
      const group = referencedResource(stack, resource.values.autoscaling_group_name);
      const floor = typeof group?.values.min_size === "number" ? group.values.min_size : undefined;
      const name = String(resource.values.scheduled_action_name ?? resource.name);
      const below = SIZES.map(([attribute, key]) => ({ attribute, key, value: setSize(resource.values[attribute]) })).filter(
        ({ value }) => value !== undefined && (value === 0 || (floor !== undefined && value < floor)),
      );
      return below.map(({ attribute, key, value }) => ({
        resource,
        message:
          value === 0
            ? `scheduled action "${name}" sets ${attribute} 0 in this production environment: at its time the group may run no instance; set it to at least the group's minimum (config: scheduledActions.${name}.${key})`
            : `scheduled action "${name}" sets ${attribute} ${value}, below the group's minimum ${floor} in this production environment: at its time the fleet shrinks past its declared floor; keep it at ${floor} or more, or lower capacity.min (config: scheduledActions.${name}.${key})`,
      }));
    });
  },
};
