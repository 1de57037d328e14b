import { Construct } from "constructs";
import { Fn } from "cdktf";
import { DataAwsAvailabilityZones } from "@cdktf/provider-aws/lib/data-aws-availability-zones";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { mustParseCidr, planSubnets } from "../core/cidr";
import { Problems, checkInteger, checkVpcCidr, isUnresolved, throwIfProblems } from "../core/checks";
import { INetwork } from "./network-ref";
import { FlowLogDestination, VpcFlowLog, VpcFlowLogProps } from "./vpc-flow-log";

/**
 * How private subnets reach the internet:
 * - `none`: no NAT; private subnets have no default route (cheapest; instances must
 *   then run in public subnets to reach AWS APIs).
 * - `single`: one NAT gateway in the first AZ shared by all private subnets (cheap,
 *   but an AZ outage cuts egress for every AZ).
 * - `per-az`: one NAT gateway per AZ (highly available; one gateway charge per AZ).
 */
export type NatMode = "none" | "single" | "per-az";

export const NAT_MODES: readonly NatMode[] = ["none", "single", "per-az"];

export interface NetworkProps {
  /** Prefix of every Name tag. */
  readonly name: string;
  /**
   * IPv4 CIDR of the VPC, /16 to /28.
   * @default "10.0.0.0/16"
   */
  readonly cidrBlock?: string;
  /**
   * Number of availability zones to spread the subnets over; at least 2, because an
   * ALB requires subnets in two AZs and a single AZ is a single point of failure.
   * @default 2
   */
  readonly azCount?: number;
  /**
   * Explicit availability zone names, at least `azCount` of them.
   * @default the first `azCount` available zones of the region, looked up at plan time
   */
  readonly availabilityZones?: string[];
  /**
   * Prefix length of every subnet; the VPC is split in halves (public, private).
   * @default the VPC prefix length + 4 (a /16 gives /20 subnets)
   */
  readonly subnetPrefixLength?: number;
  /**
   * NAT layout for the private subnets.
   * @default "single"
   */
  readonly natMode?: NatMode;
  /**
   * VPC flow logs (SA-010).
   * @default - on: every connection to a CloudWatch Logs group kept 365 days
   */
  readonly flowLogs?: FlowLogsProps;
  /**
   * Take over the VPC's default security group and remove its rules, so that nothing
   * launched without a security group gets AWS's allow-within-group default (SA-014).
   * @default true
   */
  readonly manageDefaultSecurityGroup?: boolean;
}

/** VPC flow logs of a {@link Network}. */
export interface FlowLogsProps {
  /**
   * Record flow logs.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Where the records go.
   * @default - a CloudWatch Logs group kept 365 days
   */
  readonly destination?: FlowLogDestination;
  /**
   * Which traffic is logged.
   * @default "ALL"
   */
  readonly trafficType?: VpcFlowLogProps["trafficType"];
}

/** Defaults of the optional {@link NetworkProps}. */
export const NETWORK_DEFAULTS = {
  cidrBlock: "10.0.0.0/16",
  azCount: 2,
  natMode: "single" as NatMode,
} as const;

/** Default subnet size: the VPC prefix + 4 (a /16 gives /20 subnets), at most /28. */
export function defaultSubnetPrefixLength(vpcPrefixLength: number): number {
  return Math.min(vpcPrefixLength + 4, 28);
}

/**
 * Every rule of {@link NetworkProps}, by prop (defaults applied). The subnet layout is
 * checked once the CIDR, AZ count and NAT mode are valid, and reported under
 * `subnetPrefixLength` when that is given, else under `cidrBlock`.
 */
