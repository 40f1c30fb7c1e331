/**
 * Reads an architecture from a Catalog title, a file name, or the details page, and cross-checks them.
 *
 * Titles say "for x64-based Systems" / "for ARM64-based Systems" (MSCatalogLTS Get-MSCatalogUpdate.ps1;
 * kbupdate#222); names carry `-x64`/`-amd64`/`-arm64` after the KB (catalog-protocol.md §7); the details
 * page lists architectures but has been seen to list several for an x64-only file (kbupdate#98), so it
 * only vetoes: a details list that names architectures and lacks the title's is a disagreement.
 */
import type { MachineArch } from '../../preload/model/common.ts'

export type ArchReading = { arch: MachineArch | null; ambiguous: boolean }

const TITLE_TOKENS: Array<[MachineArch, RegExp]> = [
  ['arm64', /\barm64(?:-based)?\b/i],
  ['x64', /\bx64(?:-based)?\b|\bamd64\b|\b64-bit edition\b/i],
  ['x86', /\bx86(?:-based)?\b|\b32-bit edition\b/i],
  ['arm', /\barm-based\b/i],
]

/** The architecture a title names; ambiguous when it names several ("x64 and ARM64"). */
export function archFromTitle(title: string): ArchReading {
  const hits = TITLE_TOKENS.filter(([, re]) => re.test(title)).map(([a]) => a)
  if (hits.length === 1) return { arch: hits[0], ambiguous: false }
  return { arch: null, ambiguous: hits.length > 1 }
}

const NAME_TOKEN: Record<string, MachineArch> = { x64: 'x64', amd64: 'x64', x86: 'x86', arm64: 'arm64', arm: 'arm' }

/** The architecture token of a file name (`windows11.0-kb5043080-arm64_<sha1>.msu` → arm64). */
export function archFromFileName(fileName: string): ArchReading {
  const base = fileName.toLowerCase().replace(/_[0-9a-f]{40}(?=\.[a-z0-9]+$)/, '')
  const tokens = base.split(/[-_.]/)
  const hits = [...new Set(tokens.filter((t) => t in NAME_TOKEN).map((t) => NAME_TOKEN[t]))]
  if (hits.length === 1) return { arch: hits[0], ambiguous: false }
  return { arch: null, ambiguous: hits.length > 1 }
}

const DETAILS_TOKEN: Record<string, MachineArch> = { amd64: 'x64', x64: 'x64', x86: 'x86', arm64: 'arm64', arm: 'arm' }

/** The details page's architecture text ("AMD64", "ARM64", "AMD64, X86", "n/a", "All") as a list. */
export function archesFromDetailsText(text: string | null): MachineArch[] {
  if (!text) return []
  const out = new Set<MachineArch>()
  for (const part of text.split(/[,;\s]+/)) {
    const a = DETAILS_TOKEN[part.trim().toLowerCase()]
    if (a) out.add(a)
  }
  return [...out]
}

export type ArchCheck = { ok: true; arch: MachineArch | null; sources: string[] } | { ok: false; error: string }

/**
 * Cross-checks the readings: title and file name must agree when both name one; the details list,
 * when it names any, must contain the result. A disagreement is an error, never a guess.
 */
export function crossCheckArch(input: {
  title?: string | null
  fileName?: string | null
  detailsArches?: MachineArch[]
}): ArchCheck {
  const readings: Array<[string, ArchReading]> = []
  if (input.title) readings.push(['title', archFromTitle(input.title)])
  if (input.fileName) readings.push(['file name', archFromFileName(input.fileName)])
  for (const [where, r] of readings) {
    if (r.ambiguous)
      return {
        ok: false,
        error: `The ${where} names more than one architecture (${where === 'title' ? input.title : input.fileName}).`,
      }
  }
  const named = readings.filter(([, r]) => r.arch !== null) as Array<[string, { arch: MachineArch }]>
  const distinct = [...new Set(named.map(([, r]) => r.arch))]
  if (distinct.length > 1) {
    return {
      ok: false,
      error: `Architecture disagreement: ${named.map(([w, r]) => `${w} says ${r.arch}`).join(', ')}.`,
    }
  }
  const arch = distinct[0] ?? null
  const details = input.detailsArches ?? []
  if (arch && details.length > 0 && !details.includes(arch)) {
    return {
      ok: false,
      error: `Architecture disagreement: ${named.map(([w, r]) => `${w} says ${r.arch}`).join(', ')}, but the details page lists ${details.join(', ')}.`,
    }
  }
  const sources = named.map(([w]) => w)
  if (!arch && details.length === 1) return { ok: true, arch: details[0], sources: ['details page'] }
  if (arch && details.length > 0) sources.push('details page')
  return { ok: true, arch, sources }
}
