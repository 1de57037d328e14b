/**
 * Renders a boot script template: each `@NAME@` placeholder is replaced by its value.
 * Every placeholder must have a value and every value a placeholder, so a renamed
 * variable fails the synth instead of booting instances with a literal `@NAME@`.
 */
export function renderTemplate(template: string, values: Readonly<Record<string, string>>, source: string): string {
  const placeholders = new Set([...template.matchAll(/@([A-Z][A-Z0-9_]*)@/g)].map((match) => match[1]));
  const missing = [...placeholders].filter((name) => !(name in values));
  const unused = Object.keys(values).filter((name) => !placeholders.has(name));
  if (missing.length > 0 || unused.length > 0) {
    throw new Error(
      `${source}: ${[
        missing.length > 0 ? `no value for ${missing.map((name) => `@${name}@`).join(", ")}` : "",
        unused.length > 0 ? `no placeholder for ${unused.map((name) => `@${name}@`).join(", ")}` : "",
      ]
        .filter(Boolean)
        .join("; ")}`,
    );
  }
  return template.replace(/@([A-Z][A-Z0-9_]*)@/g, (_match, name: string) => values[name]);
}
