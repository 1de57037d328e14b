/**
 * Which of the app's AMIs `npm run image:prune` keeps: the newest N per region, and,
 * whatever their age, every image something still needs (a launch template version in
 * use, a running instance, a rollback target). Pure: the tool gathers the facts.
 */

export interface AppImage {
  readonly imageId: string;
  readonly name: string;
  /** Build time (the `build_time` tag Packer sets), else the AMI's creation date. */
  readonly createdAt: Date;
  readonly snapshotIds: string[];
}

/** Why an image must stay, whatever its age. */
export interface Protection {
  readonly imageId: string;
  readonly reason: string;
}

export interface RetentionDecision {
  readonly image: AppImage;
  readonly action: "keep" | "delete";
  /** Every reason to keep it; empty for a deletion. */
  readonly reasons: string[];
}

/** Newest first; ties broken by name (it ends in the build timestamp), then id. */
export function newestFirst(images: readonly AppImage[]): AppImage[] {
  return [...images].sort(
    (a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.name.localeCompare(a.name) || b.imageId.localeCompare(a.imageId),
  );
}

export function planRetention(images: readonly AppImage[], keepNewest: number, protections: readonly Protection[]): RetentionDecision[] {
  if (!Number.isInteger(keepNewest) || keepNewest < 1) {
    throw new Error(`keepNewest must be a whole number of at least 1, got ${keepNewest}`);
  }
  return newestFirst(images).map((image, index) => {
    const reasons = [
      ...(index < keepNewest ? [`one of the newest ${keepNewest}`] : []),
      ...protections.filter((p) => p.imageId === image.imageId).map((p) => p.reason),
    ];
    return { image, action: reasons.length > 0 ? "keep" : "delete", reasons: [...new Set(reasons)] };
  });
}

/** `--keep` as given on the command line: a whole number of at least 1. */
export function parseKeep(raw: string | undefined): number | string {
  if (raw === undefined) {
    return "--keep N is required: how many of the newest images to keep per region (at least 1)";
  }
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isInteger(value)) {
    return `--keep must be a whole number, got ${JSON.stringify(raw)}`;
  }
  if (value < 1) {
    return `--keep must be at least 1, got ${raw}: keeping no image leaves nothing to run or roll back to`;
  }
  return value;
}

/** A launch template version as far as retention cares. */
export interface TemplateVersion {
  readonly version: number;
  readonly imageId?: string;
}

/**
 * The image a group on `current` would roll back to: that of the newest older version
 * whose image differs (versions that only changed something else are skipped).
 */
export function rollbackTarget(versions: readonly TemplateVersion[], current: number): TemplateVersion | undefined {
  const currentImage = versions.find((v) => v.version === current)?.imageId;
  return [...versions]
    .filter((v) => v.version < current && v.imageId && v.imageId !== currentImage)
    .sort((a, b) => b.version - a.version)[0];
}
