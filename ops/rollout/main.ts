/**
 * npm run rollout -- <command> <environment> [options]
 *
 *   watch <env> [--wait] [--once] [--interval S] [--timeout S]
 *   cancel <env> [--yes]
 *   rollback <env> [--yes]
 *   help
 *
 * Reads the environment's stack outputs from its applied state, then the Auto Scaling
 * group's newest instance refresh (DescribeInstanceRefreshes).
 */
import { EXIT } from "./refresh-report";
import { OperatorError } from "../shared/stack-outputs";
import { ENVIRONMENTS } from "../../config/environments";
import { UsageError, parseCommandLine, reportUsageError } from "../shared/args";
import { exitCodeLines } from "../shared/exit-codes";

const USAGE = `npm run rollout -- <command> <environment> [options]

Commands
  watch <env>      follow the group's newest instance refresh until it ends: status, percentage
                   complete, instances to update, status reason, elapsed time (a progress bar on
                   a terminal, one plain line per change otherwise). After a rollback or failure
                   it says exactly which image to set.
      --wait         exit 0 on Successful, 1 on Failed, Cancelled, RollbackSuccessful, RollbackFailed
      --once         print the current state once and exit (with --wait: its exit code)
      --interval S   seconds between polls (default 5)
      --timeout S    with --wait: give up after S seconds, exit 4 (default: no limit)
  cancel <env>     CancelInstanceRefresh on the refresh in progress (asks first)
  rollback <env>   RollbackInstanceRefresh on the refresh in progress: replace what it replaced with
                   the group's configuration from before it started (asks first)
      --yes          do not ask (needed when stdin is not a terminal)
  help             this text

Common options
  --state FILE     read the stack outputs from this state file (default .state/<stack>.tfstate, or
                   tofu output in cdktf.out/stacks/<stack> for S3 state)

${exitCodeLines([
  [EXIT.done, "done; with --wait, the refresh ended Successful"],
  [EXIT.error, "the refresh did not succeed (--wait), the AWS call failed, no applied state, nothing in progress"],
  [EXIT.usage, "also an unknown environment or command, or no --yes when stdin is not a terminal"],
  [EXIT.timedOut, "--wait --timeout S gave up waiting; the refresh goes on"],
])}`;

export interface Options {
  command: string;
  environment?: string;
  wait: boolean;
  once: boolean;
  yes: boolean;
  intervalSeconds: number;
  timeoutSeconds?: number;
  stateFile?: string;
}

const COMMANDS = ["watch", "cancel", "rollback", "help"];

const COMMAND_LINE = {
  options: {
    wait: { type: "boolean" },
    once: { type: "boolean" },
    yes: { type: "boolean", short: "y" },
    interval: { type: "string" },
    timeout: { type: "string" },
    state: { type: "string" },
  },
  maxPositionals: 2,
} as const;

export function parseArgs(argv: string[]): Options {
  const options: Options = { command: "", wait: false, once: false, yes: false, intervalSeconds: 5 };
  const number = (flag: string, value: string, min: number): number => {
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || parsed < min) {
      throw new UsageError(`${flag} needs a number of seconds${min > 0 ? ` above 0` : ""}, got ${JSON.stringify(value)}`);
    }
    return parsed;
  };
  const parsed = parseCommandLine(argv, COMMAND_LINE);
  if (parsed === "help") return { ...options, command: "help" };
  const { values, positionals } = parsed;
  options.wait = values.wait === true;
  options.once = values.once === true;
  options.yes = values.yes === true;
  if (values.interval !== undefined) options.intervalSeconds = number("--interval", values.interval, 0.1);
  if (values.timeout !== undefined) options.timeoutSeconds = number("--timeout", values.timeout, 0.1);
  options.stateFile = values.state;
  options.command = positionals[0] ?? "help";
  if (!COMMANDS.includes(options.command)) {
    throw new UsageError(`unknown command "${options.command}"; commands: ${COMMANDS.join(", ")}`);
  }
  options.environment = positionals[1];
  if (options.command !== "help") {
    if (!options.environment) {
      throw new UsageError(`${options.command} needs an environment: npm run rollout -- ${options.command} <environment>`);
    }
    const forCommand: Record<string, string[]> = { watch: ["yes"], cancel: ["wait", "once"], rollback: ["wait", "once"] };
    for (const flag of forCommand[options.command] ?? []) {
      if (options[flag as "yes" | "wait" | "once"]) {
        throw new UsageError(`--${flag} does not apply to ${options.command}`);
      }
    }
  }
  return options;
}

export async function main(argv: string[]): Promise<number> {
  const options = parseArgs(argv);
  if (options.command === "help") {
    console.log(USAGE);
    return EXIT.successful;
  }
  if (!Object.prototype.hasOwnProperty.call(ENVIRONMENTS, options.environment!)) {
    throw new UsageError(`unknown environment "${options.environment}"; known environments: ${Object.keys(ENVIRONMENTS).join(", ")}`);
  }
  // The AWS SDK and the config loader (about a second) load only now: usage answers at once.
  const { runRollout } = await import("./session");
  return runRollout(options);
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      if (error instanceof UsageError) process.exit(reportUsageError("rollout", USAGE, error));
      if (error instanceof OperatorError) {
        console.error(`rollout: ${error.message}`);
        process.exit(error.exitCode);
      }
      const name = (error as { name?: string }).name;
      console.error(`rollout: ${name && name !== "Error" ? `${name}: ` : ""}${(error as Error).message ?? String(error)}`);
      process.exit(EXIT.unsuccessful);
    },
  );
}
