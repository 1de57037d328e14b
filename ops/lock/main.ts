/**
 * Entry point of `npm run lock` (bundled by scripts/ops.mjs); see ops/lock/command.ts.
 */
import { LockError, lock, lockUsage, parseLockArguments } from "./command";
import { UsageError, reportUsageError } from "../shared/args";
import { EXIT } from "../shared/exit-codes";

try {
  const parsed = parseLockArguments(process.argv.slice(2));
  if (parsed === "help") process.stdout.write(`${lockUsage()}\n`);
  else lock(parsed);
  process.exitCode = EXIT.done;
} catch (error) {
  if (error instanceof UsageError) process.exitCode = reportUsageError("lock", lockUsage(), error);
  else if (error instanceof LockError) {
    process.stderr.write(`lock: ${error.message}\n`);
    process.exitCode = error.exitCode;
  } else throw error;
}
