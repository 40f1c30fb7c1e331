/**
 * A small, strict zip reader and writer for the collector's file and the fix package (PKZIP APPNOTE 6.3.x:
 * local headers, central directory, end of central directory; methods 0 = stored and 8 = deflate).
 *
 * The reader trusts the central directory only, and refuses rather than guesses: no zip64, no encryption, no
 * multi-disk, no entry whose name is absolute, has a drive letter, a `..` segment, a NUL or a control
 * character, no duplicate names, at most `maxEntries` entries, each at most `maxEntryBytes` and all together
 * at most `maxTotalBytes` once inflated (inflate is bounded by the declared size, so a zip bomb stops at the
 * limit), and every entry's CRC-32 and size must match. Errors are ZipError with one plain sentence.
 */
import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib'

export class ZipError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ZipError'
  }
}

export interface ZipLimits {
  maxEntries: number
  maxEntryBytes: number
  maxTotalBytes: number
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntries: 300,
  maxEntryBytes: 32 * 1024 * 1024,
  maxTotalBytes: 96 * 1024 * 1024,
}

const EOCD_SIG = 0x06054b50
const CEN_SIG = 0x02014b50
const LOC_SIG = 0x04034b50

/** A safe entry name (forward slashes; backslashes read as separators): relative, no `..`, no controls. */
export function safeEntryName(raw: string): string | null {
  const name = raw.replace(/\\/g, '/')
  if (name === '' || name.length > 400) return null
  if (/[\u0000-\u001f\u007f]/.test(name)) return null
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return null
  const parts = name.split('/')
  if (parts.some((p, i) => p === '..' || p === '.' || (p === '' && i !== parts.length - 1))) return null
  return name
}

/** A file entry as the central directory states it (not yet unpacked). */
export interface ZipEntryInfo {
  name: string
  method: number
  crc: number
  /** Packed and unpacked sizes, as stated. */
  csize: number
  usize: number
  /** Where its packed bytes start in the buffer (after its local header). */
  start: number
}

/**
 * Every file entry (directories skipped) as the central directory states it, after checking all the limits but
 * before anything is unpacked: a reader that streams an entry (an export's CSV) looks at its sizes first.
 */
export function zipDirectory(buf: Buffer, limits: ZipLimits = DEFAULT_ZIP_LIMITS): ZipEntryInfo[] {
  if (buf.length < 22) throw new ZipError('The file is too short to be a zip: it is damaged or truncated.')
  if (buf.readUInt32LE(0) !== LOC_SIG)
    throw new ZipError('The file is not a zip (it does not start with a zip header).')
  // The end record is in the last 22 + 65,535 bytes (a comment may follow it).
  let eocd = -1
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === EOCD_SIG) {
      eocd = i
      break
    }
  }
  if (eocd < 0) throw new ZipError('The zip has no end record: it is truncated or damaged.')
  const disk = buf.readUInt16LE(eocd + 4),
    cdDisk = buf.readUInt16LE(eocd + 6)
  const count = buf.readUInt16LE(eocd + 10),
    cdSize = buf.readUInt32LE(eocd + 12),
    cdOffset = buf.readUInt32LE(eocd + 16)
  if (disk !== 0 || cdDisk !== 0 || buf.readUInt16LE(eocd + 8) !== count)
    throw new ZipError('The zip spans several parts, which is not read.')
  if (count === 0xffff || cdOffset === 0xffffffff || cdSize === 0xffffffff)
    throw new ZipError('The zip is in zip64 form, which a collector file never is.')
  if (count > limits.maxEntries)
    throw new ZipError(`The zip holds ${count} entries; a collector file holds at most ${limits.maxEntries}.`)
  if (cdOffset + cdSize > eocd)
    throw new ZipError("The zip's directory points outside the file: it is truncated or damaged.")
  const out: ZipEntryInfo[] = []
  const names = new Set<string>()
  let total = 0
  let p = cdOffset
  for (let n = 0; n < count; n++) {
    if (p + 46 > eocd || buf.readUInt32LE(p) !== CEN_SIG) throw new ZipError("The zip's directory is damaged.")
    const flags = buf.readUInt16LE(p + 8),
      method = buf.readUInt16LE(p + 10)
    const crc = buf.readUInt32LE(p + 16),
      csize = buf.readUInt32LE(p + 20),
      usize = buf.readUInt32LE(p + 24)
    const nameLen = buf.readUInt16LE(p + 28),
      extraLen = buf.readUInt16LE(p + 30),
      commentLen = buf.readUInt16LE(p + 32)
    const local = buf.readUInt32LE(p + 42)
    if (p + 46 + nameLen > eocd) throw new ZipError("The zip's directory is damaged.")
    const raw = buf.subarray(p + 46, p + 46 + nameLen).toString(flags & 0x800 ? 'utf8' : 'latin1')
    p += 46 + nameLen + extraLen + commentLen
    const name = safeEntryName(raw)
    if (name === null)
      throw new ZipError(
        `The zip holds an entry with an unsafe name (${JSON.stringify(raw.slice(0, 80))}); nothing in it was used.`,
      )
    if (flags & 0x1) throw new ZipError(`The zip's entry ${name} is encrypted, which a collector file never is.`)
    if (name.endsWith('/')) continue
    if (names.has(name.toLowerCase())) throw new ZipError(`The zip holds ${name} twice; nothing in it was used.`)
    names.add(name.toLowerCase())
    if (usize > limits.maxEntryBytes)
      throw new ZipError(
        `The zip's entry ${name} is ${mb(usize)} unpacked; at most ${mb(limits.maxEntryBytes)} is read.`,
      )
    total += usize
    if (total > limits.maxTotalBytes)
      throw new ZipError(`The zip unpacks to more than ${mb(limits.maxTotalBytes)}; a collector file is much smaller.`)
    if (local + 30 > buf.length || buf.readUInt32LE(local) !== LOC_SIG)
      throw new ZipError(`The zip's entry ${name} is missing: the file is truncated or damaged.`)
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28)
    if (start + csize > buf.length) throw new ZipError(`The zip's entry ${name} is cut short: the file is truncated.`)
    if (method !== 0 && method !== 8)
      throw new ZipError(`The zip's entry ${name} uses compression method ${method}; only stored and deflate are read.`)
    out.push({ name, method, crc, csize, usize, start })
  }
  return out
}

