/**
 * The health checks of a snapshot (packages, restart, space, services, WinRE, recent failures), shared by
 * the Overview's tiles, the report's verification and the CLI so all of them say the same thing.
 *
 * One verdict: given the diagnosis' verdict (findings with states), an area's level is the highest
 * current finding of that area and nothing else — the snapshot only says what it read (the tile's value and
 * sentence), or `unknown` when it could not read the area and no finding speaks about it. Every finding has an
 * area and every area a tile, so no finding the CLI prints is missing from the tiles. Without a verdict (a
 * diagnosis that could not run), the snapshot's own checks are shown.
 *
 * Pure: a snapshot in, checks out. An unknown fact gives an `unknown` check with the probe's reason,
 * never a guess. Thresholds follow servicing-facts §1.1: R2 (10 GB free at least, 20 GB advised),
 * R9 (a WinRE update needs 250 MB free on the recovery partition, KB5028997).
 */
import { z } from 'zod'
import type { MachineSnapshot } from './snapshot.ts'
import { type HealthFinding, noProblemWords, offeredInstalls, serviceDisplayNames } from './health-findings.ts'

export { type HealthFinding, noProblemWords, offeredInstalls, serviceDisplayNames }

export const HealthLevelSchema = z.enum(['ok', 'warn', 'bad', 'unknown'])
export type HealthLevel = z.infer<typeof HealthLevelSchema>

export const HealthCheckSchema = z.object({
  id: z.enum(['packages', 'restart', 'space', 'services', 'winre', 'boot', 'failures']),
  level: HealthLevelSchema,
  /** Short value for a tile, e.g. `12.4 GB free`. */
  value: z.string(),
  /** One plain sentence: what was found (or why it is unknown). */
  detail: z.string(),
  /**
   * What is wrong, in a few words, when a current finding of the diagnosis decides the level ("A restart is
   * pending"): the tile's headline. Absent: the level word and `value` say it.
   */
  headline: z.string().optional(),
  /**
   * The identifiers behind the sentence: error codes, service names, image paths. Shown behind a
   * "Technical details" disclosure (the tiles) or on a marked technical line (the report), never in front.
   */
  technical: z.string().optional(),
})
export type HealthCheck = z.infer<typeof HealthCheckSchema>

const GB = 1024 ** 3
const MB = 1024 ** 2
/** Services Windows Update and DISM servicing need (servicing-facts §1.1 R3/R10). */
export const servicingServices = ['wuauserv', 'bits', 'cryptsvc', 'trustedinstaller', 'msiserver'] as const

const displayName = (n: string) => serviceDisplayNames[n.toLowerCase()] ?? n

/** Who says a restart is pending, in plain words, by the source's id (main/parse/reboot-pending.ts); its label is technical. */
function restartSourceWords(id: string): string {
  if (id === 'cbs-pending-xml') return 'an unfinished Windows servicing change'
  if (/^cbs\b/.test(id)) return 'Windows servicing'
  if (/^wu\b/.test(id)) return 'Windows Update'
  if (id.startsWith('pending-file-rename')) return 'files waiting to be replaced'
  const words: Record<string, string> = {
    'update-exe-volatile': 'an older update installer',
    'server-manager': 'Server Manager',
    'domain-join': 'joining a domain',
    'computer-rename': 'a new computer name',
    'dvd-reboot-signal': 'a setup program',
  }
  return words[id] ?? 'another source'
}

export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '?'
  if (n >= GB) return `${(n / GB).toFixed(1)} GB`
  if (n >= MB) return `${Math.round(n / MB)} MB`
  return `${Math.round(n / 1024)} KB`
}

/**
 * Every sentence the checks say, so a translation replaces them in one place (the renderer passes
 * `strings.health.words`; the report uses the English ones).
 */
