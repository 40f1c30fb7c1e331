/**
 * A map from a device's name key (its name in upper case) to its device id, for the import's map of every device by
 * name: each name's characters held as bytes in one growing buffer, found through an open-addressing table of typed
 * arrays, not as a string and a Map entry each. At 1,000,000 devices the Map of names was ~75 MB of the old
 * generation (a string and an entry per device), which every full collection walks and which the import's heap was
 * let grow to twice of; here it is ~30 MB outside V8's heap. A name with a character past U+00FF, or longer than 255
 * characters, is kept in an ordinary Map, so lookups answer exactly as a Map of the strings would.
 */
export class NameMap {
  /** Each name as its length (one byte) and its characters (one byte each). */
  private bytes = new Uint8Array(64 * 1024)
  private used = 0
  /** Per slot: where its name starts in `bytes`, plus one (0: an empty slot). */
  private at = new Int32Array(1024)
  private hashes = new Int32Array(1024)
  private values = new Int32Array(1024)
  private held = 0
  private readonly other = new Map<string, number>()

  get size(): number {
    return this.held + this.other.size
  }

  /** The name's hash (FNV-1a over its characters), or 0 when it is not held as bytes. */
  private static hash(key: string): number {
    if (key.length > 255) return 0
    let h = 0x811c9dc5
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i)
      if (c > 255) return 0
      h = Math.imul(h ^ c, 0x01000193)
    }
    // Never 0 (the mark of a name held in `other`).
    return h | 1
  }

  /** The slot of the name: where it is, or the empty slot where it would go. */
  private slot(key: string, h: number): number {
    const mask = this.at.length - 1
    const bytes = this.bytes
    for (let i = (h ^ (h >>> 16)) & mask; ; i = (i + 1) & mask) {
      const a = this.at[i]!
      if (a === 0) return i
      if (this.hashes[i] !== h) continue
      const o = a - 1
      if (bytes[o] !== key.length) continue
      let k = 0
      while (k < key.length && bytes[o + 1 + k] === key.charCodeAt(k)) k++
      if (k === key.length) return i
    }
  }

  get(key: string): number | undefined {
    const h = NameMap.hash(key)
    if (h === 0) return this.other.get(key)
    const i = this.slot(key, h)
    return this.at[i] === 0 ? undefined : this.values[i]
  }

  set(key: string, value: number): this {
    const h = NameMap.hash(key)
    if (h === 0) {
      // A copy: a key read from an export is a slice of its chunk of text, which the slice would keep alive.
      this.other.set(key.length < 13 ? key : ` ${key}`.slice(1), value)
      return this
    }
    const i = this.slot(key, h)
    if (this.at[i] !== 0) {
      this.values[i] = value
      return this
    }
    if (this.used + 1 + key.length > this.bytes.length) {
      const b = new Uint8Array(Math.max(2 * this.bytes.length, this.used + 1 + key.length))
      b.set(this.bytes.subarray(0, this.used))
      this.bytes = b
    }
    const o = this.used
    this.bytes[o] = key.length
    for (let k = 0; k < key.length; k++) this.bytes[o + 1 + k] = key.charCodeAt(k)
    this.used += 1 + key.length
    this.at[i] = o + 1
    this.hashes[i] = h
    this.values[i] = value
    this.held++
    // Kept at most half full, so that a probe ends soon.
    if (2 * this.held > this.at.length) this.grow()
    return this
  }

  private grow(): void {
    const at = this.at,
      hashes = this.hashes,
      values = this.values
    const n = at.length * 2
    this.at = new Int32Array(n)
    this.hashes = new Int32Array(n)
    this.values = new Int32Array(n)
    const mask = n - 1
    for (let j = 0; j < at.length; j++) {
      if (at[j] === 0) continue
      const h = hashes[j]!
      let i = (h ^ (h >>> 16)) & mask
      while (this.at[i] !== 0) i = (i + 1) & mask
      this.at[i] = at[j]!
      this.hashes[i] = h
      this.values[i] = values[j]!
    }
  }
}
