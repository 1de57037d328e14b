/**
 * npm run prices:refresh (scripts/refresh-prices.mjs, parsing in scripts/lib/price-offers.cjs)
 * against small offer files in the Price List bulk API's CSV format
 * (__tests__/fixtures/prices/: the five metadata lines and the AmazonEC2 header as AWS publishes
 * them, with a handful of rows, including the rows a loose filter would pick by mistake:
 * Windows, Reserved, Dedicated, pre-installed SQL, capacity reservations, a Local Zone, Outposts,
 * Network and Classic load balancers). Written by hand in that format: there is no network here,
 * and the script has not been run against AWS itself.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const offers = require("../../scripts/lib/price-offers.cjs");

const ROOT = path.join(__dirname, "..", "..");
const FIXTURES = path.join(__dirname, "..", "fixtures", "prices");
const lines = (name: string) => offers.linesOf(fs.createReadStream(path.join(FIXTURES, name)));

describe("parseCsvLine", () => {
  it.each([
    ['"a","b","c"', ["a", "b", "c"]],
    ['"a",,"c"', ["a", "", "c"]],
    ['"say ""hi""",x', ['say "hi"', "x"]],
    ['"a, b",c,', ["a, b", "c", ""]],
    ["plain,fields", ["plain", "fields"]],
  ])("%s", (line, fields) => {
    expect(offers.parseCsvLine(line)).toEqual(fields);
  });

  it("refuses an unterminated quote", () => {
    expect(() => offers.parseCsvLine('"abc,def')).toThrow("unterminated quoted field");
  });
});

describe("the offer files", () => {
  it("the regional CSV offer file URL", () => {
    expect(offers.offerUrl("AmazonEC2", "us-east-1")).toBe("https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonEC2/current/us-east-1/index.csv");
  });

  it("AmazonEC2: the Linux On-Demand shared-tenancy price of each type, and the NAT gateway's hour and GB", async () => {
    const prices = await offers.ec2Prices(lines("AmazonEC2-us-east-1.csv"), { region: "us-east-1", instanceTypes: ["t3.micro", "t3.small", "m5.large"] });
    expect(prices).toEqual({
      publicationDate: "2026-12-01T18:02:11Z",
      version: "20261201180211",
      offerCode: "AmazonEC2",
      instanceHour: { "t3.micro": 0.0104, "t3.small": 0.0208, "m5.large": 0.096 },
      natGatewayHour: 0.045,
      natGatewayGb: 0.045,
    });
  });

  it("AmazonEC2: a type the file does not price is an error naming it, never a zero", async () => {
    await expect(offers.ec2Prices(lines("AmazonEC2-us-east-1.csv"), { region: "us-east-1", instanceTypes: ["t3.micro", "c7g.large"] })).rejects.toThrow("AmazonEC2 us-east-1: no Linux On-Demand price for c7g.large");
    await expect(offers.ec2Prices(lines("AmazonEC2-us-east-1.csv"), { region: "us-east-2", instanceTypes: ["t3.micro"] })).rejects.toThrow("AmazonEC2 us-east-2: no Linux On-Demand price for t3.micro");
  });

  it("AWSELB: the application load balancer's hour and LCU-hour (not Outposts, Network or Classic)", async () => {
    expect(await offers.elbPrices(lines("AWSELB-us-east-1.csv"), { region: "us-east-1" })).toEqual({
      publicationDate: "2026-11-20T21:11:40Z",
      version: "20261120211140",
      offerCode: "AWSELB",
      albHour: 0.0225,
      albLcuHour: 0.008,
    });
  });

  it("two different prices for one type are an error (the filter would be too loose)", async () => {
    const text = fs.readFileSync(path.join(FIXTURES, "AmazonEC2-us-east-1.csv"), "utf8").replace('"0.0208000000","USD",,,,,"Compute Instance","AmazonEC2","US East (N. Virginia)","AWS Region","t3.small"', '"0.0300000000","USD",,,,,"Compute Instance","AmazonEC2","US East (N. Virginia)","AWS Region","t3.small"');
    expect(text).toContain("0.0300000000");
    await expect(offers.ec2Prices(text.split("\n"), { region: "us-east-1", instanceTypes: ["t3.small"] })).rejects.toThrow("AmazonEC2 us-east-1: two prices for t3.small");
  });

  it("a file that is not an offer file is refused", async () => {
    await expect(offers.ec2Prices(["<html>Access denied</html>"], { region: "us-east-1", instanceTypes: ["t3.micro"] })).rejects.toThrow("not an offer file");
    await expect(offers.ec2Prices(['"FormatVersion","v1.0"'], { region: "us-east-1", instanceTypes: ["t3.micro"] })).rejects.toThrow('no header line starting with "SKU"');
  });
});

describe("npm run prices:refresh (scripts/refresh-prices.mjs) with --offers", () => {
  const run = (args: string[]) => spawnSync(process.execPath, [path.join(ROOT, "scripts", "refresh-prices.mjs"), ...args], { cwd: ROOT, encoding: "utf8" });
  let work: string;
  beforeEach(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "prices-"));
  });
  afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

  it("rewrites the table's prices for its coverage, dated, with the offer versions; keeps the rest", () => {
    const committed = JSON.parse(fs.readFileSync(path.join(ROOT, "ops", "review", "prices.json"), "utf8"));
    const table = path.join(work, "prices.json");
    fs.writeFileSync(table, JSON.stringify({ ...committed, coverage: { regions: ["us-east-1"], instanceTypes: ["t3.micro", "t3.small"] } }));
    const result = run(["--offers", FIXTURES, "--out", table, "--date", "2026-12-06"]);
    expect({ status: result.status, stderr: result.status === 0 ? "" : result.stderr }).toEqual({ status: 0, stderr: "" });
    const written = JSON.parse(fs.readFileSync(table, "utf8"));
    expect(written.date).toBe("2026-12-06");
    expect(written.regions).toEqual({ "us-east-1": { instanceHour: { "t3.micro": 0.0104, "t3.small": 0.0208 }, natGatewayHour: 0.045, natGatewayGb: 0.045, albHour: 0.0225, albLcuHour: 0.008 } });
    expect(written.method).toContain("AmazonEC2 20261201180211 (published 2026-12-01T18:02:11Z), AWSELB 20261120211140");
    expect(written.spotDiscount).toEqual(committed.spotDiscount);
    expect(written.source).toEqual(committed.source);
  });

  it("a region without offer files fails with exit 1 and leaves the table as it was", () => {
    const table = path.join(work, "prices.json");
    const before = JSON.stringify({ coverage: { regions: ["eu-west-3"], instanceTypes: ["t3.micro"] }, regions: {} });
    fs.writeFileSync(table, before);
    const result = run(["--offers", FIXTURES, "--out", table]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("refresh-prices: error:");
    expect(result.stderr).toContain("AmazonEC2-eu-west-3.csv");
    expect(fs.readFileSync(table, "utf8")).toBe(before);
  });

  it.each([
    [["--date", "yesterday"], '--date = "yesterday": must be a date like 2026-12-06'],
    [["--region", "us-east-1"], "Unknown option '--region'"],
  ])("%j is bad usage, exit 2", (args, message) => {
    const result = run(args);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(message);
  });

  it("refuses an --out that is not a price table, and leaves it as it was (exit 2)", () => {
    const other = path.join(work, "package.json");
    const before = fs.readFileSync(path.join(ROOT, "package.json"), "utf8");
    fs.writeFileSync(other, before);
    const result = run(["--offers", FIXTURES, "--out", other]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`--out = ${JSON.stringify(other)}: exists and is not a price table (JSON whose "coverage" lists "regions" and "instanceTypes"`);
    expect(fs.readFileSync(other, "utf8")).toBe(before);
    expect(fs.readdirSync(work)).toEqual(["package.json"]);
  });

  it("refuses an --out that does not exist, and an --offers that is not a directory (exit 2)", () => {
    const missing = run(["--offers", FIXTURES, "--out", path.join(work, "prices.json")]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("prices.json\": does not exist; name a price table");
    const offers = run(["--offers", path.join(work, "none"), "--out", path.join(ROOT, "ops", "review", "prices.json")]);
    expect(offers.status).toBe(2);
    expect(offers.stderr).toContain('--offers = "' + path.join(work, "none") + '": does not exist');
    expect(fs.readdirSync(work)).toEqual([]);
  });
});
