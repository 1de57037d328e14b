/**
 * The configuration types are derived from the schema in ./schema.ts (one declaration
 * for the types and the runtime checks). Add or change fields there, never here; this
 * module only keeps the old import path working.
 */
export { IMAGE_SOURCE_KINDS } from "./schema";
export type { EmulatorConfig, EnvironmentConfig, ImageSource, ResolvedEnvironment, S3BackendConfig } from "./schema";
