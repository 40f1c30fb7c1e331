/** Builds findings with remedies from the knowledge, so every rule states remedies the same way. */
import type { Finding, Remedy, RepairId, Severity } from '../../preload/model/diagnosis.ts'
import type { Evidence } from '../../preload/model/common.ts'
import { standardRemedy, nameOfCode } from '../knowledge/error-codes.ts'
import { humanizeCitations as h } from '../knowledge/citations.ts'
import { humanRemedy } from '../knowledge/remedy-text.ts'

export function remedy(id: string, override: Partial<Remedy> = {}): Remedy {
  const base = standardRemedy(id)
  if (!base)
    return {
      id,
      title: override.title ?? id,
      text: override.text ?? '',
      commands: override.commands ?? [],
      repair: override.repair ?? null,
      sources: override.sources ?? [],
      verified: override.verified ?? true,
    }
  return { ...base, ...override }
}

export function customRemedy(
  id: string,
  title: string,
  text: string,
  commands: string[],
  repair: RepairId | null = null,
  sources: string[] = [],
  verified = true,
): Remedy {
  return { id, title, text, commands, repair, sources, verified }
}

export function technical(...codes: string[]): string {
  return codes
    .map((c) => {
      const n = nameOfCode(c)
      return n ? `${n} (${c})` : c
    })
    .join(', ')
}

export function finding(f: {
  id: string
  title: string
  technical: string
  severity: Severity
  confidence: number
  causes: string[]
  remedies: Remedy[]
  evidence: Evidence[]
  repair?: RepairId | null
  codes?: string[]
  kbs?: string[]
}): Finding {
  return {
    id: f.id,
    title: h(f.title),
    technical: f.technical,
    severity: f.severity,
    confidence: Math.max(0, Math.min(1, Math.round(f.confidence * 100) / 100)),
    // Human text names its sources; the internal keys ([S21], R0, "see 1.4") stay in the data only.
    causes: f.causes.map(h),
    remedies: f.remedies.map(humanRemedy),
    evidence: dedupe(f.evidence).slice(0, 12),
    repair: f.repair ?? null,
    codes: f.codes ?? [],
    ...(f.kbs?.length ? { kbs: [...new Set(f.kbs)] } : {}),
  }
}

function dedupe(ev: Evidence[]): Evidence[] {
  const seen = new Set<string>()
  return ev.filter((e) => {
    const k = `${e.source}\n${e.excerpt}`
    if (seen.has(k)) return false
    seen.add(k)
    return true
  })
}
