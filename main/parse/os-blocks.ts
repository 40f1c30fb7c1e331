/**
 * OS build and UBR from the other shapes people paste them in, read from each shape's layout:
 *
 * - **Settings › System › About, "Copy"** (Windows specifications): one `label<TAB>value` line per field —
 *   Edition, Version, Installed on, OS build, Experience — the labels in the display language, so the lines are
 *   recognised by their values: the edition (`Windows 11 Pro`), the version (`24H2`), the OS build `26100.2894`
 *   (five digits, a dot, the UBR) and `Windows Feature Experience Pack …` (whose own version is not the OS build).
 *   The same lines typed with `:` instead of the TAB read the same.
 * - **msinfo32's System Summary** (copied or saved as text): `Item<TAB>Value` lines — `OS Name  Microsoft Windows 11 Pro`,
 *   `Version  10.0.26100 Build 26100` (the build without its UBR: msinfo32 does not show it); the Hardware Abstraction
 *   Layer's `Version = "10.0.26100.1"` is hal.dll's file version, never the OS build.
 * - **The CurrentVersion key's values** without reg's key line: `Get-ItemProperty … CurrentVersion` as Format-List
 *   (`CurrentBuild : 19044`, `UBR : 2846`), single `reg query … /v UBR` lines (`UBR    REG_DWORD    0xb1e`), a WSUS
 *   computer object's `OSBuildNumber`. CurrentBuild wins over BuildLab/BuildLabEx, which may still name the base
 *   build (`19041.1.amd64fre…` on 19044).
 * - **`wmic os get …`**: a header of Win32_OperatingSystem property names padded with spaces (`BuildNumber  Caption
 *   Version`) and one row below it, each cell starting where its name starts; no dashes under the header.
 * - **A table** (Format-Table) with a build column: `Build` and `Revision`/`UBR` columns, or a `BuildNumber` /
 *   `OsBuildNumber` cell that holds `19045.6216`.
 *
 * Pure and total; null where the text does not say.
 */
import { forEachLine } from './lines.ts'
import { readFormatTables } from './format-table.ts'

export interface OsBlockFacts {
  build: number | null
  ubr: number | null
  displayVersion: string | null
  edition: string | null
}

export interface OsBlockResult {
  os: OsBlockFacts
  /** The shape the build came from; null when none of them gave one. */
  source: 'about' | 'registry-values' | 'build-table' | null
  /** 0 … 1: how surely the text is one of these shapes. */
  score: number
}

const OS_BUILD_VALUE = /^(\d{5})\.(\d{1,5})$/
const EDITION_VALUE = /^(?:Microsoft )?Windows (?:1\d|Server|Vista|7|8(?:\.1)?)\b/
/** msinfo32's Version value: `10.0.26100 Build 26100` (the word is Build in every display language msinfo32 has). */
const MSINFO_VERSION_VALUE = /^\d{1,2}\.\d\.(\d{4,5}) \S+ (\d{4,5})$/
const EXPERIENCE_VALUE = /^Windows Feature Experience Pack\b/i
const VERSION_VALUE = /^(?:\d{2}H\d|1[5-9]0[39]|1[5-9]11|150[17]|1607|1703|1709|1803|1809|1903|1909|2004)$/
/** Registry value names of HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion (and a WSUS computer object's build). */
const REG_NAMES =
  /^\s*(CurrentBuild|CurrentBuildNumber|UBR|DisplayVersion|ReleaseId|EditionID|ProductName|BuildLabEx|OSBuildNumber)\s*(?::\s*(.*?)|\s+REG_(?:SZ|DWORD|EXPAND_SZ)\s+(\S.*?))\s*$/i

