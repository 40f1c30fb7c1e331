/**
 * Just enough of PowerShell's tokenizer to tell where text lands in a script we generate: in a comment,
 * in a single-quoted (verbatim) literal, or in code. Double-quoted strings count as code (they expand
 * `$var` and `$(…)`). Per the language spec (about_Quoting_Rules, about_Comments), PowerShell treats the
 * typographic quotes ‘ ’ ‚ ‛ as single quotes and “ ” „ as double quotes, and a block comment ends at
 * the first `#>`.
 */
const SQ = new Set(["'", '\u2018', '\u2019', '\u201A', '\u201B'])
const DQ = new Set(['"', '\u201C', '\u201D', '\u201E'])

export type Region = 'code' | 'comment' | 'literal'

/** The region of every UTF-16 index of `script`. */
export function regionsOf(script: string): Region[] {
  const out: Region[] = new Array(script.length).fill('code')
  let i = 0
  const mark = (from: number, to: number, r: Region) => { for (let k = from; k < to && k < script.length; k++) out[k] = r }
  while (i < script.length) {
    const c = script[i]!
    if (c === '<' && script[i + 1] === '#') {
      const end = script.indexOf('#>', i + 2)
      const stop = end < 0 ? script.length : end + 2
      mark(i, stop, 'comment'); i = stop; continue
    }
    if (c === '#') {
      let end = i
      while (end < script.length && script[end] !== '\n' && script[end] !== '\r') end++
      mark(i, end, 'comment'); i = end; continue
    }
    if (c === '@' && SQ.has(script[i + 1] ?? '') && (script[i + 2] === '\n' || script[i + 2] === '\r')) {
      const m = /\r?\n['\u2018\u2019\u201A\u201B]@/.exec(script.slice(i + 2))
      const stop = m ? i + 2 + m.index + m[0].length : script.length
      mark(i, stop, 'literal'); i = stop; continue
    }
    if (SQ.has(c)) {
      let j = i + 1
      while (j < script.length) {
        if (SQ.has(script[j]!)) {
          if (SQ.has(script[j + 1] ?? '')) { j += 2; continue }
          break
        }
        j++
      }
      mark(i, j + 1, 'literal'); i = j + 1; continue
    }
    if (DQ.has(c)) {
      // Code: expands variables and sub-expressions. Ends at an unescaped double quote.
      let j = i + 1
      while (j < script.length) {
        if (script[j] === '`') { j += 2; continue }
        if (DQ.has(script[j]!)) { if (DQ.has(script[j + 1] ?? '')) { j += 2; continue } break }
        j++
      }
      i = j + 1; continue
    }
    i++
  }
  return out
}

/** Every index where `marker` starts in code (not in a comment or a verbatim literal). */
export function markerInCode(script: string, marker: string): number[] {
  const regions = regionsOf(script)
  const hits: number[] = []
  for (let at = script.indexOf(marker); at >= 0; at = script.indexOf(marker, at + 1)) {
    if (regions[at] === 'code') hits.push(at)
  }
  return hits
}
