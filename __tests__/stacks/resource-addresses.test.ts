/**
 * Addresses never move by accident: every resource address of every stack is committed
 * in stacks/resource-addresses.json. A refactoring that changes an address must add a
 * `moved` block (resource.moveFromId), or production plans a replacement.
 *
 * Regenerate the list after a deliberate change: npm run addresses:update
 */
import * as fs from "fs";
import * as path from "path";
import { Testing } from "cdktf";
import { ENVIRONMENTS } from "../../config/environments";
import { loadStacks } from "../../config/load";
import {
  RESOURCE_ADDRESSES_FILE,
  compareAddresses,
  describeAddressChanges,
  resourceAddresses,
} from "./resource-addresses";
import { PROJECT_ROOT } from "../../modules/core/project-root";
import { BOOTSTRAP_STACK_ID } from "../../config/stack-ids";
import { SampleAppStack, stackIdFor } from "../../stacks/sample-app-stack";
import { StateBootstrapStack } from "../../stacks/state-bootstrap-stack";

const LIST_PATH = path.join(PROJECT_ROOT, RESOURCE_ADDRESSES_FILE);
const UPDATE = process.env.UPDATE_RESOURCE_ADDRESSES === "1";

function synthesizedStacks(): Record<string, object> {
  // Every stack `npm run synth` writes, with the committed configuration.
  const { environments, bootstrap } = loadStacks({ environments: ENVIRONMENTS, env: {} });
  const stacks: Record<string, object> = {};
  if (bootstrap) {
    const stack = new StateBootstrapStack(Testing.app(), BOOTSTRAP_STACK_ID, { config: bootstrap.config });
    stacks[BOOTSTRAP_STACK_ID] = JSON.parse(Testing.synth(stack));
  }
  for (const environment of environments) {
    const stack = new SampleAppStack(Testing.app(), stackIdFor(environment.name), { environment });
    stacks[stackIdFor(environment.name)] = JSON.parse(Testing.synth(stack));
  }
  return stacks;
}

describe("resource addresses", () => {
  const stacks = synthesizedStacks();

  if (UPDATE) {
    it(`rewrites ${RESOURCE_ADDRESSES_FILE}`, () => {
      const list = Object.fromEntries(Object.entries(stacks).map(([id, synthesized]) => [id, resourceAddresses(synthesized)]));
      fs.writeFileSync(LIST_PATH, `${JSON.stringify(list, null, 2)}\n`);
    });
    return;
  }

  const committed: Record<string, string[]> = JSON.parse(fs.readFileSync(LIST_PATH, "utf8"));

  it("lists exactly the stacks that are synthesized", () => {
    expect(Object.keys(committed).sort()).toEqual(Object.keys(stacks).sort());
  });

  it.each(Object.keys(stacks))("%s: no address moved without a moved block, none unlisted", (id) => {
    const message = describeAddressChanges(id, compareAddresses(committed[id] ?? [], stacks[id]));
    if (message) {
      throw new Error(message);
    }
  });

  describe("the check itself", () => {
    const synthesized = {
      resource: { aws_lb: { "load-balancer_load-balancer_NEW": {} }, aws_vpc: { network_vpc_A: {} } },
    };
    const committedList = ["aws_lb.load-balancer_load-balancer_OLD", "aws_vpc.network_vpc_A"];

    it("fails on an address that moved without a moved block, and says how to add one", () => {
      const message = describeAddressChanges("s", compareAddresses(committedList, synthesized));
      expect(message).toContain("An apply would DESTROY each of them and create its replacement:\n  - aws_lb.load-balancer_load-balancer_OLD");
      expect(message).toContain('resource.moveFromId("aws_lb.load-balancer_load-balancer_OLD")   // e.g. on the resource now at aws_lb.load-balancer_load-balancer_NEW');
      expect(message).toContain("npm run addresses:update");
    });

    it("accepts the same change once a moved block covers it", () => {
      const changes = compareAddresses(committedList, {
        ...synthesized,
        moved: [{ from: "aws_lb.load-balancer_load-balancer_OLD", to: "aws_lb.load-balancer_load-balancer_NEW" }],
      });
      expect(changes.movedWithoutMovedBlock).toEqual([]);
      expect(changes.moved).toEqual([{ from: "aws_lb.load-balancer_load-balancer_OLD", to: "aws_lb.load-balancer_load-balancer_NEW" }]);
    });

    it("asks for the list to be regenerated when a resource is added", () => {
      const message = describeAddressChanges("s", compareAddresses(["aws_vpc.network_vpc_A"], { resource: { aws_vpc: { network_vpc_A: {}, network_vpc_B: {} } } }));
      expect(message).toBe(
        "stack s: synth has addresses that stacks/resource-addresses.json does not list:\n  + aws_vpc.network_vpc_B\nIf they are new resources, record them with `npm run addresses:update` and commit the file.",
      );
    });
  });
});
