/**
 * Turns pasted bytes or text into clean text: decodes UTF-16 (with or without BOM) and UTF-8 with BOM,
 * and unifies line endings. Wrapping and lost newlines are left to each analyzer, which knows its format.
 */
export function normalizePastedText(input: string | Uint8Array): string {
  let text: string
  if (typeof input === 'string') text = input
  else text = decodeBytes(input)
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
  return text.indexOf('\r') === -1 ? text : text.replace(/\r\n?/g, '\n')
}

function decodeBytes(b: Uint8Array): string {
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return new TextDecoder('utf-16le').decode(b.subarray(2))
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return new TextDecoder('utf-16be').decode(b.subarray(2))
  if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf)
    return new TextDecoder('utf-8').decode(b.subarray(3))
  // UTF-16LE without BOM: many zero bytes in odd positions.
  if (b.length >= 4) {
    let zeros = 0
    const n = Math.min(b.length, 512)
    for (let i = 1; i < n; i += 2) if (b[i] === 0) zeros++
    if (zeros > n / 4) return new TextDecoder('utf-16le').decode(b)
  }
  return new TextDecoder('utf-8').decode(b)
}
