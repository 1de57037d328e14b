/**
 * Checking a configuration against the schemas, and the generated field reference (docs/configuration.md).
 * Part of config/schema.ts (its public surface).
 */
import * as v from "valibot";
import { suggestion } from "../../modules/core/suggest";
import { FieldInfo } from "./fields";
import { ENVIRONMENT_FIELDS, EnvironmentSchema } from "./environment";

// Checking and reporting
// ---------------------------------------------------------------------------------------------

/** One problem with a field: its dotted path, the value found, and what is allowed. */
export interface FieldProblem {
  readonly field: string;
  /** The value found; `undefined` when the field is not set. */
  readonly value: unknown;
  readonly problem: string;
  /** The default in force when the field is not set, if it has one. */
  readonly default?: string;
}

/** Unwraps optional and pipe wrappers down to an object schema's entries, if any. */
function entriesOf(schema: v.GenericSchema | undefined, input: unknown): v.ObjectEntries | undefined {
  let current = schema as (v.GenericSchema & Record<string, unknown>) | undefined;
  while (current && current.type === "optional") {
    current = current.wrapped as typeof current;
  }
  if (!current) {
    return undefined;
  }
  if (current.type === "variant" && input && typeof input === "object") {
    const key = current.key as string;
    const options = current.options as (v.GenericSchema & { entries: v.ObjectEntries })[];
    const option = options.find((candidate) => {
      const discriminator = candidate.entries[key] as unknown as { literal?: unknown };
      return discriminator?.literal === (input as Record<string, unknown>)[key];
    });
    return option?.entries;
  }
  return current.entries as v.ObjectEntries | undefined;
}

/** The item schema of a list schema (through optional and pipe wrappers), if it is one. */
function itemOf(schema: v.GenericSchema | undefined): v.GenericSchema | undefined {
  let current = schema as (v.GenericSchema & Record<string, unknown>) | undefined;
  while (current && current.type === "optional") {
    current = current.wrapped as typeof current;
  }
  return current?.type === "array" ? (current.item as v.GenericSchema) : undefined;
}

/** The value schema of a record schema (through optional and pipe wrappers), if it is one. */
function recordValueOf(schema: v.GenericSchema | undefined): v.GenericSchema | undefined {
  let current = schema as (v.GenericSchema & Record<string, unknown>) | undefined;
  while (current && current.type === "optional") {
    current = current.wrapped as typeof current;
  }
  if (current?.type === "record") {
    return current.value as v.GenericSchema;
  }
  // A record may follow a check of its own in a pipe (a list is not an object of named entries).
  const items = (current?.pipe as (v.GenericSchema & Record<string, unknown>)[] | undefined) ?? [];
  for (const item of items) {
    const found = item !== current && item.kind === "schema" ? recordValueOf(item) : undefined;
    if (found) return found;
  }
  return undefined;
}

/** Every key of `input`, at any depth (list items and record values included), that its schema does not declare. */
function unknownKeys(schema: v.GenericSchema, input: unknown, prefix = ""): FieldProblem[] {
  const item = itemOf(schema);
  if (item !== undefined && Array.isArray(input)) {
    return input.flatMap((element, index) => unknownKeys(item, element, `${prefix}${index}.`));
  }
  const value = recordValueOf(schema);
  if (value !== undefined && input && typeof input === "object" && !Array.isArray(input)) {
    return Object.entries(input).flatMap(([key, element]) => unknownKeys(value, element, `${prefix}${key}.`));
  }
  const entries = entriesOf(schema, input);
  if (!entries || !input || typeof input !== "object" || Array.isArray(input)) {
    return [];
  }
  const known = Object.keys(entries);
  const problems: FieldProblem[] = [];
  for (const [key, value] of Object.entries(input)) {
    const path = `${prefix}${key}`;
    if (!known.includes(key)) {
      problems.push({ field: path, value, problem: `unknown field; ${suggestion(key, known, "allowed fields")}` });
    } else {
      problems.push(...unknownKeys(entries[key], value, `${path}.`));
    }
  }
  return problems;
}

