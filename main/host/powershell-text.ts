/**
 * Text that goes into a PowerShell script we write (a kit's Install-Kit.ps1, the plan export), for each
 * context it can land in. Values from elsewhere — Catalog titles, machine names, paths, notes — are data:
 * they must never end their literal or comment and become code.
 *
 * The rules (about_Quoting_Rules, about_Comments; PowerShell's tokenizer):
 * - A single-quoted string has one escape: a quote doubled. PowerShell takes ‘ ’ ‚ ‛ as single quotes too,
 *   so each is doubled as well. Nothing else is special inside (no `$`, no backtick).
 * - A block comment `<# … #>` ends at the first `#>`; a line comment ends at a line break. A line that
 *   starts with `.KEYWORD` inside the first block comment is comment-based help (e.g. `.EXTERNALHELP`).
 * - A script file without a byte-order mark is read by Windows PowerShell 5.1 in the ANSI code page: the
 *   UTF-8 bytes of `đ` (C4 91) read as `Ä‘`, and ‘ is a quote. Every script is written with a UTF-8 BOM.
 *
 * Hostile values are made impossible where they can be (control characters and line breaks are never
 * needed in a title or a path) and escaped where they remain.
 */

/** Writes a script file: UTF-8 with a BOM (see above), CRLF line ends. */
export function powerShellFileText(script: string): string {
  return `\uFEFF${script.replace(/^\uFEFF/, '').replace(/\r?\n/g, '\r\n')}`
}

/** C0/C1 controls (NUL, CR, LF, …), and the Unicode line and paragraph separators. */
const CONTROLS = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/g

export class PowerShellTextError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'PowerShellTextError'
  }
}

/** One line of plain text: every control character and line break becomes a space. */
export function oneLine(s: string): string {
  return s.replace(CONTROLS, ' ')
}

/** Text inside a comment (`<# … #>` or after `#`): one line, and no `<#` / `#>` (the only way out of a block comment). */
export function psComment(s: string): string {
  let t = oneLine(s)
  // Repeat: removing one pair can form another ('<<##>>' → …).
  while (/<#|#>/.test(t)) t = t.replace(/<#/g, '< #').replace(/#>/g, '# >')
  return t
}

/** A single-quoted literal of display text (messages): controls become spaces, quotes doubled. */
export function psTextLiteral(s: string): string {
  return psQuoteRaw(oneLine(s))
}

/**
 * A single-quoted literal of a value that must arrive exactly (a path, a file name, an id, an argument):
 * a control character cannot be part of one on Windows, so it is refused rather than changed.
 */
export function psLiteral(s: string): string {
  if (/[\u0000-\u001F\u007F-\u009F\u2028\u2029]/.test(s))
    throw new PowerShellTextError(
      `Refusing to write ${JSON.stringify(s.slice(0, 80))} into a PowerShell script: it holds a control character or a line break, which no Windows path or name has.`,
    )
  return psQuoteRaw(s)
}

function psQuoteRaw(s: string): string {
  return `'${s.replace(/['\u2018\u2019\u201A\u201B]/g, (q) => q + q)}'`
}
