// Registers cdktf's matchers (toHaveResourceWithProperties, toBeValidTerraform, ...).
const { Testing } = require("cdktf");

Testing.setupJest();
