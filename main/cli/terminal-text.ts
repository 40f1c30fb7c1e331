/**
 * Text from outside (a collector line, a pasted log, a file name, a host name) is shown, never obeyed, by the terminal
 * `collector read-line` printed the ESC and BEL of the line it read, so a line could clear the screen,
 * retitle the window, or hide what follows. Every line the CLI prints goes through here (main/cli/output.ts, and
 * commander's own messages in run-cli.ts): control characters (C0 but newline and tab, DEL, C1 — U+009B starts an
 * escape sequence in UTF-8 terminals too — and the bidirectional overrides that reorder what is shown) become visible
 * escapes such as `\x1B` and `\u202E`. JSON gets the same characters as JSON's own `\u` escapes: the same value, inert.
 */

/** Characters a terminal acts on (or reorders by) rather than shows; newline and tab are kept in text. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g
/** The same, as JSON.stringify leaves them (it escapes C0 itself). */
const CONTROL_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g

const hex = (c: string, width: number) => c.charCodeAt(0).toString(16).toUpperCase().padStart(width, '0')

/** Text with every control character shown as an escape (`\x1B`, `\r` as `\x0D`, `\u202E`); newlines and tabs stay. */
export function escapeControls(text: string): string {
  return text.replace(CONTROL, (c) => (c.charCodeAt(0) <= 0xff ? `\\x${hex(c, 2)}` : `\\u${hex(c, 4)}`))
}

/** JSON text (JSON.stringify's) with the control characters it leaves raw written as `\u` escapes: the same JSON value. */
export function escapeJsonControls(json: string): string {
  return json.replace(CONTROL_IN_JSON, (c) => `\\u${hex(c, 4)}`)
}
