// Reads AWS Price List bulk API offer files in CSV form (the review's price table,
// ops/review/prices.json, is written from them by scripts/refresh-prices.mjs). An offer file is
//
//   "FormatVersion","v1.0"
//   "Disclaimer","..."
//   "Publication Date","2025-09-12T22:53:08Z"
//   "Version","20250912225308"
//   "OfferCode","AmazonEC2"
//   "SKU","OfferTermCode","RateCode","TermType",...,"Unit","PricePerUnit","Currency",...   (the header)
//   one row per price dimension
//
// (https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/using-the-aws-price-list-bulk-api.html).
// Columns are found by name in the header, never by position: AWS adds columns over time.
// CommonJS so that jest and the ESM refresh script load the same code without a build.
"use strict";

const PRICE_LIST = "https://pricing.us-east-1.amazonaws.com";

/** The regional offer file of an offer code, CSV (e.g. AmazonEC2, AWSELB). */
function offerUrl(offerCode, region) {
  return `${PRICE_LIST}/offers/v1.0/aws/${offerCode}/current/${region}/index.csv`;
}

/** Fields of one CSV line (RFC 4180 quoting: "a ""b""" is a "b"; unquoted empty fields are ""). */
function parseCsvLine(line) {
  const fields = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let value = "";
      i++;
      for (;;) {
        const quote = line.indexOf('"', i);
        if (quote < 0) throw new Error(`unterminated quoted field in CSV line: ${line.slice(0, 80)}`);
        value += line.slice(i, quote);
        if (line[quote + 1] === '"') {
          value += '"';
          i = quote + 2;
        } else {
          i = quote + 1;
          break;
        }
      }
      fields.push(value);
    } else {
      const comma = line.indexOf(",", i);
      fields.push(line.slice(i, comma < 0 ? line.length : comma));
      i = comma < 0 ? line.length : comma;
    }
    if (i >= line.length) return fields;
    if (line[i] !== ",") throw new Error(`unexpected character after a quoted field in CSV line: ${line.slice(0, 80)}`);
    i++;
    if (i === line.length) {
      fields.push("");
      return fields;
    }
  }
}

/**
 * Reads an offer file's lines: its metadata (publication date, version, offer code), then each
 * row as a function of a column name. `onRow(get)` is called per row; `prefilter(line)` may skip
 * a line before it is parsed (the EC2 files are gigabytes).
 */
async function readOffer(lines, onRow, prefilter = () => true) {
  const meta = {};
  let index;
  for await (const raw of lines) {
    const line = raw.replace(/\r$/, "");
    if (line === "") continue;
    if (!index) {
      const fields = parseCsvLine(line);
      if (fields[0] === "SKU") {
        index = new Map(fields.map((name, i) => [name, i]));
        for (const column of ["TermType", "Unit", "PricePerUnit", "Currency"]) {
          if (!index.has(column)) throw new Error(`offer file ${meta.OfferCode ?? ""}: its header has no column "${column}"`);
        }
      } else if (fields.length === 2) {
        meta[fields[0]] = fields[1];
      } else {
        throw new Error(`not an offer file: expected metadata lines ("Publication Date","...") and a header starting with "SKU", got: ${line.slice(0, 80)}`);
      }
      continue;
    }
    if (!prefilter(line)) continue;
    const fields = parseCsvLine(line);
    onRow((column) => {
      const i = index.get(column);
      return i === undefined ? undefined : fields[i];
    });
  }
  if (!index) throw new Error("not an offer file: no header line starting with \"SKU\"");
  return { publicationDate: meta["Publication Date"], version: meta.Version, offerCode: meta.OfferCode };
}

/** One price per key; a second, different price for the same key is an error (the filter is too loose). */
function collector(what) {
  const found = new Map();
  return {
    add(key, price, description) {
      const value = Number(price);
      if (!Number.isFinite(value) || value <= 0) return;
      const seen = found.get(key);
      if (seen !== undefined && seen.value !== value) {
        throw new Error(`${what}: two prices for ${key}: ${seen.value} (${seen.description}) and ${value} (${description})`);
      }
      found.set(key, { value, description });
    },
    get(key) {
      return found.get(key)?.value;
    },
  };
}

const onDemandUsd = (get) => get("TermType") === "OnDemand" && get("Currency") === "USD";
/** usageType of a region: "NatGateway-Hours" in us-east-1, "USE2-NatGateway-Hours" elsewhere. */
const usage = (get, name) => new RegExp(`^(?:[A-Z]{2,4}\\d?-)?${name}$`).test(get("usageType") ?? "");

