/**
 * SampleAppStack skips cdktf's cross-stack preparation pass (stacks/synth/stack-references.ts), so a
 * reference to another stack's resource must fail the synth with a message that says so,
 * instead of reaching tofu as a reference to a resource that does not exist.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { App, TerraformStack, Testing } from "cdktf";
import { ENVIRONMENTS } from "../../../config/environments";
import { loadEnvironment, readImageAppPort } from "../../../config/load";
import { undeclaredReferences } from "../../../stacks/synth/stack-references";
import { SampleAppStack } from "../../../stacks/sample-app-stack";

describe("undeclaredReferences", () => {
  const json = {
    resource: { aws_lb: { alb: { name: "x" } }, aws_lb_listener: { http: { load_balancer_arn: "${aws_lb.alb.arn}" } } },
    data: { aws_ami: { image: {} } },
    output: {
      ok: { value: "${data.aws_ami.image.id} ${aws_lb.alb.access_logs.bucket} ${join(\",\", aws_lb.alb.*.arn)}" },
      foreign: { value: "${aws_s3_bucket.state-bucket_1234.arn}" },
      foreignData: { value: "${upper(data.aws_caller_identity.account.account_id)}" },
      plain: { value: "aws_s3_bucket.not_interpolated is text" },
      builtins: { value: "${var.x} ${local.y} ${each.value} ${path.module}" },
    },
    "//": { metadata: { note: "${aws_ignored.metadata}" } },
  };

  it("lists each reference to a resource or data source the JSON does not declare, once", () => {
    expect(undeclaredReferences(json)).toEqual(["aws_s3_bucket.state-bucket_1234", "data.aws_caller_identity.account"]);
  });

  it("finds none in a self-contained stack", () => {
    expect(undeclaredReferences({ ...json, output: { ok: json.output.ok } })).toEqual([]);
  });
});

describe("SampleAppStack and other stacks", () => {
  const projectRoot = fs.mkdtempSync(path.join(os.tmpdir(), "stack-references-"));
  afterAll(() => fs.rmSync(projectRoot, { recursive: true, force: true }));
  const environment = () => loadEnvironment("dev", { projectRoot, imageAppPort: readImageAppPort(), environments: ENVIRONMENTS, env: {} });

  it("fails the synth, naming the reference, when given a value of another stack's resource", () => {
    const app = Testing.app();
    const other = new TerraformStack(app, "other");
    const bucket = new S3Bucket(other, "shared", { bucket: "shared-bucket" });
    const stack = new SampleAppStack(app, "sample-app-dev", { environment: environment(), userData: `#!/bin/sh\necho ${bucket.arn}\n` });
    expect(() => Testing.synth(stack, true)).toThrow(/sample-app-dev refers to aws_s3_bucket\.shared, which is not in this stack: .*environment's configuration/);
  });

  it("fails the app's synth the same way (where cdktf would have prepared a cross-stack reference)", () => {
    const app = new App({ outdir: path.join(projectRoot, "cdktf.out"), stackTraces: false });
    const other = new TerraformStack(app, "other");
    new AwsProvider(other, "aws", { region: "eu-west-1" });
    const bucket = new S3Bucket(other, "shared", { bucket: "shared-bucket" });
    new SampleAppStack(app, "sample-app-dev", { environment: environment(), userData: `#!/bin/sh\necho ${bucket.arn}\n` });
    expect(() => app.synth()).toThrow(/sample-app-dev refers to aws_s3_bucket\.shared, which is not in this stack/);
  });

  it("synthesizes the same JSON whether the policy checks ran first or not", () => {
    const unchecked = Testing.synth(new SampleAppStack(Testing.app(), "sample-app-dev", { environment: environment() }), false);
    const stack = new SampleAppStack(Testing.app(), "sample-app-dev", { environment: environment() });
    expect(Testing.synth(stack, true)).toBe(unchecked);
    // Again: the checks' JSON was taken by the first synth, and is not handed out twice.
    expect(Testing.synth(stack, true)).toBe(unchecked);
  });
});