export function parseOsBlocks(input: string): OsBlockResult {
  const empty: OsBlockResult = {
    os: { build: null, ubr: null, displayVersion: null, edition: null },
    source: null,
    score: 0,
  }
  if (typeof input !== 'string') return empty
  const text = input.length > 200_000 ? input.slice(0, 200_000) : input
  // About: label, TAB (or a colon), value.
  const about: OsBlockFacts = { build: null, ubr: null, displayVersion: null, edition: null }
  let anchor = 0
  const reg = new Map<string, string>()
  forEachLine(text, (raw) => {
    const line = raw.length > 400 ? raw.slice(0, 400) : raw
    const tab = line.indexOf('\t')
    const colon = /[:：]/.exec(line)
    const cut = tab > 0 ? tab : colon ? colon.index : -1
    if (cut > 0 && cut <= 40) {
      const value = line.slice(cut + 1).trim()
      const b = OS_BUILD_VALUE.exec(value)
      const v = b ? null : MSINFO_VERSION_VALUE.exec(value)
      if (b && about.build === null) {
        about.build = Number(b[1])
        about.ubr = Number(b[2])
      } else if (v && v[1] === v[2] && about.build === null) about.build = Number(v[1])
      else if (EXPERIENCE_VALUE.test(value)) anchor++
      else if (EDITION_VALUE.test(value) && about.edition === null) {
        about.edition = value
        anchor++
      } else if (VERSION_VALUE.test(value) && about.displayVersion === null) about.displayVersion = value
    }
    const r = REG_NAMES.exec(line)
    if (r && !reg.has(r[1]!.toLowerCase())) reg.set(r[1]!.toLowerCase(), (r[2] ?? r[3] ?? '').trim())
  })
  if (about.build !== null && anchor >= 1) return { os: about, source: 'about', score: 0.8 }

  const num = (name: string): number | null => {
    const v = reg.get(name)
    if (v === undefined) return null
    if (/^0x[0-9a-f]+$/i.test(v)) return parseInt(v, 16)
    return /^\d{1,6}$/.test(v) ? Number(v) : null
  }
  const build = num('currentbuild') ?? num('currentbuildnumber') ?? num('osbuildnumber')
  if (build !== null && build >= 2600) {
    let ubr = num('ubr')
    // BuildLabEx names a revision only when it names this same build (it keeps the base build's `.1` otherwise).
    const lab = /^(\d{4,5})\.(\d+)\./.exec(reg.get('buildlabex') ?? '')
    if (ubr === null && lab && Number(lab[1]) === build && Number(lab[2]) > 1) ubr = Number(lab[2])
    const str = (n: string) => {
      const v = reg.get(n)
      return v ? v : null
    }
    return {
      os: { build, ubr, displayVersion: str('displayversion') ?? str('releaseid'), edition: str('editionid') },
      source: 'registry-values',
      score: reg.size >= 2 ? 0.8 : 0.5,
    }
  }

  const wmic = wmicOsRow(text)
  if (wmic) return { os: wmic, source: 'build-table', score: 0.7 }

  for (const t of readFormatTables(text, 5)) {
    const col = (re: RegExp) => t.headers.find((h) => re.test(h))
    const bcol = col(/^(?:Build|BuildNumber|CurrentBuild|CurrentBuildNumber|OsBuildNumber|OSBuild)$/i)
    if (!bcol || t.rows.length === 0) continue
    const rcol = col(/^(?:Revision|UBR|WindowsUBR)$/i)
    const row = t.rows[0]!
    const cell = (row[bcol] ?? '').trim()
    const b = /^(\d{4,5})(?:\.(\d{1,5}))?$/.exec(cell)
    if (!b) continue
    const rev = rcol ? /^\d{1,5}$/.exec((row[rcol] ?? '').trim()) : null
    const dv = col(/^(?:DisplayVersion|WindowsVersion|Version)$/i)
    const dvCell = dv ? (row[dv] ?? '').trim() : ''
    return {
      os: {
        build: Number(b[1]),
        ubr: b[2] !== undefined ? Number(b[2]) : rev ? Number(rev[0]) : null,
        displayVersion: VERSION_VALUE.test(dvCell) ? dvCell : null,
        edition: null,
      },
      source: 'build-table',
      score: 0.7,
    }
  }
  return empty
}

/** Property names of Win32_OperatingSystem as wmic prints them in its header: one word each, two or more spaces apart. */
const WMIC_HEADER = /^\s*(?:[A-Z][A-Za-z]+(?: {2,}|\s*$))+$/

/** The row of `wmic os get BuildNumber,Caption,Version …` under its header, cut where each header name starts. */
function wmicOsRow(text: string): OsBlockFacts | null {
  const lines = text.split('\n', 20_000)
  for (let i = 0; i + 1 < lines.length; i++) {
    const header = lines[i]!.replace(/\r$/, '')
    if (header.length > 400 || !/\bBuildNumber\b/.test(header) || !WMIC_HEADER.test(header)) continue
    const row = (lines[i + 1] ?? '').replace(/\r$/, '')
    const starts = [...header.matchAll(/[A-Z][A-Za-z]+/g)].map((m) => ({ name: m[0], at: m.index }))
    const cell = (name: string): string => {
      const k = starts.findIndex((s) => s.name === name)
      if (k < 0) return ''
      return row.slice(starts[k]!.at, k + 1 < starts.length ? starts[k + 1]!.at : undefined).trim()
    }
    const build = /^(\d{4,5})$/.exec(cell('BuildNumber'))
    if (!build) continue
    const caption = cell('Caption')
    return {
      build: Number(build[1]),
      ubr: null,
      displayVersion: null,
      edition: EDITION_VALUE.test(caption) ? caption : null,
    }
  }
  return null
}