export function checkNetworkProps(props: Partial<NetworkProps>): Problems {
  const cidrBlock = props.cidrBlock ?? NETWORK_DEFAULTS.cidrBlock;
  const azCount = props.azCount ?? NETWORK_DEFAULTS.azCount;
  const natMode = props.natMode ?? NETWORK_DEFAULTS.natMode;
  const problems: Problems = {
    cidrBlock: checkVpcCidr(cidrBlock),
    azCount: isUnresolved(azCount) ? "must be a literal number, not a reference: the subnets are planned at synth time" : checkInteger(azCount, 2, 16),
    natMode: NAT_MODES.includes(natMode) ? undefined : `must be one of ${NAT_MODES.join(", ")}`,
    availabilityZones:
      props.availabilityZones && props.availabilityZones.length < azCount
        ? `must name at least azCount (${azCount}) zones`
        : undefined,
  };
  if (Object.values(problems).every((problem) => problem === undefined)) {
    const vpc = mustParseCidr(cidrBlock);
    const prefix = props.subnetPrefixLength ?? defaultSubnetPrefixLength(vpc.prefixLength);
    const layout = isUnresolved(prefix)
      ? "must be a literal number, not a reference: the subnets are planned at synth time"
      : Number.isInteger(prefix)
        ? planSubnets(vpc, azCount, prefix)
        : "must be a whole number";
    if (typeof layout === "string") {
      problems[props.subnetPrefixLength === undefined ? "cidrBlock" : "subnetPrefixLength"] = layout;
    }
  }
  return problems;
}

/**
 * A VPC with one public and one private subnet per availability zone, an internet
 * gateway for the public subnets and NAT for the private ones as `natMode` says.
 */
