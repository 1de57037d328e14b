import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../modules/core/project-root";

/** The subset of toolchain.json that synthesis needs. */
export interface ToolchainVersions {
  readonly awsProvider: { readonly version: string; readonly bindingsVersion: string };
  readonly opentofu: { readonly version: string };
}

/** toolchain.json: one file that both the toolchain script and the local environment read. */
export const TOOLCHAIN: ToolchainVersions = JSON.parse(
  fs.readFileSync(path.join(PROJECT_ROOT, "toolchain.json"), "utf8"),
);
