/**
 * Synthesizes one environment built in the test (not from config/environments.ts) into
 * `outdir`, in process, the way main.ts does: for end-to-end tests that change
 * configuration the committed environments do not have (another app port, adopted names,
 * an adoption mapping). Returns the stack's working directory, where tofu runs.
 */
import * as path from "path";
import { App } from "cdktf";
import { loadEnvironment } from "../config/load";
import { EnvironmentConfig } from "../config/types";
import { SampleAppStack, stackIdFor } from "../stacks/sample-app-stack";

export function synthEnvironment(
  outdir: string,
  name: string,
  config: EnvironmentConfig,
  { endpoint, imageId, adoptionDir }: { endpoint: string; imageId?: string; adoptionDir?: string },
): string {
  const environment = loadEnvironment(name, {
    environments: { [name]: config },
    env: {
      SAMPLE_APP_EMULATOR_ENDPOINT: endpoint,
      ...(imageId ? { [`SAMPLE_APP_IMAGE_ID_${name.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`]: imageId } : {}),
    },
    // The app port is what these tests change; the image's port check is not under test here.
    imageAppPort: config.appPort,
    // Adoption files of the test (npm run adopt --out), never the repository's.
    adoptionDir: adoptionDir ?? path.join(outdir, "no-adoption-files"),
  });
  const app = new App({ outdir, stackTraces: false });
  new SampleAppStack(app, stackIdFor(name), { environment });
  app.synth();
  return path.join(outdir, "stacks", stackIdFor(name));
}
