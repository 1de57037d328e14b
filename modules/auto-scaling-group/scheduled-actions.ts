import { Construct } from "constructs";
import { AutoscalingSchedule } from "@cdktf/provider-aws/lib/autoscaling-schedule";
import { Problem, Problems, checkInteger, isUnresolved, nested, optional, throwIfProblems } from "../core/checks";

/**
 * One scheduled action: at the times a cron expression gives (in a time zone), set the group's
 * minimum, maximum and/or desired size. AWS's PutScheduledUpdateGroupAction.
 */
export interface ScheduledActionProps {
  /**
   * When the action runs: a Unix cron expression of five fields (minute hour day-of-month
   * month day-of-week), e.g. `"0 8 * * 1-5"` for 08:00 on weekdays.
   */
  readonly recurrence: string;
  /**
   * IANA time zone the cron expression is read in, e.g. `"Europe/Berlin"` (daylight saving
   * time followed).
   * @default "Etc/UTC" (AWS's default)
   */
  readonly timeZone?: string;
  /**
   * The group's minimum size from then on.
   * @default - left as it is
   */
  readonly minSize?: number;
  /**
   * The group's maximum size from then on.
   * @default - left as it is
   */
  readonly maxSize?: number;
  /**
   * The group's desired size when the action runs (scaling policies may move it afterwards).
   * @default - left as it is
   */
  readonly desiredCapacity?: number;
  /**
   * First time the schedule may run, UTC, `YYYY-MM-DDThh:mm:ssZ`; must be in the future when applied.
   * @default - the next time the cron expression matches
   */
  readonly startTime?: string;
  /**
   * Last time the schedule may run, UTC, `YYYY-MM-DDThh:mm:ssZ`; after `startTime`.
   * @default - no end
   */
  readonly endTime?: string;
}

export interface ScheduledScalingActionsProps {
  /** Name of the group the actions resize (a token from the group). */
  readonly autoScalingGroupName: string;
  /**
   * The actions, keyed by their name (the scheduled action's name and the key of its
   * Terraform address, so adding or removing one never moves another).
   */
  readonly actions: Readonly<Record<string, ScheduledActionProps>>;
}

/** AWS's default time zone of a recurrence. */
export const DEFAULT_SCHEDULE_TIME_ZONE = "Etc/UTC";

/** The provider's "not set" for a size of a scheduled action (0 would be sent as 0). */
const UNSET_SIZE = -1;

const CRON_FIELDS = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"] },
  { name: "day of week", min: 0, max: 6, names: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"] },
] as const;

/** One cron field: `*`, numbers, names, ranges `a-b`, steps `/n`, lists `a,b`; `undefined` when valid. */
function checkCronField(text: string, spec: (typeof CRON_FIELDS)[number]): string | undefined {
  const names: readonly string[] = "names" in spec ? spec.names : [];
  const value = (token: string): number | undefined => {
    if (/^\d+$/.test(token)) {
      const n = Number(token);
      return n >= spec.min && n <= spec.max ? n : undefined;
    }
    const index = names.indexOf(token.toUpperCase());
    return index < 0 ? undefined : index + spec.min;
  };
  const allowed = `${spec.min}-${spec.max}${names.length > 0 ? ` or ${names[0]}-${names[names.length - 1]}` : ""}`;
  for (const part of text.split(",")) {
    const match = /^([^/]+)(?:\/(\d+))?$/.exec(part);
    if (!match) {
      return `${spec.name} ${JSON.stringify(part)} is not a cron value (${allowed}, *, a-b, */n, lists with ,)`;
    }
    const [, range, step] = match;
    if (step !== undefined && (Number(step) < 1 || Number(step) > spec.max)) {
      return `${spec.name} step /${step} must be from 1 to ${spec.max}`;
    }
    if (range === "*") {
      continue;
    }
    const bounds = range.split("-");
    const numbers = bounds.map(value);
    if (bounds.length > 2 || numbers.some((n) => n === undefined)) {
      return `${spec.name} ${JSON.stringify(part)} is out of range (${allowed})`;
    }
    if (numbers.length === 2 && numbers[0]! > numbers[1]!) {
      return `${spec.name} range ${JSON.stringify(range)} must go from low to high`;
    }
  }
  return undefined;
}

