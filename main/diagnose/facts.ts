/**
 * Shared readings of the rule input: which error codes are "in play" (typed, in update history, in logs,
 * in pasted output) with the evidence for each, and snapshot lookups that tolerate unknown facts.
 */
import type { RuleInput, Evidence } from './rule.ts'
import type { MachineSnapshot, UpdateHistoryEntry } from '../../preload/model/snapshot.ts'
import { primaryEpisode } from '../parse/cbs-log.ts'

export interface CodeSighting {
  code: string
  evidence: Evidence[]
  /** Where it was seen: the user typed it, update history, a log's outcome, a log's first error, pasted output. */
  origins: Set<'user' | 'history' | 'log-outcome' | 'log-first' | 'log' | 'output' | 'event'>
}

export function codesInPlay(input: RuleInput): Map<string, CodeSighting> {
  const map = new Map<string, CodeSighting>()
  const add = (code: string | null | undefined, origin: CodeSighting['origins'] extends Set<infer O> ? O : never, ev: Evidence | null) => {
    if (!code || !/^0x[89A-F]/.test(code)) return
    let s = map.get(code)
    if (!s) { s = { code, evidence: [], origins: new Set() }; map.set(code, s) }
    s.origins.add(origin)
    if (ev && s.evidence.length < 6 && !s.evidence.some((e) => e.source === ev.source && e.excerpt === ev.excerpt)) s.evidence.push(ev)
  }
  if (input.code?.code) add(input.code.code, 'user', { source: 'the code you entered', excerpt: input.code.input })
  for (const h of recentFailures(input.snapshot)) add(h.hresult, 'history', { source: 'Windows Update history', excerpt: `${h.date ?? ''}  ${h.result}  ${h.hresult}  ${h.title}`.trim() })
  for (const { source, analysis } of input.logs.cbs) {
    const ep = primaryEpisode(analysis)
    if (ep?.firstError) add(ep.firstError.code, 'log-first', { source, excerpt: `line ${ep.firstError.line}: ${ep.firstError.text}` })
    if (ep?.outcomeCode) add(ep.outcomeCode, 'log-outcome', { source, excerpt: ep.lastError ? `line ${ep.lastError.line}: ${ep.lastError.text}` : `outcome ${ep.outcomeCode}` })
  }
  for (const { source, analysis } of input.logs.dism) if (analysis.firstError) add(analysis.firstError.code, 'log-first', { source, excerpt: `line ${analysis.firstError.line}: ${analysis.firstError.text}` })
  for (const { source, facts } of input.logs.dismOutput) if (facts.errorCode) add(facts.errorCode, 'output', { source, excerpt: facts.errors[0]?.text ?? facts.errorCode })
  for (const { source, events } of input.logs.wuEvents) for (const e of events) if (e.kind === 'failed') add(e.code, 'event', { source, excerpt: e.message })
  for (const { source, facts } of input.logs.setupdiag) for (const m of facts.matches) add(m.errorCode, 'output', { source, excerpt: `${m.rule}: ${m.lines.slice(0, 3).join(' ')}` })
  for (const { source, analysis } of input.logs.setupLog) if (analysis.firstError) add(analysis.firstError.code, 'log-first', { source, excerpt: `line ${analysis.firstError.line}: ${analysis.firstError.text}` })
  return map
}

/** Failed installs in update history that were not followed by a success of the same KB. */
export function recentFailures(snapshot: MachineSnapshot | null): UpdateHistoryEntry[] {
  if (!snapshot || snapshot.history.status !== 'known') return []
  const hist = snapshot.history.value
  const succeeded = new Set(hist.filter((h) => h.result === 'succeeded' && h.kb).map((h) => h.kb))
  return hist.filter((h) => h.operation === 'install' && (h.result === 'failed' || h.result === 'aborted') && h.hresult && !(h.kb && succeeded.has(h.kb) && laterSuccess(hist, h)))
}

function laterSuccess(hist: UpdateHistoryEntry[], failed: UpdateHistoryEntry): boolean {
  return hist.some((h) => h.kb === failed.kb && h.result === 'succeeded' && (h.date ?? '') > (failed.date ?? ''))
}

export function sighting(map: Map<string, CodeSighting>, ...codes: string[]): CodeSighting | null {
  for (const c of codes) { const s = map.get(c); if (s) return s }
  return null
}

export function allSightings(map: Map<string, CodeSighting>, ...codes: string[]): CodeSighting[] {
  return codes.map((c) => map.get(c)).filter((s): s is CodeSighting => !!s)
}

export function known<T>(fact: { status: 'known'; value: T } | { status: 'unknown' } | undefined | null): T | null {
  return fact && fact.status === 'known' ? fact.value : null
}

export function factEvidence(fact: { evidence: Evidence[] } | undefined | null, max = 2): Evidence[] {
  return (fact?.evidence ?? []).slice(0, max).map((e) => ({ source: e.source.length > 200 ? e.source.slice(0, 197) + '…' : e.source, excerpt: e.excerpt.length > 600 ? e.excerpt.slice(0, 597) + '…' : e.excerpt }))
}

export function gb(bytes: number): string {
  return `${(bytes / 1024 ** 3).toFixed(1)} GB`
}

export function mb(bytes: number): string {
  return `${Math.round(bytes / 1024 ** 2)} MB`
}
