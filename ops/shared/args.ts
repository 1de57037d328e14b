/**
 * The one argument parser of the commands in ops/, on node:util parseArgs: every command
 * declares its options and positionals and gets the same behaviour for the same mistakes.
 *
 * - `-h` / `--help` anywhere: "help" (the command prints its usage on stdout, exit 0);
 * - an unknown flag, a flag without its value (`--out` last, or `--out --strict`), a flag given
 *   twice where it is not `multiple`, too many positionals: a UsageError naming it (the command
 *   prints it and its usage on stderr, exit 2: EXIT.usage).
 *
 * Values may start with a dash only inline (`--out=-x`); a lone `-` is a value (standard input).
 */
import { parseArgs } from "node:util";
import { closest } from "../../modules/core/suggest";
import { EXIT } from "./exit-codes";

/**
 * Bad usage: the message names the flag or argument; exit EXIT.usage. `showUsage`: print the
 * command's usage after the message (the parser's own refusals: unknown, repeated or valueless
 * flags, too many arguments); a command's checks of a value name the fix in the message instead.
 */
export class UsageError extends Error {
  readonly exitCode = EXIT.usage;
  constructor(
    message: string,
    readonly showUsage = false,
  ) {
    super(message);
    this.name = "UsageError";
  }
}

export interface OptionSpec {
  readonly type: "string" | "boolean";
  readonly short?: string;
  /** May be given more than once (values collected in order). */
  readonly multiple?: boolean;
}

export interface CommandLineSpec<O extends Record<string, OptionSpec>> {
  readonly options: O;
  /** How many positionals at most (default 0). */
  readonly maxPositionals?: number;
  /** The message when there are more: gets the positionals. */
  readonly tooMany?: (positionals: string[]) => string;
}

type Values<O extends Record<string, OptionSpec>> = {
  [K in keyof O]?: O[K]["type"] extends "string" ? (O[K]["multiple"] extends true ? string[] : string) : O[K]["multiple"] extends true ? boolean[] : boolean;
};

export interface CommandLine<O extends Record<string, OptionSpec>> {
  readonly values: Values<O>;
  readonly positionals: string[];
}

// A negative number (`--boot-seconds -3`) is a value, refused by the command with its reason.
const isOptionLike = (value: string): boolean => value.length > 1 && value.startsWith("-") && !/^-\d/.test(value);

/** Parses argv by the spec; "help" when -h or --help is among the flags. Throws UsageError. */
export function parseCommandLine<O extends Record<string, OptionSpec>>(argv: readonly string[], spec: CommandLineSpec<O>): CommandLine<O> | "help" {
  const options = { ...spec.options, help: { type: "boolean", short: "h" } } as Record<string, OptionSpec>;
  const { tokens } = parseArgs({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true });
  if (tokens.some((token) => token.kind === "option" && token.name === "help" && Object.hasOwn(options, token.name))) return "help";
  const known = Object.keys(spec.options).map((name) => `--${name}`);
  const values: Record<string, unknown> = {};
  const positionals: string[] = [];
  const seen = new Set<string>();
  for (const token of tokens) {
    if (token.kind === "positional") {
      positionals.push(token.value);
      continue;
    }
    if (token.kind === "option-terminator") continue;
    const option = Object.hasOwn(spec.options, token.name) ? spec.options[token.name] : undefined;
    if (option === undefined) {
      const near = token.rawName.startsWith("--") ? closest(token.rawName, known) : undefined;
      throw new UsageError(`unknown option ${token.rawName}${near ? `; did you mean ${near}?` : ""}`, true);
    }
    const flag = `--${token.name}`;
    if (seen.has(token.name) && !option.multiple) throw new UsageError(`${flag} is given more than once; give it once`, true);
    seen.add(token.name);
    let value: string | boolean;
    if (option.type === "string") {
      if (token.value === undefined || (!token.inlineValue && isOptionLike(token.value))) {
        throw new UsageError(`${flag} needs a value${token.value === undefined ? "" : ` (got the option ${token.value}; write ${flag}=${token.value} for a value that starts with a dash)`}`, true);
      }
      value = token.value;
    } else {
      if (token.inlineValue) throw new UsageError(`${flag} takes no value (got ${token.rawName}=${token.value})`, true);
      value = true;
    }
    if (option.multiple) ((values[token.name] ??= []) as unknown[]).push(value);
    else values[token.name] = value;
  }
  const max = spec.maxPositionals ?? 0;
  if (positionals.length > max) {
    throw new UsageError(spec.tooMany?.(positionals) ?? `unexpected argument ${JSON.stringify(positionals[max])}`, true);
  }
  return { values: values as Values<O>, positionals };
}

/** Prints a UsageError on stderr as "<name>: <message>" (and the usage when it asks for it); returns EXIT.usage. */
export function reportUsageError(name: string, usage: string, error: UsageError): typeof EXIT.usage {
  process.stderr.write(`${name}: ${error.message}\n${error.showUsage ? `\n${usage}\n` : ""}`);
  return EXIT.usage;
}
