/**
 * What happens to console text on its way into a chat or a ticket, applied to captured fixtures so each
 * robustness test starts from real output: hard wraps at the console width, lost newlines, CRLF,
 * trailing spaces, UTF-16LE files.
 */

/** Cuts every line longer than `width` into pieces of `width` characters, as conhost does. */
export function hardWrap(text: string, width: number): string {
  return text
    .split('\n')
    .flatMap((line) => {
      const parts: string[] = []
      for (let i = 0; i < line.length; i += width) parts.push(line.slice(i, i + width))
      return parts.length === 0 ? [''] : parts
    })
    .join('\n')
}

/** A chat that turned every line break (and run of spaces) into one space. */
export function loseNewlines(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim()
}

export function toCrlf(text: string): string {
  return text.replace(/\r?\n/g, '\r\n')
}

export function padLines(text: string, spaces = 5): string {
  return text
    .split('\n')
    .map((l) => l + ' '.repeat(spaces))
    .join('\n')
}

/** The bytes of a UTF-16LE file with BOM (what PowerShell 5.1's `>` redirection writes). */
export function utf16leWithBom(text: string): Uint8Array {
  return new Uint8Array(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]))
}
