/**
 * React keys for a list shown as it came (a result's notes, warnings, evidence, steps): each item's own content (a
 * repeat of the same content numbered after a NUL), so a key names the item, never its position.
 */
export function withContentKeys<T>(
  items: readonly T[],
  contentOf: (item: T) => string = (item) => (typeof item === 'string' ? item : JSON.stringify(item)),
): Array<[key: string, item: T]> {
  const seen = new Map<string, number>()
  return items.map((item) => {
    const content = contentOf(item)
    const n = (seen.get(content) ?? 0) + 1
    seen.set(content, n)
    return [n === 1 ? content : `${content}\u0000${n}`, item]
  })
}
