/**
 * OpenTofu resource addresses, parsed and printed exactly as OpenTofu writes them in a
 * state, a plan and its messages:
 *
 *   module.a["x"].module.b[0].aws_security_group_rule.ssh[0]
 *   data.aws_vpc.default
 *   aws_lb_listener.this["http"]
 *
 * Instance keys are numbers (`count`) or strings (`for_each`). A string key is printed in
 * HCL's quoted-string syntax, as OpenTofu's `StringKey.String()` does: `\"`, `\\`, `\n`, `\r`,
 * `\t` escaped, a `${` or `%{` written `$${` / `%%{` so it is not a template, and any character
 * that is not printable as `\uXXXX` (or `\UXXXXXXXX`). In the JSON of a synthesized stack the
 * address is a JSON string, so those quotes and backslashes are escaped once more by JSON.
 *
 * Which address a block takes (OpenTofu 1.10):
 * - `moved` and `import` take resource *instance* addresses (keys allowed);
 * - `removed` takes a *configuration* resource address: no instance key on the resource and
 *   none on its modules ({@link configResourceAddress}); it applies to every instance.
 */

/** The key of one instance of a counted (`[0]`) or `for_each` (`["http"]`) object. */
export type InstanceKey = number | string;

/** One `module.<name>[<key>]` step of a module instance path. */
export interface ModuleStep {
  readonly name: string;
  readonly key?: InstanceKey;
}

/** A resource instance address. `key` is absent for a resource without count or for_each. */
export interface ResourceInstanceAddress {
  readonly module: readonly ModuleStep[];
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly name: string;
  readonly key?: InstanceKey;
}

/** Text that is not an address; the message says where and what was expected. */
export class AddressError extends Error {}

/** Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** A string in HCL's quoted-string syntax, as OpenTofu prints a string instance key. */
export function hclQuote(value: string): string {
  let out = '"';
  const chars = [...value];
  chars.forEach((char, index) => {
    switch (char) {
      case "\n":
        out += "\\n";
        break;
      case "\r":
        out += "\\r";
        break;
      case "\t":
        out += "\\t";
        break;
      case '"':
        out += '\\"';
        break;
      case "\\":
        out += "\\\\";
        break;
      case "$":
      case "%":
        // A template introducer (`${`, `%{`) is escaped by doubling its symbol.
        out += chars[index + 1] === "{" ? char + char : char;
        break;
      default: {
        if (PRINTABLE.test(char)) {
          out += char;
        } else {
          const code = char.codePointAt(0)!;
          out += code < 0x10000 ? `\\u${code.toString(16).padStart(4, "0")}` : `\\U${code.toString(16).padStart(8, "0")}`;
        }
      }
    }
  });
  return `${out}"`;
}

/** `[0]`, `["http"]`, or nothing for no key. */
export function formatKey(key: InstanceKey | undefined): string {
  if (key === undefined) return "";
  if (typeof key === "number") {
    if (!Number.isSafeInteger(key) || key < 0) throw new AddressError(`instance key ${key}: a number key must be a whole number >= 0`);
    return `[${key}]`;
  }
  return `[${hclQuote(key)}]`;
}

/** `module.a["x"].module.b` (empty for the root module). */
export function formatModule(module: readonly ModuleStep[]): string {
  return module.map((step) => `module.${step.name}${formatKey(step.key)}`).join(".");
}

/** The address as OpenTofu prints it. */
export function formatAddress(address: ResourceInstanceAddress): string {
  const module = formatModule(address.module);
  const resource = `${address.mode === "data" ? "data." : ""}${address.type}.${address.name}${formatKey(address.key)}`;
  return module ? `${module}.${resource}` : resource;
}

/**
 * The address a `removed` block takes for this instance: module path and resource without any
 * instance key (`module.asg.aws_security_group_rule.ssh` for `module.asg.aws_security_group_rule.ssh[0]`,
 * `module.x.aws_instance.web` for `module.x[1].aws_instance.web["a"]`). It names every instance
 * of that resource in every instance of its modules.
 */
export function configResourceAddress(address: ResourceInstanceAddress): string {
  return formatAddress({ ...address, module: address.module.map(({ name }) => ({ name })), key: undefined });
}

/** Reads addresses character by character; every error names the position. */
class Reader {
  private position = 0;

  constructor(
    private readonly text: string,
    private readonly kind = "a resource address",
  ) {}

  get done(): boolean {
    return this.position >= this.text.length;
  }

  peek(): string | undefined {
    return this.text[this.position];
  }

  fail(expected: string): never {
    const at = this.done ? "at the end" : `at character ${this.position + 1} (${JSON.stringify(this.text.slice(this.position, this.position + 12))})`;
    throw new AddressError(`${JSON.stringify(this.text)} is not ${this.kind}: expected ${expected} ${at}`);
  }

  expect(char: string, what: string): void {
    if (this.text[this.position] !== char) this.fail(what);
    this.position++;
  }

