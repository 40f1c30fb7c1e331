/**
 * Shared readings of the rule input: which error codes are "in play" (typed, in update history, in logs,
 * in pasted output) with the evidence for each, and snapshot lookups that tolerate unknown facts.
 */
import type { RuleInput, Evidence } from './rule.ts'
import type { MachineSnapshot, UpdateHistoryEntry } from '../../preload/model/snapshot.ts'
import { primaryEpisode, overtakenBy, type CbsEpisode } from '../parse/cbs-log.ts'
import { parsePackageIdentity, compareVersions } from '../parse/package-identity.ts'
import { knownUpdate, branchForBuild, machineContext, type MachineContext } from '../knowledge/servicing-chains.ts'
import type { OsInfo } from '../../preload/model/snapshot.ts'

export interface CodeSighting {
  code: string
  evidence: Evidence[]
  /** Where it was seen: the user typed it, update history, a log's outcome, a log's first error, pasted output. */
  origins: Set<'user' | 'history' | 'log-outcome' | 'log-first' | 'log' | 'output' | 'event'>
}

/**
 * Each rule input's codes in play, read once: some twenty rules ask for them, and on a machine each asking read every
 * CBS episode against every installed package again, parsing package identities each time (the built CLI, cachegrind:
 * diagnose --machine 478.4 -> 473.8 M instructions, repairs 502.6 -> 497.9). The input is not changed once made
 * (diagnose-core.ts makes it after every log is read), and no caller changes the map or its sightings.
 */
const inPlay = new WeakMap<RuleInput, Map<string, CodeSighting>>()

export function codesInPlay(input: RuleInput): Map<string, CodeSighting> {
  let map = inPlay.get(input)
  if (!map) {
    map = readCodesInPlay(input)
    inPlay.set(input, map)
  }
  return map
}

function readCodesInPlay(input: RuleInput): Map<string, CodeSighting> {
  const map = new Map<string, CodeSighting>()
  const since = currentLcuInstallTime(input.snapshot)
  const add = (
    code: string | null | undefined,
    origin: CodeSighting['origins'] extends Set<infer O> ? O : never,
    ev: Evidence | null,
    time?: string | null,
  ) => {
    if (!code || !/^0x[89A-F]/.test(code)) return
    // A log line older than the cumulative update installed now describes a state the PC has left.
    if (since && time && origin !== 'user' && normalizeTime(time) < since) return
    let s = map.get(code)
    if (!s) {
      s = { code, evidence: [], origins: new Set() }
      map.set(code, s)
    }
    s.origins.add(origin)
    if (ev && s.evidence.length < 6 && !s.evidence.some((e) => e.source === ev.source && e.excerpt === ev.excerpt))
      s.evidence.push(ev)
  }
  if (input.code?.code) add(input.code.code, 'user', { source: 'the code you entered', excerpt: input.code.input })
  for (const h of recentFailures(input.snapshot))
    add(h.hresult, 'history', {
      source: 'Windows Update history',
      excerpt: `${h.date ?? ''}  ${h.result}  ${h.hresult}  ${h.title}`.trim(),
    })
  for (const { source, analysis } of input.logs.cbs) {
    const ep = primaryEpisode(analysis)
    if (ep && episodeSuperseded(input.snapshot, ep)) continue
    // The log itself shows an execution completing with S_OK after the failure: a retry or repair overtook it.
    if (ep && overtakenBy(analysis, ep)) continue
    if (ep?.firstError)
      add(
        ep.firstError.code,
        'log-first',
        { source, excerpt: `line ${ep.firstError.line}: ${ep.firstError.text}` },
        ep.firstError.time,
      )
    if (ep?.outcomeCode)
      add(
        ep.outcomeCode,
        'log-outcome',
        {
          source,
          excerpt: ep.lastError ? `line ${ep.lastError.line}: ${ep.lastError.text}` : `outcome ${ep.outcomeCode}`,
        },
        ep.lastError?.time ?? ep.firstError?.time,
      )
  }
  for (const { source, analysis } of input.logs.dism) {
    if (analysis.firstError)
      add(
        analysis.firstError.code,
        'log-first',
        { source, excerpt: `line ${analysis.firstError.line}: ${analysis.firstError.text}` },
        analysis.firstError.time,
      )
    // DISM's own final verdict (HRESULT=… at the end of the run) names the result, not only an inner step.
    const out = analysis.outcome
    if (out?.code) add(out.code, 'log-outcome', { source, excerpt: `line ${out.line}: ${out.text}` }, out.time)
  }
  for (const { source, facts } of input.logs.dismOutput)
    if (facts.errorCode) add(facts.errorCode, 'output', { source, excerpt: facts.errors[0]?.text ?? facts.errorCode })
  for (const { source, events } of input.logs.wuEvents)
    for (const e of events) if (e.kind === 'failed') add(e.code, 'event', { source, excerpt: e.message })
  for (const { source, facts } of input.logs.setupdiag)
    for (const m of facts.matches)
      add(m.errorCode, 'output', { source, excerpt: `${m.rule}: ${m.lines.slice(0, 3).join(' ')}` })
  for (const { source, analysis } of input.logs.setupLog) {
    if (analysis.firstError)
      add(
        analysis.firstError.code,
        'log-first',
        { source, excerpt: `line ${analysis.firstError.line}: ${analysis.firstError.text}` },
        analysis.firstError.time,
      )
    // Setup's result pairs are the run's outcome, on whatever level Setup wrote them (its report of a rollback after
    // the restart is an Info line: "Reporting post reboot event -> [0xC1900101, 0x30018]").
    for (const p of analysis.resultPairs.slice(0, 5))
      add(p.code, 'log-outcome', { source, excerpt: `line ${p.line}: ${p.code} - ${p.extend}` })
  }
  for (const { source, codes } of input.logs.textCodes ?? [])
    for (const c of codes) add(c.code, 'output', { source, excerpt: `line ${c.line}: ${c.text}` })
  return map
}

