/** Types of built-cli.mjs (plain JavaScript so that checking the build costs no type stripping). */
export declare const projectRoot: string
export declare function builtCli(
  root?: string,
  dir?: string,
): { path: string; reason: null } | { path: null; reason: string }
export declare function cliScript(root?: string): string
