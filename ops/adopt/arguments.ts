/**
 * The command line of `npm run adopt`: its usage and its parsing. Apart from ops/adopt/command.ts
 * (which loads the CDK library and the stack) so that --help and a wrong flag answer at once.
 */
import type { AdoptOptions } from "./command";
import type { DeploymentChoice } from "./deployment";
import { UsageError, parseCommandLine } from "../shared/args";
import { EXIT, exitCodeLines } from "../shared/exit-codes";

export const ADOPT_USAGE = `usage: npm run adopt -- --state <state file> --env <environment> [--dry-run] [--out <file>] [--no-plan]
                      [--load-balancer ADDRESS] [--target-group ADDRESS] [--group ADDRESS]

Proposes config/adoption/<environment>.json from an existing state, checks it by synthesizing
the stack with it and, when the toolchain is present, by tofu init and tofu plan against a copy
of the state (refused if the plan replaces or destroys anything not listed), and writes it (or prints it with --dry-run). Nothing is written when anything
is wrong.
  --state FILE   the existing terraform/tofu state (JSON)
  --env NAME     the environment whose stack adopts the objects
  --dry-run      print the proposal instead of writing it
  --out FILE     write here instead of config/adoption/<environment>.json (an existing file
                 must be an adoption file)
  --no-plan      do not prove the proposal with tofu plan (the report says it is unproven)
  --load-balancer ADDRESS, --target-group ADDRESS, --group ADDRESS
                 when the state holds more than one deployment: the aws_lb, aws_lb_target_group
                 or aws_autoscaling_group to take over, by state address or by a module path
                 holding one (e.g. 'module.asg["blue"]'); the others are forgotten (left in AWS).
                 Without them, adopt picks what the chosen objects reference, or lists the
                 candidates and refuses
  -h, --help     this help

${exitCodeLines([
  [EXIT.done, "written (or printed, with --dry-run)"],
  [EXIT.error, "refused: the state, the environment's config or the proposal is wrong, or its plan fails or replaces or destroys what the report does not list; nothing was written"],
  EXIT.usage,
])}`;

export function parseAdoptArguments(argv: string[]): Pick<AdoptOptions, "statePath" | "environment" | "dryRun" | "out" | "plan" | "choice"> | "help" {
  const parsed = parseCommandLine(argv, {
    options: {
      state: { type: "string" },
      env: { type: "string" },
      "dry-run": { type: "boolean" },
      out: { type: "string" },
      "no-plan": { type: "boolean" },
      "load-balancer": { type: "string" },
      "target-group": { type: "string" },
      group: { type: "string" },
    },
  } as const);
  if (parsed === "help") return "help";
  const { values } = parsed;
  if (values.state === undefined) throw new UsageError("--state is required", true);
  if (values.env === undefined) throw new UsageError("--env is required", true);
  for (const flag of ["load-balancer", "target-group", "group"] as const) {
    if (values[flag] !== undefined && values[flag].trim() === "") throw new UsageError(`--${flag} is empty: give a state address, e.g. module.alb.aws_lb.this[0]`, true);
  }
  const choice: DeploymentChoice = {
    ...(values["load-balancer"] !== undefined ? { loadBalancer: values["load-balancer"] } : {}),
    ...(values["target-group"] !== undefined ? { targetGroup: values["target-group"] } : {}),
    ...(values.group !== undefined ? { group: values.group } : {}),
  };
  return { statePath: values.state, environment: values.env, dryRun: values["dry-run"] === true, out: values.out, plan: values["no-plan"] !== true, choice };
}