/**
 * EC2 offer of one region: the Linux On-Demand hourly price of each instance type (shared
 * tenancy, nothing pre-installed, capacity used, On-Demand market, operation RunInstances) and
 * the NAT gateway's hourly and per-GB prices. Throws naming what the file lacks.
 */
async function ec2Prices(lines, { region, instanceTypes }) {
  const wanted = new Set(instanceTypes);
  const instances = collector(`AmazonEC2 ${region}`);
  const nat = collector(`AmazonEC2 ${region} NAT gateway`);
  const meta = await readOffer(
    lines,
    (get) => {
      if (!onDemandUsd(get) || (get("Region Code") !== undefined && get("Region Code") !== region)) return;
      const family = get("Product Family");
      if (family === "Compute Instance" && wanted.has(get("Instance Type"))) {
        if (get("Unit") !== "Hrs" || get("Operating System") !== "Linux" || get("Tenancy") !== "Shared") return;
        if (get("Pre Installed S/W") !== "NA" || get("CapacityStatus") !== "Used" || get("operation") !== "RunInstances") return;
        if (get("MarketOption") !== undefined && get("MarketOption") !== "OnDemand") return;
        instances.add(get("Instance Type"), get("PricePerUnit"), get("PriceDescription"));
      } else if (family === "NAT Gateway") {
        if (usage(get, "NatGateway-Hours") && get("Unit") === "Hrs") nat.add("hour", get("PricePerUnit"), get("PriceDescription"));
        if (usage(get, "NatGateway-Bytes") && get("Unit") === "GB") nat.add("GB", get("PricePerUnit"), get("PriceDescription"));
      }
    },
    (line) => line.includes('"OnDemand"') && (line.includes("NAT Gateway") || instanceTypes.some((t) => line.includes(`"${t}"`))),
  );
  const instanceHour = {};
  const missing = [];
  for (const type of instanceTypes) {
    const price = instances.get(type);
    if (price === undefined) missing.push(type);
    else instanceHour[type] = price;
  }
  if (missing.length) throw new Error(`AmazonEC2 ${region}: no Linux On-Demand price for ${missing.join(", ")}`);
  if (nat.get("hour") === undefined || nat.get("GB") === undefined) throw new Error(`AmazonEC2 ${region}: no NAT gateway ${nat.get("hour") === undefined ? "hourly" : "per-GB"} price`);
  return { ...meta, instanceHour, natGatewayHour: nat.get("hour"), natGatewayGb: nat.get("GB") };
}

/** ELB offer of one region: the application load balancer's hourly and LCU-hour prices. */
async function elbPrices(lines, { region }) {
  const alb = collector(`AWSELB ${region} application load balancer`);
  const meta = await readOffer(
    lines,
    (get) => {
      if (!onDemandUsd(get) || get("Product Family") !== "Load Balancer-Application") return;
      if (get("Region Code") !== undefined && get("Region Code") !== region) return;
      if (get("Location Type") !== undefined && get("Location Type") !== "AWS Region") return;
      if (usage(get, "LoadBalancerUsage") && get("Unit") === "Hrs") alb.add("hour", get("PricePerUnit"), get("PriceDescription"));
      if (usage(get, "LCUUsage") && get("Unit") === "LCU-Hrs") alb.add("LCU", get("PricePerUnit"), get("PriceDescription"));
    },
    (line) => line.includes("Load Balancer-Application"),
  );
  if (alb.get("hour") === undefined) throw new Error(`AWSELB ${region}: no application load balancer hourly price`);
  return { ...meta, albHour: alb.get("hour"), albLcuHour: alb.get("LCU") };
}

/** Lines of a web stream (fetch's body) or a Node.js readable, decoded as UTF-8. */
async function* linesOf(stream) {
  const decoder = new TextDecoder("utf-8");
  let buffer = "";
  for await (const chunk of stream) {
    buffer += typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
    let newline;
    while ((newline = buffer.indexOf("\n")) >= 0) {
      yield buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
    }
  }
  buffer += decoder.decode();
  if (buffer !== "") yield buffer;
}

module.exports = { PRICE_LIST, offerUrl, parseCsvLine, readOffer, ec2Prices, elbPrices, linesOf };
