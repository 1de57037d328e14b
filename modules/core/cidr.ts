/**
 * IPv4 CIDR arithmetic used to derive subnet layouts from a VPC CIDR.
 *
 * Done in TypeScript rather than with Terraform's `cidrsubnet()` so that a layout
 * that does not fit is rejected at synth time, before a plan is ever reviewed.
 */

export interface Ipv4Cidr {
  /** Network address as an unsigned 32-bit integer. */
  readonly network: number;
  /** Prefix length, 0..32. */
  readonly prefixLength: number;
}

const CIDR_PATTERN = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/**
 * Parses `a.b.c.d/n`. Returns an error description instead of throwing so that
 * callers can name the field the value came from.
 */
export function parseCidr(value: string): Ipv4Cidr | string {
  const match = CIDR_PATTERN.exec(value);
  if (!match) {
    return "must be an IPv4 CIDR block like 10.0.0.0/16";
  }
  const octets = match.slice(1, 5).map(Number);
  if (octets.some((octet) => octet > 255)) {
    return "has an octet above 255";
  }
  // "010.0.0.0/8" is 10.0.0.0/8 to AWS but a different string to a duplicate check or a
  // construct id; only the canonical spelling is accepted.
  if (match.slice(1, 6).some((part) => part.length > 1 && part.startsWith("0"))) {
    return `must be written without leading zeros (${octets.join(".")}/${Number(match[5])})`;
  }
  const prefixLength = Number(match[5]);
  if (prefixLength > 32) {
    return "has a prefix length above 32";
  }
  const address = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
  const network = (address & prefixMask(prefixLength)) >>> 0;
  if (network !== address) {
    return `has host bits set (the network address is ${formatCidr({ network, prefixLength })})`;
  }
  return { network, prefixLength };
}

/** Like {@link parseCidr} but throws; for values already validated. */
export function mustParseCidr(value: string): Ipv4Cidr {
  const parsed = parseCidr(value);
  if (typeof parsed === "string") {
    throw new Error(`${value} ${parsed}`);
  }
  return parsed;
}

export function formatCidr(cidr: Ipv4Cidr): string {
  const n = cidr.network;
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}/${cidr.prefixLength}`;
}

function prefixMask(prefixLength: number): number {
  return prefixLength === 0 ? 0 : (0xffffffff << (32 - prefixLength)) >>> 0;
}

function size(cidr: Ipv4Cidr): number {
  return 2 ** (32 - cidr.prefixLength);
}

/** Equivalent of Terraform's `cidrsubnet(base, newbits, netnum)`. */
export function subnetOf(base: Ipv4Cidr, newBits: number, netNum: number): Ipv4Cidr {
  const prefixLength = base.prefixLength + newBits;
  if (newBits < 0 || prefixLength > 32) {
    throw new Error(`cannot add ${newBits} bits to a /${base.prefixLength}`);
  }
  if (netNum < 0 || netNum >= 2 ** newBits) {
    throw new Error(`network number ${netNum} does not fit in ${newBits} bits`);
  }
  return { network: (base.network + netNum * 2 ** (32 - prefixLength)) >>> 0, prefixLength };
}

export function cidrsOverlap(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  const aEnd = a.network + size(a);
  const bEnd = b.network + size(b);
  return a.network < bEnd && b.network < aEnd;
}

export function cidrContains(outer: Ipv4Cidr, inner: Ipv4Cidr): boolean {
  return (
    inner.prefixLength >= outer.prefixLength &&
    inner.network >= outer.network &&
    inner.network + size(inner) <= outer.network + size(outer)
  );
}

/** The subnets of one availability zone. */
export interface AzSubnetCidrs {
  readonly public: string;
  readonly private: string;
}

/**
 * Subnet layout: the VPC is split in halves, public subnets are allocated from
 * the lower half and private subnets from the upper half, one of each per AZ in
 * AZ order. Because each kind has its own half, adding an AZ later appends
 * subnets without renumbering (and so replacing) the existing ones.
 *
 * Returns a description of the problem when the layout does not fit.
 */
export function planSubnets(
  vpcCidr: Ipv4Cidr,
  azCount: number,
  subnetPrefixLength: number,
): AzSubnetCidrs[] | string {
  const newBits = subnetPrefixLength - vpcCidr.prefixLength;
  if (newBits < 1) {
    return `subnet prefix /${subnetPrefixLength} must be longer than the VPC prefix /${vpcCidr.prefixLength}`;
  }
  if (subnetPrefixLength > 28) {
    return `subnet prefix /${subnetPrefixLength} is smaller than AWS allows (/28 at most)`;
  }
  const perHalf = 2 ** (newBits - 1);
  if (azCount > perHalf) {
    return (
      `${azCount} public and ${azCount} private /${subnetPrefixLength} subnets do not fit in ` +
      `${formatCidr(vpcCidr)} (room for ${perHalf} of each); use a larger VPC CIDR or a longer subnet prefix`
    );
  }
  const layout: AzSubnetCidrs[] = [];
  for (let az = 0; az < azCount; az++) {
    layout.push({
      public: formatCidr(subnetOf(vpcCidr, newBits, az)),
      private: formatCidr(subnetOf(vpcCidr, newBits, perHalf + az)),
    });
  }
  return layout;
}
