import { PROJECT } from "./environments";

/** Stack id of an environment: `sample-app-<environment>`. */
export function stackIdFor(environment: string): string {
  return `${PROJECT}-${environment}`;
}

/** Stack id of the state bootstrap (the state bucket, applied once per account and region). */
export const BOOTSTRAP_STACK_ID = `${PROJECT}-bootstrap`;

/**
 * Local state lives in `<project>/.state/<stack id>.tfstate`. The path is relative to
 * the stack's working directory `cdktf.out/stacks/<stack id>`, where tofu runs, so the
 * synthesized JSON is the same on every machine.
 */
export function localStatePath(stackId: string): string {
  return `../../../.state/${stackId}.tfstate`;
}
