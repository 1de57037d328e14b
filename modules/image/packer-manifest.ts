/**
 * Reads Packer's manifest post-processor output (`packer/manifest.json`):
 * `{ "builds": [{ "name", "builder_type", "build_time", "artifact_id": "us-east-1:ami-…[,eu-west-1:ami-…]",
 *    "packer_run_uuid", "custom_data": {…} }], "last_run_uuid" }`.
 */

export interface ManifestImage {
  readonly amiId: string;
  /** Unix seconds. */
  readonly buildTime: number;
  readonly buildName: string;
  readonly runUuid: string;
  readonly customData: Record<string, string>;
}

interface ManifestBuild {
  readonly name?: unknown;
  readonly build_time?: unknown;
  readonly artifact_id?: unknown;
  readonly packer_run_uuid?: unknown;
  readonly custom_data?: unknown;
}

/**
 * The newest AMI built for `region`, by build time. Builds whose custom_data marks
 * them as something other than the app image (`image_role` of the base template)
 * are skipped. Returns a description of the problem instead of throwing.
 */
export function newestAmiForRegion(manifestText: string, region: string): ManifestImage | string {
  const images = appImagesForRegion(manifestText, region);
  if (typeof images === "string") {
    return images;
  }
  if (images.length === 0) {
    return `has no app image for region ${region}; build one with npm run image:build`;
  }
  // The first of the newest, in manifest order (the sort is stable), as before.
  return images.reduce((newest, candidate) => (candidate.buildTime > newest.buildTime ? candidate : newest));
}

/**
 * Every app image built for `region`, oldest first (by build time). Used to find the image
 * before a given one (the rollback target). Returns a description of the problem instead
 * of throwing.
 */
export function appImagesForRegion(manifestText: string, region: string): ManifestImage[] | string {
  const images: ManifestImage[] = [];
  let manifest: { builds?: unknown };
  try {
    manifest = JSON.parse(manifestText);
  } catch (error) {
    return `is not valid JSON (${(error as Error).message})`;
  }
  if (!manifest || !Array.isArray(manifest.builds)) {
    return 'has no "builds" array; is it a Packer manifest?';
  }
  for (const [index, build] of (manifest.builds as ManifestBuild[]).entries()) {
    if (build === null || typeof build !== "object" || Array.isArray(build)) {
      return `has builds[${index}] = ${JSON.stringify(build)}, not a build object; is it a Packer manifest?`;
    }
    const customData = ((typeof build.custom_data === "object" && build.custom_data) || {}) as Record<string, string>;
    if (customData.image_role !== undefined && customData.image_role !== "app") {
      continue;
    }
    if (typeof build.artifact_id !== "string" || typeof build.build_time !== "number") {
      return 'has a build without a string "artifact_id" and a numeric "build_time"';
    }
    for (const artifact of build.artifact_id.split(",")) {
      const [artifactRegion, amiId] = artifact.split(":");
      if (artifactRegion === region && amiId) {
        images.push({
          amiId,
          buildTime: build.build_time,
          buildName: String(build.name ?? ""),
          runUuid: String(build.packer_run_uuid ?? ""),
          customData,
        });
      }
    }
  }
  return images.sort((a, b) => a.buildTime - b.buildTime);
}
