/**
 * A PE file's version (setup.exe's): the FILEVERSION of the VS_FIXEDFILEINFO in its RT_VERSION resource.
 *
 * Hand-written, about 80 lines, because the one fitting library here (resedit / pe-library) is only a transitive
 * dependency of the build tooling, not one of ours (adding it would need `npm install`), and only four numbers are
 * wanted. Layouts from Microsoft's PE format page (learn.microsoft.com/windows/win32/debug/pe-format: DOS header
 * e_lfanew at 0x3C, "PE\0\0", COFF header, optional header magic 0x10B/0x20B, data directory 2 = resource table,
 * section table; ".rsrc section": resource directory tables and entries, data entries) and the VS_VERSIONINFO /
 * VS_FIXEDFILEINFO pages (learn.microsoft.com/windows/win32/menurc/vs-versioninfo, …/api/verrsrc/ns-verrsrc-vs_fixedfileinfo:
 * signature 0xFEEF04BD, dwFileVersionMS/LS).
 *
 * Pure and total: bytes in (the caller bounds how many it reads), a result out, never a throw; every offset is
 * checked against the buffer, and the resource walk visits at most a fixed number of entries.
 */

export type PeVersionResult = { ok: true; version: string } | { ok: false; error: string }

const MAX_ENTRIES = 4096

export function parsePeFileVersion(b: Uint8Array): PeVersionResult {
  const fail = (error: string): PeVersionResult => ({ ok: false, error })
  const in_ = (at: number, n: number) => at >= 0 && n >= 0 && at + n <= b.length
  const u16 = (at: number) => (in_(at, 2) ? b[at] | (b[at + 1] << 8) : -1)
  const u32 = (at: number) => (in_(at, 4) ? (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16)) + b[at + 3] * 0x1000000 : -1)
  if (u16(0) !== 0x5a4d) return fail('It is not a Windows program (no MZ header).')
  const pe = u32(0x3c)
  if (pe < 0 || u32(pe) !== 0x4550) return fail('It is not a Windows program (no PE header), or it is cut short.')
  const coff = pe + 4
  const sections = u16(coff + 2)
  const optSize = u16(coff + 16)
  const opt = coff + 20
  const magic = u16(opt)
  if (magic !== 0x10b && magic !== 0x20b) return fail("The program's optional header is not PE32 or PE32+.")
  const dirs = opt + (magic === 0x20b ? 112 : 96)
  const dirCount = u32(dirs - 4)
  if (dirCount < 3) return fail('The program has no resource table, so no version.')
  const rsrcRva = u32(dirs + 2 * 8)
  if (rsrcRva <= 0) return fail('The program has no resource table, so no version.')
  const secTable = opt + optSize
  if (sections < 1 || sections > 96 || !in_(secTable, sections * 40))
    return fail("The program's section table is cut short.")
  const toFile = (rva: number): number => {
    for (let i = 0; i < sections; i++) {
      const s = secTable + i * 40
      const va = u32(s + 12)
      const raw = Math.max(u32(s + 16), u32(s + 8))
      const ptr = u32(s + 20)
      if (rva >= va && rva < va + raw) return ptr + (rva - va)
    }
    return -1
  }
  const root = toFile(rsrcRva)
  if (root < 0 || !in_(root, 16)) return fail("The program's resource table is outside the file.")
  let visited = 0
  // One resource directory's entries (named ones first, then by id): [id or -1, offset, isDirectory].
  const entries = (dir: number): Array<[number, number, boolean]> | null => {
    if (!in_(dir, 16)) return null
    const n = u16(dir + 12) + u16(dir + 14)
    if (!in_(dir + 16, n * 8)) return null
    visited += n
    if (visited > MAX_ENTRIES) return null
    const out: Array<[number, number, boolean]> = []
    for (let i = 0; i < n; i++) {
      const e = dir + 16 + i * 8
      const name = u32(e)
      const off = u32(e + 4)
      out.push([name >= 0x80000000 ? -1 : name, off % 0x80000000, off >= 0x80000000])
    }
    return out
  }
  const types = entries(root)
  if (!types) return fail("The program's resource table is damaged.")
  const version = types.find(([id, , dir]) => id === 16 && dir)
  if (!version) return fail('The program has no version resource.')
  const names = entries(root + version[1])
  const first = names?.find(([, , dir]) => dir)
  const langs = first ? entries(root + first[1]) : null
  const leaf = langs?.find(([, , dir]) => !dir)
  if (!leaf) return fail("The program's version resource is damaged.")
  const dataEntry = root + leaf[1]
  const data = toFile(u32(dataEntry))
  const size = u32(dataEntry + 4)
  if (data < 0 || size < 92 || !in_(data, Math.min(size, 92)))
    return fail("The program's version resource is outside the file.")
  // VS_VERSIONINFO: wLength, wValueLength, wType, L"VS_VERSION_INFO\0" (32 bytes) at +6, padded to 4 → +40.
  const key = String.fromCharCode(...Array.from({ length: 15 }, (_, i) => u16(data + 6 + i * 2)))
  if (key !== 'VS_VERSION_INFO') return fail("The program's version resource does not start with VS_VERSION_INFO.")
  const fixed = data + 40
  if (u16(data + 2) < 52 || u32(fixed) !== 0xfeef04bd)
    return fail("The program's version resource holds no fixed file information.")
  const ms = u32(fixed + 8)
  const ls = u32(fixed + 12)
  return {
    ok: true,
    version: `${Math.floor(ms / 0x10000)}.${ms % 0x10000}.${Math.floor(ls / 0x10000)}.${ls % 0x10000}`,
  }
}
