/**
 * Windows' own message for a Win32 error read back to its code: a text that quotes "The system cannot find the file
 * specified." without 0x80070002 tells that code all the same. The messages are data (data/win32-messages.json, from
 * Microsoft's System Error Codes pages); a message told only as a condition or a how-to ("if you see 'Access is
 * denied.'") is no failure of the text's own and is not read.
 */
import data from './data/win32-messages.json' with { type: 'json' }
import { escapePattern } from '../parse/escape-pattern.ts'
import { generalAt, lowerOf } from './outcome-words.ts'
import { lineAt } from '../parse/line-at.ts'

export interface MessageCode {
  code: string
  /** The code's name (ERROR_FILE_NOT_FOUND). */
  name: string
  line: number
  text: string
}

const byMessage = new Map(data.messages.map((m) => [m.message.replace(/\.$/, '').toLowerCase(), m]))
// Each message between word boundaries, its closing full stop optional (people quote it with or without one).
const MESSAGES = new RegExp(`(?<![\\p{L}])(?:${[...byMessage.keys()].map(escapePattern).join('|')})(?![\\p{L}])`, 'gu')
/** How far into a text messages are looked for: a pasted log's quoted message stands near its failure. */
const MAX_TEXT = 2_000_000
const MAX_CODES = 20

/** The Win32 codes whose messages a text quotes as its own, in the order first told, each once. */
export function win32MessagesIn(text: string): MessageCode[] {
  if (typeof text !== 'string' || text.length === 0) return []
  const head = text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text
  const lower = lowerOf(head)
  const out: MessageCode[] = []
  for (const m of lower.matchAll(MESSAGES)) {
    const found = byMessage.get(m[0])
    if (!found || out.some((o) => o.code === found.code)) continue
    if (generalAt(lower, m.index, m[0].length)) continue
    out.push({ code: found.code, name: found.name, ...lineAt(head, m.index) })
    if (out.length >= MAX_CODES) break
  }
  return out
}
