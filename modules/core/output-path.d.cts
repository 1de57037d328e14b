// Types of output-path.cjs, for the TypeScript that imports it (main.ts, config/, ops/).
export declare class OutputPathError extends Error {}
export interface OutputPathOptions {
  /** The project root: relative values are resolved from it, and it may not be the output. */
  readonly root: string;
  /** Used when the value is not given (undefined). */
  readonly fallback: string;
  /** A good value, shown in messages. */
  readonly example?: string;
  /** Default os.homedir(). */
  readonly home?: string;
  /** What to say about an empty value. */
  readonly emptyHint?: string;
}
export declare function checkOutputDirectory(
  name: string,
  raw: string | undefined,
  options: OutputPathOptions & { readonly marker: string; readonly owner?: string; readonly trackedAllowed?: boolean; readonly recognise?: (dir: string, entries: string[]) => boolean },
): string;
export declare function checkOutputFile(
  name: string,
  raw: string | undefined,
  options: OutputPathOptions & { readonly example: string; readonly what: string; readonly recognise?: (file: string) => boolean },
): string;
export declare function checkInputDirectory(name: string, raw: string | undefined, options: { readonly root: string; readonly fallback: string; readonly hint?: string }): string;
export declare function describeFsError(error: unknown): string;
export declare function fsErrorLine(error: unknown, fallbackPath?: string): string | undefined;
