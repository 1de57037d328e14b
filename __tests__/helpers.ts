import { Testing } from "cdktf";
import { Construct } from "constructs";

/** Parsed synth output. */
export interface Synthesized {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, { value: unknown }>;
  terraform?: Record<string, unknown>;
  provider?: Record<string, unknown[]>;
}

/** The resources of one type in a synth result, keyed by logical id. */
export function resourcesOf(synthesized: string, type: string): Record<string, Record<string, unknown>> {
  return (JSON.parse(synthesized) as Synthesized).resource?.[type] ?? {};
}

/** The only resource of a type; fails the test when there is not exactly one. */
export function onlyResource(synthesized: string, type: string): Record<string, unknown> {
  const all = Object.values(resourcesOf(synthesized, type));
  if (all.length !== 1) {
    throw new Error(`expected exactly one ${type}, found ${all.length}`);
  }
  return all[0];
}

/** The Terraform reference (`${type.id.attr}`) to a resource whose logical id starts with `prefix`. */
export function refTo(synthesized: string, type: string, logicalIdPrefix: string, attribute: string): string {
  const ids = Object.keys(resourcesOf(synthesized, type)).filter((id) => id.startsWith(logicalIdPrefix));
  if (ids.length !== 1) {
    throw new Error(`expected one ${type} named ${logicalIdPrefix}*, found ${ids.join(", ") || "none"}`);
  }
  return `\${${type}.${ids[0]}.${attribute}}`;
}

/** Synthesizes what `build` adds to a fresh stack scope. */
export function synthScope(build: (scope: Construct) => void): string {
  return Testing.synthScope((scope) => build(scope));
}
