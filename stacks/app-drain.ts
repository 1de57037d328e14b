import * as path from "path";
import { PROJECT_ROOT } from "../modules/core/project-root";

/**
 * Seconds the image's app may take to stop: PM2's kill_timeout in app/app.config.js
 * (SHUTDOWN_DELAY_MS + SHUTDOWN_TIMEOUT_MS + the exit margin), after which PM2 kills a draining
 * worker. The terminating lifecycle hook holds an instance at least this long past the
 * target group's deregistration delay.
 */
export function readAppDrainSeconds(projectRoot: string = PROJECT_ROOT): number {
  const processFile = path.join(projectRoot, "app", "app.config.js");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const killTimeoutMs = Number(require(processFile).apps?.[0]?.kill_timeout);
  if (!Number.isInteger(killTimeoutMs) || killTimeoutMs < 0) {
    throw new Error(`${processFile}: apps[0].kill_timeout must be the app's stop time in milliseconds`);
  }
  return Math.ceil(killTimeoutMs / 1000);
}
