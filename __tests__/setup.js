// Registers cdktf's matchers (toHaveResourceWithProperties, toBeValidTerraform, ...).
const fs = require("fs");
const os = require("os");
const path = require("path");
const { Testing } = require("cdktf");

Testing.setupJest();

// Every temporary directory of a test file (cdktf's Testing makes a cdktf.outdir.* for each
// synth, tests make their own) goes under one directory that is removed after the file, so
// a test run leaves nothing behind in the system's temporary directory. os.tmpdir() is
// replaced rather than TMPDIR set, because jest gives a test file a copy of process.env that
// the (shared) os module does not read.
const systemTmpdir = os.tmpdir;
const fileTmp = fs.mkdtempSync(path.join(systemTmpdir(), "sample-app-jest-"));
os.tmpdir = () => fileTmp;
afterAll(() => {
  os.tmpdir = systemTmpdir;
  fs.rmSync(fileTmp, { recursive: true, force: true });
});