/** The reference text of the field at `path`, when it has one. */
function infoAt(path: (string | number)[], input: unknown, root: v.GenericSchema = EnvironmentSchema): FieldInfo | undefined {
  let schema: v.GenericSchema | undefined = root;
  let value = input;
  for (const key of path) {
    schema = entriesOf(schema, value)?.[key];
    value = value && typeof value === "object" ? (value as Record<string | number, unknown>)[key] : undefined;
  }
  while (schema && schema.type === "optional") {
    schema = (schema as unknown as { wrapped: v.GenericSchema }).wrapped;
  }
  const info = schema ? (v.getMetadata(schema as Parameters<typeof v.getMetadata>[0]) as Partial<FieldInfo>) : {};
  return info.allowed !== undefined ? (info as FieldInfo) : undefined;
}

/**
 * Every problem of one environment's configuration (empty when it is valid), in
 * field order.
 */
export function checkEnvironment(config: unknown): FieldProblem[] {
  return checkAgainst(EnvironmentSchema, ENVIRONMENT_FIELDS, config);
}

/** Every problem of `config` against `schema` (whose top-level fields are `fields`), in field order. */
export function checkAgainst(schema: v.GenericSchema, fields: v.ObjectEntries, config: unknown): FieldProblem[] {
  const result = v.safeParse(schema, config);
  const problems: FieldProblem[] = unknownKeys(schema, config);
  for (const issue of result.issues ?? []) {
    if (issue.expected === "never") {
      continue; // unknown key: reported above, all of them with suggestions
    }
    const keys = (issue.path ?? []).map((item) => (item as { key: string | number }).key);
    const field = keys.join(".");
    const info = infoAt(keys, config, schema);
    if (issue.kind === "schema" && issue.input === undefined && issue.type !== "variant") {
      problems.push({ field, value: undefined, problem: `is required${info ? `; allowed: ${info.allowed}` : ""}` });
    } else if (issue.kind === "schema" && info && !issue.message.includes(info.allowed) && issue.type !== "variant" && issue.type !== "picklist") {
      problems.push({ field, value: issue.input, problem: `${issue.message} (allowed: ${info.allowed})` });
    } else {
      problems.push({ field, value: issue.input, problem: issue.message, default: issue.input === undefined ? info?.default : undefined });
    }
  }
  const order = Object.keys(fields);
  const rank = (problem: FieldProblem) => {
    const index = order.indexOf(problem.field.split(".")[0]);
    return index === -1 ? order.length : index;
  };
  return problems
    .map((problem, index) => ({ problem, index }))
    .sort((a, b) => rank(a.problem) - rank(b.problem) || a.index - b.index)
    .map(({ problem }) => problem);
}

/** One row of docs/configuration.md's reference. */
export interface FieldReference {
  /** Dotted path, e.g. `healthCheck.intervalSeconds`. */
  readonly field: string;
  readonly info: FieldInfo;
  readonly required: boolean;
}

/** Reference rows for every field, nested object fields after their parent. */
export function fieldReference(entries: v.ObjectEntries = ENVIRONMENT_FIELDS, prefix = ""): FieldReference[] {
  const rows: FieldReference[] = [];
  for (const [key, schema] of Object.entries(entries)) {
    const required = schema.type !== "optional";
    let inner: v.GenericSchema = schema;
    while (inner.type === "optional") {
      inner = (inner as unknown as { wrapped: v.GenericSchema }).wrapped;
    }
    const info = v.getMetadata(inner as Parameters<typeof v.getMetadata>[0]) as Partial<FieldInfo>;
    if (info.allowed !== undefined) {
      rows.push({ field: `${prefix}${key}`, info: info as FieldInfo, required });
    }
    const nested = (inner as unknown as { entries?: v.ObjectEntries }).entries;
    if (nested !== undefined) {
      rows.push(...fieldReference(nested, `${prefix}${key}.`));
    }
    // The fields of each entry of an object keyed by the user's names (scheduledActions.<key>.recurrence).
    const entryFields = (recordValueOf(inner) as unknown as { entries?: v.ObjectEntries } | undefined)?.entries;
    if (entryFields !== undefined) {
      rows.push(...fieldReference(entryFields, `${prefix}${key}.<key>.`));
    }
  }
  return rows;
}

/** docs/configuration.md's reference table, generated from the schema. */
export function referenceTable(): string {
  const escape = (text: string) => text.replace(/\|/g, "\\|");
  const lines = ["| field | meaning | allowed | default |", "|---|---|---|---|"];
  for (const row of fieldReference()) {
    const fallback = row.required ? "required" : (row.info.default ?? "not set");
    lines.push(`| \`${row.field}\` | ${escape(row.info.description)} | ${escape(row.info.allowed)} | ${escape(fallback)} |`);
  }
  return `${lines.join("\n")}\n`;
}
