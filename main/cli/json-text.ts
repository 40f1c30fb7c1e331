/**
 * `JSON.stringify(value, null, 2)`, handed out in pieces of about `PIECE` characters instead of one string
 * (`analyze --json` of 64 MB of Windows Update events printed 23 million characters; the one string, its
 * flattened copy with the newline and the bytes written held ~115 MB at the peak). The text is the same, character
 * for character: plain objects and arrays near the top are written member by member, everything below (and anything
 * that is not a plain object or array: a Date, a value with toJSON) by JSON.stringify itself, indented to its depth.
 */
const PIECE = 1 << 14
/** Containers this deep or deeper are stringified whole (they are one event, one package: small). */
const STREAM_DEPTH = 4

function plainContainer(v: unknown): v is Record<string, unknown> | unknown[] {
  if (Array.isArray(v)) return true
  if (v === null || typeof v !== 'object') return false
  const proto = Object.getPrototypeOf(v) as unknown
  return (proto === Object.prototype || proto === null) && typeof (v as { toJSON?: unknown }).toJSON !== 'function'
}

/** `value` as JSON.stringify(value, null, 2) gives it, passed to `write` in pieces (nothing written for undefined). */
export function writeJsonText(value: unknown, write: (piece: string) => void): void {
  let parts: string[] = []
  let size = 0
  const put = (s: string) => {
    parts.push(s)
    size += s.length
    if (size >= PIECE) {
      write(parts.join(''))
      parts = []
      size = 0
    }
  }
  /** A value JSON.stringify writes whole, indented to `depth`; undefined when JSON leaves it out (undefined, a function). */
  const whole = (v: unknown, depth: number): string | undefined => {
    const text = JSON.stringify(v, null, 2) as string | undefined
    return text === undefined || depth === 0 ? text : text.replace(/\n/g, `\n${'  '.repeat(depth)}`)
  }
  /** One value at `depth` (the text before it already placed); plain containers near the top member by member. */
  const walk = (v: Record<string, unknown> | unknown[], depth: number): void => {
    const inner = '  '.repeat(depth + 1)
    if (Array.isArray(v)) {
      if (v.length === 0) {
        put('[]')
        return
      }
      put('[')
      for (let i = 0; i < v.length; i++) {
        put(`${i ? ',' : ''}\n${inner}`)
        const item = v[i]
        if (depth + 1 < STREAM_DEPTH && plainContainer(item)) walk(item, depth + 1)
        else put(whole(item, depth + 1) ?? 'null')
      }
      put(`\n${'  '.repeat(depth)}]`)
      return
    }
    let first = true
    for (const k of Object.keys(v)) {
      const member = v[k]
      const streamed = depth + 1 < STREAM_DEPTH && plainContainer(member)
      // A member JSON leaves out (undefined, a function, a toJSON that gives undefined) is decided before its key is written.
      const text = streamed ? '' : whole(member, depth + 1)
      if (text === undefined) continue
      put(`${first ? '{' : ','}\n${inner}${JSON.stringify(k)}: `)
      first = false
      if (streamed) walk(member as Record<string, unknown> | unknown[], depth + 1)
      else put(text)
    }
    put(first ? '{}' : `\n${'  '.repeat(depth)}}`)
  }
  if (plainContainer(value)) walk(value, 0)
  else {
    const text = whole(value, 0)
    if (text !== undefined) put(text)
  }
  if (size) write(parts.join(''))
}
