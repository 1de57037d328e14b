/**
 * Entry point of `npm run state:settings` (bundled by scripts/ops.mjs); see ops/state/settings.ts.
 */
import { STATE_SETTINGS_USAGE, StateSettingsError, parseStateSettingsArguments, writeStateSettings } from "./settings";
import { UsageError, reportUsageError } from "../shared/args";
import { EXIT } from "../shared/exit-codes";

try {
  const parsed = parseStateSettingsArguments(process.argv.slice(2));
  if (parsed === "help") process.stdout.write(`${STATE_SETTINGS_USAGE}\n`);
  else process.stdout.write(writeStateSettings(parsed));
  process.exitCode = EXIT.done;
} catch (error) {
  if (error instanceof UsageError) process.exitCode = reportUsageError("state:settings", STATE_SETTINGS_USAGE, error);
  else if (error instanceof StateSettingsError) {
    process.stderr.write(`state:settings: ${error.message}\n`);
    process.exitCode = EXIT.error;
  } else throw error;
}
