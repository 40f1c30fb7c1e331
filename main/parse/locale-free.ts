/**
 * Two answers of Node's locale functions given without ICU where a plain look gives the same: the first call of
 * `localeCompare` builds ICU's collator and the first `toLocaleString` its number format, each loading locale data
 * (measured with valgrind --tool=cachegrind: ~72 M and ~116 M instructions, ~124 M together; `node -e 0` is ~90 M).
 * A training machine's diagnosis sorted three lists of ISO times and printed one size, and paid both.
 * Pure, never throws.
 */

const isDigit = (c: number) => c >= 48 && c <= 57

/**
 * `a.localeCompare(b)`'s sign, by code unit where every locale orders alike: the strings first differ at two ASCII
 * digits (one ISO time against another of the same shape), or one is the other followed by a digit (an empty date
 * against a date). The text before that point is the same in both, so a collator compares the same elements up to it
 * and the digits, which every locale orders 0 to 9, decide. Anything else (letters, whose order and case rules are a
 * locale's, punctuation, text past ASCII) is localeCompare's own answer.
 */
export function localeOrder(a: string, b: string): number {
  if (a === b) return 0
  const n = Math.min(a.length, b.length)
  let i = 0
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++
  if (i === n) {
    if (isDigit((a.length > n ? a : b).charCodeAt(n))) return a.length < b.length ? -1 : 1
  } else {
    const x = a.charCodeAt(i)
    const y = b.charCodeAt(i)
    if (isDigit(x) && isDigit(y)) return x < y ? -1 : 1
  }
  return a.localeCompare(b)
}

/**
 * `n.toLocaleString('en-US')`: a whole number (a size in bytes) grouped by threes with commas, without Intl's number
 * format; a fraction, -0, or a number past 2^53 is toLocaleString's own answer.
 */
export function enUsNumber(n: number): string {
  if (!Number.isSafeInteger(n) || Object.is(n, -0)) return n.toLocaleString('en-US')
  const digits = String(Math.abs(n))
  let out = digits.slice(0, ((digits.length - 1) % 3) + 1)
  for (let i = out.length; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`
  return n < 0 ? `-${out}` : out
}
