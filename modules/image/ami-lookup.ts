import { Construct } from "constructs";
import { DataAwsAmi } from "@cdktf/provider-aws/lib/data-aws-ami";
import { throwIfProblems } from "../../lib/checks";

export interface AmiLookupProps {
  /** AMI name pattern; `*` matches any run of characters, e.g. "sample-app-packer-*". */
  readonly namePattern: string;
  /** Owners to search: "self", "amazon", "aws-marketplace" or account ids. */
  readonly owners: string[];
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
    throwIfProblems(`AmiLookup ${this.node.path}`, {
      namePattern: props.namePattern.length > 0 ? undefined : "must not be empty",
      owners: props.owners.length > 0 ? undefined : "must list at least one owner",
    });
    const ami = new DataAwsAmi(this, "ami", {
      mostRecent: true,
      owners: props.owners,
      filter: [
        { name: "name", values: [props.namePattern] },
        { name: "state", values: ["available"] },
        { name: "architecture", values: ["x86_64"] },
      ],
    });
    this.imageId = ami.id;
  }
}
