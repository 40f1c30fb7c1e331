/**
 * Analyzer for OS facts pasted as text: `systeminfo` (any language), `reg query
 * "HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion"`, or Get-ComputerInfo.
 * facts.os = {build, ubr, displayVersion, edition, arch}; null where the text does not say.
 */
import type { Analyzer, AnalyzeFinding, AnalyzeOutput } from '../analyzer.ts'
import { parseSysteminfo } from '../../parse/systeminfo.ts'
import { parseComputerInfo } from '../../parse/computer-info.ts'
import { parseRegQuery, regValue } from '../../parse/reg-query.ts'
import { archFromText, bannerUbr, type OsTextFacts } from '../../parse/os-text.ts'
import { checkpointStatus, machineContext } from '../../knowledge/servicing-chains.ts'
import { parseOsBlocks } from '../../parse/os-blocks.ts'

const REG_KEY = /Windows NT\\CurrentVersion/i

function regDetect(text: string): number {
  if (!REG_KEY.test(text) || !/REG_(SZ|DWORD)/.test(text)) return 0
  return /\b(CurrentBuild|UBR|EditionID|DisplayVersion)\b/.test(text) ? 0.9 : 0.5
}

function fromReg(text: string): { os: OsTextFacts; warnings: string[] } {
  const r = parseRegQuery(text)
  const str = (n: string) => {
    const v = regValue(r, n)
    return typeof v === 'string' && v !== '' ? v : null
  }
  const int = (n: string) => {
    const v = regValue(r, n)
    return typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : null
  }
  const warnings: string[] = []
  if (r.error) warnings.push(`reg reported: ${r.error}`)
  const build = int('CurrentBuild') ?? int('CurrentBuildNumber')
  return {
    os: {
      productName: str('ProductName'),
      edition: str('EditionID'),
      displayVersion: str('DisplayVersion') ?? str('ReleaseId'),
      build,
      ubr: int('UBR'),
      arch: archFromText(/\.(\w+?)fre\./.exec(str('BuildLabEx') ?? '')?.[1]),
      computerName: null,
    },
    warnings,
  }
}

export { bannerUbr }

export const osInfoAnalyzer: Analyzer = {
  kind: 'os-info',
  label: 'OS information (systeminfo, reg query CurrentVersion, Get-ComputerInfo)',
  detect(text) {
    const head = text.slice(0, 100_000)
    const si = parseSysteminfo(head).confidence >= 0.6 ? 0.85 : 0
    const cir = parseComputerInfo(head)
    // Three of its properties, or one that names the build alone (a two-column table in a question's prose).
    const ci = cir.recognised >= 3 ? 0.85 : cir.buildNamed ? 0.6 : 0
    // Settings › About copies, the CurrentVersion key's values without reg's key line, a table with a build column.
    return Math.max(si, ci, regDetect(head), parseOsBlocks(head).score)
  },
  analyze(text): AnalyzeOutput {
    const warnings: string[] = []
    let os: OsTextFacts
    const facts: Record<string, unknown> = {}
    if (regDetect(text) > 0) {
      const r = fromReg(text)
      os = r.os
      warnings.push(...r.warnings)
    } else if (
      parseComputerInfo(text).recognised >= 3 ||
      (parseSysteminfo(text).confidence < 0.6 && parseComputerInfo(text).buildNamed)
    ) {
      const r = parseComputerInfo(text)
      os = r.os
      warnings.push(...r.warnings)
    } else if (parseSysteminfo(text).confidence < 0.6 && parseOsBlocks(text).source !== null) {
      const b = parseOsBlocks(text)
      os = {
        productName: null,
        edition: b.os.edition,
        displayVersion: b.os.displayVersion,
        build: b.os.build,
        ubr: b.os.ubr,
        arch: null,
        computerName: null,
      }
    } else {
      const r = parseSysteminfo(text)
      os = r.os
      warnings.push(...r.warnings)
      if (r.hotfixes.length > 0) facts.hotfixes = r.hotfixes.map((kb) => ({ kb, installedOn: null }))
    }
    // The CurrentVersion key's values or a build table beside the output: they name the build and its UBR (a
    // WSUS object's OSBuildNumber over its agent's ClientVersion; CurrentBuild over BuildLabEx's base build).
    const blocks = parseOsBlocks(text)
    if (blocks.source === 'registry-values' || blocks.source === 'build-table') {
      if (blocks.os.build !== null && blocks.os.build !== os.build && blocks.source === 'registry-values')
        os = { ...os, build: blocks.os.build, ubr: blocks.os.ubr }
      if (blocks.os.build === os.build && os.ubr === null && blocks.os.ubr !== null) os = { ...os, ubr: blocks.os.ubr }
    }
    // systeminfo has no UBR; a cmd.exe banner of the same session above it does ('Microsoft Windows [Version
    // 10.0.20348.2527]', the word in the console's language): taken only when its build is the same build.
    if (os.build !== null && os.ubr === null) os = { ...os, ubr: bannerUbr(text, os.build) }
    // BuildLabEx (Get-ComputerInfo's WindowsBuildLabEx) names a revision only when it names this same build: it keeps
    // the base build's `.1` on later versions (`19041.1.amd64fre…` on 19044).
    if (os.build !== null && os.ubr === null) {
      const lab = /\b(?:Windows)?BuildLabEx\s*:\s*(\d{4,5})\.(\d+)\.\w*fre\b/i.exec(text)
      if (lab && Number(lab[1]) === os.build && Number(lab[2]) > 1) os = { ...os, ubr: Number(lab[2]) }
    }
    facts.os = { build: os.build, ubr: os.ubr, displayVersion: os.displayVersion, edition: os.edition, arch: os.arch }
    const findings: AnalyzeFinding[] = []
    if (os.build !== null && os.ubr !== null) {
      // The pasted text's edition / product name tells Server 2025 from Windows 11 24H2 on build 26100.
      const cp = checkpointStatus(os.build, os.ubr, machineContext(os))
      if (cp.present === false)
        findings.push({
          id: 'checkpoint-missing',
          severity: 'error',
          title: `Checkpoint ${cp.kb} is missing`,
          detail: cp.reason,
        })
    }
    if (os.build === null) warnings.push('No build number was found in the text.')
    return { facts, findings, warnings }
  },
}
