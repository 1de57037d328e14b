/**
 * Where the built toolchain lives (npm run toolchain): SAMPLE_APP_TOOLCHAIN_HOME, or
 * ~/.cache/sample-app-toolchain when it is unset or empty.
 */
import * as os from "os";
import * as path from "path";

export function toolchainHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.SAMPLE_APP_TOOLCHAIN_HOME || path.join(os.homedir(), ".cache", "sample-app-toolchain");
}
