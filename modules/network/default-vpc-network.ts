import { Construct } from "constructs";
import { DataAwsSubnets } from "@cdktf/provider-aws/lib/data-aws-subnets";
import { DataAwsVpc } from "@cdktf/provider-aws/lib/data-aws-vpc";
import { INetwork } from "./network-ref";

export interface DefaultVpcNetworkProps {
  /**
   * Use only the default subnets (`default-for-az`), one per availability zone, instead
   * of every subnet of the default VPC.
   * @default false (every subnet of the default VPC, as the book's chapter 3 modules do, so an
   * adopted ALB and group keep exactly their subnets)
   */
  readonly defaultSubnetsOnly?: boolean;
}

/**
 * The region's default VPC and its subnets, looked up at plan time; creates nothing.
 * Every subnet of a default VPC is public (its route table sends 0.0.0.0/0 to the internet
 * gateway), so the instances run in the same subnets as the load balancer, with public
 * addresses, reachable only from the load balancer's security group.
 *
 * This is where the book's chapter 3 deployment lives: adopting it keeps its ALB and
 * instances where they are. Not for new production deployments (no private subnets).
 */
export class DefaultVpcNetwork extends Construct implements INetwork {
  public readonly vpcId: string;
  public readonly publicSubnetIds: string[];
  public readonly privateSubnetIds: string[];
  public readonly privateSubnetsHaveEgress = false;

  constructor(scope: Construct, id: string, props: DefaultVpcNetworkProps = {}) {
    super(scope, id);
    const vpc = new DataAwsVpc(this, "vpc", { default: true });
    const subnets = new DataAwsSubnets(this, "subnets", {
      filter: [
        { name: "vpc-id", values: [vpc.id] },
        ...(props.defaultSubnetsOnly ? [{ name: "default-for-az", values: ["true"] }] : []),
      ],
    });
    this.vpcId = vpc.id;
    this.publicSubnetIds = subnets.ids;
    this.privateSubnetIds = subnets.ids;
  }
}
