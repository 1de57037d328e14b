/**
 * The building blocks of the config schemas: fields with their reference text, typed values, value rules and cross-field rules.
 * Part of config/schema.ts (its public surface).
 */
import * as v from "valibot";
import { Problem, Problems } from "../../modules/core/checks";

/** What docs/configuration.md's reference shows for a field. */
// A type alias, not an interface: valibot's metadata wants an index-signature-compatible record.
export type FieldInfo = {
  /** What the field does, one line. */
  readonly description: string;
  /** What values are allowed, in words. */
  readonly allowed: string;
  /** The default when the field is left out, in words (optional fields only). */
  readonly default?: string;
};

/** Attaches the reference text to a field's schema. */
export function field<S extends v.GenericSchema>(schema: S, info: FieldInfo) {
  return v.pipe(schema, v.metadata(info));
}

export function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "string") return `a string`;
  if (typeof value === "number" && Number.isNaN(value)) return "NaN (the result of a failed conversion, e.g. Number(undefined))";
  if (typeof value === "object") return "an object";
  return typeof value === "number" || typeof value === "boolean" ? `a ${typeof value}` : String(typeof value);
}

export const mustBe = (expected: string) => (issue: v.BaseIssue<unknown>) => `must be ${expected}, not ${describeType(issue.input)}`;

export const text = () => v.string(mustBe("a string"));
export const number = () => v.number(mustBe("a number"));
export const flag = () => v.boolean(mustBe("true or false"));
export const list = <S extends v.GenericSchema>(item: S) => v.array(item, mustBe("a list"));

/** A config-only value rule: `check` returns undefined or what is allowed. Skipped for mistyped values. */
export function rule<T>(check: (value: T) => Problem) {
  return v.rawCheck<T>(({ dataset, addIssue }) => {
    if (dataset.typed) {
      const problem = check(dataset.value);
      if (problem !== undefined) {
        addIssue({ message: problem });
      }
    }
  });
}

/**
 * `schema` plus object-level rules: `check` gets the object with its well-typed fields (a field
 * that already has a problem is left out, so a module's check sees its default
 * instead) and returns problems keyed by dotted path below the object.
 */
export function withRules<S extends v.GenericSchema<unknown, object>>(schema: S, check: (value: Partial<v.InferOutput<S>>) => Problems) {
  type T = v.InferOutput<S>;
  return v.pipe(schema, v.rawCheck<T>(({ dataset, addIssue }) => {
    const value = dataset.value as Record<string, unknown>;
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      return;
    }
    const bad = new Set((dataset.issues ?? []).map((issue) => issue.path?.[0]?.key));
    const clean = Object.fromEntries(Object.entries(value).filter(([key]) => !bad.has(key))) as Partial<T>;
    for (const [path, problem] of Object.entries(check(clean))) {
      const keys = path.split(".");
      if (problem === undefined || bad.has(keys[0])) {
        continue;
      }
      let parent: unknown = value;
      const pathItems = keys.map((key) => {
        const container = (parent ?? {}) as Record<string, unknown>;
        parent = container[key];
        return { type: "object" as const, origin: "value" as const, input: container, key, value: container[key] };
      });
      addIssue({ message: problem, input: pathItems[pathItems.length - 1].value, path: pathItems as unknown as [v.IssuePathItem] });
    }
  }));
}

/**
 * An object that accepts only the listed keys. Unknown keys are reported by
 * {@link unknownKeys} (all of them, with suggestions), not by valibot (first only).
 */
export function strict<E extends v.ObjectEntries>(entries: E) {
  return v.strictObject(entries, (issue) => (issue.expected === "never" ? "unknown field" : `must be an object, not ${describeType(issue.input)}`));
}

/** Keeps only the listed problems, renamed from prop names to config names. */
export function renamed(problems: Problems, names: Record<string, string>): Problems {
  return Object.fromEntries(Object.entries(names).map(([prop, configName]) => [configName, problems[prop]]));
}
