/**
 * Wrong inputs as a new user would make them, through the real synth entry point (the
 * esbuild bundle of main.ts): configuration, SAMPLE_APP_* variables, the Packer manifest
 * and script arguments. Each case asserts the exit code, that the message names the field
 * (or variable, or argument) and what is allowed, and that cdktf.out/ is byte for byte
 * what it was, with nothing left beside it.
 *
 * The bundle is built with config/environments.ts replaced by a module that reads the
 * environments from a JSON file, so each case can change one field of one environment.
 */
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PluginBuild, build } from "esbuild";
// eslint-disable-next-line @typescript-eslint/no-require-imports -- CommonJS shared with scripts/build.mjs
const { appBundleOptions, writeAppBundle } = require("../../scripts/lib/app-bundle.cjs");
import { ENVIRONMENTS } from "../../config/environments";

const ROOT = path.join(__dirname, "..", "..");
const FIXTURE = path.join(__dirname, "..", "fixtures", "environments-from-file.ts");

type Environments = Record<string, Record<string, unknown>>;

interface Case {
  /** What the user got wrong. */
  readonly name: string;
  /** Changes to the `dev` environment (shallow: a nested object replaces the whole field). */
  readonly dev?: Record<string, unknown>;
  /** Replaces the whole set of environments. */
  readonly environments?: (base: Environments, work: string) => Environments;
  readonly env?: Record<string, string>;
  /** Script and arguments instead of the synth (e.g. emulator/local.mjs). */
  readonly script?: readonly string[];
  readonly args?: readonly string[];
  /** Expected exit code (1: bad input; 2: bad arguments). */
  readonly status: 1 | 2;
  /** The field, variable or argument the message must name. */
  readonly field: string;
  /** What the message must say is allowed (each a substring). */
  readonly allowed: readonly string[];
  /** What the output must not say (e.g. a second line blaming another field). */
  readonly absent?: readonly string[];
}

