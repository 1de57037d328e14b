/**
 * The environment configuration's schemas, declared once in config/schema/ by job:
 *
 * - fields.ts       building blocks (a field with its reference text, value rules, cross-field rules)
 * - values.ts       config-only value rules (account ids, provider version and registry, endpoint)
 * - environment.ts  every field of an environment, its cross-field and AWS-facts rules
 *                   (how to add a field: the comment at its top)
 * - bootstrap.ts    the state bootstrap and the backend settings file it produces
 * - types.ts        the TypeScript types derived from them, and the resolved environment
 * - check.ts        checking a configuration, and the generated field reference
 *
 * This file is their public surface: code outside config/ imports from here, so a move
 * inside config/schema/ changes no importer.
 */
export type { FieldInfo } from "./schema/fields";
export { checkAccountId, DEFAULT_AWS_PROVIDER_VERSION, checkProviderVersion, checkProviderRegistry, checkEmulatorEndpoint, checkKeyPrefix } from "./schema/values";
export { IMAGE_SOURCE_KINDS, checkKmsKeyArn, checkDynamodbTableName, ENVIRONMENT_FIELDS, EnvironmentSchema } from "./schema/environment";
export { BootstrapSchema, checkBootstrap, StateSettingsSchema, checkStateSettings } from "./schema/bootstrap";
export type { BootstrapConfig, StateSettings } from "./schema/bootstrap";
export type { EnvironmentConfig, ImageSource, S3BackendConfig, EmulatorConfig, StateBackend, ResolvedEnvironment } from "./schema/types";
export { checkEnvironment, fieldReference, referenceTable } from "./schema/check";
export type { FieldProblem, FieldReference } from "./schema/check";
/** A region AWS has (modules/core/aws-facts.json); kept there so that scripts can use it without the schema. */
export { checkRegion } from "../modules/core/aws-facts";