/** Reads every file entry (directories skipped) into memory, after checking all the limits. */
export function readZip(buf: Buffer, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Map<string, Buffer> {
  const out = new Map<string, Buffer>()
  for (const e of zipDirectory(buf, limits)) {
    const packed = buf.subarray(e.start, e.start + e.csize)
    let data: Buffer
    if (e.method === 0) data = Buffer.from(packed)
    else {
      try {
        data = inflateRawSync(packed, { maxOutputLength: Math.max(1, e.usize) })
      } catch {
        throw new ZipError(
          `The zip's entry ${e.name} does not unpack to its stated size: the file is damaged or hostile.`,
        )
      }
    }
    if (data.length !== e.usize || crc32(data) !== e.crc)
      throw new ZipError(`The zip's entry ${e.name} fails its checksum: the file is damaged.`)
    out.set(e.name, data)
  }
  return out
}

/** Writes entries (deflated) into one zip buffer; names must pass safeEntryName. */
export function writeZip(entries: ReadonlyArray<{ name: string; data: Buffer }>, when = new Date()): Buffer {
  const dosTime = ((when.getHours() << 11) | (when.getMinutes() << 5) | Math.floor(when.getSeconds() / 2)) & 0xffff
  const dosDate = (((when.getFullYear() - 1980) << 9) | ((when.getMonth() + 1) << 5) | when.getDate()) & 0xffff
  const locals: Buffer[] = []
  const cens: Buffer[] = []
  let offset = 0
  for (const e of entries) {
    if (safeEntryName(e.name) !== e.name)
      throw new ZipError(`Refusing to write the unsafe zip entry name ${JSON.stringify(e.name)}.`)
    const name = Buffer.from(e.name, 'utf8')
    const packed = deflateRawSync(e.data)
    const crc = crc32(e.data)
    const loc = Buffer.alloc(30)
    loc.writeUInt32LE(LOC_SIG, 0)
    loc.writeUInt16LE(20, 4)
    loc.writeUInt16LE(0x800, 6)
    loc.writeUInt16LE(8, 8)
    loc.writeUInt16LE(dosTime, 10)
    loc.writeUInt16LE(dosDate, 12)
    loc.writeUInt32LE(crc, 14)
    loc.writeUInt32LE(packed.length, 18)
    loc.writeUInt32LE(e.data.length, 22)
    loc.writeUInt16LE(name.length, 26)
    loc.writeUInt16LE(0, 28)
    const cen = Buffer.alloc(46)
    cen.writeUInt32LE(CEN_SIG, 0)
    cen.writeUInt16LE(20, 4)
    cen.writeUInt16LE(20, 6)
    cen.writeUInt16LE(0x800, 8)
    cen.writeUInt16LE(8, 10)
    cen.writeUInt16LE(dosTime, 12)
    cen.writeUInt16LE(dosDate, 14)
    cen.writeUInt32LE(crc, 16)
    cen.writeUInt32LE(packed.length, 20)
    cen.writeUInt32LE(e.data.length, 24)
    cen.writeUInt16LE(name.length, 28)
    cen.writeUInt32LE(offset, 42)
    locals.push(loc, name, packed)
    cens.push(cen, name)
    offset += 30 + name.length + packed.length
  }
  const cd = Buffer.concat(cens)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(EOCD_SIG, 0)
  end.writeUInt16LE(entries.length, 8)
  end.writeUInt16LE(entries.length, 10)
  end.writeUInt32LE(cd.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, cd, end])
}

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`
