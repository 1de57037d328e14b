/**
 * Config-only value rules: values no module consumes (account ids, provider versions and registries, the emulator endpoint, state keys).
 * Part of config/schema.ts (its public surface).
 */
import providerReleases from "../provider-releases.json";
import { TOOLCHAIN } from "../toolchain";
import { Problem } from "../../modules/core/checks";

const PROVIDER_VERSION = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;
const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);


export function checkAccountId(value: string): Problem {
  return /^\d{12}$/.test(value) ? undefined : 'must be a 12-digit AWS account id like "123456789012"';
}

/** The AWS provider bindings are generated from 6.x (cdktf's from 6.25.0, cdktn's from 6.66.0); another major version has other schemas. */
const PROVIDER_MAJOR = 6;

/**
 * The AWS provider version every stack pins unless its configuration sets awsProviderVersion.
 * Set here rather than taken from the bindings, so that the library (SAMPLE_APP_CDK) does not
 * change what tofu installs: @cdktf/provider-aws 21.22.1 is generated from 6.25.0 and
 * @cdktn/provider-aws 25.7.0 from 6.66.0, and both synthesize this pin.
 */
export const DEFAULT_AWS_PROVIDER_VERSION = "6.25.0";

/** Released versions of that major (config/provider-releases.json), oldest first. */
const PROVIDER_RELEASES: readonly string[] = providerReleases["hashicorp/aws"];

export function checkProviderVersion(value: string): Problem {
  if (!PROVIDER_VERSION.test(value)) {
    return 'must be an exact version like "6.25.0"';
  }
  if (Number(value.split(".")[0]) !== PROVIDER_MAJOR) {
    return `must be a ${PROVIDER_MAJOR}.x version: the provider bindings (@cdktf/provider-aws) are generated from 6.25.0`;
  }
  // The toolchain's own build (npm run toolchain) is a development version, pinned by the local environment.
  if (PROVIDER_RELEASES.includes(value) || value === TOOLCHAIN.awsProvider.version) {
    return undefined;
  }
  const newest = PROVIDER_RELEASES[PROVIDER_RELEASES.length - 1];
  const [major, minor] = value.split(".");
  const sameMinor = PROVIDER_RELEASES.filter((release) => release.startsWith(`${major}.${minor}.`));
  return (
    `must be a released version of hashicorp/aws; ${value} is not one` +
    (sameMinor.length > 0 ? ` (${major}.${minor}: ${sameMinor.join(", ")})` : "") +
    `. Released ${PROVIDER_MAJOR}.x versions are listed in config/provider-releases.json (newest ${newest}); one released since: add it there`
  );
}

/** A provider registry hostname, as it appears in a provider source address (`<host>/hashicorp/aws`). */
export function checkProviderRegistry(value: string): Problem {
  return /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+(?::\d{1,5})?$/.test(value)
    ? undefined
    : 'must be a registry hostname like "registry.opentofu.org" or "registry.terraform.io" (lowercase, no scheme, no path)';
}

export function checkEmulatorEndpoint(value: string): Problem {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "must be a URL like http://127.0.0.1:5000";
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return "must be an http:// or https:// URL";
  }
  if (!LOOPBACK_HOSTS.has(url.hostname)) return "must point at a loopback address (127.0.0.1, localhost, [::1])";
  if (url.pathname !== "/" || url.search !== "" || url.hash !== "" || url.username !== "" || url.password !== "") {
    return `must be the emulator's base URL, without a path, query or credentials (like ${url.protocol}//${url.host})`;
  }
  return undefined;
}

export function checkKeyPrefix(value: string): Problem {
  if (value.startsWith("/")) {
    // S3 keeps the slash: "/team/x.tfstate" and "team/x.tfstate" are two objects, and tools disagree on which one they mean.
    return "must not start with / (the state key is <keyPrefix>/<stack id>.tfstate); write it like team/sample-app";
  }
  return /^[\w.-]+(?:\/[\w.-]+)*$/.test(value) ? undefined : "must be a key prefix like team/sample-app (letters, digits, _ . -, no trailing or double /)";
}

export function checkManifestPath(value: string): Problem {
  return value.endsWith(".json") ? undefined : "must be a path to a .json file";
}
