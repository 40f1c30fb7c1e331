/**
 * A WIM file's header and its XML metadata resource: what can be read of install.wim / install.esd /
 * install*.swm / boot.wim without Windows, DISM or decompression.
 *
 * The header (208 bytes, little-endian) as wimlib lays it out (github.com/ebiggers/wimlib include/wimlib/header.h,
 * `struct wim_header_disk`) and as Microsoft's go-winio reads it (github.com/microsoft/go-winio wim/wim.go):
 *   +0x00 magic "MSWIM\0\0\0"   +0x08 header size (208)   +0x0C version (0x10D00; 0xE00 for solid/ESD)
 *   +0x10 flags   +0x14 chunk size   +0x18 GUID[16]   +0x28 part number (u16)   +0x2A total parts (u16)
 *   +0x2C image count   +0x30 blob table reshdr   +0x48 XML data reshdr   +0x60 boot metadata reshdr
 *   +0x78 boot index   +0x7C integrity table reshdr   +0x94 60 unused bytes.
 * A reshdr (24 bytes): 7-byte stored size, 1 flags byte (0x04: compressed), 8-byte offset, 8-byte original size.
 *
 * The XML resource is UTF-16LE (with a byte-order mark) and stored uncompressed: `<WIM><IMAGE INDEX="n">` elements
 * holding `<NAME>`, `<WINDOWS><ARCH>` (PROCESSOR_ARCHITECTURE_*: 0 x86, 5 ARM, 9 AMD64, 12 ARM64, go-winio wim.go),
 * `<EDITIONID>`, `<LANGUAGES><LANGUAGE>…<DEFAULT>`, `<VERSION><MAJOR><MINOR><BUILD><SPBUILD>`. The element names were
 * checked against wimlib-imagex's `--image-property WINDOWS/VERSION/SPBUILD` (wimlib-imagex-info(1)) and its
 * `info` output on real media dumped in github.com/xoap-io/xoap-packer-templates helper/w11-24h2-image-names-ids.md
 * ("Architecture: x86_64 … Build: 19041 / Service Pack Build: 572").
 *
 * Pure and total: bytes in, a result out, never a throw; linear in the input (one forward scan per element kind).
 * The caller reads at most the header and the XML resource (size-bounded by `WIM_XML_MAX_BYTES`).
 */

export const WIM_HEADER_BYTES = 208
/**
 * The largest XML resource read: a real install.wim's is tens of KB (about 2.5 KB an edition), so 4 MiB is ~100 times
 * that. Measured (parseWimXml, best of 9, this 2-core machine under load): 75 KB → 750 KB took 8–11x the time for 10x
 * the input; past a few MB the decoded string's allocation dominates and the times scatter, so nothing larger is read.
 */
export const WIM_XML_MAX_BYTES = 4 * 1024 * 1024

export type WimArch = 'x86' | 'arm' | 'x64' | 'arm64'

export interface WimHeader {
  version: number
  /** Solid (LZMS) resources: an .esd, or a WIM exported with --solid. */
  solid: boolean
  compressed: boolean
  chunkSize: number
  partNumber: number
  totalParts: number
  imageCount: number
  bootIndex: number
  xml: { offset: number; storedSize: number; originalSize: number; compressed: boolean }
}

export interface WimXmlImage {
  index: number
  name: string | null
  editionId: string | null
  arch: WimArch | null
  /** The raw `<ARCH>` number when it is not one of the four. */
  archCode: number | null
  major: number | null
  minor: number | null
  build: number | null
  spBuild: number | null
  languages: string[]
  defaultLanguage: string | null
  totalBytes: number | null
}

export type WimResult<T> = { ok: true; value: T } | { ok: false; error: string }

const u32 = (b: Uint8Array, at: number) => (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16)) + b[at + 3] * 0x1000000
const u16 = (b: Uint8Array, at: number) => b[at] | (b[at + 1] << 8)
/** A 56- or 64-bit little-endian number as a JS number (exact below 2^53; a larger one is reported as too big). */
const uN = (b: Uint8Array, at: number, bytes: number) => {
  let v = 0
  for (let i = bytes - 1; i >= 0; i--) v = v * 256 + b[at + i]
  return v
}

const MAGIC = [0x4d, 0x53, 0x57, 0x49, 0x4d, 0, 0, 0]

/** The header: the first 208 bytes of the file (a shorter buffer is a truncated file). */
export function parseWimHeader(bytes: Uint8Array, fileBytes?: number): WimResult<WimHeader> {
  if (bytes.length < 8 || MAGIC.some((m, i) => bytes[i] !== m))
    return { ok: false, error: 'It is not a WIM file (it does not start with MSWIM).' }
  if (bytes.length < WIM_HEADER_BYTES)
    return {
      ok: false,
      error: `The WIM header is cut short (${bytes.length} of ${WIM_HEADER_BYTES} bytes): the file is truncated.`,
    }
  const size = u32(bytes, 8)
  if (size !== WIM_HEADER_BYTES)
    return { ok: false, error: `The WIM header says it is ${size} bytes long; only ${WIM_HEADER_BYTES} is known.` }
  const version = u32(bytes, 12)
  const flags = u32(bytes, 16)
  const xmlFlags = bytes[0x48 + 7]
  const xml = {
    storedSize: uN(bytes, 0x48, 7),
    offset: uN(bytes, 0x48 + 8, 8),
    originalSize: uN(bytes, 0x48 + 16, 8),
    compressed: (xmlFlags & 0x04) !== 0,
  }
  if (xml.offset > Number.MAX_SAFE_INTEGER || xml.storedSize > Number.MAX_SAFE_INTEGER)
    return { ok: false, error: 'The WIM header names an XML offset past any real file.' }
  if (xml.storedSize === 0 || xml.offset < WIM_HEADER_BYTES)
    return { ok: false, error: 'The WIM header names no XML metadata.' }
  if (fileBytes !== undefined && xml.offset + xml.storedSize > fileBytes)
    return {
      ok: false,
      error: `The WIM header puts its XML metadata at bytes ${xml.offset}–${xml.offset + xml.storedSize}, past the file's end (${fileBytes} bytes): the file is truncated or damaged.`,
    }
  const partNumber = u16(bytes, 0x28)
  const totalParts = u16(bytes, 0x2a)
  if (partNumber < 1 || totalParts < 1 || partNumber > totalParts)
    return { ok: false, error: `The WIM header says part ${partNumber} of ${totalParts}.` }
  return {
    ok: true,
    value: {
      version,
      solid: version === 0xe00,
      compressed: (flags & 0x2) !== 0,
      chunkSize: u32(bytes, 0x14),
      partNumber,
      totalParts,
      imageCount: u32(bytes, 0x2c),
      bootIndex: u32(bytes, 0x78),
      xml,
    },
  }
}

