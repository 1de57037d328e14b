/**
 * cdktf's own matchers, run with TERRAFORM_BINARY_NAME pointing at the toolchain's
 * tofu (e2e/setup-env.js): every stack is valid Terraform and plans successfully.
 * The local stack plans against its emulator endpoints; dev, stage and prod keep
 * their normal provider blocks and reach the emulator through AWS_ENDPOINT_URL, as a
 * pipeline would reach AWS through its own environment.
 */
import * as os from "os";
import * as path from "path";
import { CreateImageCommand, CreateTagsCommand, RunInstancesCommand } from "@aws-sdk/client-ec2";
import { Testing } from "cdktf";
import { loadEnvironment } from "../config/load";
import { promotionTagKey } from "../modules/image/promotion";
import { SampleAppStack, stackIdFor } from "../stacks/sample-app-stack";
import { emulatorClients } from "./aws-clients";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const harness = require("./harness");

describe.each(["dev", "stage", "prod", "local"])("stack sample-app-%s with cdktf's matchers and tofu", (name) => {
  const toolchain = harness.findToolchain();
  let emulator: { endpoint: string; stop(): Promise<void> };
  let synthesizedDir: string;
  const saved = { ...process.env };

  beforeAll(async () => {
    emulator = await harness.startEmulator(toolchain, { logFile: path.join(os.tmpdir(), "sample-app-e2e-matchers.log") });
    const { ec2 } = emulatorClients(emulator.endpoint);
    // The real environments look up the newest `sample-app-packer-*` image of their
    // own account: give the emulator one, made the way Packer makes it (an instance, then an image).
    const run = await ec2.send(new RunInstancesCommand({ ImageId: "ami-0a0000000000000a1", MinCount: 1, MaxCount: 1, InstanceType: "t3.micro" }));
    const image = await ec2.send(
      new CreateImageCommand({ InstanceId: run.Instances![0].InstanceId!, Name: "sample-app-packer-1.0.0-20261122080000" }),
    );
    // Environments with image.kind "promoted" (prod) select only an image promoted to them,
    // as `npm run image:promote -- <ami> --to <env>` does with this tag.
    await ec2.send(
      new CreateTagsCommand({
        Resources: [image.ImageId!],
        Tags: [{ Key: promotionTagKey(name), Value: "e2e promotion" }],
      }),
    );

    Object.assign(process.env, {
      AWS_ENDPOINT_URL: emulator.endpoint,
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
      AWS_REGION: "us-east-1",
    });
    const environment = loadEnvironment(name, {
      env: {
        SAMPLE_APP_EMULATOR_ENDPOINT: emulator.endpoint,
        // The toolchain's provider: the only one that exists on this machine (see README).
        SAMPLE_APP_AWS_PROVIDER_VERSION: harness.VERSIONS.awsProvider.version,
      },
    });
    const app = Testing.app();
    synthesizedDir = Testing.fullSynth(new SampleAppStack(app, stackIdFor(name), { environment }));
  });

  afterAll(async () => {
    process.env = saved;
    await emulator?.stop();
  });

  it("is valid Terraform for tofu", () => {
    expect(synthesizedDir).toBeValidTerraform();
  });

  it("plans successfully with tofu", () => {
    expect(synthesizedDir).toPlanSuccessfully();
  });
});
