import { Construct } from "constructs";
import { DataAwsAmi } from "@cdktf/provider-aws/lib/data-aws-ami";
import { Problems, checkEach, isUnresolved, throwIfProblems } from "../core/checks";

export interface AmiLookupProps {
  /** AMI name pattern; `*` matches any run of characters, e.g. "sample-app-packer-*". */
  readonly namePattern: string;
  /** Owners to search: "self", "amazon", "aws-marketplace" or account ids. */
  readonly owners: string[];
  /**
   * Tag keys the image must carry, e.g. a promotion tag: only images someone tagged
   * are ever selected, not merely the newest one with a matching name.
   * @default - none
   */
  readonly requiredTagKeys?: string[];
}

const AMI_OWNER = /^(?:self|amazon|aws-marketplace|\d{12})$/;

/** Every rule of {@link AmiLookupProps}, by prop. */
export function checkAmiLookupProps(props: AmiLookupProps): Problems {
  return {
    namePattern:
      isUnresolved(props.namePattern) || (typeof props.namePattern === "string" && /^[\w.*?()[\]/ -]{1,128}$/.test(props.namePattern))
        ? undefined
        : "must be an AMI name pattern of 1-128 characters, * and ? as wildcards",
    owners:
      isUnresolved(props.owners) || (Array.isArray(props.owners) && props.owners.length > 0)
        ? checkEach(props.owners, (owner) =>
            AMI_OWNER.test(owner) ? undefined : 'must be "self", "amazon", "aws-marketplace" or a 12-digit account id',
          )
        : "must list at least one owner",
    requiredTagKeys:
      props.requiredTagKeys === undefined
        ? undefined
        : checkEach(props.requiredTagKeys, (key) =>
            typeof key === "string" && key.length >= 1 && key.length <= 128 && !key.startsWith("aws:")
              ? undefined
              : "must be a tag key of 1-128 characters, not starting with aws:",
          ),
  };
}

/**
 * The newest available x86_64 AMI whose name matches a pattern, resolved by the
 * provider at plan time. A new image therefore shows up in the next plan as an
 * image id change on the launch template, which starts a rolling refresh.
 */
export class AmiLookup extends Construct {
  public readonly imageId: string;

  constructor(scope: Construct, id: string, props: AmiLookupProps) {
    super(scope, id);
    throwIfProblems(`AmiLookup ${this.node.path}`, checkAmiLookupProps(props));
    const ami = new DataAwsAmi(this, "ami", {
      mostRecent: true,
      owners: props.owners,
      filter: [
        { name: "name", values: [props.namePattern] },
        { name: "state", values: ["available"] },
        { name: "architecture", values: ["x86_64"] },
        ...(props.requiredTagKeys ?? []).map((key) => ({ name: "tag-key", values: [key] })),
      ],
    });
    this.imageId = ami.id;
  }
}
