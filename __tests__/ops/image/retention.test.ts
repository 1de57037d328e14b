import { AppImage, parseKeep, planRetention, rollbackTarget } from "../../../ops/image/retention";
import { parseArgs } from "../../../ops/image/prune";

const image = (n: number, day: number): AppImage => ({
  imageId: `ami-0000000${n}`,
  name: `sample-app-packer-1.0.${n}-202601${String(day).padStart(2, "0")}000000`,
  createdAt: new Date(Date.UTC(2026, 0, day)),
  snapshotIds: [`snap-${n}`],
});

describe("image retention", () => {
  const images = [image(1, 1), image(3, 3), image(2, 2), image(5, 5), image(4, 4)];

  it("keeps the newest N and deletes the rest, newest first", () => {
    const plan = planRetention(images, 2, []);
    expect(plan.map((d) => [d.image.imageId, d.action])).toEqual([
      ["ami-00000005", "keep"],
      ["ami-00000004", "keep"],
      ["ami-00000003", "delete"],
      ["ami-00000002", "delete"],
      ["ami-00000001", "delete"],
    ]);
  });

  it("never deletes an image in use or a rollback target, whatever its age, and says why", () => {
    const plan = planRetention(images, 1, [
      { imageId: "ami-00000002", reason: "in use: group g runs launch template lt version 2" },
      { imageId: "ami-00000001", reason: "rollback target of group g (launch template lt version 1)" },
      { imageId: "ami-00000005", reason: "latest version 2 of launch template lt" },
    ]);
    expect(Object.fromEntries(plan.map((d) => [d.image.imageId, [d.action, ...d.reasons]]))).toEqual({
      "ami-00000005": ["keep", "one of the newest 1", "latest version 2 of launch template lt"],
      "ami-00000004": ["delete"],
      "ami-00000003": ["delete"],
      "ami-00000002": ["keep", "in use: group g runs launch template lt version 2"],
      "ami-00000001": ["keep", "rollback target of group g (launch template lt version 1)"],
    });
  });

  it("finds the rollback target: the newest older version with another image", () => {
    const versions = [
      { version: 1, imageId: "ami-a" },
      { version: 2, imageId: "ami-b" },
      { version: 3, imageId: "ami-c" },
      { version: 4, imageId: "ami-c" }, // only user data changed
    ];
    expect(rollbackTarget(versions, 4)).toEqual({ version: 2, imageId: "ami-b" });
    expect(rollbackTarget(versions, 2)).toEqual({ version: 1, imageId: "ami-a" });
    expect(rollbackTarget(versions, 1)).toBeUndefined();
  });

  it.each<[string | undefined, string]>([
    [undefined, "--keep N is required"],
    ["0", "--keep must be at least 1, got 0"],
    ["-1", '--keep must be a whole number, got "-1"'],
    ["2.5", '--keep must be a whole number, got "2.5"'],
    ["many", '--keep must be a whole number, got "many"'],
  ])("rejects --keep %s", (raw, message) => {
    expect(parseKeep(raw)).toContain(message);
  });

  it("parses the command line, defaulting to the environments' regions", () => {
    expect(parseArgs(["--keep", "3"])).toEqual({ keep: 3, regions: ["us-east-1"], dryRun: false, help: false });
    expect(parseArgs(["--keep=2", "--region", "eu-west-1", "--dry-run"])).toEqual({ keep: 2, regions: ["eu-west-1"], dryRun: true, help: false });
    expect(() => parseArgs(["--keep", "2", "--region", "Europe"])).toThrow('--region "Europe" is not an AWS region name like us-east-1');
    expect(() => parseArgs(["--keep", "2", "--force"])).toThrow("unknown option --force");
    // An unknown region is refused offline (modules/core/aws-facts.json), before any AWS call.
    expect(() => parseArgs(["--keep", "2", "--region", "us-east-9"])).toThrow('--region "us-east-9": must be an AWS region like "us-east-1"; did you mean "us-east-1"?');
    expect(() => parseArgs(["--keep", "2", "--region", "--dry-run"])).toThrow("--region needs a value");
    expect(parseArgs(["--keep", "1", "--region", "us-west-2", "--region=eu-west-1", "--region", "us-west-2"]).regions).toEqual(["eu-west-1", "us-west-2"]);
    expect(() => parseArgs(["--keep", "0"])).toThrow("--keep must be at least 1");
  });
});