const ARCH: Record<number, WimArch> = { 0: 'x86', 5: 'arm', 9: 'x64', 12: 'arm64' }

/** The XML metadata resource's bytes (UTF-16LE) → one record per `<IMAGE INDEX=…>`. */
export function parseWimXml(bytes: Uint8Array): WimResult<WimXmlImage[]> {
  if (bytes.length > WIM_XML_MAX_BYTES)
    return {
      ok: false,
      error: `The WIM's XML metadata is ${bytes.length} bytes, more than the ${WIM_XML_MAX_BYTES} read.`,
    }
  if (bytes.length < 2 || bytes.length % 2 !== 0)
    return { ok: false, error: "The WIM's XML metadata is not UTF-16 text." }
  let text: string
  try {
    text = new TextDecoder('utf-16le', { fatal: true }).decode(bytes)
  } catch {
    return { ok: false, error: "The WIM's XML metadata is not valid UTF-16 text." }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
  const root = text.indexOf('<WIM>')
  if (root < 0) return { ok: false, error: "The WIM's XML metadata has no <WIM> element." }
  const images: WimXmlImage[] = []
  let at = root
  for (;;) {
    const open = text.indexOf('<IMAGE', at)
    if (open < 0) break
    const tagEnd = text.indexOf('>', open)
    const close = tagEnd < 0 ? -1 : text.indexOf('</IMAGE>', tagEnd)
    if (close < 0) return { ok: false, error: `The WIM's XML metadata is cut short inside image ${images.length + 1}.` }
    const m = /\bINDEX\s*=\s*"(\d{1,4})"/.exec(text.slice(open, tagEnd + 1))
    if (!m) return { ok: false, error: "An <IMAGE> element of the WIM's XML metadata has no INDEX." }
    images.push(imageOf(Number(m[1]), text.slice(tagEnd + 1, close)))
    at = close + 8
  }
  return { ok: true, value: images }
}

function imageOf(index: number, body: string): WimXmlImage {
  const windows = element(body, 'WINDOWS')
  const version = windows === null ? null : element(windows, 'VERSION')
  // NAME is a child of IMAGE; WINDOWS is taken out first so a nested element of the same name cannot be read.
  const outer = windows === null ? body : body.replace(`<WINDOWS>${windows}</WINDOWS>`, '')
  const num = (s: string | null) => (s !== null && /^\s*\d{1,15}\s*$/.test(s) ? Number(s) : null)
  const archCode = num(windows === null ? null : element(windows, 'ARCH'))
  const langs = windows === null ? null : element(windows, 'LANGUAGES')
  const languages: string[] = []
  if (langs !== null) {
    let at = 0
    for (;;) {
      const o = langs.indexOf('<LANGUAGE>', at)
      if (o < 0) break
      const c = langs.indexOf('</LANGUAGE>', o)
      if (c < 0) break
      languages.push(unescapeXml(langs.slice(o + 10, c)).trim())
      at = c + 11
    }
  }
  const text = (s: string | null) => (s === null ? null : unescapeXml(s).trim() || null)
  return {
    index,
    name: text(element(outer, 'NAME')),
    editionId: text(windows === null ? null : element(windows, 'EDITIONID')),
    arch: archCode !== null ? (ARCH[archCode] ?? null) : null,
    archCode,
    major: num(version === null ? null : element(version, 'MAJOR')),
    minor: num(version === null ? null : element(version, 'MINOR')),
    build: num(version === null ? null : element(version, 'BUILD')),
    spBuild: num(version === null ? null : element(version, 'SPBUILD')),
    languages: languages.filter(Boolean),
    defaultLanguage: text(langs === null ? null : element(langs, 'DEFAULT')),
    totalBytes: num(element(outer, 'TOTALBYTES')),
  }
}

/** The text between the first `<NAME>` and the next `</NAME>` (no attributes on these elements), or null. */
function element(body: string, name: string): string | null {
  const o = body.indexOf(`<${name}>`)
  if (o < 0) return null
  const c = body.indexOf(`</${name}>`, o)
  return c < 0 ? null : body.slice(o + name.length + 2, c)
}

function unescapeXml(s: string): string {
  return s.replace(/&(lt|gt|amp|quot|apos|#\d{1,7}|#x[0-9a-fA-F]{1,6});/g, (_, e: string) => {
    if (e === 'lt') return '<'
    if (e === 'gt') return '>'
    if (e === 'amp') return '&'
    if (e === 'quot') return '"'
    if (e === 'apos') return "'"
    const code = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : ''
  })
}
