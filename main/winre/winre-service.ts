/**
 * The WinRE service: report (health + the repair the user would confirm) and run (the confirmed repair,
 * then a re-scan that proves WinRE is enabled, on a partition with room, at the expected version).
 *
 * A repair runs only by the id the user saw, and only if re-planning on the machine as it is now gives
 * the very same commands; otherwise the user is asked to look again.
 */
import { mkdirSync, readFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import writeFileAtomic from 'write-file-atomic'
import type { Host } from '../host/host.ts'
import { AppError, type AppErrorCode } from '../errors.ts'
import type { MachineArch, MachineRef } from '../../preload/model/common.ts'
import type { MachineSnapshot } from '../../preload/model/snapshot.ts'
import { WinreRepairSchema, WINRE_REQUIRED_FREE_BYTES, type WinreReport, type WinreRepair, type WinreRun, type WinreStepRun } from '../../preload/model/winre.ts'
import { parseWinreVersion } from '../knowledge/winre-targets.ts'
import { assessWinre } from './health.ts'
import { planWinreRepair, type SafeOsPackage } from './repair-plan.ts'
import { runWinreRepair } from './repair-runner.ts'

export interface WinreServiceDeps {
  dataDir: string
  scan(ref: MachineRef): Promise<MachineSnapshot>
  hostFor(ref: MachineRef): Host
  /** Finds the Safe OS update file for a KB and architecture (a kit, the download cache, the local Catalog). */
  safeOsPackage?: (kb: string, arch: MachineArch, ref: MachineRef) => SafeOsPackage | null
  now?: () => Date
}

/** A WinRE error meant for the person (an AppError, so every front end shows its code and message). */
export class WinreServiceError extends AppError {
  constructor(code: AppErrorCode, message: string) {
    super(code, message)
    this.name = 'WinreServiceError'
  }
}

export function createWinreService(deps: WinreServiceDeps) {
  const dir = join(deps.dataDir, 'winre-repairs')
  const now = () => deps.now?.() ?? new Date()

  function packageFor(ref: MachineRef, snapshot: MachineSnapshot, kb: string | null): SafeOsPackage | null {
    if (!kb) return null
    const arch = snapshot.os.status === 'known' ? snapshot.os.value.nativeArch : null
    if (!arch) return null
    const found = deps.safeOsPackage?.(kb, arch, ref) ?? null
    if (found) return found
    if (ref.kind !== 'training') return null
    // A training machine accepts a Safe OS update by its Catalog-style file name (no file needed).
    const prefix = (snapshot.os.status === 'known' && (snapshot.os.value.build ?? 0) >= 22000) ? 'windows11.0' : 'windows10.0'
    const fileName = `${prefix}-${kb.toLowerCase()}-${arch}.cab`
    return { kb, fileName, path: `C:\\ProgramData\\ServicingDesk\\packages\\${fileName}`, source: 'by-name' }
  }

  function plan(ref: MachineRef, snapshot: MachineSnapshot): WinreReport {
    const health = assessWinre(snapshot)
    const t = now()
    const id = `${t.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '')}-${snapshot.origin.name}-winre`.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 80)
    let elevated: boolean | null = null
    if (ref.kind !== 'snapshot') { try { elevated = deps.hostFor(ref).info().elevated } catch { elevated = null } }
    const repair = planWinreRepair({
      id, createdAt: t.toISOString(), ref, health, snapshot, elevated,
      safeOsPackage: health.expected.verdict === 'stale' ? packageFor(ref, snapshot, health.expected.kb) : null,
    })
    return { health, repair }
  }

  function save(repair: WinreRepair): void {
    mkdirSync(dir, { recursive: true })
    writeFileAtomic.sync(join(dir, `${repair.id}.json`), JSON.stringify(repair, null, 1))
  }

  function load(id: string): WinreRepair {
    if (!/^[A-Za-z0-9_-]{1,80}$/.test(id)) throw new WinreServiceError('invalid-input', `Invalid repair id '${id}'.`)
    const f = join(dir, `${id}.json`)
    if (!existsSync(f)) throw new WinreServiceError('not-found', `No WinRE repair with id '${id}'. Look at the machine again (servicing-desk winre).`)
    const parsed = WinreRepairSchema.safeParse(JSON.parse(readFileSync(f, 'utf8')))
    if (!parsed.success) throw new WinreServiceError('invalid-input', `The saved repair ${id} is damaged.`)
    return parsed.data
  }

  /** Health and the repair for a machine (the repair is saved so the confirmed one is the one that runs). */
  async function report(ref: MachineRef): Promise<WinreReport> {
    const snapshot = await deps.scan(ref)
    const r = plan(ref, snapshot)
    if (ref.kind !== 'snapshot') save(r.repair)
    return r
  }

  /** Proves the result: enabled, on a partition (not C:) with 250 MB free, at (or above) the expected version. */
  function verify(repair: WinreRepair, snapshot: MachineSnapshot): NonNullable<WinreRun['verification']> {
    const f = snapshot.winre.status === 'known' ? snapshot.winre.value : null
    const rp = f?.recoveryPartition ?? null
    const after = { status: f?.status ?? 'unknown', version: f?.version ?? null, freeBytes: rp?.freeBytes ?? null, partition: rp?.partition ?? null }
    const problems: string[] = []
    if (!f) problems.push(`WinRE could not be read after the repair (${snapshot.winre.status === 'unknown' ? snapshot.winre.error : ''})`)
    else {
      if (f.status !== 'enabled') problems.push(`WinRE is ${f.status}`)
      if (!rp || rp.position === 'same') problems.push('WinRE is not on a recovery partition')
      else if (rp.freeBytes === null || rp.freeBytes < WINRE_REQUIRED_FREE_BYTES) problems.push(`the recovery partition has ${rp.freeBytes === null ? 'unknown' : `${Math.round(rp.freeBytes / 1048576)} MB`} free (needs 250 MB)`)
      const want = parseWinreVersion(repair.expected.version)
      const have = parseWinreVersion(f.version)
      if (want && (!have || have[2] !== want[2] || have[3] < want[3])) problems.push(`WinRE is at ${f.version ?? 'an unknown version'}, expected ${repair.expected.version}`)
    }
    const verified = problems.length === 0
    const detail = verified
      ? `WinRE is enabled on disk ${rp!.disk} partition ${rp!.partition} with ${Math.round((rp!.freeBytes ?? 0) / 1048576)} MB free, at ${f!.version ?? 'its version'}.`
      : `Not verified: ${problems.join('; ')}.`
    return { verified, detail, after }
  }

  /** Runs the repair the user confirmed, then re-scans and verifies. */
  async function repair(ref: MachineRef, repairId: string, opts: { signal?: AbortSignal; onStep?: (id: string, phase: 'started' | 'finished', run?: WinreStepRun) => void } = {}): Promise<WinreRun & { report: WinreReport }> {
    if (ref.kind === 'snapshot') throw new WinreServiceError('unsupported', 'A snapshot from another PC is read-only: run the repair on that PC.')
    const saved = load(repairId)
    if (JSON.stringify(saved.machine.ref) !== JSON.stringify(ref)) throw new WinreServiceError('invalid-input', `Repair ${repairId} was made for another machine.`)
    if (saved.refused) throw new WinreServiceError('invalid-input', `This repair cannot run: ${saved.refused}`)
    if (saved.steps.length === 0) throw new WinreServiceError('invalid-input', 'This repair has no steps: there is nothing to run.')
    const fresh = plan(ref, await deps.scan(ref)).repair
    const sig = (r: WinreRepair) => JSON.stringify(r.steps.map((s) => [s.command.file, s.command.args]))
    if (sig(fresh) !== sig(saved)) throw new WinreServiceError('invalid-input', 'The machine changed since this repair was shown; look at it again and confirm the new commands.')
    const host = deps.hostFor(ref)
    const run = await runWinreRepair(host, saved, opts)
    const snapshot = await deps.scan(ref)
    const verification = run.status === 'completed' ? verify(saved, snapshot) : null
    return { ...run, verification, report: plan(ref, snapshot) }
  }

  return { report, repair, load, verify }
}

export type WinreService = ReturnType<typeof createWinreService>
