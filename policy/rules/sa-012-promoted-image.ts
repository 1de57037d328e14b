import { PROMOTION_TAG_PREFIX } from "../../modules/image/promotion";
import { PolicyRule, Violation } from "../rule";
import { blocks, referencedResource, resourcesOfType } from "../stack-view";

const AMI_ID = /^ami-[0-9a-f]{8,17}$/;

/** Whether an `aws_ami` lookup only matches images carrying a promotion tag. */
function requiresPromotionTag(filters: Record<string, unknown>[]): boolean {
  return filters.some((filter) => {
    const name = String(filter.name ?? "");
    const values = Array.isArray(filter.values) ? filter.values.map(String) : [];
    if (name === "tag-key") {
      return values.length > 0 && values.every((value) => value.startsWith(PROMOTION_TAG_PREFIX));
    }
    return name.startsWith(`tag:${PROMOTION_TAG_PREFIX}`);
  });
}

/**
 * SA-012: production runs a pinned image or one promoted to it by tag, never "the
 * newest AMI with a matching name", which anyone able to register an AMI controls.
 */
export const SA012_PROMOTED_IMAGE: PolicyRule = {
  id: "SA-012",
  name: "Pinned or promoted image in production",
  rationale: "Selecting the newest image by name deploys whatever was registered last, including images stage never ran.",
  level: "error",
  productionOnly: true,
  check(stack) {
    if (!stack.production) {
      return [];
    }
    const violations: Violation[] = [];
    for (const resource of resourcesOfType(stack, "aws_launch_template", "aws_instance")) {
      const image = resource.type === "aws_instance" ? resource.values.ami : resource.values.image_id;
      if (typeof image === "string" && AMI_ID.test(image)) {
        continue;
      }
      const source = referencedResource(stack, image);
      if (source?.type === "aws_ami" && source.isData && requiresPromotionTag(blocks(source.values.filter))) {
        continue;
      }
      violations.push({
        resource,
        message:
          source?.type === "aws_ami"
            ? `image comes from ${source.address}, which matches by name only; require a ${PROMOTION_TAG_PREFIX}<environment> tag (image.kind "promoted") or pin an AMI id`
            : `image ${JSON.stringify(image)} is neither a pinned AMI id nor a promoted-image lookup`,
      });
    }
    return violations;
  },
};
