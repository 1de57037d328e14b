/**
 * OpenTofu addresses: every key form parses and prints back exactly as OpenTofu writes it
 * (the expected strings are what `tofu state list` printed for these keys), `removed`
 * addresses drop every instance key, and bad addresses say where they go wrong.
 */
import {
  AddressError,
  canonicalAddress,
  configResourceAddress,
  formatAddress,
  formatKey,
  hclQuote,
  parseAddress,
  parseModulePath,
} from "../../../modules/core/tofu-address";

describe("OpenTofu addresses", () => {
  it.each<[string, ReturnType<typeof parseAddress>]>([
    ["aws_lb.sample_app", { module: [], mode: "managed", type: "aws_lb", name: "sample_app" }],
    ["module.asg.aws_security_group_rule.sample_app_allow_ssh_inbound[0]", { module: [{ name: "asg" }], mode: "managed", type: "aws_security_group_rule", name: "sample_app_allow_ssh_inbound", key: 0 }],
    ['module.alb.aws_lb_listener.this["http"]', { module: [{ name: "alb" }], mode: "managed", type: "aws_lb_listener", name: "this", key: "http" }],
    ['module.autoscaling.aws_iam_role_policy_attachment.this["AmazonSSMManagedInstanceCore"]', { module: [{ name: "autoscaling" }], mode: "managed", type: "aws_iam_role_policy_attachment", name: "this", key: "AmazonSSMManagedInstanceCore" }],
    ["module.x[0].aws_instance.web", { module: [{ name: "x", key: 0 }], mode: "managed", type: "aws_instance", name: "web" }],
    ['module.x["a"].aws_instance.web[12]', { module: [{ name: "x", key: "a" }], mode: "managed", type: "aws_instance", name: "web", key: 12 }],
    ['module.a["x"].module.b[0].module.c.aws_instance.web["k"]', { module: [{ name: "a", key: "x" }, { name: "b", key: 0 }, { name: "c" }], mode: "managed", type: "aws_instance", name: "web", key: "k" }],
    ['terraform_data.s["a\\"b"]', { module: [], mode: "managed", type: "terraform_data", name: "s", key: 'a"b' }],
    ['terraform_data.s["c\\\\d"]', { module: [], mode: "managed", type: "terraform_data", name: "s", key: "c\\d" }],
    ['terraform_data.s["$${x}"]', { module: [], mode: "managed", type: "terraform_data", name: "s", key: "${x}" }],
    ['terraform_data.s["%%{if}"]', { module: [], mode: "managed", type: "terraform_data", name: "s", key: "%{if}" }],
    ['terraform_data.s["$5 and 100%"]', { module: [], mode: "managed", type: "terraform_data", name: "s", key: "$5 and 100%" }],
    ['terraform_data.s["line\\nnext\\ttab\\r"]', { module: [], mode: "managed", type: "terraform_data", name: "s", key: "line\nnext\ttab\r" }],
    ['terraform_data.s["bell\\u0007"]', { module: [], mode: "managed", type: "terraform_data", name: "s", key: "bell\u0007" }],
    ['terraform_data.s["é ü 日本 😀"]', { module: [], mode: "managed", type: "terraform_data", name: "s", key: "é ü 日本 😀" }],
    ['terraform_data.s[""]', { module: [], mode: "managed", type: "terraform_data", name: "s", key: "" }],
    ["data.aws_vpc.default", { module: [], mode: "data", type: "aws_vpc", name: "default" }],
    ["module.alb.data.aws_subnets.default", { module: [{ name: "alb" }], mode: "data", type: "aws_subnets", name: "default" }],
    ["aws_lb.load-balancer_30A23327", { module: [], mode: "managed", type: "aws_lb", name: "load-balancer_30A23327" }],
  ])("%s parses and prints back unchanged", (text, parsed) => {
    expect(parseAddress(text)).toEqual(parsed);
    expect(formatAddress(parsed)).toBe(text);
  });

  it("keeps an escaped address intact through the JSON of a synthesized stack", () => {
    const address = 'module.x["a\\"b"].aws_instance.web["c\\\\d"]';
    const json = JSON.stringify({ moved: [{ from: address }] });
    expect(json).toBe('{"moved":[{"from":"module.x[\\"a\\\\\\"b\\"].aws_instance.web[\\"c\\\\\\\\d\\"]"}]}');
    expect(parseAddress(JSON.parse(json).moved[0].from)).toEqual({ module: [{ name: "x", key: 'a"b' }], mode: "managed", type: "aws_instance", name: "web", key: "c\\d" });
  });

  it.each<[InstanceKeyCase, string]>([
    [0, "[0]"],
    [17, "[17]"],
    ["http", '["http"]'],
    ['say "hi"', '["say \\"hi\\""]'],
    ["back\\slash", '["back\\\\slash"]'],
    ["${var}", '["$${var}"]'],
    ["%{ if }", '["%%{ if }"]'],
    ["\u00a0", '["\\u00a0"]'],
    ["\u{1F600}", '["\u{1F600}"]'],
    ["\u{E0001}", '["\\U000e0001"]'],
  ])("prints the key %j as %s", (key, printed) => {
    expect(formatKey(key)).toBe(printed);
    expect(parseAddress(`aws_instance.web${printed}`).key).toBe(key);
  });

  it("normalises what OpenTofu would normalise", () => {
    expect(canonicalAddress('aws_instance.web["\\u0041"]')).toBe('aws_instance.web["A"]');
    expect(canonicalAddress("aws_instance.web[007]")).toBe("aws_instance.web[7]");
    expect(canonicalAddress("module.")).toBeUndefined();
  });

  it.each<[string, string]>([
    ["module.asg.aws_security_group_rule.sample_app_allow_ssh_inbound[0]", "module.asg.aws_security_group_rule.sample_app_allow_ssh_inbound"],
    ['module.alb.aws_lb_listener.this["http"]', "module.alb.aws_lb_listener.this"],
    ['module.x[0].module.y["a"].aws_instance.web[3]', "module.x.module.y.aws_instance.web"],
    ["aws_lb.sample_app", "aws_lb.sample_app"],
  ])("the removed block of %s names %s", (instance, resource) => {
    expect(configResourceAddress(parseAddress(instance))).toBe(resource);
  });

  it("reads a state's module path", () => {
    expect(parseModulePath('module.a["x\\"y"].module.b[2]')).toEqual([{ name: "a", key: 'x"y' }, { name: "b", key: 2 }]);
    expect(parseModulePath("")).toEqual([]);
    expect(() => parseModulePath("module.a.aws_lb")).toThrow('"module.a.aws_lb" is not a module instance path: expected module.<name> at character 10 ("aws_lb")');
  });

  it.each<[string, string]>([
    ["", '"" is not a resource address: it is empty'],
    ["module.alb", '"module.alb" is not a resource address: expected ".<resource type>.<name>" after the module path (a module is not a resource) at the end'],
    ["aws_lb", '"aws_lb" is not a resource address: expected "." and the resource name after aws_lb at the end'],
    ["aws_lb.x[", '"aws_lb.x[" is not a resource address: expected an instance key: a number or a quoted string at the end'],
    ["aws_lb.x[a]", '"aws_lb.x[a]" is not a resource address: expected an instance key: a number or a quoted string at character 10 ("a]")'],
    ['aws_lb.x["a]', '"aws_lb.x[\\"a]" is not a resource address: expected a closing " of the string key at the end'],
    ['aws_lb.x["${a}"]', '"aws_lb.x[\\"${a}\\"]" is not a resource address: expected no template in an instance key (write $${ for a literal ${) at character 11'],
    ['aws_lb.x["\\q"]', 'expected an escape: \\n, \\r, \\t, \\", \\\\, \\uXXXX or \\UXXXXXXXX at character 11'],
    ["aws_lb.x[-1]", "expected an instance key: a number or a quoted string at character 10"],
    ["aws_lb.x[0].y", '"aws_lb.x[0].y" is not a resource address: expected the end of the address at character 12 (".y")'],
    ["aws_lb.x[0]extra", "expected the end of the address at character 12"],
    ["1aws.x", "expected a module call (module.<name>), data.<type> or a resource type at character 1"],
  ])("rejects %j, saying where", (text, message) => {
    expect(() => parseAddress(text)).toThrow(AddressError);
    expect(() => parseAddress(text)).toThrow(message);
  });

  it("quotes like HCL, not like JSON", () => {
    expect(hclQuote("\b\f")).toBe('"\\u0008\\u000c"');
    expect(JSON.stringify("\b\f")).toBe('"\\b\\f"');
  });
});

type InstanceKeyCase = number | string;