export const englishHealthWords = {
  unknown: 'unknown',
  packages: {
    count: (n: number) => `${n} packages`,
    level: (build: number, ubr: number) => `update level ${build}.${ubr}`,
    pending: (n: number) => `${n} waiting for a restart`,
    checkpointMissingValue: 'checkpoint missing',
    checkpointMissing: (kb: string, build: string) =>
      `The checkpoint ${kb} (${build}) is missing; later cumulative updates need it first.`,
    checkpointPresent: (kb: string) => `Checkpoint ${kb} present.`,
  },
  restart: {
    noneValue: 'none pending',
    none: 'No source says a restart is pending.',
    pendingValue: 'restart pending',
    pending: (sources: string) => `A restart is pending: ${sources}. Restart before installing more updates.`,
    technical: (labels: string) => `Sources: ${labels}.`,
  },
  space: {
    value: (free: string) => `${free} free`,
    detail: (drive: string, free: string, size: string) => `${drive} has ${free} free of ${size}.`,
    ok: 'Enough for updates.',
    warn: 'Updates usually fit; 20 GB free is advised.',
    bad: 'Too little for updates: free at least 10 GB.',
  },
  services: {
    disabledValue: (n: number) => `${n} disabled`,
    disabled: (names: string) => `Disabled: ${names}. Windows Update cannot install while these are disabled.`,
    missingValue: (n: number) => `${n} not found`,
    missing: (names: string) => `Not found: ${names}.`,
    okValue: 'all can start',
    ok: (names: string) => `${names} can start.`,
    technical: (names: string) => `Service names: ${names}.`,
  },
  winre: {
    stateValue: (status: string) => (status === 'disabled' ? 'disabled' : 'unknown state'),
    state: (status: string, staged: boolean) =>
      `The recovery environment (WinRE) is ${status}${staged ? '; its image is still on the Windows drive' : ''}.`,
    stagedTechnical: (path: string) => `WinRE image: ${path}`,
    shortValue: (free: string) => `${free} free`,
    short: (version: string | null, free: string) =>
      `WinRE is enabled${version ? ` (${version})` : ''}, but its recovery partition has only ${free} free; a WinRE update needs 250 MB (KB5028997).`,
    okValue: 'enabled',
    ok: (version: string | null) =>
      `The recovery environment (WinRE) is enabled${version ? `, version ${version}` : ''}.`,
  },
  boot: {
    value: (state: string) => `Secure Boot ${state}`,
    detail: (state: string, status: string | null) =>
      `Secure Boot is ${state}${status ? `; the 2023 certificate update: ${status}` : ''}.`,
    notRead: 'The boot chain (Secure Boot certificates) was not read.',
  },
  failures: {
    noneValue: 'none',
    none: 'The update history lists no install.',
    lastOkValue: 'last install succeeded',
    lastFailedValue: 'last install failed',
    /** The failure's cause is a finding of another area (e.g. Windows Update's data, under Update services). */
    elsewhereValue: 'its cause is in another tile',
    /** The failed update, not installed since: offered again. */
    offeredHeadline: (kbs: string) => `${kbs} is not installed yet`,
    offeredDetail: (titles: string) => `To install: ${titles}.`,
    last: (date: string, title: string, result: string) => `${date}: ${title} — ${result}.`,
    results: {
      succeeded: 'succeeded',
      'succeeded-with-errors': 'succeeded with errors',
      failed: 'failed',
      aborted: 'cancelled',
      'in-progress': 'still in progress',
      'not-started': 'not started',
      other: 'other result',
    } as Record<string, string>,
    code: (code: string) => `Result code: ${code}`,
  },
  /** The value and sentence when the diagnosis found a problem in an area the snapshot alone shows as fine. */
  found: {
    value: 'problem found',
    detail: (titles: string) => `The diagnosis found: ${titles}.`,
  },
  /** A finding of the area that happened and is resolved since: history, never a problem. */
  resolved: {
    value: 'resolved',
    detail: (title: string, by: string) => `Happened: ${title} — since resolved by ${by}.`,
  },
}
export type HealthWords = typeof englishHealthWords

export type HealthArea = HealthCheck['id']

/**
 * Which area each diagnosis finding speaks about (rule ids in main/diagnose/rules). A finding of an id
 * not listed here (a bare error code, a network problem) belongs to recent failures.
 */
export const findingArea: Record<string, HealthArea> = {
  'missing-checkpoint': 'packages',
  'component-store-corruption': 'packages',
  'servicing-stack-required': 'packages',
  'psfx-delta': 'packages',
  'wrong-arch-or-branch': 'packages',
  'pending-restart': 'restart',
  'shutdown-in-progress-effect': 'restart',
  'low-disk-space': 'space',
  'services-disabled': 'services',
  'servicing-hang': 'services',
  'winre-partition-too-small': 'winre',
  'winre-disabled': 'winre',
  'winre-stale': 'winre',
  'esp-full': 'space',
  // WinRE's boot manager (it stops booting once PCA 2011 is revoked): the Recovery tile's, where `winre` says it.
  'boot-manager-2011': 'winre',
  'secure-boot-2023-missing': 'boot',
  'secure-boot-firmware': 'boot',
  'wu-components': 'services',
}