  /** An HCL identifier: a letter or `_`, then letters, digits, `_` and `-`. */
  identifier(what: string): string {
    const match = /^[\p{L}_][\p{L}\p{N}_-]*/u.exec(this.text.slice(this.position));
    if (!match) this.fail(what);
    this.position += match[0].length;
    return match[0];
  }

  /** The word `word` (a whole identifier), or a failure at its start. */
  word(word: string, what: string): void {
    const start = this.position;
    if (this.identifier(what) !== word) {
      this.position = start;
      this.fail(what);
    }
  }

  /** `[0]` or `["key"]` if one follows, else undefined. */
  key(): InstanceKey | undefined {
    if (this.peek() !== "[") return undefined;
    this.position++;
    let key: InstanceKey;
    if (this.peek() === '"') {
      key = this.quoted();
    } else {
      const digits = /^\d+/.exec(this.text.slice(this.position))?.[0];
      if (digits === undefined) this.fail('an instance key: a number or a quoted string');
      key = Number(digits);
      if (!Number.isSafeInteger(key)) this.fail("a number key small enough to be an index");
      this.position += digits.length;
    }
    this.expect("]", '"]" after the instance key');
    return key;
  }

  /** An HCL quoted string without interpolation; returns its value. */
  private quoted(): string {
    this.position++;
    let value = "";
    for (;;) {
      const char = this.text[this.position];
      if (char === undefined) this.fail('a closing " of the string key');
      if (char === '"') {
        this.position++;
        return value;
      }
      if (char === "\\") {
        const escape = this.text[this.position + 1];
        const simple: Record<string, string> = { n: "\n", r: "\r", t: "\t", '"': '"', "\\": "\\" };
        if (escape !== undefined && simple[escape] !== undefined) {
          value += simple[escape];
          this.position += 2;
        } else if (escape === "u" || escape === "U") {
          const length = escape === "u" ? 4 : 8;
          const hex = this.text.slice(this.position + 2, this.position + 2 + length);
          if (!new RegExp(`^[0-9a-fA-F]{${length}}$`).test(hex)) this.fail(`${length} hex digits after \\${escape}`);
          const code = parseInt(hex, 16);
          if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) this.fail("a Unicode code point");
          value += String.fromCodePoint(code);
          this.position += 2 + length;
        } else {
          this.fail('an escape: \\n, \\r, \\t, \\", \\\\, \\uXXXX or \\UXXXXXXXX');
        }
        continue;
      }
      if ((char === "$" || char === "%") && this.text[this.position + 1] === char && this.text[this.position + 2] === "{") {
        value += `${char}{`;
        this.position += 3;
        continue;
      }
      if ((char === "$" || char === "%") && this.text[this.position + 1] === "{") {
        this.fail(`no template in an instance key (write ${char}${char}{ for a literal ${char}{)`);
      }
      const point = String.fromCodePoint(this.text.codePointAt(this.position)!);
      value += point;
      this.position += point.length;
    }
  }
}

/**
 * Parses a resource instance address (managed or data, in any module instance).
 * Throws an {@link AddressError} naming the position and what was expected.
 */
export function parseAddress(text: string): ResourceInstanceAddress {
  if (typeof text !== "string" || text === "") throw new AddressError(`${JSON.stringify(text)} is not a resource address: it is empty`);
  const reader = new Reader(text);
  const module: ModuleStep[] = [];
  let first = reader.identifier("a module call (module.<name>), data.<type> or a resource type");
  while (first === "module") {
    reader.expect(".", '"." after "module"');
    const name = reader.identifier("the module call's name");
    const key = reader.key();
    module.push(key === undefined ? { name } : { name, key });
    if (reader.done) reader.fail('".<resource type>.<name>" after the module path (a module is not a resource)');
    reader.expect(".", '"." after the module call');
    first = reader.identifier("a module call (module.<name>), data.<type> or a resource type");
  }
  let mode: "managed" | "data" = "managed";
  let type = first;
  if (first === "data") {
    mode = "data";
    reader.expect(".", '"." after "data"');
    type = reader.identifier("the data source type");
  }
  reader.expect(".", `"." and the resource name after ${type}`);
  const name = reader.identifier("the resource name");
  const key = reader.key();
  if (!reader.done) reader.fail("the end of the address");
  return { module, mode, type, name, ...(key === undefined ? {} : { key }) };
}

/** Parses a module instance path as a state's `module` field holds it (`module.a["x"].module.b`). */
export function parseModulePath(text: string): ModuleStep[] {
  const module: ModuleStep[] = [];
  if (text === "") return module;
  const reader = new Reader(text, "a module instance path");
  do {
    if (module.length > 0) reader.expect(".", '"." between module calls');
    reader.word("module", "module.<name>");
    reader.expect(".", '"." after "module"');
    const name = reader.identifier("the module call's name");
    const key = reader.key();
    module.push(key === undefined ? { name } : { name, key });
  } while (!reader.done);
  return module;
}

/** The address OpenTofu would print for `text`, or undefined when it is not one. */
export function canonicalAddress(text: string): string | undefined {
  try {
    return formatAddress(parseAddress(text));
  } catch (error) {
    if (error instanceof AddressError) return undefined;
    throw error;
  }
}
