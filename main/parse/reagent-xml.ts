/**
 * Parses `%SystemRoot%\System32\Recovery\ReAgent.xml`, WinRE's own configuration file — the
 * language-independent source of what `reagentc /info` prints.
 *
 * Why no XML library: `main/parse` stays dependency-free (layer rule), and ReAgent.xml is a flat list of
 * empty elements with attributes (`<WinreLocation path="\Recovery\WindowsRE" id="0" offset="1048576"
 * guid="{…}"/>`; field list as in OSD's Get-ReAgentXml). `WinreLocation` names the partition by the disk's
 * GPT GUID (or MBR signature in `id`) and the partition's byte offset, not by numbers; the probe maps the
 * offset onto the partition list. A zero WinreBCD id and an empty WinreLocation path mean WinRE is not
 * registered (what `reagentc /disable` writes). Total: never throws.
 */
import { normalizeBcdId } from './reagentc.ts'

export interface ReagentXmlLocation {
  /** Path inside the partition, e.g. `\Recovery\WindowsRE`; null when empty. */
  path: string | null
  /** Disk GUID (GPT) in lower case without braces, or null when all-zero/absent. */
  diskGuid: string | null
  /** MBR disk signature (`id`), 0 on GPT disks. */
  diskSignature: number | null
  /** Byte offset of the partition on the disk; null when 0/absent. */
  offsetBytes: number | null
}

export interface ReagentXml {
  schemaVersion: string | null
  winreBcdId: string | null
  winreLocation: ReagentXmlLocation | null
  imageLocation: ReagentXmlLocation | null
  /** `InstallState state="1"` = WinRE installed (enabled). */
  installState: number | null
  /** `WinREStaged state="1"` = winre.wim staged in System32\Recovery, not yet installed. */
  staged: boolean | null
  /** `OsBuildVersion path` e.g. `19041.1.amd64fre.vb_release.191206-1406` (the OS build WinRE was set up for). */
  osBuildVersion: string | null
  /** A WinRE version attribute when the file carries one (newer builds), else null. */
  winreVersion: string | null
  /** Derived: 'enabled' when InstallState=1 and a location is registered, 'disabled' when not, 'unknown' if unreadable. */
  status: 'enabled' | 'disabled' | 'unknown'
  /** Every element's attributes, by element name, for evidence. */
  elements: Record<string, Record<string, string>>
  warnings: string[]
}

const ELEMENT = /<([A-Za-z_][\w.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*\/?>/g
const ATTRIBUTE = /([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g

function decodeEntities(v: string): string {
  return v
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
}

function location(attrs: Record<string, string> | undefined): ReagentXmlLocation | null {
  if (!attrs) return null
  // Collapse doubled backslashes (seen when the file is quoted through markdown); a Windows path never has them.
  const raw = (attrs.path ?? '').replace(/\\{2,}/g, '\\').trim()
  const offset = /^\d+$/.test(attrs.offset ?? '') ? Number(attrs.offset) : null
  const signature = /^\d+$/.test(attrs.id ?? '') ? Number(attrs.id) : null
  return {
    path: raw === '' ? null : raw,
    diskGuid: normalizeBcdId(attrs.guid),
    diskSignature: signature,
    offsetBytes: offset === 0 ? null : offset,
  }
}

const EMPTY: Omit<ReagentXml, 'warnings'> = {
  schemaVersion: null,
  winreBcdId: null,
  winreLocation: null,
  imageLocation: null,
  installState: null,
  staged: null,
  osBuildVersion: null,
  winreVersion: null,
  status: 'unknown',
  elements: {},
}

export function parseReagentXml(input: string): ReagentXml {
  let text = typeof input === 'string' ? input : ''
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
  // A UTF-16 file decoded as UTF-8/latin1 shows NULs between characters.
  if (/\u0000/.test(text)) text = text.replace(/\u0000/g, '')
  const root = /<WindowsRE\b([^>]*)>/i.exec(text)
  if (!root)
    return {
      ...EMPTY,
      warnings: [
        text.trim() === '' ? 'ReAgent.xml is empty.' : 'This is not a ReAgent.xml file (no <WindowsRE> element).',
      ],
    }
  const warnings: string[] = []
  if (!/<\/WindowsRE\s*>/i.test(text))
    warnings.push('ReAgent.xml has no closing </WindowsRE>; the file may be truncated.')
  const elements: Record<string, Record<string, string>> = {}
  for (const m of text.matchAll(ELEMENT)) {
    const attrs: Record<string, string> = {}
    for (const a of m[2].matchAll(ATTRIBUTE)) attrs[a[1]] = decodeEntities(a[2] ?? a[3] ?? '')
    if (!(m[1] in elements)) elements[m[1]] = attrs
  }
  const state = (name: string): number | null => {
    const s = elements[name]?.state
    return s !== undefined && /^\d+$/.test(s) ? Number(s) : null
  }
  const winreLocation = location(elements.WinreLocation)
  const winreBcdId = normalizeBcdId(elements.WinreBCD?.id)
  const installState = state('InstallState')
  const staged = state('WinREStaged')
  const versionAttr = Object.entries(elements).find(([n]) => /^Winre(Version|ImageVersion)$/i.test(n))?.[1]
  const winreVersion = versionAttr
    ? (Object.values(versionAttr).find((v) => /^\d+\.\d+\.\d+\.\d+$/.test(v)) ?? null)
    : null
  let status: ReagentXml['status'] = 'unknown'
  if (installState === 1 && winreLocation?.path) status = 'enabled'
  else if (installState === 0 || (installState === null && !winreLocation?.path)) status = 'disabled'
  else if (installState === 1) {
    status = 'enabled'
    warnings.push('InstallState is 1 but WinreLocation has no path.')
  }
  if (status === 'enabled' && !winreBcdId) warnings.push('WinRE is marked installed but the WinreBCD id is zero.')
  const osb = elements.OsBuildVersion?.path?.trim()
  return {
    schemaVersion: /version\s*=\s*["']([^"']+)["']/.exec(root[1])?.[1] ?? null,
    winreBcdId,
    winreLocation,
    imageLocation: location(elements.ImageLocation),
    installState,
    staged: staged === null ? null : staged === 1,
    osBuildVersion: osb ? osb : null,
    winreVersion,
    status,
    elements,
    warnings,
  }
}
