/**
 * A map from a device's Entra or Intune id to its device id, for the import's maps of every device by identity: an id
 * in its usual form (a GUID, lower-case hex as the readers give it) is held as its 16 bytes in a typed array with the
 * device id beside it, not as a 36-character string and a Map entry (at 1,000,000 devices two such maps held ~140 MB
 * of strings and entries, all of it in the old generation that each full collection walks). Any other text is kept in
 * an ordinary Map, so lookups answer exactly as a Map of the strings would.
 */
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** The value of a hex digit's character code (lower-case only: GUID has been tested first). */
const hex = (c: number): number => (c <= 57 ? c - 48 : c - 87)

export class GuidMap {
  /** Four 32-bit words of each id held; a slot whose value is 0 is empty (device ids are never 0: SQLite from 1, PostgreSQL's new ones below 0). */
  private words = new Uint32Array(4 * 1024)
  private values = new Int32Array(1024)
  private held = 0
  private readonly other = new Map<string, number>()
  /** The words of the id being looked up (no allocation per lookup). */
  private readonly w = new Uint32Array(4)

  get size(): number {
    return this.held + this.other.size
  }

  private read(s: string): void {
    const w = this.w
    let k = 0
    for (let word = 0; word < 4; word++) {
      let v = 0
      for (let d = 0; d < 8; d++) {
        let c = s.charCodeAt(k++)
        if (c === 45) c = s.charCodeAt(k++) // a hyphen
        v = (v << 4) | hex(c)
      }
      w[word] = v >>> 0
    }
  }

  /** The slot of the id in w: where it is, or the empty slot where it would go. */
  private slot(): number {
    const w = this.w
    const mask = this.values.length - 1
    let h = Math.imul(w[0]! ^ Math.imul(w[1]!, 0x9e3779b1) ^ Math.imul(w[2]!, 0x85ebca77) ^ w[3]!, 0xc2b2ae3d)
    h ^= h >>> 15
    for (let i = h & mask; ; i = (i + 1) & mask) {
      if (this.values[i] === 0) return i
      const b = 4 * i
      if (
        this.words[b] === w[0] &&
        this.words[b + 1] === w[1] &&
        this.words[b + 2] === w[2] &&
        this.words[b + 3] === w[3]
      )
        return i
    }
  }

  get(key: string): number | undefined {
    if (!GUID.test(key)) return this.other.get(key)
    this.read(key)
    const v = this.values[this.slot()]!
    return v === 0 ? undefined : v
  }

  set(key: string, value: number): this {
    if (value === 0) throw new Error('A device id is never 0.')
    if (!GUID.test(key)) {
      // A copy: a key read from an export is a slice of its chunk of text, which the slice would keep alive.
      this.other.set(key.length < 13 ? key : ` ${key}`.slice(1), value)
      return this
    }
    this.read(key)
    const i = this.slot()
    if (this.values[i] === 0) {
      this.held++
      this.words.set(this.w, 4 * i)
      this.values[i] = value
      // Kept at most half full, so that a probe ends soon.
      if (2 * this.held > this.values.length) this.grow()
    } else this.values[i] = value
    return this
  }

  private grow(): void {
    const words = this.words,
      values = this.values
    this.words = new Uint32Array(words.length * 2)
    this.values = new Int32Array(values.length * 2)
    for (let j = 0; j < values.length; j++) {
      if (values[j] === 0) continue
      this.w.set(words.subarray(4 * j, 4 * j + 4))
      const i = this.slot()
      this.words.set(this.w, 4 * i)
      this.values[i] = values[j]!
    }
  }
}