/**
 * A finding's title in a few words, for a tile's headline: the title up to the first break between clauses (`: `,
 * `; `, `, so|and|but `, ` (`) whose part before it reads as a clause (three words or more), else the whole title.
 * A title that opens with a name ("KB5034441: the WinRE update failed", "0x800F0922 (CBS_E_INSTALLERS_FAILED): …")
 * is not cut to the name alone. How to word a title so its headline reads well: docs/guides.md.
 */
export function headlineOf(title: string): string {
  // "A restart is pending: restart …" → "A restart is pending"; "KB… is missing, so …" → "KB… is missing"; "WinRE is out of date (…)" → "WinRE is out of date".
  for (const m of title.matchAll(/:\s|;\s|,\s(?:so|and|but)\s|\s\(/g)) {
    const head = title.slice(0, m.index).trim()
    if (head.split(/\s+/).length >= 3) return head
  }
  return title.trim()
}

export function areaOfFinding(id: string): HealthArea {
  return findingArea[id] ?? 'failures'
}

const rank: Record<HealthLevel, number> = { ok: 0, unknown: 1, warn: 2, bad: 3 }

/** A finding's level: critical and error are problems, warning is attention, info (a note) changes nothing. */
function levelOfFinding(f: HealthFinding): HealthLevel | null {
  return f.severity === 'critical' || f.severity === 'error' ? 'bad' : f.severity === 'warning' ? 'warn' : null
}

/**
 * `opts.verdict`: the findings are the machine's verdict (with states). Past findings then count for
 * nothing but a sentence; in the areas about time (restart, latest attempt) only current findings decide; a
 * current finding that decides a tile gives it its headline.
 */
export function assessHealth(
  s: MachineSnapshot,
  w: HealthWords = englishHealthWords,
  findings: readonly HealthFinding[] = [],
  opts: { verdict?: boolean } = {},
): HealthCheck[] {
  const own = [
    packagesCheck(s, w),
    restartCheck(s, w),
    spaceCheck(s, w),
    servicesCheck(s, w),
    winreCheck(s, w),
    bootCheck(s, w),
    failuresCheck(s, w),
  ]
  if (opts.verdict) return own.map((c) => verdictCheck(c, findings, w))
  return own.map((c) => {
    const mine = findings.filter((f) => areaOfFinding(f.id) === c.id && levelOfFinding(f) !== null)
    if (!mine.length) return c
    const worst = mine.reduce<HealthLevel>(
      (l, f) => (rank[levelOfFinding(f)!] > rank[l] ? levelOfFinding(f)! : l),
      'ok',
    )
    if (rank[worst] <= rank[c.level] && c.level !== 'unknown') return c
    // The finding replaces the snapshot's sentence (a tile has room for one; the diagnosis has the rest).
    return {
      ...c,
      level: worst,
      value: c.level === 'ok' || c.level === 'unknown' ? w.found.value : c.value,
      detail: w.found.detail(mine.map((f) => f.title).join('; ')),
    }
  })
}

/**
 * An area under the verdict: its level is the highest current finding of the area (its headline that finding's);
 * with none, OK — or unknown when the snapshot could not read the area. The snapshot's own level counts for
 * nothing (one verdict: the CLI's). Past findings of the area are sentences ("since resolved by …").
 */
function verdictCheck(c: HealthCheck, findings: readonly HealthFinding[], w: HealthWords): HealthCheck {
  const area = findings.filter((f) => areaOfFinding(f.id) === c.id)
  const mine = area.filter((f) => f.state !== 'past' && levelOfFinding(f) !== null)
  const past = area.filter((f) => f.state === 'past')
  const history = past.map((f) => w.resolved.detail(f.title, f.resolvedBy ?? 'a later change')).join(' ')
  if (mine.length) {
    const worst = mine.reduce<HealthLevel>(
      (l, f) => (rank[levelOfFinding(f)!] > rank[l] ? levelOfFinding(f)! : l),
      'ok',
    )
    const top = mine.find((f) => levelOfFinding(f) === worst)!
    return {
      ...c,
      level: worst,
      value: c.level === worst ? c.value : w.found.value,
      headline: headlineOf(top.title),
      detail: w.found.detail(mine.map((f) => f.title).join('; ')),
    }
  }
  if (c.level === 'unknown') return history ? { ...c, detail: `${c.detail} ${history}` } : c
  // The latest attempt: an update the verdict still offers, or a failed last install, is never OK —
  // its cause may be history or another tile's, but the update is not installed until the history says so.
  if (c.id === 'failures') {
    const offered = offeredInstalls(findings)
    if (offered.length || c.level !== 'ok') {
      const kbs = [...new Set(offered.flatMap((f) => f.kbs ?? []))].join(', ')
      const detail = [
        c.detail,
        offered.length ? w.failures.offeredDetail(offered.map((f) => f.title).join('; ')) : '',
        history,
      ]
        .filter(Boolean)
        .join(' ')
      return {
        ...c,
        level: 'warn',
        value: c.level === 'ok' ? c.value : w.failures.lastFailedValue,
        ...(kbs ? { headline: w.failures.offeredHeadline(kbs) } : {}),
        detail,
      }
    }
  }
  // Nothing current in the area: OK. What the snapshot read stays as words; a problem it read that the verdict
  // does not hold (resolved, or judged by the diagnosis) is said as resolved, never as a level of its own.
  const value =
    c.level === 'ok'
      ? c.value
      : past.length
        ? w.resolved.value
        : c.id === 'failures'
          ? w.failures.elsewhereValue
          : c.value
  return { ...c, level: 'ok', value, detail: history ? `${c.detail} ${history}` : c.detail }
}

function bootCheck(s: MachineSnapshot, w: HealthWords): HealthCheck {
  const f = s.bootChain
  if (!f) return { id: 'boot', level: 'unknown', value: w.unknown, detail: w.boot.notRead }
  if (f.status === 'unknown') return { id: 'boot', level: 'unknown', value: w.unknown, detail: f.error }
  const state = f.value.secureBoot === 'unsupported' ? 'not supported (BIOS)' : f.value.secureBoot
  return {
    id: 'boot',
    level: 'ok',
    value: w.boot.value(state),
    detail: w.boot.detail(state, f.value.servicing.uefiCa2023Status),
  }
}

/** The newest install in the Windows Update history: a failure there is still unresolved. */
function failuresCheck(s: MachineSnapshot, w: HealthWords): HealthCheck {
  const f = s.history
  if (f.status === 'unknown') return { id: 'failures', level: 'unknown', value: w.unknown, detail: f.error }
  const last = f.value
    .filter((e) => e.operation === 'install' && e.date)
    .sort((a, b) => (b.date ?? '').localeCompare(a.date ?? ''))[0]
  if (!last) return { id: 'failures', level: 'ok', value: w.failures.noneValue, detail: w.failures.none }
  const ok = last.result === 'succeeded' || last.result === 'succeeded-with-errors'
  return {
    id: 'failures',
    level: ok ? 'ok' : 'bad',
    value: ok ? w.failures.lastOkValue : w.failures.lastFailedValue,
    detail: w.failures.last(
      (last.date ?? '').slice(0, 10),
      last.title,
      w.failures.results[last.result] ?? last.result.replace(/-/g, ' '),
    ),
    ...(last.hresult ? { technical: w.failures.code(last.hresult) } : {}),
  }
}

function packagesCheck(s: MachineSnapshot, w: HealthWords): HealthCheck {
  const f = s.packages
  if (f.status === 'unknown') return { id: 'packages', level: 'unknown', value: w.unknown, detail: f.error }
  const { packages, checkpoint, lcu } = f.value
  const pending = packages.filter((p) => p.state === 'install-pending' || p.state === 'uninstall-pending').length
  const level: HealthLevel = checkpoint.present === false ? 'bad' : pending > 0 ? 'warn' : 'ok'
  const parts = [w.packages.count(packages.length)]
  // The PC's own build (a 23H2 PC's LCU package carries the 22621 base): one build number per PC.
  if (lcu) parts.push(w.packages.level((s.os.status === 'known' ? s.os.value.build : null) ?? lcu.build, lcu.ubr))
  if (pending > 0) parts.push(w.packages.pending(pending))
  const cp =
    checkpoint.present === false
      ? w.packages.checkpointMissing(checkpoint.kb ?? '?', `${checkpoint.build ?? '?'}.${checkpoint.ubr ?? '?'}`)
      : checkpoint.present === true && checkpoint.kb
        ? w.packages.checkpointPresent(checkpoint.kb)
        : ''
  return {
    id: 'packages',
    level,
    value: checkpoint.present === false ? w.packages.checkpointMissingValue : w.packages.count(packages.length),
    detail: `${parts.join(', ')}. ${cp}`.trim(),
  }
}

function restartCheck(s: MachineSnapshot, w: HealthWords): HealthCheck {
  const f = s.reboot
  if (f.status === 'unknown') return { id: 'restart', level: 'unknown', value: w.unknown, detail: f.error }
  const pending = f.value.sources.filter((x) => x.pending === true)
  if (!f.value.pending) return { id: 'restart', level: 'ok', value: w.restart.noneValue, detail: w.restart.none }
  const said = [...new Set(pending.map((x) => restartSourceWords(x.id)))]
  return {
    id: 'restart',
    level: 'warn',
    value: w.restart.pendingValue,
    detail: w.restart.pending(said.join(', ') || '?'),
    ...(pending.length ? { technical: w.restart.technical(pending.map((x) => x.label).join('; ')) } : {}),
  }
}

function spaceCheck(s: MachineSnapshot, w: HealthWords): HealthCheck {
  const f = s.storage
  if (f.status === 'unknown') return { id: 'space', level: 'unknown', value: w.unknown, detail: f.error }
  const d = f.value.systemDrive
  const level: HealthLevel = d.freeBytes < 10 * GB ? 'bad' : d.freeBytes < 20 * GB ? 'warn' : 'ok'
  return {
    id: 'space',
    level,
    value: w.space.value(formatBytes(d.freeBytes)),
    detail: `${w.space.detail(d.letter, formatBytes(d.freeBytes), formatBytes(d.sizeBytes))} ${w.space[level]}`,
  }
}

function servicesCheck(s: MachineSnapshot, w: HealthWords): HealthCheck {
  const f = s.services
  if (f.status === 'unknown') return { id: 'services', level: 'unknown', value: w.unknown, detail: f.error }
  const byName = new Map(f.value.map((x) => [x.name.toLowerCase(), x]))
  const disabled = servicingServices.filter((n) => byName.get(n)?.startType === 'disabled')
  const missing = servicingServices.filter((n) => !byName.has(n))
  const plain = (ns: readonly string[]) => ns.map(displayName).join(', ')
  const technical = (ns: readonly string[]) => ({ technical: w.services.technical(ns.join(', ')) })
  if (disabled.length > 0)
    return {
      id: 'services',
      level: 'bad',
      value: w.services.disabledValue(disabled.length),
      detail: w.services.disabled(plain(disabled)),
      ...technical(disabled),
    }
  if (missing.length > 0)
    return {
      id: 'services',
      level: 'warn',
      value: w.services.missingValue(missing.length),
      detail: w.services.missing(plain(missing)),
      ...technical(missing),
    }
  return {
    id: 'services',
    level: 'ok',
    value: w.services.okValue,
    detail: w.services.ok(plain(servicingServices)),
    ...technical(servicingServices),
  }
}

function winreCheck(s: MachineSnapshot, w: HealthWords): HealthCheck {
  const f = s.winre
  if (f.status === 'unknown') return { id: 'winre', level: 'unknown', value: w.unknown, detail: f.error }
  const r = f.value
  if (r.status !== 'enabled')
    return {
      id: 'winre',
      level: 'bad',
      value: w.winre.stateValue(r.status),
      detail: w.winre.state(r.status, !!r.stagedImagePath),
      ...(r.stagedImagePath ? { technical: w.winre.stagedTechnical(r.stagedImagePath) } : {}),
    }
  const recovery =
    s.storage.status === 'known'
      ? s.storage.value.disks.flatMap((d) => d.partitions).find((p) => p.holdsWinre)
      : undefined
  if (recovery?.freeBytes != null && recovery.freeBytes < 250 * MB) {
    return {
      id: 'winre',
      level: 'bad',
      value: w.winre.shortValue(formatBytes(recovery.freeBytes)),
      detail: w.winre.short(r.version, formatBytes(recovery.freeBytes)),
    }
  }
  return { id: 'winre', level: 'ok', value: w.winre.okValue, detail: w.winre.ok(r.version) }
}
