// Preloaded into a measured process (node -r): on exit, writes the process's peak
// resident set size to the file named by BENCH_USAGE_FILE.
const fs = require("fs");

process.on("exit", () => {
  const file = process.env.BENCH_USAGE_FILE;
  if (file) {
    fs.writeFileSync(file, JSON.stringify({ maxRssKiB: process.resourceUsage().maxRSS }));
  }
});