const BASE: Environments = JSON.parse(JSON.stringify(ENVIRONMENTS));
const HEALTH = { path: "/health" };
// A directory where a file is read (EISDIR), for SAMPLE_APP_STATE_SETTINGS.
const A_DIRECTORY = fs.mkdtempSync(path.join(os.tmpdir(), "wrong-inputs-dir-"));
// Backend settings (state-backend.json) whose KMS key is in another region than their bucket, and good ones.
const SETTINGS_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "wrong-inputs-settings-"));
const KMS_KEY = (partition: string, region: string) => `arn:${partition}:kms:${region}:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const SETTINGS_KEY_ELSEWHERE = path.join(SETTINGS_DIR, "key-elsewhere.json");
fs.writeFileSync(SETTINGS_KEY_ELSEWHERE, JSON.stringify({ bucket: "boot-bucket", region: "us-east-1", kmsKeyId: KMS_KEY("aws", "us-west-2") }));
const SETTINGS_GOOD = path.join(SETTINGS_DIR, "good.json");
fs.writeFileSync(SETTINGS_GOOD, JSON.stringify({ bucket: "boot-bucket", region: "us-east-1" }));
const CERT_EU = "arn:aws:acm:eu-west-1:123456789012:certificate/1f2e3d4c-0000-4000-8000-123456789abc";
const manifestCase = (name: string, content: string, expected: string[], manifestName = "manifest.json"): Case => ({
  name,
  environments: (base, work) => {
    fs.writeFileSync(path.join(work, manifestName), content);
    return { ...base, dev: { ...base.dev, image: { kind: "packer-manifest", manifestPath: path.join(work, manifestName) } } };
  },
  status: 1,
  field: 'environment "dev": image.manifestPath',
  allowed: expected,
});

const CASES: Case[] = [
  // Misspelled keys, anywhere.
  { name: "a misspelled top-level field", dev: { instnceType: "t3.large" }, status: 1, field: "instnceType", allowed: ['did you mean "instanceType"?'] },
  { name: "a misspelled health check key", dev: { healthCheck: { path: "/health", intervalSecond: 5 } }, status: 1, field: "healthCheck.intervalSecond", allowed: ['did you mean "intervalSeconds"?'] },
  { name: "an instance refresh key the project does not offer", dev: { instanceRefresh: { strategy: "Rolling" } }, status: 1, field: "instanceRefresh.strategy", allowed: ["minHealthyPercentage", "maxHealthyPercentage", "autoRollback"] },
  { name: "a misspelled CPU tracking key", dev: { cpuTargetTracking: { targetUtilisationPercent: 60 } }, status: 1, field: "cpuTargetTracking.targetUtilisationPercent", allowed: ['did you mean "targetUtilizationPercent"?'] },
  { name: "a misspelled capacity key", dev: { capacity: { min: 1, max: 3, desird: 1 } }, status: 1, field: "capacity.desird", allowed: ['did you mean "desired"?'] },
  { name: "a misspelled backend key", dev: { s3Backend: { bucket: "state-bucket", keyPrefx: "a" } }, status: 1, field: "s3Backend.keyPrefx", allowed: ['did you mean "keyPrefix"?'] },
  { name: "a key of another image kind", dev: { image: { kind: "ami", amiId: "ami-0123456789abcdef0", namePattern: "x-*" } }, status: 1, field: "image.namePattern", allowed: ["kind, amiId"] },
  { name: "a field in the wrong case", dev: { AppPort: 8080 }, status: 1, field: "AppPort", allowed: ['did you mean "appPort"?'] },
  // Wrong types.
  { name: 'the string "false" for a boolean', dev: { deletionProtection: "false" }, status: 1, field: 'deletionProtection = "false"', allowed: ["must be true or false, not a string"] },
  { name: "a string for a number", dev: { azCount: "2" }, status: 1, field: 'azCount = "2"', allowed: ["must be a number", "2 (an ALB needs two) to the region's zone count"] },
  { name: "NaN for the port (a failed conversion)", dev: { appPort: "__NaN__" }, status: 1, field: "appPort = NaN", allowed: ["must be a number, not NaN (the result of a failed conversion"] },
  { name: "Infinity for a size, shown as Infinity (not null)", dev: { capacity: { min: 1, max: "__Infinity__", desired: 1 } }, status: 1, field: "capacity.max = Infinity", allowed: ["must be a whole number from 1 to 10000"] },
  { name: "a string for the port", dev: { appPort: "8080" }, status: 1, field: 'appPort = "8080"', allowed: ["must be a number", "1 to 65535"] },
  { name: "a string for a nested number", dev: { capacity: { min: "1", max: 3, desired: 1 } }, status: 1, field: 'capacity.min = "1"', allowed: ["must be a number"] },
  { name: "a string for a list", dev: { allowedCidrs: "0.0.0.0/0" }, status: 1, field: "allowedCidrs", allowed: ["must be a list", "IPv4 CIDRs"] },
  { name: "a string for a nested boolean", dev: { instanceRefresh: { autoRollback: "yes" } }, status: 1, field: "instanceRefresh.autoRollback", allowed: ["must be true or false"] },
  { name: "a number for an object", dev: { healthCheck: 5 }, status: 1, field: "healthCheck = 5", allowed: ["must be an object", "{ path, matcher?"] },
  { name: "null for a required field", dev: { region: null }, status: 1, field: "region = null", allowed: ["must be a string"] },
  // Missing fields.
  { name: "no region", dev: { region: undefined }, status: 1, field: "region", allowed: ["is required", '"us-east-1"'] },
  { name: "no instance type", dev: { instanceType: undefined }, status: 1, field: "instanceType", allowed: ["is required", "x86_64"] },
  { name: "no desired capacity", dev: { capacity: { min: 1, max: 3 } }, status: 1, field: "capacity.desired", allowed: ["is required", "min to max"] },
  { name: "no health check path", dev: { healthCheck: { matcher: "200" } }, status: 1, field: "healthCheck.path", allowed: ["is required", 'starts with "/"'] },
  // Values AWS would refuse, or that would silently misbehave.
  { name: "a region that does not exist", dev: { region: "us-east-7" }, status: 1, field: "region", allowed: ['must be an AWS region like "us-east-1"', 'did you mean "us-east-1"?'] },
  { name: "a malformed region", dev: { region: "useast1" }, status: 1, field: 'region = "useast1"', allowed: ["must be an AWS region"] },
  { name: "one availability zone", dev: { azCount: 1 }, status: 1, field: "azCount = 1", allowed: ["must be from 2 to 16"] },
  { name: "more zones than the region has", dev: { region: "us-west-1", azCount: 3 }, status: 1, field: "azCount = 3", allowed: ["at most 2", "us-west-1 has 2 availability zones"] },
  { name: "a prefix length above 32", dev: { vpcCidr: "10.10.0.0/33" }, status: 1, field: "vpcCidr", allowed: ["prefix length above 32"] },
  { name: "a VPC CIDR with host bits", dev: { vpcCidr: "10.10.1.0/16" }, status: 1, field: "vpcCidr", allowed: ["the network address is 10.10.0.0/16"] },
  { name: "a VPC in loopback space", dev: { vpcCidr: "127.10.0.0/16" }, status: 1, field: 'vpcCidr = "127.10.0.0/16"', allowed: ["is in reserved address space (127.0.0.0/8, loopback); use a private range like 10.0.0.0/16 (RFC 1918)"] },
  { name: "a VPC in multicast space", dev: { vpcCidr: "224.1.0.0/16" }, status: 1, field: 'vpcCidr = "224.1.0.0/16"', allowed: ["(224.0.0.0/4, multicast)"] },
  { name: "a VPC in link-local space", dev: { vpcCidr: "169.254.0.0/16" }, status: 1, field: 'vpcCidr = "169.254.0.0/16"', allowed: ["(169.254.0.0/16, link-local)"] },
  { name: "a VPC in 0.0.0.0/8", dev: { vpcCidr: "0.10.0.0/16" }, status: 1, field: 'vpcCidr = "0.10.0.0/16"', allowed: ['(0.0.0.0/8, "this network")'] },
  { name: "a VPC larger than AWS allows", dev: { vpcCidr: "10.0.0.0/8" }, status: 1, field: "vpcCidr", allowed: ["/16 to /28"] },
  { name: "a VPC overlapping another environment's", dev: { vpcCidr: "10.20.0.0/16" }, status: 1, field: "vpcCidr", allowed: ['overlaps environment "stage"', "must be disjoint"] },
  { name: "subnets that do not fit", dev: { vpcCidr: "10.10.0.0/24", azCount: 3, subnetPrefixLength: 26 }, status: 1, field: "subnetPrefixLength = 26", allowed: ["room for 2 of each", "larger VPC CIDR or a longer subnet prefix"] },
  { name: "an unknown NAT mode", dev: { natMode: "double" }, status: 1, field: 'natMode = "double"', allowed: ['"none", "single", "per-az"'] },
  { name: "an instance type that does not exist", dev: { instanceType: "t3.huge" }, status: 1, field: 'instanceType = "t3.huge"', allowed: ["must be an EC2 instance type"] },
  { name: "a misspelled instance type", dev: { instanceType: "t3.mirco" }, status: 1, field: "instanceType", allowed: ['did you mean "t3.micro"?'] },
  { name: "an Arm instance type for an x86_64 image", dev: { instanceType: "t4g.small" }, status: 1, field: "instanceType", allowed: ["must run x86_64"] },
  { name: "min above max", dev: { capacity: { min: 4, max: 3, desired: 3 } }, status: 1, field: "capacity.min = 4", allowed: ["must not be greater than max (3)"] },
  { name: "desired outside min and max", dev: { capacity: { min: 1, max: 3, desired: 5 } }, status: 1, field: "capacity.desired = 5", allowed: ["[min, max] = [1, 3]"] },
  { name: "a fractional size", dev: { capacity: { min: 1, max: 3, desired: 1.5 } }, status: 1, field: "capacity.desired = 1.5", allowed: ["whole number from 0 to 10000"] },
  { name: "port 0", dev: { appPort: 0 }, status: 1, field: "appPort = 0", allowed: ["from 1 to 65535"] },
  { name: "a port the image does not listen on", dev: { appPort: 9090 }, status: 1, field: "appPort = 9090", allowed: ["must be 8080", "app/app.config.js"] },
  { name: "a health check path without /", dev: { healthCheck: { path: "health" } }, status: 1, field: "healthCheck.path", allowed: ['must start with "/"'] },
  { name: "a backwards matcher range", dev: { healthCheck: { ...HEALTH, matcher: "299-200" } }, status: 1, field: "healthCheck.matcher", allowed: ["write it low-high (200-299)"] },
  { name: "a matcher outside 200-499", dev: { healthCheck: { ...HEALTH, matcher: "500" } }, status: 1, field: "healthCheck.matcher", allowed: ["from 200 to 499"] },
  { name: "a timeout not below the interval", dev: { healthCheck: { ...HEALTH, intervalSeconds: 5, timeoutSeconds: 5 } }, status: 1, field: "healthCheck.timeoutSeconds", allowed: ["below intervalSeconds (5)"] },
  { name: "a healthy threshold above 10", dev: { healthCheck: { ...HEALTH, healthyThreshold: 11 } }, status: 1, field: "healthCheck.healthyThreshold", allowed: ["from 2 to 10"] },
  { name: "min healthy above 100", dev: { instanceRefresh: { minHealthyPercentage: 110 } }, status: 1, field: "instanceRefresh.minHealthyPercentage", allowed: ["from 0 to 100"] },
  { name: "max healthy above 200", dev: { instanceRefresh: { maxHealthyPercentage: 250 } }, status: 1, field: "instanceRefresh.maxHealthyPercentage", allowed: ["from 100 to 200"] },
  { name: "a refresh spread over 100 points", dev: { instanceRefresh: { minHealthyPercentage: 40, maxHealthyPercentage: 150 } }, status: 1, field: "instanceRefresh.maxHealthyPercentage", allowed: ["at most 100"] },
  { name: "a CPU target of 0", dev: { cpuTargetTracking: { targetUtilizationPercent: 0 } }, status: 1, field: "cpuTargetTracking.targetUtilizationPercent", allowed: ["from 1 to 100"] },
  { name: "request-count scaling on a fixed capacity", dev: { capacity: { min: 2, max: 2, desired: 2 }, requestCountTargetTracking: { targetRequestsPerTarget: 500 } }, status: 1, field: "requestCountTargetTracking", allowed: ["must not be set when capacity.min equals capacity.max (2)", "raise capacity.max or drop requestCountTargetTracking"] },
  { name: "a schedule with a six-field cron", dev: { scheduledActions: { nightly: { recurrence: "0 22 * * ? *", min: 1 } } }, status: 1, field: "scheduledActions.nightly.recurrence", allowed: ["five fields", "has 6"] },
  { name: "a schedule in an unknown time zone", dev: { scheduledActions: { nightly: { recurrence: "0 22 * * *", timeZone: "CEST", min: 1 } } }, status: 1, field: "scheduledActions.nightly.timeZone", allowed: ["IANA time zone name"] },
  { name: "a schedule past the environment's capacity", dev: { scheduledActions: { peak: { recurrence: "0 8 * * 1-5", max: 9 } } }, status: 1, field: "scheduledActions.peak.max = 9", allowed: ["within the group's [capacity.min, capacity.max] = [1, 3]"] },
  { name: "a malformed certificate ARN", dev: { certificateArn: "cert" }, status: 1, field: "certificateArn", allowed: ["must be an ACM certificate ARN"] },
  { name: "a certificate from another region", dev: { certificateArn: CERT_EU }, status: 1, field: "certificateArn", allowed: ["region us-east-1, not eu-west-1"] },
  // ARNs of another region or partition than where they are used (issue 18).
  {
    name: "a state KMS key in another region than the state bucket",
    dev: { s3Backend: { bucket: "team-state", kmsKeyId: KMS_KEY("aws", "eu-west-1") } },
    status: 1,
    field: `environment "dev": s3Backend.kmsKeyId = "${KMS_KEY("aws", "eu-west-1")}"`,
    allowed: [`s3Backend.kmsKeyId = "${KMS_KEY("aws", "eu-west-1")}": must be a KMS key in the state bucket's region us-east-1, not eu-west-1: KMS keys are regional\n`],
  },
  {
    name: "a state KMS key of another partition",
    dev: { s3Backend: { bucket: "team-state", kmsKeyId: KMS_KEY("aws-cn", "us-east-1") } },
    status: 1,
    field: 's3Backend.kmsKeyId = "arn:aws-cn:kms:',
    allowed: ["must be a KMS key of partition aws (arn:aws:…), the partition of us-east-1, not aws-cn\n"],
  },
  {
    name: "a flow log KMS key in another region",
    dev: { flowLogs: { kmsKeyArn: KMS_KEY("aws", "us-west-2") } },
    status: 1,
    field: `environment "dev": flowLogs.kmsKeyArn = "${KMS_KEY("aws", "us-west-2")}"`,
    allowed: ["must be a KMS key in the log group's region us-east-1, not us-west-2: KMS keys are regional\n"],
  },
  {
    name: "a flow log bucket of another partition",
    dev: { flowLogs: { destination: "s3", bucketArn: "arn:aws-us-gov:s3:::flow-logs" } },
    status: 1,
    field: 'environment "dev": flowLogs.bucketArn = "arn:aws-us-gov:s3:::flow-logs"',
    allowed: ["must be an S3 bucket of partition aws (arn:aws:…), the partition of us-east-1, not aws-us-gov\n"],
  },
  {
    name: "a certificate of another partition",
    dev: { certificateArn: "arn:aws-cn:acm:us-east-1:123456789012:certificate/1f2e3d4c-0000-4000-8000-123456789abc" },
    status: 1,
    field: 'environment "dev": certificateArn = "arn:aws-cn:acm:us-east-1:123456789012:certificate/1f2e3d4c-0000-4000-8000-123456789abc"',
    allowed: ["must be an ACM certificate of partition aws (arn:aws:…), the partition of us-east-1, not aws-cn\n"],
  },
  {
    name: "a backend settings file whose KMS key is in another region than its bucket",
    env: { SAMPLE_APP_ENVIRONMENTS: "stage", SAMPLE_APP_STATE_SETTINGS: SETTINGS_KEY_ELSEWHERE },
    status: 1,
    field: `${SETTINGS_KEY_ELSEWHERE}: kmsKeyId = "${KMS_KEY("aws", "us-west-2")}"`,
    allowed: ["must be a KMS key in the bucket's region us-east-1, not us-west-2: KMS keys are regional\n"],
  },
  {
    name: "a state KMS key in another region than the bootstrap bucket",
    environments: (base) => ({ ...base, stage: { ...base.stage, s3Backend: { kmsKeyId: KMS_KEY("aws", "us-west-2") } } }),
    env: { SAMPLE_APP_ENVIRONMENTS: "stage", SAMPLE_APP_STATE_SETTINGS: SETTINGS_GOOD },
    status: 1,
    field: `environment "stage": s3Backend.kmsKeyId = "${KMS_KEY("aws", "us-west-2")}"`,
    allowed: [`must be a KMS key in the region of the bootstrap bucket boot-bucket (${SETTINGS_GOOD}): us-east-1, not us-west-2: KMS keys are regional\n`],
  },
  {
    name: "a WAF managed rule group that does not exist",
    dev: { waf: { managedRuleGroups: ["AWSManagedRulesCommonRuleSet", "AWSManagedRulesLog4jRuleSet"] } },
    status: 1,
    field: 'environment "dev": waf.managedRuleGroups = ["AWSManagedRulesCommonRuleSet","AWSManagedRulesLog4jRuleSet"]',
    allowed: ['entry "AWSManagedRulesLog4jRuleSet" is not an AWS managed rule group (names are exact, case included); did you mean "AWSManagedRulesLinuxRuleSet"? Allowed: AWSManagedRulesCommonRuleSet, AWSManagedRulesAdminProtectionRuleSet, AWSManagedRulesKnownBadInputsRuleSet,'],
  },
  {
    name: "a WAF managed rule group in the wrong case",
    dev: { waf: { managedRuleGroups: ["AWSManagedRulesAmazonIPReputationList"] } },
    status: 1,
    field: 'environment "dev": waf.managedRuleGroups = ["AWSManagedRulesAmazonIPReputationList"]',
    allowed: ['entry "AWSManagedRulesAmazonIPReputationList" is not an AWS managed rule group (names are exact, case included); did you mean "AWSManagedRulesAmazonIpReputationList"? Allowed: AWSManagedRulesCommonRuleSet,'],
  },
  {
    name: "a provider version that was never released",
    dev: { awsProviderVersion: "6.25.7" },
    status: 1,
    field: 'environment "dev": awsProviderVersion = "6.25.7"',
    allowed: ["must be a released version of hashicorp/aws; 6.25.7 is not one (6.25: 6.25.0). Released 6.x versions are listed in config/provider-releases.json (newest 6.47.0); one released since: add it there\n"],
  },
  {
    name: "a provider version override that was never released",
    env: { SAMPLE_APP_AWS_PROVIDER_VERSION: "6.99.0" },
    status: 1,
    field: 'SAMPLE_APP_AWS_PROVIDER_VERSION = "6.99.0": must be a released version of hashicorp/aws; 6.99.0 is not one.',
    allowed: ["(newest 6.47.0); one released since: add it there"],
  },
  {
    name: "an extra refresh alarm that is one of the stack's rollout alarms",
    dev: { instanceRefresh: { alarmNames: ["app-latency", "sample-app-dev-unhealthy-hosts"] } },
    status: 1,
    field: 'environment "dev": instanceRefresh.alarmNames = ["app-latency","sample-app-dev-unhealthy-hosts"]',
    allowed: ["must not list sample-app-dev-unhealthy-hosts: the stack creates this rollout alarm and the refresh already watches it; list only your own alarms (rolloutAlarms configures the stack's)\n"],
  },
  { name: "no allowed CIDR", dev: { allowedCidrs: [] }, status: 1, field: "allowedCidrs", allowed: ["at least one IPv4 CIDR"] },
  { name: "a CIDR spelled twice differently", dev: { allowedCidrs: ["010.0.0.0/8", "10.0.0.0/8"] }, status: 1, field: "allowedCidrs", allowed: ["without leading zeros (10.0.0.0/8)"] },
  { name: "an address without a prefix", dev: { allowedCidrs: ["10.0.0.1"] }, status: 1, field: "allowedCidrs", allowed: ["IPv4 CIDR block like 10.0.0.0/16"] },
  { name: "an unknown image kind", dev: { image: { kind: "docker" } }, status: 1, field: 'image.kind = "docker"', allowed: ['"ami", "packer-manifest", "lookup"'] },
  { name: "a malformed AMI id", dev: { image: { kind: "ami", amiId: "ami-123" } }, status: 1, field: "image.amiId", allowed: ['"ami-" followed by 8 or 17 lowercase hex digits'] },
  { name: "a lookup without owners", dev: { image: { kind: "lookup", namePattern: "x-*", owners: [] } }, status: 1, field: "image.owners", allowed: ["at least one owner"] },
  { name: "a lookup with a bad owner", dev: { image: { kind: "lookup", namePattern: "x-*", owners: ["someone"] } }, status: 1, field: "image.owners", allowed: ['"self", "amazon", "aws-marketplace" or a 12-digit account id'] },
  { name: "a drain time above an hour", dev: { deregistrationDelaySeconds: 4000 }, status: 1, field: "deregistrationDelaySeconds", allowed: ["from 0 to 3600"] },
  { name: "a slow start below 30 s", dev: { slowStartSeconds: 10 }, status: 1, field: "slowStartSeconds", allowed: ["from 30 to 900"] },
  { name: "an upper-case bucket name", dev: { s3Backend: { bucket: "My_Bucket" } }, status: 1, field: "s3Backend.bucket", allowed: ["3-63 lowercase letters, digits, dots and hyphens"] },
  { name: "a bucket name AWS reserves", dev: { s3Backend: { bucket: "xn--state" } }, status: 1, field: "s3Backend.bucket", allowed: ['must not start with "xn--"'] },
  { name: "a backend in a region that does not exist", dev: { s3Backend: { bucket: "state-bucket", region: "mars-1" } }, status: 1, field: "s3Backend.region", allowed: ["must be an AWS region"] },
  { name: "a key prefix with a leading /", dev: { s3Backend: { bucket: "state-bucket", keyPrefix: "/team/" } }, status: 1, field: "s3Backend.keyPrefix", allowed: ["must not start with /", "write it like team/sample-app"] },
  { name: "an emulator off loopback", dev: { emulator: { endpoint: "http://10.0.0.5:5000" } }, status: 1, field: "emulator.endpoint", allowed: ["loopback address (127.0.0.1, localhost, [::1])"] },
  { name: "an emulator URL with a path", dev: { emulator: { endpoint: "http://127.0.0.1:5000/api" } }, status: 1, field: 'emulator.endpoint = "http://127.0.0.1:5000/api"', allowed: ["must be the emulator's base URL, without a path, query or credentials (like http://127.0.0.1:5000)"] },
  { name: "an emulator URL with a query", dev: { emulator: { endpoint: "http://localhost:5000?x=1" } }, status: 1, field: "emulator.endpoint", allowed: ["without a path, query or credentials (like http://localhost:5000)"] },
  { name: "a production environment on an emulator", dev: { production: true, emulator: { endpoint: "http://127.0.0.1:5000" } }, status: 1, field: 'environment "dev": emulator', allowed: ["must not be set in a production environment (production: true): an emulator is for local development"] },
  {
    name: "a production environment with minimum healthy 0 %",
    dev: { production: true, instanceRefresh: { minHealthyPercentage: 0, maxHealthyPercentage: 100 } },
    status: 1,
    field: "instanceRefresh.minHealthyPercentage = 0",
    allowed: ["must be above 0 in a production environment (production: true): 0 lets a rollout take every instance out of service at once"],
  },
  { name: "a provider version that is not exact", dev: { awsProviderVersion: "latest" }, status: 1, field: "awsProviderVersion", allowed: ['exact version like "6.25.0"'] },
  { name: "a provider version of another major", dev: { awsProviderVersion: "5.100.0" }, status: 1, field: "awsProviderVersion", allowed: ["6.x version"] },
  { name: "an existing VPC id that is malformed", dev: { existingNetwork: { vpcId: "vpc-x", publicSubnetIds: ["subnet-0000000000000000a", "subnet-0000000000000000b"], privateSubnetIds: ["subnet-0000000000000000c", "subnet-0000000000000000d"] } }, status: 1, field: "existingNetwork.vpcId", allowed: ["VPC id like vpc-0123456789abcdef0"] },
  { name: "an existing network with one public subnet", dev: { existingNetwork: { vpcId: "vpc-0123456789abcdef0", publicSubnetIds: ["subnet-0000000000000000a"], privateSubnetIds: ["subnet-0000000000000000c", "subnet-0000000000000000d"] } }, status: 1, field: "existingNetwork.publicSubnetIds", allowed: ["at least 2 subnets"] },
  {
    name: "an environment name too long for AWS",
    environments: (base) => ({ ...base, "production-eu-central-1": { ...base.dev, vpcCidr: "10.40.0.0/16" } }),
    status: 1,
    field: 'environment name "production-eu-central-1"',
    allowed: ["1-32 characters (AWS's limit for a load balancer name); got 34", "shorten it or set names.loadBalancer"],
  },
  // Two environments on one state object, or one AWS name (issue 18).
  {
    name: "two environments with the same state bucket and key",
    environments: (base) => ({ ...base, dev: { ...base.dev, s3Backend: { bucket: "team-state", key: "apps/web.tfstate" } }, stage: { ...base.stage, s3Backend: { bucket: "team-state", key: "apps/web.tfstate" } } }),
    status: 1,
    field: 'environment "dev": s3Backend.key = "apps/web.tfstate": is also the state key of environment "stage" in bucket team-state',
    allowed: [
      'environment "dev": s3Backend.key = "apps/web.tfstate": is also the state key of environment "stage" in bucket team-state; two stacks in one state file overwrite each other (an apply of one destroys the other\'s resources): give each environment its own key\n',
      'environment "stage": s3Backend.key = "apps/web.tfstate": is also the state key of environment "dev" in bucket team-state;',
    ],
  },
  {
    name: "a state key that is another environment's default key",
    dev: { s3Backend: { key: "sample-app/sample-app-stage.tfstate" } },
    status: 1,
    field: 'environment "dev": s3Backend.key = "sample-app/sample-app-stage.tfstate"',
    allowed: ['is also the state key of environment "stage" in the bootstrap\'s bucket; two stacks in one state file overwrite each other'],
  },
  {
    name: "a load balancer name that is another environment's (default) name",
    dev: { names: { loadBalancer: { name: "sample-app-prod" } } },
    status: 1,
    field: 'environment "dev": names.loadBalancer.name = "sample-app-prod"',
    allowed: [
      'environment "dev": names.loadBalancer.name = "sample-app-prod": is also the load balancer name of environment "prod" (its default) and both deploy to us-east-1: the second apply fails or takes over the first one\'s; give each its own name, or, if the two deploy to different AWS accounts, set accountId in both\n',
    ],
  },
  {
    name: "one auto scaling group name in two environments of one region",
    environments: (base) => ({ ...base, dev: { ...base.dev, names: { autoScalingGroup: { name: "web-asg" } } }, stage: { ...base.stage, names: { autoScalingGroup: { name: "web-asg" } } } }),
    status: 1,
    field: 'environment "stage": names.autoScalingGroup.name = "web-asg": is also the auto scaling group name of environment "dev" and both deploy to us-east-1',
    allowed: ["set accountId in both"],
  },
  {
    name: "one target group name in two environments of one region and account",
    environments: (base) => ({ ...base, dev: { ...base.dev, accountId: "111122223333", names: { targetGroup: { name: "web-tg" } } }, stage: { ...base.stage, accountId: "111122223333", names: { targetGroup: { name: "web-tg" } } } }),
    status: 1,
    field: 'environment "dev": names.targetGroup.name = "web-tg": is also the target group name of environment "stage" and both deploy to us-east-1',
    allowed: ["the second apply fails or takes over the first one's"],
  },
  {
    name: "one access-log bucket name in two environments",
    environments: (base) => ({ ...base, dev: { ...base.dev, accessLogs: { bucketName: "web-alb-logs" } }, prod: { ...base.prod, region: "eu-west-1", accessLogs: { bucketName: "web-alb-logs" } } }),
    status: 1,
    field: 'environment "dev": accessLogs.bucketName = "web-alb-logs": is also the access-log bucket name of environment "prod" and S3 bucket names are global',
    allowed: ["give each environment its own bucket (or log to one with existingBucketName)"],
  },
  { name: "an account id that is not 12 digits", dev: { accountId: "1111-2222-3333" }, status: 1, field: 'environment "dev": accountId = "1111-2222-3333"', allowed: ['must be a 12-digit AWS account id like "123456789012"'] },
  {
    name: "an environment name too long for the access-log bucket (not blamed on a namePrefix nobody set)",
    environments: (base) => ({ ...base, "payments-eu-central-1": { ...base.dev, vpcCidr: "10.40.0.0/16" } }),
    status: 1,
    field:
      'environment name "payments-eu-central-1": is too long for the access-log bucket the stack creates: its name prefix "sample-app-payments-eu-central-1-logs-" has 38 characters, S3 allows 37 before its 26-character suffix; shorten the name to at most 20 characters, or set accessLogs.bucketName\n',
    allowed: [],
    absent: ["namePrefix must be"],
  },
  {
    name: "a bad names.* value, reported once and not blamed on the environment name",
    dev: { names: { loadBalancer: { name: "web_alb" } } },
    status: 1,
    field: 'environment "dev": names.loadBalancer.name = "web_alb": must use only letters, digits and hyphens\n',
    allowed: [],
    absent: ['environment name "dev"'],
  },
  {
    name: "a bad names.* prefix, reported once and not blamed on the environment name",
    dev: { names: { instanceRole: { namePrefix: "role with spaces-" } } },
    status: 1,
    field: 'environment "dev": names.instanceRole.namePrefix = "role with spaces-"',
    allowed: [],
    absent: ['environment name "dev"'],
  },
  {
    name: "a Mac instance type (not a suggestion of an Arm one)",
    dev: { instanceType: "mac1.metal" },
    status: 1,
    field:
      'environment "dev": instanceType = "mac1.metal": must be an EC2 instance type for Linux in an auto scaling group; mac1.metal is a Mac instance type, which EC2 runs only on a Dedicated Host with macOS (choose e.g. "t3.small" or "m5.metal")',
    allowed: [],
    absent: ["a1.metal"],
  },
  { name: "an environment name with capitals", environments: (base) => ({ ...base, Prod_EU: { ...base.dev, vpcCidr: "10.40.0.0/16" } }), status: 1, field: 'environment name "Prod_EU"', allowed: ["lowercase letters, digits and hyphens"] },
  // SAMPLE_APP_* variables.
  { name: "an unknown environment", env: { SAMPLE_APP_ENVIRONMENTS: "qa" }, status: 1, field: "SAMPLE_APP_ENVIRONMENTS", allowed: ["known environments: dev, stage, prod, local"] },
  { name: "a misspelled environment", env: { SAMPLE_APP_ENVIRONMENTS: "prd" }, status: 1, field: "SAMPLE_APP_ENVIRONMENTS", allowed: ['did you mean "prod"?'] },
  { name: "an empty environment list", env: { SAMPLE_APP_ENVIRONMENTS: " , " }, status: 1, field: "SAMPLE_APP_ENVIRONMENTS", allowed: ["unset it to synthesize all", "dev, stage, prod, local"] },
  { name: "an environment listed twice", env: { SAMPLE_APP_ENVIRONMENTS: "dev,dev" }, status: 1, field: "SAMPLE_APP_ENVIRONMENTS", allowed: ['names "dev" twice'] },
  { name: "a malformed image override", env: { SAMPLE_APP_IMAGE_ID_PROD: "ami-xyz" }, status: 1, field: "SAMPLE_APP_IMAGE_ID_PROD", allowed: ['"ami-" followed by 8 or 17 lowercase hex digits'] },
  { name: "an image override for no environment", env: { SAMPLE_APP_IMAGE_ID_QA: "ami-0123456789abcdef0" }, status: 1, field: "SAMPLE_APP_IMAGE_ID_QA", allowed: ["SAMPLE_APP_IMAGE_ID_DEV", "SAMPLE_APP_IMAGE_ID_PROD", "SAMPLE_APP_IMAGE_ID_LOCAL"] },
  { name: "an image override in lower case", env: { SAMPLE_APP_IMAGE_ID_prod: "ami-0123456789abcdef0" }, status: 1, field: "SAMPLE_APP_IMAGE_ID_prod", allowed: ["did you mean SAMPLE_APP_IMAGE_ID_PROD?"] },
  { name: "an image override for an unselected environment", env: { SAMPLE_APP_ENVIRONMENTS: "stage", SAMPLE_APP_IMAGE_ID_PROD: "ami-0123456789abcdef0" }, status: 1, field: "SAMPLE_APP_IMAGE_ID_PROD", allowed: ["is not being synthesized"] },
  { name: "an emulator endpoint off loopback", env: { SAMPLE_APP_EMULATOR_ENDPOINT: "http://example.com" }, status: 1, field: "SAMPLE_APP_EMULATOR_ENDPOINT", allowed: ["loopback address"] },
  { name: "a provider version that is not a version", env: { SAMPLE_APP_AWS_PROVIDER_VERSION: "latest" }, status: 1, field: "SAMPLE_APP_AWS_PROVIDER_VERSION", allowed: ['exact version like "6.25.0"'] },
  { name: "an unknown variable", env: { SAMPLE_APP_DEBUG: "1" }, status: 1, field: "SAMPLE_APP_DEBUG", allowed: ["unknown variable", "SAMPLE_APP_ENVIRONMENTS", "SAMPLE_APP_IMAGE_ID_<ENV>"] },
  { name: "a misspelled variable", env: { SAMPLE_APP_ENVIRONMENT: "dev" }, status: 1, field: "SAMPLE_APP_ENVIRONMENT", allowed: ["did you mean SAMPLE_APP_ENVIRONMENTS?"] },
  // Near misses of SAMPLE_APP_* names (issue 18): the wrong case, a typo in the prefix.
  { name: "a variable in lower case", env: { sample_app_environments: "prod" }, status: 1, field: "sample_app_environments: not read: variable names are case-sensitive; did you mean SAMPLE_APP_ENVIRONMENTS? Rename it\n", allowed: [] },
  { name: "a variable in mixed case", env: { Sample_App_Emulator_Endpoint: "http://127.0.0.1:5000" }, status: 1, field: "Sample_App_Emulator_Endpoint: not read: variable names are case-sensitive; did you mean SAMPLE_APP_EMULATOR_ENDPOINT? Rename it\n", allowed: [] },
  { name: "an unknown variable in lower case", env: { sample_app_environmets: "dev" }, status: 1, field: "sample_app_environmets: not read: SAMPLE_APP_* variables are upper case; did you mean SAMPLE_APP_ENVIRONMENTS? Known: SAMPLE_APP_ENVIRONMENTS,", allowed: [] },
  { name: "a typo in the prefix", env: { SAMPLE_APPS_ENVIRONMENTS: "dev" }, status: 1, field: "SAMPLE_APPS_ENVIRONMENTS: not read: it is not a variable this project knows; did you mean SAMPLE_APP_ENVIRONMENTS? Rename it (or unset it)\n", allowed: [] },
  { name: "a typo in the prefix of an image override", env: { SAMPL_APP_IMAGE_ID_PROD: "ami-0123456789abcdef0" }, status: 1, field: "SAMPL_APP_IMAGE_ID_PROD: not read: it is not a variable this project knows; did you mean SAMPLE_APP_IMAGE_ID_PROD? Rename it (or unset it)\n", allowed: [] },
  // The Packer manifest (image.kind "packer-manifest").
  {
    name: "a manifest that does not exist",
    dev: { image: { kind: "packer-manifest", manifestPath: "packer/no-such-manifest.json" } },
    status: 1,
    field: 'image.manifestPath = "packer/no-such-manifest.json"',
    allowed: ["file not found", "npm run image:build"],
  },
  manifestCase("a manifest that is not JSON", "{ not json", ["is not valid JSON"]),
  manifestCase("a manifest without builds", JSON.stringify({ last_run_uuid: "r1" }), ['has no "builds" array']),
  manifestCase("a manifest without an image for the region", JSON.stringify({ builds: [{ build_time: 1, artifact_id: "eu-west-1:ami-0aaaaaaaaaaaaaaa1", custom_data: { image_role: "app" } }] }), ["has no app image for region us-east-1"]),
  manifestCase("a manifest build without an artifact id", JSON.stringify({ builds: [{ build_time: 1 }] }), ['without a string "artifact_id" and a numeric "build_time"']),
  manifestCase("a manifest with a malformed AMI id", JSON.stringify({ builds: [{ build_time: 1, artifact_id: "us-east-1:ami-zz", custom_data: { image_role: "app" } }] }), ["newest build's AMI id ami-zz", "must be an AMI id"]),
  manifestCase("a manifest with a null build", JSON.stringify({ builds: [null] }), ["has builds[0] = null, not a build object; is it a Packer manifest?"]),
  {
    name: "a manifest path that is a directory",
    environments: (base, work) => {
      fs.mkdirSync(path.join(work, "manifest.json"));
      return { ...base, dev: { ...base.dev, image: { kind: "packer-manifest", manifestPath: path.join(work, "manifest.json") } } };
    },
    status: 1,
    field: 'environment "dev": image.manifestPath',
    allowed: ["cannot be read: is a directory, not a file (EISDIR); it must be the Packer manifest npm run image:build writes"],
  },
  {
    name: "a backend settings file that is a directory",
    env: { SAMPLE_APP_STATE_SETTINGS: A_DIRECTORY },
    status: 1,
    field: `SAMPLE_APP_STATE_SETTINGS = ${JSON.stringify(A_DIRECTORY)}`,
    allowed: ["is a directory, not a file (EISDIR); write it with npm run state:settings"],
  },
  { name: "a manifest path that is not JSON", dev: { image: { kind: "packer-manifest", manifestPath: "packer/manifest.txt" } }, status: 1, field: "image.manifestPath", allowed: ["path to a .json file"] },
  // Script arguments.
  { name: "an argument to the synth", args: ["sample-app-prod"], status: 2, field: '"sample-app-prod"', allowed: ["Usage: node dist/main.js", "SAMPLE_APP_ENVIRONMENTS=dev,prod"] },
  { name: "an option the synth does not have", args: ["--outdir", "x"], status: 2, field: '"--outdir"', allowed: ["Usage: node dist/main.js"] },
  { name: "an option npm start does not have", script: ["emulator/local.mjs", "up"], args: ["--dry-run"], status: 2, field: '"--dry-run"', allowed: ["usage: node emulator/local.mjs <up|down|bench>"] },
  { name: "an empty toolchain selection", script: ["scripts/toolchain.sh"], args: ["--only", ","], status: 2, field: "--only", allowed: ["tofu, provider, packer, moto"] },
  { name: "an unknown image build option", script: ["packer/build.sh"], args: ["--fast"], status: 2, field: "--fast", allowed: ["--help"] },
  {
    name: "an image build region that does not exist",
    script: ["packer/build.sh"],
    args: ["--region", "us-esat-1", "--dry-run"],
    status: 2,
    field: "error: --region 'us-esat-1': must be an AWS region like \"us-east-1\"; did you mean \"us-east-1\"? (the regions are in modules/core/aws-facts.json) (see --help)\n",
    allowed: [],
    absent: ["credentials"],
  },
  {
    name: "an image copy region misspelled",
    script: ["packer/build.sh"],
    args: ["--copy-to", "eu-west-1,ap-southeast-22", "--dry-run"],
    status: 2,
    field: "error: --copy-to entry 'ap-southeast-22': must be an AWS region like \"us-east-1\"",
    allowed: [],
  },
  {
    name: "--copy-to given twice (the second would replace the first)",
    script: ["packer/build.sh"],
    args: ["--copy-to", "us-west-2", "--copy-to=eu-west-1", "--dry-run"],
    status: 2,
    field: "error: --copy-to given twice ('us-west-2' and 'eu-west-1'); give one comma-separated list, e.g. --copy-to eu-west-1,us-west-2 (see --help)\n",
    allowed: [],
  },
  { name: "a copy region listed twice", script: ["packer/build.sh"], args: ["--copy-to", "us-west-2,eu-west-1,us-west-2", "--dry-run"], status: 2, field: "error: --copy-to lists us-west-2 twice (see --help)\n", allowed: [] },
  {
    name: "an image:promote region typo (not a credentials error)",
    script: ["scripts/ops.mjs"],
    args: ["image-promote", "ami-0123456789abcdef0", "--to", "prod", "--region", "eu-wset-1"],
    status: 2,
    field: 'image:promote: --region eu-wset-1: must be an AWS region like "us-east-1"; did you mean "eu-west-1"? (the regions are in modules/core/aws-facts.json); nothing was changed\n',
    allowed: [],
    absent: ["credentials"],
  },
];

