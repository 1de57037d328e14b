/**
 * Pure formatting and judgement for `npm run rollout`: how an instance refresh is shown
 * (a progress bar on a terminal, plain lines otherwise), what its end means for the exit
 * code, and what to do after a rollback.
 */
import { EXIT as SHARED_EXIT } from "../shared/exit-codes";

/** The fields of DescribeInstanceRefreshes the tool shows. */
export interface RefreshView {
  readonly id: string;
  readonly status: string;
  readonly percentageComplete: number;
  readonly instancesToUpdate: number;
  readonly statusReason?: string;
  readonly startTime: Date;
  readonly endTime?: Date;
  readonly rollback?: {
    readonly reason?: string;
    readonly startTime?: Date;
    readonly percentageCompleteOnRollback?: number;
    readonly instancesToUpdateOnRollback?: number;
  };
}

export const ACTIVE_STATUSES = ["Pending", "InProgress", "Cancelling", "RollbackInProgress", "Baking"] as const;
/** What cancel and rollback act on (a rollback can be neither cancelled nor rolled back). */
export const FORWARD_STATUSES = ["Pending", "InProgress"] as const;

export type Outcome = "running" | "successful" | "unsuccessful";

export function outcomeOf(status: string): Outcome {
  if ((ACTIVE_STATUSES as readonly string[]).includes(status)) {
    return "running";
  }
  return status === "Successful" ? "successful" : "unsuccessful";
}

/** Exit codes of `rollout watch --wait`. */
/** The exit-code table of every command (ops/shared/exit-codes.ts), with rollout's older names. */
export const EXIT = { ...SHARED_EXIT, successful: SHARED_EXIT.done, unsuccessful: SHARED_EXIT.error, timeout: SHARED_EXIT.timedOut } as const;

export function formatElapsed(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  return h > 0 ? `${h}h${String(m).padStart(2, "0")}m${String(rest).padStart(2, "0")}s` : m > 0 ? `${m}m${String(rest).padStart(2, "0")}s` : `${rest}s`;
}

function elapsedOf(view: RefreshView, now: Date): string {
  return formatElapsed(((view.endTime ?? now).getTime() - view.startTime.getTime()) / 1000);
}

/** One plain line (CI logs): every field, no control characters. */
export function formatLine(view: RefreshView, now: Date): string {
  const parts = [
    `status=${view.status}`,
    `complete=${view.percentageComplete}%`,
    `to_update=${view.instancesToUpdate}`,
    `elapsed=${elapsedOf(view, now)}`,
  ];
  if (view.statusReason) {
    parts.push(`reason=${JSON.stringify(view.statusReason)}`);
  }
  return `${now.toISOString()} refresh ${view.id} ${parts.join(" ")}`;
}

/** A progress bar line for a terminal, at most `columns` wide. */
export function formatBar(view: RefreshView, now: Date, columns = 100): string {
  const width = 24;
  const filled = Math.round((Math.min(100, Math.max(0, view.percentageComplete)) / 100) * width);
  const bar = `[${"#".repeat(filled)}${"-".repeat(width - filled)}]`;
  const head = `${bar} ${String(view.percentageComplete).padStart(3)}% ${view.status} · ${view.instancesToUpdate} to update · ${elapsedOf(view, now)}`;
  const line = view.statusReason ? `${head} · ${view.statusReason}` : head;
  return line.length > columns ? `${line.slice(0, Math.max(0, columns - 1))}…` : line;
}

/** The line that ends a watch, naming the outcome and the reason. */
export function formatEnd(view: RefreshView): string {
  const reason = view.statusReason ? `: ${view.statusReason}` : "";
  switch (outcomeOf(view.status)) {
    case "successful":
      return `Instance refresh ${view.id} Successful.`;
    case "running":
      return `Instance refresh ${view.id} is still ${view.status}${reason}`;
    default:
      return `Instance refresh ${view.id} ended ${view.status}${reason}`;
  }
}

/** What is known after a refresh that did not succeed, to say what to set. */
export interface RollbackFacts {
  readonly environment: string;
  readonly stackId: string;
  readonly status: string;
  /** Launch template version and image the refresh was deploying. */
  readonly target: { readonly version: string; readonly imageId?: string };
  /** Version and image the group names now. */
  readonly group: { readonly version: string; readonly imageId?: string };
  /** Instances per launch template version. */
  readonly instancesByVersion: Readonly<Record<string, number>>;
  /** The image before the target one, and where it was found. */
  readonly previous?: { readonly imageId: string; readonly source: string };
  /** `image.kind` of the environment's config. */
  readonly imageKind: "ami" | "packer-manifest" | "lookup" | "promoted";
}

export function envVariableFor(environment: string): string {
  return `SAMPLE_APP_IMAGE_ID_${environment.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
}

/**
 * What happened to the fleet and exactly what to set. Not a success path: the target
 * image is bad, and tofu must not be left one apply away from deploying it again.
 */
export function rollbackAdvice(facts: RollbackFacts): string[] {
  const { target, group } = facts;
  const bad = target.imageId ?? `the image of launch template version ${target.version}`;
  const fleet = Object.entries(facts.instancesByVersion)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([version, count]) => `${count} on version ${version}`)
    .join(", ");
  const lines: string[] = [];
  const rolledBack = facts.status === "RollbackSuccessful" || facts.status === "RollbackFailed";
  if (rolledBack && group.version === target.version) {
    lines.push(
      `The rollback did NOT restore the previous image. The provider moved the group to launch template version ${target.version} (${bad}) before it started the refresh (terraform-provider-aws issue #34189), so "the configuration before the refresh" was already the new one.`,
      `The group still launches ${bad}; instances: ${fleet || "none"}. tofu plan shows no changes: state, config and group all name ${bad}.`,
    );
  } else if (rolledBack) {
    lines.push(
      `The group is back on launch template version ${group.version}${group.imageId ? ` (${group.imageId})` : ""}; instances: ${fleet || "none"}.`,
      `But the state and the config still name ${bad} (version ${target.version}): the next tofu apply moves the group to version ${target.version} again and rolls ${bad} out again.`,
    );
  } else {
    lines.push(`The group names launch template version ${group.version}${group.imageId ? ` (${group.imageId})` : ""}; instances: ${fleet || "none"}.`);
  }
  if (!facts.previous) {
    lines.push(
      `No earlier image was found (no older launch template version with another image, and none before ${bad} in packer/manifest.json). Set the environment's image to a known good AMI id before the next apply.`,
    );
    return lines;
  }
  const prev = facts.previous.imageId;
  lines.push(
    `To roll back for real, deploy the previous image ${prev} (from ${facts.previous.source}):`,
    `  in config/environments.ts, environment "${facts.environment}": image: { kind: "ami", amiId: "${prev}" }`,
    `  or for one run: ${envVariableFor(facts.environment)}=${prev} npm run synth`,
    `  then in cdktf.out/stacks/${facts.stackId}: tofu plan (the launch template gets a new version with ${prev}, the group moves to it) and tofu apply.`,
  );
  if (facts.imageKind === "lookup") {
    lines.push(`  The environment looks its image up by name: the newest match is still ${bad}, so pin the id as above (or deregister ${bad}).`);
  } else if (facts.imageKind === "promoted") {
    lines.push(`  The environment deploys the newest image promoted to it, still ${bad}: pin the id as above, or promote ${prev} again.`);
  } else if (facts.imageKind === "packer-manifest") {
    lines.push(`  The environment takes the newest build from packer/manifest.json, which is still ${bad}: pin the id as above, or revert the manifest commit that added it.`);
  }
  return lines;
}
