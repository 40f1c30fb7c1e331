/**
 * SHA-1 of a short text (its UTF-8 bytes) as 40 hex digits, in plain JavaScript: the training machines derive their
 * disks' and BCD entries' GUIDs from it. node:crypto gives the same digest, but loading it costs ~11 ms of a CLI start
 * (36 modules) that `diagnose --machine` otherwise never needs; these texts are tens of bytes. Not for security: a
 * name made stable, nothing more. Checked against node:crypto in test/unit/training/sha1.test.ts.
 */
export function sha1Hex(text: string): string {
  const bytes = Buffer.from(text, 'utf8')
  // The message, a 1 bit, zeros, and its length in bits (64-bit big-endian), to a whole number of 64-byte blocks.
  const blocks = Math.ceil((bytes.length + 9) / 64)
  const m = new Uint8Array(blocks * 64)
  m.set(bytes)
  m[bytes.length] = 0x80
  const view = new DataView(m.buffer)
  view.setUint32(m.length - 8, Math.floor(bytes.length / 0x20000000), false)
  view.setUint32(m.length - 4, (bytes.length * 8) >>> 0, false)
  let h0 = 0x67452301
  let h1 = 0xefcdab89
  let h2 = 0x98badcfe
  let h3 = 0x10325476
  let h4 = 0xc3d2e1f0
  const w = new Int32Array(80)
  for (let b = 0; b < blocks; b++) {
    for (let i = 0; i < 16; i++) w[i] = view.getInt32(b * 64 + i * 4, false)
    for (let i = 16; i < 80; i++) {
      const x = w[i - 3]! ^ w[i - 8]! ^ w[i - 14]! ^ w[i - 16]!
      w[i] = (x << 1) | (x >>> 31)
    }
    let a = h0
    let bb = h1
    let c = h2
    let d = h3
    let e = h4
    for (let i = 0; i < 80; i++) {
      const f =
        i < 20
          ? ((bb & c) | (~bb & d)) + 0x5a827999
          : i < 40
            ? (bb ^ c ^ d) + 0x6ed9eba1
            : i < 60
              ? ((bb & c) | (bb & d) | (c & d)) + 0x8f1bbcdc
              : (bb ^ c ^ d) + 0xca62c1d6
      const t = (((a << 5) | (a >>> 27)) + f + e + w[i]!) | 0
      e = d
      d = c
      c = (bb << 30) | (bb >>> 2)
      bb = a
      a = t
    }
    h0 = (h0 + a) | 0
    h1 = (h1 + bb) | 0
    h2 = (h2 + c) | 0
    h3 = (h3 + d) | 0
    h4 = (h4 + e) | 0
  }
  return [h0, h1, h2, h3, h4].map((h) => (h >>> 0).toString(16).padStart(8, '0')).join('')
}