export class Network extends Construct implements INetwork {
  public readonly vpcId: string;
  public readonly publicSubnetIds: string[];
  public readonly privateSubnetIds: string[];
  public readonly privateSubnetsHaveEgress: boolean;
  /** The VPC's flow log, unless turned off. */
  public readonly flowLog?: VpcFlowLog;
  /** The subnet CIDRs, in AZ order; computed at synth time so reviewers see them in the plan. */
  public readonly subnetCidrs: { readonly public: string; readonly private: string }[];

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);

    throwIfProblems(`Network ${this.node.path}`, checkNetworkProps(props));
    const cidrBlock = props.cidrBlock ?? NETWORK_DEFAULTS.cidrBlock;
    const azCount = props.azCount ?? NETWORK_DEFAULTS.azCount;
    const natMode = props.natMode ?? NETWORK_DEFAULTS.natMode;
    const vpcCidr = mustParseCidr(cidrBlock);
    const subnetPrefixLength = props.subnetPrefixLength ?? defaultSubnetPrefixLength(vpcCidr.prefixLength);
    this.subnetCidrs = planSubnets(vpcCidr, azCount, subnetPrefixLength) as Exclude<ReturnType<typeof planSubnets>, string>;

    const azNames = props.availabilityZones
      ? props.availabilityZones.slice(0, azCount)
      : this.lookUpAvailabilityZones(azCount);

    const vpc = new Vpc(this, "vpc", {
      cidrBlock,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: { Name: props.name },
    });
    this.vpcId = vpc.id;

    const internetGateway = new InternetGateway(this, "internet-gateway", {
      vpcId: vpc.id,
      tags: { Name: props.name },
    });

    const publicRouteTable = new RouteTable(this, "public-route-table", {
      vpcId: vpc.id,
      tags: { Name: `${props.name}-public` },
    });
    new Route(this, "public-default-route", {
      routeTableId: publicRouteTable.id,
      destinationCidrBlock: "0.0.0.0/0",
      gatewayId: internetGateway.id,
    });

    // Construct ids carry the AZ ordinal, never a list index of something that can be
    // reordered, so Terraform addresses stay put when AZs are added.
    const publicSubnets: Subnet[] = [];
    const privateSubnets: Subnet[] = [];
    this.subnetCidrs.forEach((cidrs, index) => {
      const az = `az${index + 1}`;
      const publicSubnet = new Subnet(this, `public-subnet-${az}`, {
        vpcId: vpc.id,
        cidrBlock: cidrs.public,
        availabilityZone: azNames[index],
        // Public addresses are granted per launch template where needed, not by default.
        mapPublicIpOnLaunch: false,
        tags: { Name: `${props.name}-public-${az}`, Tier: "public" },
      });
      new RouteTableAssociation(this, `public-route-table-association-${az}`, {
        subnetId: publicSubnet.id,
        routeTableId: publicRouteTable.id,
      });
      publicSubnets.push(publicSubnet);

      privateSubnets.push(
        new Subnet(this, `private-subnet-${az}`, {
          vpcId: vpc.id,
          cidrBlock: cidrs.private,
          availabilityZone: azNames[index],
          mapPublicIpOnLaunch: false,
          tags: { Name: `${props.name}-private-${az}`, Tier: "private" },
        }),
      );
    });

    this.createPrivateRouting(props.name, natMode, vpc, internetGateway, publicSubnets, privateSubnets);

    this.publicSubnetIds = publicSubnets.map((subnet) => subnet.id);
    this.privateSubnetIds = privateSubnets.map((subnet) => subnet.id);
    this.privateSubnetsHaveEgress = natMode !== "none";

    if (props.manageDefaultSecurityGroup ?? true) {
      // No ingress or egress blocks: the provider removes every rule AWS put there.
      new DefaultSecurityGroup(this, "default-security-group", {
        vpcId: vpc.id,
        tags: { Name: `${props.name}-default-unused` },
      });
    }
    if (props.flowLogs?.enabled ?? true) {
      this.flowLog = new VpcFlowLog(this, "flow-log", {
        name: props.name,
        vpcId: vpc.id,
        destination: props.flowLogs?.destination,
        trafficType: props.flowLogs?.trafficType,
      });
    }
  }

  private lookUpAvailabilityZones(azCount: number): string[] {
    const zones = new DataAwsAvailabilityZones(this, "availability-zones", { state: "available" });
    return Array.from({ length: azCount }, (_, index) => Fn.element(zones.names, index));
  }

  /**
   * Private route tables: one per NAT gateway, so that with `per-az` each AZ keeps
   * its egress inside the AZ; with `none` one table without a default route, so the
   * private subnets never fall back to the VPC's main route table.
   */
  private createPrivateRouting(
    name: string,
    natMode: NatMode,
    vpc: Vpc,
    internetGateway: InternetGateway,
    publicSubnets: Subnet[],
    privateSubnets: Subnet[],
  ): void {
    const natGatewayCount = natMode === "per-az" ? privateSubnets.length : natMode === "single" ? 1 : 0;
    const routeTableCount = Math.max(natGatewayCount, 1);
    const routeTables: RouteTable[] = [];
    for (let index = 0; index < routeTableCount; index++) {
      const az = `az${index + 1}`;
      const suffix = natMode === "per-az" ? `-${az}` : "";
      const routeTable = new RouteTable(this, `private-route-table${suffix}`, {
        vpcId: vpc.id,
        tags: { Name: `${name}-private${suffix}` },
      });
      routeTables.push(routeTable);
      if (index < natGatewayCount) {
        const eip = new Eip(this, `nat-eip-${az}`, {
          domain: "vpc",
          tags: { Name: `${name}-nat-${az}` },
          dependsOn: [internetGateway],
        });
        const natGateway = new NatGateway(this, `nat-gateway-${az}`, {
          allocationId: eip.id,
          subnetId: publicSubnets[index].id,
          tags: { Name: `${name}-${az}` },
          // A NAT gateway only passes traffic once the VPC has a route to the internet.
          dependsOn: [internetGateway],
        });
        new Route(this, `private-default-route${suffix}`, {
          routeTableId: routeTable.id,
          destinationCidrBlock: "0.0.0.0/0",
          natGatewayId: natGateway.id,
        });
      }
    }
    privateSubnets.forEach((subnet, index) => {
      new RouteTableAssociation(this, `private-route-table-association-az${index + 1}`, {
        subnetId: subnet.id,
        routeTableId: routeTables[natMode === "per-az" ? index : 0].id,
      });
    });
  }
}
