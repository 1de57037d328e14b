/**
 * npm run image:prune against the emulator, with the local stack applied by the real
 * OpenTofu and AWS provider: the stack rolls from the oldest app image to the next, so the
 * group runs one image and would roll back to another; both must survive any --keep.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DescribeInstanceRefreshesCommand } from "@aws-sdk/client-auto-scaling";
import { CreateTagsCommand, DescribeImagesCommand, DescribeSnapshotsCommand, Image, RegisterImageCommand } from "@aws-sdk/client-ec2";
import { emulatorClients } from "./aws-clients";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const harness = require("./harness");

interface Emulator {
  endpoint: string;
  stop(): Promise<void>;
}

describe("npm run image:prune against the emulator", () => {
  const toolchain = harness.findToolchain();
  let emulator: Emulator;
  let work: string;
  let stackDir: string;
  let clients: ReturnType<typeof emulatorClients>;

  const tofu = (args: string[], options: { allowExit?: number[] } = {}) => harness.tofu(toolchain, args, stackDir, options);
  const apply = (imageId: string) => {
    stackDir = harness.synthLocal(path.join(work, "cdktf.out"), { endpoint: emulator.endpoint, imageId });
    tofu(["init", "-input=false"]);
    tofu(["apply", "-input=false", "-auto-approve"]);
  };
  const prune = (...args: string[]) => {
    const result = spawnSync(process.execPath, [path.join(harness.ROOT, "scripts", "ops.mjs"), "image-prune", ...args], {
      cwd: harness.ROOT,
      env: { ...process.env, SAMPLE_APP_EMULATOR_ENDPOINT: emulator.endpoint },
      encoding: "utf8",
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  const register = async (name: string, tags: Record<string, string>): Promise<string> => {
    const { ImageId } = await clients.ec2.send(new RegisterImageCommand({ Name: name, RootDeviceName: "/dev/xvda" }));
    if (Object.keys(tags).length > 0) {
      await clients.ec2.send(new CreateTagsCommand({ Resources: [ImageId!], Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) }));
    }
    return ImageId!;
  };
  const images = async (): Promise<Image[]> => (await clients.ec2.send(new DescribeImagesCommand({ Owners: ["self"] }))).Images ?? [];
  const snapshotIds = async (): Promise<string[]> =>
    ((await clients.ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ["self"] }))).Snapshots ?? []).map((s) => s.SnapshotId!).sort();

  beforeAll(async () => {
    harness.buildApp();
    emulator = await harness.startEmulator(toolchain, { logFile: path.join(os.tmpdir(), "sample-app-e2e-prune-emulator.log") });
    clients = emulatorClients(emulator.endpoint);
    await harness.resetEmulator(emulator.endpoint);
    work = fs.mkdtempSync(path.join(os.tmpdir(), "sample-app-e2e-prune-"));
  });

  afterAll(async () => {
    if (stackDir && fs.existsSync(path.join(work, ".state", "sample-app-local.tfstate"))) {
      tofu(["destroy", "-input=false", "-auto-approve"], { allowExit: [0, 1] });
    }
    fs.rmSync(work, { recursive: true, force: true });
    await emulator?.stop();
  });

  it("keeps the newest N, the image in use and the rollback target; deletes the rest with their snapshots", async () => {
    const app: string[] = [];
    for (let n = 1; n <= 5; n++) {
      app.push(
        await register(`sample-app-packer-1.0.${n}-2026010${n}000000`, {
          app: "sample-app",
          image_role: "app",
          version: `1.0.${n}`,
          build_time: `2026-01-0${n}T00:00:00Z`,
        }),
      );
    }
    const base = await register("sample-app-base-20260101000000", { app: "sample-app", image_role: "base" });
    const foreign = await register("someone-elses-image", {});

    // The group runs app[1] and would roll back to app[0].
    apply(app[0]);
    apply(app[1]);
    const group = JSON.parse(tofu(["output", "-json"]).stdout).asg_name.value;
    for (let i = 0; i < 100; i++) {
      const { InstanceRefreshes = [] } = await clients.autoscaling.send(new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: group }));
      if (InstanceRefreshes[0]?.Status === "Successful") break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }

    const before = { images: (await images()).map((i) => i.ImageId).sort(), snapshots: await snapshotIds() };
    expect(before.images).toHaveLength(7);

    // Bad input: a clear error, nothing changed.
    const zero = prune("--keep", "0");
    expect({ status: zero.status, stderr: zero.stderr.trim() }).toEqual({
      status: 2,
      stderr: "image:prune: --keep must be at least 1, got 0: keeping no image leaves nothing to run or roll back to",
    });
    const unknownRegion = prune("--keep", "2", "--region", "us-east-9");
    expect(unknownRegion.status).toBe(2);
    expect(unknownRegion.stderr.trim()).toBe(
      'image:prune: --region "us-east-9": must be an AWS region like "us-east-1"; did you mean "us-east-1"? (the regions are in modules/core/aws-facts.json). Nothing was changed.',
    );
    expect(prune().stderr).toContain("--keep N is required");

    const dryRun = prune("--keep", "2", "--dry-run");
    expect(dryRun.status).toBe(0);
    const line = (id: string) => dryRun.stdout.split("\n").find((l) => l.includes(id)) ?? "";
    expect(line(app[4])).toMatch(/^ {2}keep {4}.*one of the newest 2$/);
    expect(line(app[3])).toMatch(/^ {2}keep {4}.*one of the newest 2$/);
    expect(line(app[2])).toMatch(/^ {2}delete {2}.*\(snapshots snap-/);
    expect(line(app[1])).toMatch(/in use: group sample-app-local runs launch template sample-app-local-\S+ version 2/);
    expect(line(app[0])).toMatch(/rollback target of group sample-app-local \(launch template sample-app-local-\S+ version 1\)/);
    expect(dryRun.stdout).toContain("dry run: nothing changed; a real run deregisters 1 image(s) and deletes 1 snapshot(s).");
    expect(dryRun.stdout).not.toContain(base);
    expect(dryRun.stdout).not.toContain(foreign);
    expect({ images: (await images()).map((i) => i.ImageId).sort(), snapshots: await snapshotIds() }).toEqual(before);
    fs.writeFileSync(path.join(os.tmpdir(), "sample-app-e2e-prune-dry-run.txt"), dryRun.stdout);

    const doomed = (await images()).find((i) => i.ImageId === app[2])!;
    const doomedSnapshots = (doomed.BlockDeviceMappings ?? []).map((m) => m.Ebs?.SnapshotId).filter(Boolean);
    expect(doomedSnapshots).toHaveLength(1);

    const real = prune("--keep", "2");
    expect(real.status).toBe(0);
    expect(real.stdout).toContain(`deregistered ${app[2]}`);
    expect(real.stdout).toContain(`deleted snapshot ${doomedSnapshots[0]} (of ${app[2]})`);
    expect(real.stdout).toContain("deregistered 1 image(s), deleted 1 snapshot(s) in us-east-1.");
    fs.writeFileSync(path.join(os.tmpdir(), "sample-app-e2e-prune-real.txt"), real.stdout);
    expect((await images()).map((i) => i.ImageId).sort()).toEqual(before.images.filter((id) => id !== app[2]));
    expect(await snapshotIds()).toEqual(before.snapshots.filter((id) => id !== doomedSnapshots[0]));

    // Idempotent: a second run finds nothing more to delete.
    expect(prune("--keep", "2").stdout).toContain("deregistered 0 image(s), deleted 0 snapshot(s) in us-east-1.");
  });
});