/**
 * Failed installs in update history that still stand: not followed by a success of the same KB, and
 * whose KB is not on the PC now (a DISM or manual install leaves no Windows Update history entry, so
 * the installed packages and the build's UBR are the other witnesses of a fix).
 */
export function recentFailures(snapshot: MachineSnapshot | null): UpdateHistoryEntry[] {
  if (snapshot?.history.status !== 'known') return []
  const hist = snapshot.history.value
  const succeeded = new Set(hist.filter((h) => h.result === 'succeeded' && h.kb).map((h) => h.kb))
  return hist.filter(
    (h) =>
      h.operation === 'install' &&
      (h.result === 'failed' || h.result === 'aborted') &&
      h.hresult &&
      !(h.kb && succeeded.has(h.kb) && laterSuccess(hist, h)) &&
      !(h.kb && installedNow(snapshot, h.kb)),
  )
}

/** `YYYY-MM-DDTHH:MM:SS` from a log's or DISM's timestamp, for ordering (both are local time). */
function normalizeTime(t: string): string {
  return t.trim().replace(' ', 'T').slice(0, 19)
}

/** When the cumulative update installed now (the highest installed RollupFix) was installed, or null. */
export function currentLcuInstallTime(snapshot: MachineSnapshot | null): string | null {
  const pkgs = known(snapshot?.packages)?.packages ?? []
  let best: { version: string; time: string } | null = null
  for (const p of pkgs) {
    if (p.state !== 'installed' || !p.version || !p.installTime || !/^Package_for_RollupFix~/i.test(p.identity))
      continue
    if (!best || compareVersions(p.version, best.version) > 0)
      best = { version: p.version, time: normalizeTime(p.installTime) }
  }
  return best?.time ?? null
}

/**
 * A CBS.log failure is history once the package it failed on is on the PC now: the same package (or a
 * newer one of the same name) installed, or — for the cumulative update (RollupFix) — the build's UBR at
 * or past the package's. CBS.log keeps old sessions; without this a fixed PC keeps its old alarm.
 */
