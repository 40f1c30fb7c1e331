/**
 * Draws the app icon (a circular "update" arrow around a check mark on a blue tile) and writes
 * build/icon.png (512 px) and build/icon.ico (256/64/48/32/16 px, PNG-compressed entries, which
 * Windows Vista and later read). Deterministic, no image library: shapes are distance functions,
 * 4×4 supersampled. Run: node build/make-icon.ts
 */
import { deflateSync } from 'node:zlib'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'

type Rgba = [number, number, number, number]

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
function crc32(buf: Buffer): number {
  let c = 0xffffffff
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}
function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(td))
  return Buffer.concat([len, td, crc])
}

/** Encodes RGBA pixels as a PNG. */
export function encodePng(size: number, pixels: Uint8Array): Buffer {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(size, 0)
  ihdr.writeUInt32BE(size, 4)
  ihdr[8] = 8 // bit depth
  ihdr[9] = 6 // RGBA
  const raw = Buffer.alloc((size * 4 + 1) * size)
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0
    Buffer.from(pixels.buffer, pixels.byteOffset + y * size * 4, size * 4).copy(raw, y * (size * 4 + 1) + 1)
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))])
}

/** The icon's colour at a point of the unit square (0..1), or null for transparent. */
function shade(x: number, y: number): Rgba | null {
  // Rounded tile.
  const r = 0.2
  const qx = Math.max(Math.abs(x - 0.5) - (0.5 - r) + 0.02, 0)
  const qy = Math.max(Math.abs(y - 0.5) - (0.5 - r) + 0.02, 0)
  if (Math.hypot(qx, qy) > r) return null
  const white: Rgba = [255, 255, 255, 255]
  const dx = x - 0.5
  const dy = y - 0.5
  const dist = Math.hypot(dx, dy)
  const angle = Math.atan2(dy, dx) // -π..π, 0 = right
  // Circular arrow: a ring with a gap at the top right, an arrowhead at the gap's end.
  if (dist > 0.27 && dist < 0.35 && !(angle > -1.35 && angle < -0.45)) return white
  // Arrowhead at the ring's clockwise end (angle -1.35), pointing along the clockwise tangent.
  const te = -1.35
  const px0 = 0.5 + 0.31 * Math.cos(te), py0 = 0.5 + 0.31 * Math.sin(te)
  const tx = -Math.sin(te), ty = Math.cos(te) // tangent
  const nx = Math.cos(te), ny = Math.sin(te) // radial
  const tip = [px0 + 0.12 * tx, py0 + 0.12 * ty]
  const left = [px0 + 0.1 * nx, py0 + 0.1 * ny]
  const right = [px0 - 0.1 * nx, py0 - 0.1 * ny]
  const sign = (p: number[], a: number[], b: number[]) => (p[0] - b[0]) * (a[1] - b[1]) - (a[0] - b[0]) * (p[1] - b[1])
  const s1 = sign([x, y], tip, left), s2 = sign([x, y], left, right), s3 = sign([x, y], right, tip)
  if (!((s1 < 0 || s2 < 0 || s3 < 0) && (s1 > 0 || s2 > 0 || s3 > 0))) return white
  // Check mark: two thick segments.
  const seg = (ax1: number, ay1: number, bx: number, by: number) => {
    const vx = bx - ax1, vy = by - ay1
    const t = Math.max(0, Math.min(1, ((x - ax1) * vx + (y - ay1) * vy) / (vx * vx + vy * vy)))
    return Math.hypot(x - (ax1 + t * vx), y - (ay1 + t * vy))
  }
  if (Math.min(seg(0.38, 0.5, 0.47, 0.6), seg(0.47, 0.6, 0.64, 0.4)) < 0.038) return white
  // Blue tile, lighter at the top.
  const k = 1 - y * 0.35
  return [Math.round(11 * k + 20), Math.round(92 * k + 10), Math.round(173 * k + 30), 255]
}

/** Renders the icon at `size` px with 4×4 supersampling. */
export function renderIcon(size: number): Uint8Array {
  const px = new Uint8Array(size * size * 4)
  const n = 4
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let r = 0, g = 0, b = 0, a = 0
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const c = shade((x + (sx + 0.5) / n) / size, (y + (sy + 0.5) / n) / size)
          if (c) { r += c[0] * c[3]; g += c[1] * c[3]; b += c[2] * c[3]; a += c[3] }
        }
      }
      const i = (y * size + x) * 4
      px[i] = a ? Math.round(r / a) : 0
      px[i + 1] = a ? Math.round(g / a) : 0
      px[i + 2] = a ? Math.round(b / a) : 0
      px[i + 3] = Math.round(a / (n * n))
    }
  }
  return px
}

/** Packs PNG images into an .ico (ICONDIR + ICONDIRENTRY per image). */
export function encodeIco(images: { size: number; png: Buffer }[]): Buffer {
  const header = Buffer.alloc(6 + 16 * images.length)
  header.writeUInt16LE(0, 0)
  header.writeUInt16LE(1, 2) // type: icon
  header.writeUInt16LE(images.length, 4)
  let offset = header.length
  images.forEach((img, i) => {
    const e = 6 + i * 16
    header[e] = img.size >= 256 ? 0 : img.size
    header[e + 1] = img.size >= 256 ? 0 : img.size
    header.writeUInt16LE(1, e + 4) // planes
    header.writeUInt16LE(32, e + 6) // bits per pixel
    header.writeUInt32LE(img.png.length, e + 8)
    header.writeUInt32LE(offset, e + 12)
    offset += img.png.length
  })
  return Buffer.concat([header, ...images.map((i) => i.png)])
}

if (process.argv[1] && process.argv[1].endsWith('make-icon.ts')) {
  const dir = import.meta.dirname
  writeFileSync(join(dir, 'icon.png'), encodePng(512, renderIcon(512)))
  writeFileSync(join(dir, 'icon.ico'), encodeIco([256, 64, 48, 32, 16].map((size) => ({ size, png: encodePng(size, renderIcon(size)) }))))
  console.log('make-icon: wrote build/icon.png and build/icon.ico')
}
