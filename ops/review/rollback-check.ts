/**
 * ROLLED-BACK-IMAGE: a plan that rolls out again an image an instance refresh just rolled
 * back, or leaves the group on a configuration that names it.
 *
 * Why it is needed: the AWS provider moves the group to the new launch template version
 * before it starts the refresh (terraform-provider-aws #34189). After an automatic rollback
 * the state, the config and the group all still name the bad image, so `tofu plan` shows no
 * changes; the next change to the launch template (any field) rolls the bad image out to
 * every instance, and scale-out launches it meanwhile. When the group did go back to the old
 * version (a refresh started in the order AWS intends), the next plan moves it to the bad
 * version again. Either way the user is one `tofu apply` from the bad image: this check says
 * so in the review, names the image and the refresh, and what to set instead.
 */
import type { GroupHistory, RolledBackImage } from "../rollout/rollback-history";
import { envVariableFor } from "../rollout/refresh-report";
import type { PlanJson, ResourceChange } from "./plan";
import type { Flag, ReviewCheck } from "./report";

export const ROLLED_BACK_IMAGE = "ROLLED-BACK-IMAGE";

function first<T>(value: unknown): T | undefined {
  return Array.isArray(value) ? (value[0] as T | undefined) : undefined;
}

/** The launch template resource the group launches from: by id, else the plan's only one. */
function templateOf(plan: PlanJson, group: ResourceChange): ResourceChange | undefined {
  const templates = (plan.resource_changes ?? []).filter((rc) => rc.mode === "managed" && rc.type === "aws_launch_template");
  const spec = first<Record<string, unknown>>(group.change.after?.launch_template) ?? first<Record<string, unknown>>(group.change.before?.launch_template);
  const id = spec?.id;
  return templates.find((t) => id !== undefined && (t.change.after?.id === id || t.change.before?.id === id)) ?? (templates.length === 1 ? templates[0] : undefined);
}

function describe(r: RolledBackImage): string {
  return `instance refresh ${r.refreshId} (${r.status}${r.endTime ? ` at ${r.endTime}` : ""}${r.reason ? `: ${r.reason}` : ""})`;
}

function whatToSet(history: GroupHistory, environment: string, bad: string): string {
  if (!history.previous) {
    return `No earlier image was found in the launch template's versions: set the environment's image to a known good AMI id before applying.`;
  }
  const prev = history.previous.imageId;
  return (
    `Set the image to ${prev}, the one deployed before (${history.previous.source}): in config/environments.ts, environment "${environment}": ` +
    `image: { kind: "ami", amiId: "${prev}" }, or for one run ${envVariableFor(environment)}=${prev}; then review again. ` +
    `Only apply ${bad} again if it has been fixed and you mean to retry it.`
  );
}

/**
 * The check for `EXTRA_CHECKS`-style use, closed over the groups' histories read from AWS
 * (see ops/review/main.ts). Groups the plan creates have no history and are skipped.
 */
export function rolledBackImageCheck(histories: readonly GroupHistory[], environment: string): ReviewCheck {
  return (plan: PlanJson): Flag[] => {
    const flags: Flag[] = [];
    const groups = (plan.resource_changes ?? []).filter((rc) => rc.mode === "managed" && rc.type === "aws_autoscaling_group");
    for (const group of groups) {
      const name = (group.change.before?.name ?? group.change.after?.name) as string | undefined;
      const history = histories.find((h) => h.groupName === name);
      if (!history || history.rolledBack.length === 0 || group.change.actions.includes("delete") && !group.change.actions.includes("create")) continue;
      const template = templateOf(plan, group);
      const imageUnknown = (template?.change.after_unknown as Record<string, unknown> | undefined)?.image_id === true;
      const planned = (template?.change.after?.image_id ?? template?.change.before?.image_id) as string | undefined;
      const versionBefore = first<Record<string, unknown>>(group.change.before?.launch_template)?.version as string | undefined;
      const versionAfter = first<Record<string, unknown>>(group.change.after?.launch_template)?.version as string | undefined;
      const afterUnknown = first<Record<string, unknown>>((group.change.after_unknown as Record<string, unknown> | undefined)?.launch_template)?.version === true;
      // The provider starts an instance refresh when the group's launch template changes.
      const rollsOut = afterUnknown || (versionAfter !== undefined && versionAfter !== versionBefore);
      const newest = history.rolledBack[0];
      if (imageUnknown || planned === undefined) {
        flags.push({
          id: ROLLED_BACK_IMAGE,
          severity: "disruptive",
          address: group.address,
          message:
            `${describe(newest)} rolled ${newest.imageId} back, and the image this plan gives the launch template is not known until apply, so the review cannot tell whether it is ${newest.imageId} again. ` +
            whatToSet(history, environment, newest.imageId),
        });
        continue;
      }
      const hit = history.rolledBack.find((r) => r.imageId === planned);
      if (!hit) {
        const groupNamesBad = history.rolledBack.find((r) => r.imageId === history.group.imageId);
        if (groupNamesBad && rollsOut) {
          flags.push({
            id: ROLLED_BACK_IMAGE,
            severity: "info",
            address: group.address,
            message: `This plan replaces ${groupNamesBad.imageId}, rolled back by ${describe(groupNamesBad)}, with ${planned}: an instance refresh rolls ${planned} out.`,
          });
        }
        continue;
      }
      const fleet = Object.entries(history.instancesByVersion)
        .sort(([a], [b]) => Number(a) - Number(b))
        .map(([version, count]) => `${count} on version ${version}`)
        .join(", ");
      const groupNow = `The group names launch template version ${history.group.version ?? "?"}${history.group.imageId ? ` (${history.group.imageId})` : ""}; instances: ${fleet || "none"}.`;
      const message = rollsOut
        ? `This plan rolls ${planned} out again: ${describe(hit)} rolled that image back. ` +
          `The launch template's image is ${planned} and the group moves from launch template version ${versionBefore ?? "?"} to ${afterUnknown ? "a new version" : versionAfter}, which starts an instance refresh that replaces every instance. ${groupNow} `
        : `No instance is replaced by this plan, but the configuration still names ${planned}, the image ${describe(hit)} rolled back. ${groupNow} ` +
          (history.group.imageId === planned
            ? `Instances the group launches (scale-out, replacing an unhealthy one) run ${planned}, and the next change to the launch template, of any field, rolls it out to every instance. `
            : `The next change to the group's launch template rolls ${planned} out again. `);
      flags.push({ id: ROLLED_BACK_IMAGE, severity: "disruptive", address: group.address, message: message + whatToSet(history, environment, planned) });
    }
    return flags;
  };
}