/** Every file under `dir` with its bytes (base64), dot files included, and every directory. */
function snapshot(dir: string): Record<string, string> {
  const entries: Record<string, string> = {};
  const walk = (relative: string) => {
    for (const entry of fs.readdirSync(path.join(dir, relative), { withFileTypes: true })) {
      const child = path.join(relative, entry.name);
      if (entry.isDirectory()) {
        entries[`${child}/`] = "";
        walk(child);
      } else {
        entries[child] = fs.readFileSync(path.join(dir, child)).toString("base64");
      }
    }
  };
  walk("");
  return entries;
}

interface Outcome {
  readonly status: number | null;
  readonly output: string;
  readonly tree: Record<string, string>;
  readonly leftovers: string[];
}

function runAsync(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("close", (status) => resolve({ status, output }));
  });
}

describe("wrong inputs", () => {
  let bundleDir: string;
  let work: string;
  let baseline: Record<string, string>;
  const outcomes = new Map<string, Outcome>();

  beforeAll(async () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
    // Inside the project, so that the bundle finds cdktf.json (the project root) and node_modules.
    bundleDir = fs.mkdtempSync(path.join(ROOT, ".jest-bundle-"));
    // Bundled as scripts/build.mjs bundles dist/ (cdktf included, run through a code cache),
    // with config/environments.ts read from a file instead.
    const result = await build(
      appBundleOptions({
        root: ROOT,
        entry: path.join(ROOT, "main.ts"),
        outdir: bundleDir,
        plugins: [
          {
            name: "environments-from-file",
            setup(esbuild: PluginBuild) {
              esbuild.onResolve({ filter: /(^|\/)environments$/ }, (args) =>
                args.importer.startsWith(path.join(ROOT, "config")) || args.importer === path.join(ROOT, "main.ts") ? { path: FIXTURE } : undefined,
              );
            },
          },
        ],
      }),
    );
    writeAppBundle(result, bundleDir);
    work = fs.mkdtempSync(path.join(os.tmpdir(), "wrong-inputs-"));
    const baseFile = path.join(work, "environments.json");
    fs.writeFileSync(baseFile, JSON.stringify(BASE));
    const baseEnv = { PATH: process.env.PATH, HOME: process.env.HOME, TEST_ENVIRONMENTS_FILE: baseFile };
    // The last good output, with what tofu init leaves in a stack directory.
    const good = spawnSync(process.execPath, [path.join(bundleDir, "main.js")], {
      cwd: ROOT,
      env: { ...baseEnv, CDKTF_OUTDIR: path.join(work, "baseline", "cdktf.out") },
      encoding: "utf8",
    });
    expect(good.stderr).toBe("");
    fs.mkdirSync(path.join(work, "baseline", "cdktf.out", "stacks", "sample-app-dev", ".terraform"));
    fs.writeFileSync(path.join(work, "baseline", "cdktf.out", "stacks", "sample-app-dev", ".terraform", "marker"), "init");
    baseline = snapshot(path.join(work, "baseline", "cdktf.out"));

    // Two at a time: the machine has two cores.
    const queue = CASES.map((testCase, index) => ({ testCase, index }));
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const { testCase, index } = next;
        const caseDir = path.join(work, `case-${index}`);
        fs.mkdirSync(caseDir);
        const outdir = path.join(caseDir, "cdktf.out");
        fs.cpSync(path.join(work, "baseline", "cdktf.out"), outdir, { recursive: true });
        let environments = BASE;
        if (testCase.environments) {
          environments = testCase.environments(BASE, caseDir);
        } else if (testCase.dev) {
          environments = { ...BASE, dev: { ...BASE.dev, ...testCase.dev } };
        }
        const environmentsFile = path.join(caseDir, "environments.json");
        fs.writeFileSync(environmentsFile, JSON.stringify(environments));
        const env = { ...baseEnv, TEST_ENVIRONMENTS_FILE: environmentsFile, CDKTF_OUTDIR: outdir, ...(testCase.env ?? {}) };
        const [script, ...scriptArgs] = testCase.script ?? [];
        const command = script === undefined ? process.execPath : script.endsWith(".sh") ? "bash" : process.execPath;
        const args = script === undefined ? [path.join(bundleDir, "main.js")] : [path.join(ROOT, script), ...scriptArgs];
        const { status, output } = await runAsync(command, [...args, ...(testCase.args ?? [])], env);
        const leftovers = fs.readdirSync(caseDir).filter((entry) => !["cdktf.out", "environments.json", "manifest.json"].includes(entry));
        outcomes.set(testCase.name, { status, output, tree: snapshot(outdir), leftovers });
      }
    };
    await Promise.all([worker(), worker()]);
  }, 120000);

  afterAll(() => {
    fs.rmSync(bundleDir, { recursive: true, force: true });
    fs.rmSync(work, { recursive: true, force: true });
    fs.rmSync(A_DIRECTORY, { recursive: true, force: true });
    fs.rmSync(SETTINGS_DIR, { recursive: true, force: true });
  });

  it.each(CASES.map((testCase) => [testCase.name, testCase] as const))("rejects %s", (_name, testCase) => {
    const outcome = outcomes.get(testCase.name);
    expect(outcome).toBeDefined();
    const { status, output, tree, leftovers } = outcome as Outcome;
    expect({ status, output }).toEqual({ status: testCase.status, output: expect.stringContaining(testCase.field) });
    for (const allowed of testCase.allowed) {
      expect(output).toContain(allowed);
    }
    for (const absent of testCase.absent ?? []) {
      expect(output).not.toContain(absent);
    }
    if (testCase.script === undefined && testCase.status === 1) {
      expect(output).toContain("Nothing was synthesized; cdktf.out/ is unchanged.");
    }
    expect(tree).toEqual(baseline);
    expect(leftovers).toEqual([]);
  });
});