/** A Unix cron expression of five fields with values in range, as EC2 Auto Scaling takes it. */
export function checkRecurrence(value: string): Problem {
  if (isUnresolved(value)) {
    return undefined;
  }
  if (typeof value !== "string") {
    return "must be a cron expression of five fields, e.g. \"0 8 * * 1-5\"";
  }
  const fields = value.trim().split(/\s+/);
  if (fields.length !== CRON_FIELDS.length || value.trim() === "") {
    return `must be a cron expression of five fields (minute hour day-of-month month day-of-week), e.g. "0 8 * * 1-5"; ${JSON.stringify(value)} has ${value.trim() === "" ? 0 : fields.length}`;
  }
  for (const [index, text] of fields.entries()) {
    const problem = checkCronField(text, CRON_FIELDS[index]);
    if (problem) {
      return `must be a valid cron expression: ${problem}`;
    }
  }
  return undefined;
}

/** An IANA time zone name (as Intl knows them, exact case), e.g. "Europe/Berlin" or "Etc/UTC". */
export function checkTimeZone(value: string): Problem {
  if (isUnresolved(value)) {
    return undefined;
  }
  const example = 'an IANA time zone name like "Europe/Berlin", "America/New_York" or "Etc/UTC"';
  // Names only: Intl also takes offsets such as "+01:00", which AWS does not.
  if (typeof value !== "string" || !/^[A-Za-z]+(?:[/_+-][A-Za-z0-9_+-]+)*$/.test(value)) {
    return `must be ${example}, not ${JSON.stringify(value)}`;
  }
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat("en-US", { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return `must be ${example}; ${JSON.stringify(value)} is not in the time zone database`;
  }
  // Intl ignores case ("europe/berlin"); AWS does not.
  if (resolved !== value && resolved.toLowerCase() === value.toLowerCase()) {
    return `must be spelled exactly as the time zone database does: ${JSON.stringify(resolved)}, not ${JSON.stringify(value)}`;
  }
  return undefined;
}

const SCHEDULE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;

/** A UTC timestamp `YYYY-MM-DDThh:mm:ssZ` that exists in the calendar. */
export function checkScheduleTime(value: string): Problem {
  if (isUnresolved(value)) {
    return undefined;
  }
  const match = typeof value === "string" ? SCHEDULE_TIME.exec(value) : null;
  const date = match ? new Date(value) : undefined;
  const real = date !== undefined && !Number.isNaN(date.getTime()) && date.toISOString().replace(".000Z", "Z") === value;
  return real ? undefined : `must be a UTC time like "2027-01-31T08:00:00Z" (YYYY-MM-DDThh:mm:ssZ), not ${JSON.stringify(value)}`;
}

/**
 * A scheduled action's name (AWS allows 1 to 255 characters): here letters, digits, "_" and
 * "-", so that it is also a plain construct id, Terraform address key and config path segment.
 */
export function checkScheduledActionName(name: string): Problem {
  return /^[A-Za-z0-9][A-Za-z0-9_-]{0,254}$/.test(name)
    ? undefined
    : `must be a name of 1 to 255 letters, digits, "_" or "-", starting with a letter or digit, not ${JSON.stringify(name)}`;
}

/** What the sizes are called where the rules are reported (props here; the environment config says min, max, desired). */
export interface SizeTerms {
  readonly minSize: string;
  readonly maxSize: string;
  readonly desiredCapacity: string;
}
export const PROP_SIZE_TERMS: SizeTerms = { minSize: "minSize", maxSize: "maxSize", desiredCapacity: "desiredCapacity" };

/** Every rule of one {@link ScheduledActionProps}, by prop (messages name the sizes with `terms`). */
export function checkScheduledAction(action: ScheduledActionProps, terms: SizeTerms = PROP_SIZE_TERMS): Problems {
  const sizes = { minSize: action.minSize, maxSize: action.maxSize, desiredCapacity: action.desiredCapacity };
  const problems: Problems = {
    recurrence: checkRecurrence(action.recurrence),
    timeZone: optional(action.timeZone, checkTimeZone),
    minSize: optional(sizes.minSize, (n) => checkInteger(n, 0, 10000)),
    maxSize: optional(sizes.maxSize, (n) => checkInteger(n, 0, 10000)),
    desiredCapacity: optional(sizes.desiredCapacity, (n) => checkInteger(n, 0, 10000)),
    startTime: optional(action.startTime, checkScheduleTime),
    endTime: optional(action.endTime, checkScheduleTime),
  };
  if (sizes.minSize === undefined && sizes.maxSize === undefined && sizes.desiredCapacity === undefined) {
    problems.desiredCapacity = `or ${terms.minSize} or ${terms.maxSize} must be set: a scheduled action that sets no size does nothing (AWS refuses it)`;
  }
  const known = (n: number | undefined): n is number => n !== undefined && !isUnresolved(n);
  const { minSize: min, maxSize: max, desiredCapacity: desired } = sizes;
  if (known(min) && known(max) && !problems.minSize && !problems.maxSize && min > max) {
    problems.minSize = `must not be greater than ${terms.maxSize} (${max})`;
  }
  if (known(desired) && !problems.desiredCapacity) {
    if (known(min) && !problems.minSize && desired < min) {
      problems.desiredCapacity = `must not be below ${terms.minSize} (${min})`;
    } else if (known(max) && !problems.maxSize && desired > max) {
      problems.desiredCapacity = `must not be above ${terms.maxSize} (${max})`;
    }
  }
  const { startTime: start, endTime: end } = action;
  if (knownText(start) && knownText(end) && !problems.startTime && !problems.endTime && Date.parse(end) <= Date.parse(start)) {
    problems.endTime = `must be after startTime (${start})`;
  }
  return problems;
}

function knownText(value: string | undefined): value is string {
  return value !== undefined && !isUnresolved(value);
}

/** Every rule of a set of scheduled actions, by `<name>.<prop>` (and `""` for the set itself). */
export function checkScheduledActions(actions: Readonly<Record<string, ScheduledActionProps>>, terms: SizeTerms = PROP_SIZE_TERMS): Problems {
  if (isUnresolved(actions)) {
    return {};
  }
  if (typeof actions !== "object" || actions === null || Array.isArray(actions)) {
    return { "": "must be an object of scheduled actions keyed by their names" };
  }
  const problems: Problems = {};
  for (const [name, action] of Object.entries(actions)) {
    problems[name] = checkScheduledActionName(name);
    Object.assign(problems, nested(name, checkScheduledAction(action, terms)));
  }
  return problems;
}

/** {@link checkScheduledActions} under `prefix`: `prefix` itself for the set, `prefix.<name>.<prop>` for the rest. */
export function checkScheduledActionsAt(prefix: string, actions: Readonly<Record<string, ScheduledActionProps>>, terms: SizeTerms = PROP_SIZE_TERMS): Problems {
  return Object.fromEntries(Object.entries(checkScheduledActions(actions, terms)).map(([key, problem]) => [key === "" ? prefix : `${prefix}.${key}`, problem]));
}

/**
 * Scheduled scaling of an Auto Scaling group: one `aws_autoscaling_schedule` per named
 * action, each addressed by its name.
 */
export class ScheduledScalingActions extends Construct {
  /** The scheduled actions' names, as given. */
  public readonly actionNames: string[];

  constructor(scope: Construct, id: string, props: ScheduledScalingActionsProps) {
    super(scope, id);
    throwIfProblems(`ScheduledScalingActions ${this.node.path}`, checkScheduledActionsAt("actions", props.actions));
    this.actionNames = Object.keys(props.actions);
    for (const [name, action] of Object.entries(props.actions)) {
      new AutoscalingSchedule(this, name, {
        scheduledActionName: name,
        autoscalingGroupName: props.autoScalingGroupName,
        recurrence: action.recurrence,
        timeZone: action.timeZone ?? DEFAULT_SCHEDULE_TIME_ZONE,
        // The provider reads an unset size back as -1 and sends 0 for a size it was not given: -1 says "leave as is".
        minSize: action.minSize ?? UNSET_SIZE,
        maxSize: action.maxSize ?? UNSET_SIZE,
        desiredCapacity: action.desiredCapacity ?? UNSET_SIZE,
        ...(action.startTime === undefined ? {} : { startTime: action.startTime }),
        ...(action.endTime === undefined ? {} : { endTime: action.endTime }),
      });
    }
  }
}
