import { Construct } from "constructs";
import { Token } from "cdktf";
import { Problems, checkSubnetIds, checkVpcId, throwIfProblems } from "../core/checks";
import { INetwork } from "./network-ref";

export interface ExistingNetworkProps {
  /** Id of the existing VPC (`vpc-...`). */
  readonly vpcId: string;
  /** Existing public subnets, at least two in distinct AZs (the ALB goes here). */
  readonly publicSubnetIds: string[];
  /**
   * Existing private subnets, at least two in distinct AZs (the instances go here).
   * @default - none: a public-only network (like a default VPC); the instances run in the
   * public subnets with public addresses, reachable only from the load balancer
   */
  readonly privateSubnetIds?: string[];
  /**
   * Whether the private subnets route to the internet (NAT or equivalent).
   * @default true
   */
  readonly privateSubnetsHaveEgress?: boolean;
}

/**
 * Every rule of {@link ExistingNetworkProps}, by prop. Values that are tokens (another
 * stack's outputs through `terraform_remote_state`, a data source) are known only at plan
 * time: their checks are skipped, as aws-cdk's `withResolved` does, and the provider checks them.
 */
export function checkExistingNetworkProps(props: ExistingNetworkProps): Problems {
  const unresolved = (value: unknown) => Token.isUnresolved(value);
  if (unresolved(props.vpcId) || unresolved(props.publicSubnetIds) || unresolved(props.privateSubnetIds)) {
    return {
      vpcId: unresolved(props.vpcId) ? undefined : checkVpcId(props.vpcId),
      publicSubnetIds: unresolved(props.publicSubnetIds) ? undefined : checkSubnetIds(props.publicSubnetIds),
      privateSubnetIds:
        props.privateSubnetIds === undefined || unresolved(props.privateSubnetIds) ? undefined : checkSubnetIds(props.privateSubnetIds),
    };
  }
  const publicIds = Array.isArray(props.publicSubnetIds) ? props.publicSubnetIds : [];
  const overlap = publicIds.filter((subnet) => Array.isArray(props.privateSubnetIds) && props.privateSubnetIds.includes(subnet));
  return {
    vpcId: checkVpcId(props.vpcId),
    publicSubnetIds: checkSubnetIds(props.publicSubnetIds),
    privateSubnetIds:
      props.privateSubnetIds === undefined
        ? undefined
        : checkSubnetIds(props.privateSubnetIds) ??
      (overlap.length > 0 ? `must not also be public subnets (${overlap.join(", ")})` : undefined),
  };
}

/**
 * The "use existing" partner of {@link Network}: adopts a VPC that lives in someone
 * else's state and creates nothing.
 */
export class ExistingNetwork extends Construct implements INetwork {
  public readonly vpcId: string;
  public readonly publicSubnetIds: string[];
  public readonly privateSubnetIds: string[];
  public readonly privateSubnetsHaveEgress: boolean;

  constructor(scope: Construct, id: string, props: ExistingNetworkProps) {
    super(scope, id);
    throwIfProblems(`ExistingNetwork ${this.node.path}`, checkExistingNetworkProps(props));
    this.vpcId = props.vpcId;
    this.publicSubnetIds = Token.isUnresolved(props.publicSubnetIds) ? props.publicSubnetIds : [...props.publicSubnetIds];
    // Without private subnets the instances share the public ones and need public addresses.
    this.privateSubnetIds = props.privateSubnetIds === undefined ? this.publicSubnetIds : Token.isUnresolved(props.privateSubnetIds) ? props.privateSubnetIds : [...props.privateSubnetIds];
    this.privateSubnetsHaveEgress = props.privateSubnetIds === undefined ? false : (props.privateSubnetsHaveEgress ?? true);
  }
}
