/**
 * Parses `DISM /Get-ImageInfo` (and `/Get-WimInfo`) and `Get-WindowsImage` output into one record per
 * image index.
 *
 * DISM's header prints its own version (`Version: 10.0.26100.1150`, no space before the colon); the
 * image's version is the `Version : 10.0.26100` field inside an `Index :` record, with the revision in
 * `ServicePack Build : 1742`. Get-WindowsImage prints `ImageIndex`, `Version : 10.0.26100.1742`,
 * `SPBuild`, and `Architecture` as a number (0 x86, 5 arm, 9 x64, 12 arm64: the WIM ARCH values).
 */
import type { MachineArch } from '../../preload/model/common.ts'
import { unwrapConsoleLines, lostNewlines } from './console-text.ts'

export interface ImageInfo {
  index: number
  name: string | null
  /** The image's version (`10.0.26100` from DISM, `10.0.26100.1742` from Get-WindowsImage). */
  version: string | null
  spBuild: number | null
  arch: MachineArch | null
  edition: string | null
}

export interface DismImageInfoResult {
  images: ImageInfo[]
  format: 'dism' | 'get-windowsimage' | 'none'
  /** DISM's own version from the header, kept apart so nobody mistakes it for the image's. */
  dismVersion: string | null
  warnings: string[]
}

const WIM_ARCH: Record<string, MachineArch> = { '0': 'x86', '5': 'arm', '9': 'x64', '12': 'arm64' }

/** Field labels in English, German, French, Spanish and Chinese DISM output, and Get-WindowsImage names. */
const LABELS: Record<keyof Omit<ImageInfo, 'index'> | 'index', RegExp> = {
  index: /^(Index|ImageIndex|索引)$/i,
  name: /^(Name|ImageName|Nom|Nombre|名称)$/i,
  version: /^(Version|Versión|版本)$/i,
  spBuild:
    /^(ServicePack\s*Build|SPBuild|ServicePack-Build|Build\s+du\s+Service\s*Pack|Compilación\s+de\s+Service\s*Pack|Service\s*Pack\s*内部版本)$/i,
  arch: /^(Architecture|Architektur|Arquitectura|体系结构|架构)$/i,
  edition: /^(Edition|EditionId|Édition|Edición|版本类型)$/i,
}

export function parseDismImageInfo(input: string): DismImageInfoResult {
  const text = typeof input === 'string' ? input : ''
  const warnings: string[] = []
  let body = text
  if (lostNewlines(text)) {
    // Restore one field per line before each known label (flattened paste).
    body = text.replace(
      /(?<!\s)\s+(?=(?:Index|ImageIndex|Name|ImageName|Description|ImageDescription|Size|ImageSize|WIM Bootable|WIMBoot|Architecture|Hal|Version|ServicePack Build|ServicePack Level|SPBuild|SPLevel|Edition|EditionId|Installation|InstallationType|ProductType|ProductSuite|System Root|SystemRoot|Directories|DirectoryCount|Files|FileCount|Created|CreatedTime|Modified|ModifiedTime|Languages|The operation)\s*:?\s)/g,
      '\n',
    )
    warnings.push('The text lost its line breaks; fields were split at their labels.')
  }
  const lines = unwrapConsoleLines(body, (l) => /^\s*\S[^:]*\s:/.test(l))
  const dismVersion = lines.map((l) => /^\s*Version:\s*(\d+(?:\.\d+){2,3})\s*$/.exec(l)?.[1]).find((v) => v) ?? null
  const images: ImageInfo[] = []
  let cur: ImageInfo | null = null
  let sawGetWindowsImage = false
  for (const raw of lines) {
    const line = stripPasteDecoration(raw)
    // A record field is `Label : value` (space before the colon); DISM's own header is `Version: x`.
    // Newer localised DISM prints `Index: "1"` (no space before the colon, the value quoted).
    const m = /^\s*([^:\s][^:]{0,199}?)\s+:\s?(.*)$/.exec(line) ?? /^\s*([^:\s][^:]{0,199}?):\s?(".*)$/.exec(line)
    if (!m) continue
    const label = m[1].trim()
    const value = m[2].trim().replace(/^"(.*?)"?$/, '$1')
    if (LABELS.index.test(label)) {
      if (/^ImageIndex$/i.test(label)) sawGetWindowsImage = true
      // A WIM index is a whole number from 1; an empty value (`Index :` cut by a paste) is no record.
      if (!/^[1-9]\d*$/.test(value)) continue
      const n = Number(value)
      cur = { index: n, name: null, version: null, spBuild: null, arch: null, edition: null }
      images.push(cur)
      continue
    }
    if (!cur) continue
    if (LABELS.name.test(label) && cur.name === null) cur.name = value || null
    else if (LABELS.version.test(label) && /^\d+(\.\d+){2,3}$/.test(value)) cur.version = value
    else if (LABELS.spBuild.test(label) && /^\d+$/.test(value)) cur.spBuild = Number(value)
    else if (LABELS.arch.test(label)) cur.arch = WIM_ARCH[value] ?? archWord(value)
    else if (LABELS.edition.test(label) && value !== '') cur.edition = value
  }
  if (images.length === 0) warnings.push('No image records (`Index : n`) were found.')
  for (const img of images) {
    if (img.version && img.spBuild !== null && img.version.split('.').length === 3) continue
    if (img.version && img.version.split('.').length === 4 && img.spBuild === null)
      img.spBuild = Number(img.version.split('.')[3])
  }
  return {
    images,
    format: images.length === 0 ? 'none' : sawGetWindowsImage ? 'get-windowsimage' : 'dism',
    dismVersion,
    warnings,
  }
}

function archWord(v: string): MachineArch | null {
  const t = v.toLowerCase()
  if (t === 'x64' || t === 'amd64') return 'x64'
  if (t === 'x86') return 'x86'
  if (t === 'arm64') return 'arm64'
  if (t === 'arm') return 'arm'
  return null
}

/**
 * Removes what a paste adds around a console line: markdown emphasis (`**Version : …**`), quote
 * marks (`> `), and JSON string quoting from tools that capture stdout as lines (`"ImageIndex : 1",`).
 */
export function stripPasteDecoration(line: string): string {
  const t = line.replace(/^\s*(?:>\s*)?(?:\*\*|__|`|")?/, '')
  // The tail by hand, right to left: /(?:\*\*|__|`)?(?:",?)?\s*$/ tries \s*$ from every position of a long
  // blank run followed by text (quadratic; found by fuzzing: 170,000 tabs took 93 s).
  let end = t.length
  while (end > 0 && /\s/.test(t.charAt(end - 1))) end--
  if (t.endsWith('",', end)) end -= 2
  else if (t.endsWith('"', end)) end -= 1
  if (t.endsWith('**', end) || t.endsWith('__', end)) end -= 2
  else if (t.endsWith('`', end)) end -= 1
  return t.slice(0, end)
}
