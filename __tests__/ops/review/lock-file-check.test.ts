import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROVIDER_LOCK_FLAG, lockFileFlags } from "../../../ops/review/lock-file-check";

describe("lockFileFlags", () => {
  it("warns, naming the file and the command, when the stack has no committed lock file", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "lock-flag-"));
    expect(lockFileFlags(root, "sample-app-dev")).toEqual([
      {
        id: PROVIDER_LOCK_FLAG,
        severity: "warning",
        message: expect.stringMatching(/^provider-locks\/sample-app-dev\.terraform\.lock\.hcl is not committed: .* run `npm run lock -- --env dev` \(or the lock workflow\) and commit the file\.$/),
      },
    ]);
  });

  it("says nothing when it is committed", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "lock-flag-"));
    fs.mkdirSync(path.join(root, "provider-locks"));
    fs.writeFileSync(path.join(root, "provider-locks", "sample-app-dev.terraform.lock.hcl"), "");
    expect(lockFileFlags(root, "sample-app-dev")).toEqual([]);
  });

  it("gives no flag for this repository's committed sample-app-local lock file", () => {
    expect(lockFileFlags(path.join(__dirname, "..", "..", ".."), "sample-app-local")).toEqual([]);
  });
});
