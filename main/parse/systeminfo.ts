/**
 * Parses `systeminfo` output (list format) in any display language: OS name, build, system type,
 * host name and the hotfix section.
 *
 * Labels are translated (`OS Name:`, `Betriebssystemname:`, `Nom du système d'exploitation:`,
 * `OS 名称:`), so fields are recognised by their values: the product name starts with `Microsoft
 * Windows`, the OS version is `10.0.<build> … <build>`, the system type ends in `-based PC` (or its
 * translation), hotfixes are `[nn]: KBnnnnnnn`. systeminfo prints no UBR and no display version.
 */
import { consoleLines, lostNewlines } from './console-text.ts'
import { archFromText, editionFromProductName, isPlaceholder, EMPTY_OS_TEXT, type OsTextFacts } from './os-text.ts'

export interface SysteminfoResult {
  os: OsTextFacts
  hotfixes: string[]
  /** The count systeminfo announced (`11 Hotfix(s) Installed.`), to spot a truncated paste. */
  hotfixCountAnnounced: number | null
  warnings: string[]
  /** How sure we are this is systeminfo output (0..1). */
  confidence: number
}

const SYSTEM_TYPE =
  /(?:^|\s)(x64|x86|arm64|arm)[-\s]?(?:based\s+PC|basierter\s+PC)|PC\s+(?:à|a)\s+base\s+(?:de\s+)?(x64|x86|arm64)|基于\s*(x64|x86|arm64)/i

/**
 * The lines with the indent most of its `Label: value` lines share taken off: a capture pasted inside an indented
 * block (Markdown, an e-mail quote of spaces) keeps systeminfo's own layout, labels at column 0, values at 27.
 */
function dedentedLines(text: string): string[] {
  const lines = consoleLines(text)
  const counts = new Map<number, number>()
  for (const line of lines) {
    const m = /^([ \t]*)[^\s[][^:：]{0,60}?[:：]\s+\S/.exec(line)
    if (m) counts.set(m[1]!.length, (counts.get(m[1]!.length) ?? 0) + 1)
  }
  let indent = 0
  let best = 0
  for (const [n, c] of counts) if (c > best || (c === best && n < indent)) [indent, best] = [n, c]
  if (indent === 0) return lines
  return lines.map((l) => (/^[ \t]*$/.test(l.slice(0, indent)) ? l.slice(Math.min(indent, l.length)) : l))
}

export function parseSysteminfo(input: string): SysteminfoResult {
  const text = typeof input === 'string' ? input : ''
  const os: OsTextFacts = { ...EMPTY_OS_TEXT }
  const warnings: string[] = []
  const flat = lostNewlines(text)
  let score = 0

  if (!flat) {
    const lines = dedentedLines(text)
    const fields: Array<{ label: string; value: string }> = []
    for (const line of lines) {
      const m = /^([^\s[][^:：]{0,60}?)[:：]\s+(\S.*)$/.exec(line)
      if (m) fields.push({ label: m[1].trim(), value: m[2].trim() })
    }
    const host = fields[0]
    if (host && /host|rechner|hôte|主机|nombre de host|computer/i.test(host.label) && !isPlaceholder(host.value))
      os.computerName = host.value
    for (const f of fields) {
      // `Microsoft Windows 11 Pro`, also `Майкрософт … Windows Server 2012 R2` and OEM mojibake (`Windowsÿ7`).
      if (os.productName === null && /\bWindows[\s\u00a0ÿ]*(?:Server\s+)?\d/i.test(f.value) && !/[\\/]/.test(f.value)) {
        os.productName = f.value
        score += 0.3
      }
      const ver = /^(\d+)\.(\d+)\.(\d{4,5})\b/.exec(f.value)
      if (os.build === null && ver && !/bios/i.test(f.label)) {
        os.build = Number(ver[3])
        score += 0.3
      }
      if (os.arch === null && SYSTEM_TYPE.test(f.value)) {
        os.arch = archFromText(f.value)
        score += 0.2
      }
    }
    // systeminfo pads every label to column 27 (in every language): a paste that starts below
    // 'OS Version' (a cut-off capture) is still recognised by that layout.
    let aligned = 0
    for (const line of lines)
      if (/^[^\s[][^:：]{0,25}[:：] +\S/.test(line) && /^[^:：]*[:：] */.exec(line)![0].length === 27) aligned++
    if (aligned >= 8) score += 0.4
  } else {
    const name =
      /(Microsoft Windows (?:Server )?\d+(?: R2)?(?: (?!OS\b|Betriebssystem|Version|Nom\b|版本)[^\s:]+){0,3})/.exec(
        text,
      )
    if (name) {
      os.productName = name[1].trim()
      score += 0.3
    }
    const ver = /\b10\.0\.(\d{4,5})\b/.exec(text)
    if (ver) {
      os.build = Number(ver[1])
      score += 0.3
    }
    const st = SYSTEM_TYPE.exec(text)
    if (st) {
      os.arch = archFromText(st[0])
      score += 0.2
    }
    warnings.push('The text lost its line breaks; fields were read by their values.')
  }
  os.edition = editionFromProductName(os.productName)
  const hotfixes = [...new Set([...text.matchAll(/\[\d{1,3}\]\s*:\s*(KB\d{6,8})\b/gi)].map((m) => m[1].toUpperCase()))]
  // (?<!\d): start only at a digit run's first digit; otherwise a long run of digits backtracks quadratically (found by fuzzing).
  const announced =
    /(?<!\d)(\d+)\s+(?:Hotfix\(s\)\s+Installed|Hotfix\(e\)\s+installiert|Corrections?\s+install|Correctif\(s\)\s+install|revisi\S*\s+instalad|Aggiornamenti\s+rapidi\s+installati)/i.exec(
      text,
    ) ??
    /安装了\s*(\d+)\s*个修补程序/.exec(text) ??
    /исправлений\s*-\s*(\d+)/i.exec(text) ??
    // Japanese: `ホットフィックス: 315 ホットフィックスがインストールされています。` (real: the issue-32 captures).
    /(\d+)\s*ホットフィックスがインストールされています/.exec(text)
  const hotfixCountAnnounced = announced ? Number(announced[1]) : null
  if (hotfixCountAnnounced !== null) score += 0.2
  // A paste of the hotfix section alone (its announcement and its `[nn]: KB…` lines) is still systeminfo.
  if (
    hotfixCountAnnounced !== null &&
    hotfixes.length >= 2 &&
    os.build === null &&
    os.productName === null &&
    !/\b\d+\.\d+\.\d{4,5}\b/.test(text)
  )
    score = Math.max(score, 0.6)
  if (hotfixCountAnnounced !== null && hotfixCountAnnounced > hotfixes.length) {
    warnings.push(
      `systeminfo announced ${hotfixCountAnnounced} hotfixes but the text lists ${hotfixes.length}; the paste may be cut short.`,
    )
  }
  if (os.build !== null)
    warnings.push(
      'systeminfo does not print the UBR (the revision after the build); run `reg query "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion"` for it.',
    )
  return { os, hotfixes, hotfixCountAnnounced, warnings, confidence: Math.min(1, score) }
}
