// npm run prices:refresh: rewrites ops/review/prices.json (the list prices of the review's cost
// lines) from the public AWS Price List bulk API (no credentials): for each region under the
// table's "coverage", the regional CSV offer files of AmazonEC2 (instance types, NAT gateway) and
// AWSELB (application load balancer), streamed and filtered by scripts/lib/price-offers.cjs.
// To price another region or instance type, add it to "coverage" and run this again; commit the
// result (the review reads only the committed file and prints its date).
//
//   node scripts/refresh-prices.mjs [--offers DIR] [--out FILE] [--date YYYY-MM-DD]
//
// --offers DIR reads DIR/<OfferCode>-<region>.csv instead of the network (tests, or files
// downloaded before); --out FILE refreshes that table (its coverage) instead of
// ops/review/prices.json; --date sets the table's date (default: today, UTC).
import { createReadStream, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const require = createRequire(import.meta.url);
const { offerUrl, ec2Prices, elbPrices, linesOf } = require("./lib/price-offers.cjs");
const { OutputPathError, checkInputDirectory, checkOutputFile } = require("../modules/core/output-path.cjs");

const root = fileURLToPath(new URL("..", import.meta.url));
const USAGE = `usage: npm run prices:refresh [-- --offers DIR] [--out FILE] [--date YYYY-MM-DD]
  Rewrites ops/review/prices.json from the AWS Price List bulk API (${offerUrl("<offer>", "<region>")})
  for the regions and instance types under its "coverage".`;

let values;
try {
  ({ values } = parseArgs({ options: { offers: { type: "string" }, out: { type: "string" }, date: { type: "string" }, help: { type: "boolean", short: "h" } }, strict: true, allowPositionals: false }));
} catch (error) {
  console.error(`refresh-prices: error: ${error.message}\n${USAGE}`);
  process.exit(2);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (values.date !== undefined && (!/^\d{4}-\d{2}-\d{2}$/.test(values.date) || Number.isNaN(Date.parse(values.date)))) {
  console.error(`refresh-prices: error: --date = ${JSON.stringify(values.date)}: must be a date like 2026-12-06`);
  process.exit(2);
}

/** The price table this command refreshes, or undefined: JSON whose coverage lists regions and instance types. */
function readPriceTable(file) {
  try {
    const table = JSON.parse(readFileSync(file, "utf8"));
    const listed = (list) => Array.isArray(list) && list.length > 0 && list.every((item) => typeof item === "string");
    return listed(table?.coverage?.regions) && listed(table?.coverage?.instanceTypes) ? table : undefined;
  } catch {
    return undefined;
  }
}

const WHAT = 'a price table (JSON whose "coverage" lists "regions" and "instanceTypes", like ops/review/prices.json)';
let out;
let table;
try {
  // The file is rewritten: it must be a price table already (its coverage says what to fetch).
  out = checkOutputFile("--out", values.out, { root: process.cwd(), fallback: join(root, "ops", "review", "prices.json"), example: "ops/review/prices.json", what: WHAT, recognise: (file) => readPriceTable(file) !== undefined });
  table = readPriceTable(out);
  if (table === undefined) throw new OutputPathError(`--out = ${JSON.stringify(values.out ?? out)}: does not exist; name ${WHAT} to refresh`);
  if (values.offers !== undefined) checkInputDirectory("--offers", values.offers, { root: process.cwd(), hint: "a directory of <OfferCode>-<region>.csv offer files" });
} catch (error) {
  if (!(error instanceof OutputPathError)) throw error;
  console.error(`refresh-prices: error: ${error.message}\n${USAGE}`);
  process.exit(2);
}
const { regions, instanceTypes } = table.coverage;

async function offerLines(offerCode, region) {
  if (values.offers !== undefined) return linesOf(createReadStream(join(values.offers, `${offerCode}-${region}.csv`)));
  const url = offerUrl(offerCode, region);
  const response = await fetch(url);
  if (!response.ok || !response.body) throw new Error(`${url}: HTTP ${response.status} ${response.statusText}`);
  return linesOf(response.body);
}

try {
  const prices = {};
  const versions = [];
  for (const region of regions) {
    console.error(`==> ${region}: AmazonEC2 (${instanceTypes.length} instance types, NAT gateway), AWSELB (application load balancer)`);
    const ec2 = await ec2Prices(await offerLines("AmazonEC2", region), { region, instanceTypes });
    const elb = await elbPrices(await offerLines("AWSELB", region), { region });
    prices[region] = {
      instanceHour: ec2.instanceHour,
      natGatewayHour: ec2.natGatewayHour,
      natGatewayGb: ec2.natGatewayGb,
      albHour: elb.albHour,
      ...(elb.albLcuHour !== undefined ? { albLcuHour: elb.albLcuHour } : {}),
    };
    versions.push(`${region}: AmazonEC2 ${ec2.version} (published ${ec2.publicationDate}), AWSELB ${elb.version} (published ${elb.publicationDate})`);
  }
  const date = values.date ?? new Date().toISOString().slice(0, 10);
  const next = {
    ...table,
    date,
    method: `npm run prices:refresh from the AWS Price List bulk API${values.offers !== undefined ? " (offer files read from a local folder)" : ""}; offer versions ${versions.join("; ")}`,
    regions: prices,
  };
  writeFileSync(`${out}.partial`, `${JSON.stringify(next, null, 2)}\n`);
  renameSync(`${out}.partial`, out);
  console.error(`refresh-prices: wrote ${out} (${regions.length} regions, ${instanceTypes.length} instance types, dated ${date})`);
} catch (error) {
  console.error(`refresh-prices: error: ${error.message}`);
  process.exit(1);
}
