/**
 * Terraform addresses of a synthesized stack, and the `moved` blocks that account for
 * addresses that disappeared. A resource whose address changes without a `moved` block
 * is destroyed and created again: for an ALB that is a new DNS name, for an auto scaling
 * group a relaunched fleet. The committed list (stacks/resource-addresses.json) and its
 * test (__tests__/stacks/resource-addresses.test.ts) catch that before a plan does.
 */

/** The committed address list, relative to the project root. */
export const RESOURCE_ADDRESSES_FILE = "stacks/resource-addresses.json";

/** The command that rewrites the committed list from the current synth output. */
export const UPDATE_ADDRESSES_COMMAND = "npm run addresses:update";

/** Synthesized Terraform JSON, as far as addresses go. */
export interface SynthesizedAddresses {
  readonly resource?: Record<string, Record<string, unknown>>;
  readonly moved?: readonly { readonly from: string; readonly to: string }[];
}

/** Every managed resource address (`type.name`) of a synthesized stack, sorted. */
export function resourceAddresses(synthesized: SynthesizedAddresses): string[] {
  return Object.entries(synthesized.resource ?? {})
    .flatMap(([type, resources]) => Object.keys(resources).map((name) => `${type}.${name}`))
    .sort();
}

/** What changed between the committed addresses and a synth, and what is not accounted for. */
export interface AddressChanges {
  /** Committed addresses that synth no longer has and that no `moved` block moves away. */
  readonly movedWithoutMovedBlock: string[];
  /** Addresses synth has that the committed list does not. */
  readonly added: string[];
  /** Committed addresses covered by a `moved` block (their `to` address). */
  readonly moved: { from: string; to: string }[];
}

export function compareAddresses(committed: readonly string[], synthesized: SynthesizedAddresses): AddressChanges {
  const current = new Set(resourceAddresses(synthesized));
  const movedFrom = new Map((synthesized.moved ?? []).map((block) => [block.from, block.to]));
  const gone = committed.filter((address) => !current.has(address));
  return {
    movedWithoutMovedBlock: gone.filter((address) => !movedFrom.has(address)),
    moved: gone.filter((address) => movedFrom.has(address)).map((from) => ({ from, to: movedFrom.get(from)! })),
    added: [...current].filter((address) => !committed.includes(address)),
  };
}

/** A failure message that says what moved and exactly how to fix it. */
export function describeAddressChanges(stack: string, changes: AddressChanges): string | undefined {
  const lines: string[] = [];
  if (changes.movedWithoutMovedBlock.length > 0) {
    const [type] = changes.movedWithoutMovedBlock[0].split(".");
    const candidate = changes.added.find((address) => address.startsWith(`${type}.`));
    lines.push(
      `stack ${stack}: these addresses are in ${RESOURCE_ADDRESSES_FILE} but synth no longer has them, and no moved block accounts for them.`,
      `An apply would DESTROY each of them and create its replacement:`,
      ...changes.movedWithoutMovedBlock.map((address) => `  - ${address}`),
      `If you renamed or re-parented a construct on purpose, keep the object: on the new resource call`,
      `  resource.moveFromId("${changes.movedWithoutMovedBlock[0]}")` +
        (candidate ? `   // e.g. on the resource now at ${candidate}` : ""),
      `(cdktf emits a \`moved { from, to }\` block), then run \`${UPDATE_ADDRESSES_COMMAND}\`.`,
      `If the resource is gone on purpose, run \`${UPDATE_ADDRESSES_COMMAND}\` and say so in the pull request.`,
    );
  }
  if (changes.added.length > 0) {
    lines.push(
      `stack ${stack}: synth has addresses that ${RESOURCE_ADDRESSES_FILE} does not list:`,
      ...changes.added.map((address) => `  + ${address}`),
      `If they are new resources, record them with \`${UPDATE_ADDRESSES_COMMAND}\` and commit the file.`,
    );
  }
  return lines.length > 0 ? lines.join("\n") : undefined;
}
