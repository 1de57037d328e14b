/**
 * The adoption mapping of an environment (adoption/<environment>.json, written by
 * npm run adopt): which of the stack's resources take over which objects of an old state.
 * Config, so that the schema can check it; stacks/adoption.ts turns it into moved, import and
 * removed blocks.
 */

/** What becomes of an old resource that none of the stack's resources takes over. */
export type LeftoverAction = "forget" | "destroy";
export const LEFTOVER_ACTIONS: readonly LeftoverAction[] = ["forget", "destroy"];

/** One of the stack's resources taking over an object from the old state. */
export interface AdoptedResource {
  /**
   * Its instance address in the old state, as OpenTofu prints it: `module.alb.aws_lb.sample_app`,
   * `module.asg.aws_security_group_rule.ssh[0]`, `module.alb.aws_lb_listener.this["http"]`.
   */
  readonly from: string;
  /**
   * The object's id, for an old resource of another type (imported, the old address forgotten).
   * For a security group rule: its `sgr-...` id (`security_group_rule_id` in the old state).
   */
  readonly importId?: string;
}

/** The adoption mapping of one environment. */
export interface AdoptionConfig {
  /** Where the old state was read from, for the record (file, or s3://bucket/key). */
  readonly source?: string;
  /** Each adopted resource: construct path below the stack -> the old resource. */
  readonly resources: Readonly<Record<string, AdoptedResource>>;
  /** Old resources no resource of the stack takes over, by old address, and what to do with them. */
  readonly leftovers?: Readonly<Record<string, LeftoverAction>>;
  /**
   * Every resource address of the old state; when given, each `from` and leftover must be one of them.
   * @default - not checked at synth (npm run adopt checks against the state itself)
   */
  readonly stateAddresses?: string[];
}
