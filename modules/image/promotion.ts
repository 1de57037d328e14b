/**
 * Image promotion: an app image is deployable to a production environment only once it
 * carries the tag `sample-app:promoted-to-<environment>` (value: when and by whom it was
 * promoted), set by `npm run image:promote -- <ami> --to <environment>`. Stage keeps
 * deploying the newest build; prod looks up the newest image carrying its tag.
 */
export const PROMOTION_TAG_PREFIX = "sample-app:promoted-to-";

/** The tag key that promotes an image to `environment`. */
export function promotionTagKey(environment: string): string {
  return `${PROMOTION_TAG_PREFIX}${environment}`;
}
