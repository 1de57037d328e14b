// Runs before each e2e test file loads anything: points cdktf's matchers
// (toBeValidTerraform, toPlanSuccessfully) and the harness at the toolchain's tofu.
// A missing toolchain fails every test with the message naming the missing piece.
const { findToolchain } = require("./harness");

const toolchain = findToolchain();
process.env.TERRAFORM_BINARY_NAME = toolchain.tofu;
process.env.TF_CLI_CONFIG_FILE = toolchain.cliConfig;
process.env.TF_IN_AUTOMATION = "1";
process.env.CHECKPOINT_DISABLE = "1";
