/** Shared shape and small readers for OS facts read from text (systeminfo, Get-ComputerInfo). */
import type { MachineArch } from '../../preload/model/common.ts'

export interface OsTextFacts {
  productName: string | null
  edition: string | null
  displayVersion: string | null
  build: number | null
  ubr: number | null
  arch: MachineArch | null
  computerName: string | null
}

export const EMPTY_OS_TEXT: OsTextFacts = {
  productName: null,
  edition: null,
  displayVersion: null,
  build: null,
  ubr: null,
  arch: null,
  computerName: null,
}

/** `x64-based PC`, `ARM64-based PC`, `x64-basierter PC`, `PC à base de x64`, `AMD64`, `ARM 64-bit Processor`. */
export function archFromText(text: string | null | undefined): MachineArch | null {
  if (!text) return null
  const t = text.toLowerCase()
  if (/arm\s?64/.test(t)) return 'arm64'
  if (/\b(x64|amd64|x86_64|x86-64)\b/.test(t)) return 'x64'
  if (/\b(x86|i386|i686)\b/.test(t)) return 'x86'
  if (/\barm\b/.test(t)) return 'arm'
  return null
}

/** `Microsoft Windows 11 Pro` → `Pro`; `Microsoft Windows Server 2022 Datacenter` → `Datacenter`. */
export function editionFromProductName(name: string | null): string | null {
  if (!name) return null
  const m = /Windows[\s\u00a0ÿ]*(?:Server\s+)?\d+(?:\s+R2)?\s+(.+)$/i.exec(name.trim())
  return m ? m[1].trim() : null
}

/** A placeholder from documentation (`<ComputerName>`, `####`, `xxxxx`) is not a value. */
export function isPlaceholder(value: string | null | undefined): boolean {
  if (value == null) return true
  const v = value.trim()
  return (
    v === '' ||
    /^<[^>]*>$/.test(v) ||
    /^[#xX*.…]{3,}$/.test(v) ||
    /^\.(\s\.){2,}$/.test(v) ||
    /^(N\/A|n\/a|暂缺|Nicht zutreffend|Non disponible)$/.test(v)
  )
}

/**
 * The UBR a cmd.exe banner gives (`Microsoft Windows [Version 10.0.20348.2527]`, the word in the console's
 * language) when its build is `build`; null otherwise.
 */
export function bannerUbr(text: string, build: number): number | null {
  const banner = /^[ \t]*Microsoft Windows \[[^\]\d]*10\.0\.(\d{4,5})\.(\d{1,5})\]/m.exec(text)
  if (banner && Number(banner[1]) === build) return Number(banner[2])
  // Another tool's `Windows version: 10.0.26100.7171` line in the same paste (`wsl --version`, the label in the
  // console's language: `Windows バージョン`, `Windows-Version`), taken only for the same build.
  const labelled = /^[ \t]*Windows[ \t-]?[^\n:：\d]{0,24}[:：][ \t]*10\.0\.(\d{4,5})\.(\d{1,5})[ \t]*$/m.exec(text)
  return labelled && Number(labelled[1]) === build ? Number(labelled[2]) : null
}