export function episodeSuperseded(snapshot: MachineSnapshot | null, ep: CbsEpisode): boolean {
  if (!snapshot || !ep.failingPackage) return false
  const failed = parsePackageIdentity(ep.failingPackage)
  if (!failed) return false
  if (failed.kb && installedNow(snapshot, failed.kb)) return true
  const pkgs = known(snapshot.packages)?.packages ?? []
  if (
    pkgs.some(
      (p) =>
        p.state === 'installed' &&
        p.version &&
        parsePackageIdentity(p.identity)?.name === failed.name &&
        compareVersions(p.version, failed.version) >= 0,
    )
  )
    return true
  const os = known(snapshot.os)
  const [, ubr] = failed.version.split('.').map(Number)
  return (
    failed.role === 'lcu' &&
    os?.ubr != null &&
    ubr !== undefined &&
    os.ubr >= ubr &&
    branchForBuild(os.build, osContext(os))?.servicingBase === Number(failed.version.split('.')[0])
  )
}

/** True when the KB's package is installed, or the PC's build is at or past the known update's UBR on its branch. */
export function installedNow(snapshot: MachineSnapshot, kb: string): boolean {
  const pkgs = known(snapshot.packages)
  if (pkgs?.packages.some((p) => p.kb === kb && p.state === 'installed')) return true
  const os = known(snapshot.os)
  const update = knownUpdate(kb)
  // Build 26100 is Windows 11 24H2 or Windows Server 2025: the edition decides (then the UBR), never the build alone.
  const branch = os ? branchForBuild(os.build, osContext(os)) : null
  if (!update || !branch || os?.ubr == null || update.kind !== 'lcu') return false
  return update.branchIds.includes(branch.id) && os.ubr >= update.ubr
}

/** What the PC says about itself beyond the build (UBR, product name, edition): tells Server 2025 from Windows 11 24H2. */
export function osContext(
  os: Pick<OsInfo, 'ubr' | 'productName' | 'edition'> | null | undefined,
): MachineContext | undefined {
  return machineContext(os)
}

function laterSuccess(hist: UpdateHistoryEntry[], failed: UpdateHistoryEntry): boolean {
  return hist.some((h) => h.kb === failed.kb && h.result === 'succeeded' && (h.date ?? '') > (failed.date ?? ''))
}

export function sighting(map: Map<string, CodeSighting>, ...codes: string[]): CodeSighting | null {
  for (const c of codes) {
    const s = map.get(c)
    if (s) return s
  }
  return null
}

export function allSightings(map: Map<string, CodeSighting>, ...codes: string[]): CodeSighting[] {
  return codes.map((c) => map.get(c)).filter((s): s is CodeSighting => !!s)
}

export function known<T>(fact: { status: 'known'; value: T } | { status: 'unknown' } | undefined | null): T | null {
  return fact && fact.status === 'known' ? fact.value : null
}

export function factEvidence(fact: { evidence: Evidence[] } | undefined | null, max = 2): Evidence[] {
  return (fact?.evidence ?? []).slice(0, max).map((e) => ({
    source: e.source.length > 200 ? `${e.source.slice(0, 197)}…` : e.source,
    excerpt: e.excerpt.length > 600 ? `${e.excerpt.slice(0, 597)}…` : e.excerpt,
  }))
}

export function gb(bytes: number): string {
  return `${(bytes / 1024 ** 3).toFixed(1)} GB`
}

export function mb(bytes: number): string {
  return `${Math.round(bytes / 1024 ** 2)} MB`
}

/** The stories of the pasted texts (analyze/text-story.ts), each with where it came from. */
export function textStories(input: RuleInput): NonNullable<RuleInput['logs']['textStory']> {
  return input.logs.textStory ?? []
}

/**
 * KBs a pasted text names while it reports a failure (in words or with a failure code), with the line that names each:
 * a failed install told by the person or the tool rather than by this PC's history.
 */
export function textFailedKbs(input: RuleInput): { kb: string; source: string; codes: string[] }[] {
  const out: { kb: string; source: string; codes: string[] }[] = []
  for (const { source, story } of textStories(input)) {
    if (!story.failed && !story.pending) continue
    for (const kb of story.kbs) if (!out.some((o) => o.kb === kb)) out.push({ kb, source, codes: story.codes })
  }
  return out
}
