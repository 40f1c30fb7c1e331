/**
 * Builds a fix package for a diagnosed machine (a collector file, usually): the repairs the diagnosis offers,
 * planned for that PC by the repair service; the same-build repair sources they need, fetched and verified;
 * the update that failed (or the one asked for) as a kit; the collector. Wired into main/services.ts.
 */
import type { MachineRef, MachineArch } from '../../preload/model/common.ts'
import type { MachineSnapshot } from '../../preload/model/snapshot.ts'
import type { RepairOffers, RepairPlan } from '../../preload/model/repair.ts'
import type { RepairEnv } from '../repair/types.ts'
import type { Finding } from '../../preload/model/diagnosis.ts'
import { BEHIND_NEWEST_ID, isActive } from '../../preload/model/finding-state.ts'
import { paramsOf } from '../repair/step-kinds.ts'
import { createPackagesService, kitMachineOf, type CatalogChoice } from '../kit/packages-service.ts'
import { signatureCheckerFor } from '../download/signature.ts'
import { collectorScript } from '../collector/collector-script.ts'
import { writeFixPackage, FixPackageError, type FixPackageResult, type FixWinre } from './fix-package.ts'
import { assessWinre } from '../diagnose/winre-health.ts'
import { planWinreRepair } from '../winre/repair-plan.ts'
import { WORK_DIR } from '../machine/winre-commands.ts'
import { humanizeCitations } from '../knowledge/citations.ts'

export interface FixPackageDeps {
  dataDir: string
  platform: NodeJS.Platform
  appVersion: string
  scan(ref: MachineRef): Promise<MachineSnapshot>
  findings(ref: MachineRef): Promise<Finding[]>
  offers(ref: MachineRef): Promise<RepairOffers>
  planForPc(ref: MachineRef, repairId: string): Promise<{ plan: RepairPlan; env: RepairEnv; machineName: string }>
  fetchSource(ref: MachineRef, kb: string, arch: MachineArch): Promise<{ path: string }>
  now?: () => Date
}

export interface FixPackageRequest {
  outDir: string
  /** The update to install after the repairs; default: the newest one that failed and is not installed since. */
  kb?: string | null
  onNote?: (line: string) => void
}

/** The newest update in the history that failed and has not been installed since (null: none). */
export function updateToRetry(s: MachineSnapshot): string | null {
  return failedUpdate(s)?.kb ?? null
}

/** That update's history entry: its KB and the code it failed with. */
function failedUpdate(s: MachineSnapshot): { kb: string; hresult: string | null } | null {
  if (s.history.status !== 'known') return null
  const ok = new Set(s.history.value.filter((h) => h.result === 'succeeded' && h.kb).map((h) => h.kb))
  const installed = new Set(
    s.packages.status === 'known'
      ? s.packages.value.packages.filter((p) => p.state === 'installed' && p.kb).map((p) => p.kb)
      : [],
  )
  const failed = s.history.value
    .filter((h) => h.kb && (h.result === 'failed' || h.result === 'aborted') && !ok.has(h.kb) && !installed.has(h.kb))
    .sort((a, b) => (b.date ?? '').localeCompare(a.date ?? ''))
  const top = failed[0]
  return top?.kb ? { kb: top.kb, hresult: top.hresult ?? null } : null
}

/**
 * The WinRE repair for the snapshot's PC, planned by the app's own planner (main/winre/repair-plan.ts) as that PC
 * runs it itself: enable, the KB5028997 resize, the Safe OS update. The Safe OS file is fetched here (the Catalog,
 * hash-verified) and carried in the package; on the PC it is copied to C:\ProgramData\ServicingDesk\winre first,
 * the path the repair's DISM step names. Null when WinRE needs nothing (or could not be read).
 */
async function winreFor(
  deps: FixPackageDeps,
  ref: MachineRef,
  snapshot: MachineSnapshot,
  arch: MachineArch,
  req: FixPackageRequest,
  notes: string[],
): Promise<FixWinre | null> {
  const health = assessWinre(snapshot)
  if (!health.winre || !health.findings.length) return null
  let safeOs: FixWinre['safeOs'] = null
  if (health.expected.verdict === 'stale' && health.expected.kb) {
    const kb = health.expected.kb
    req.onNote?.(`Fetching the Safe OS update ${kb} (${arch}) for WinRE…`)
    try {
      const { path } = await deps.fetchSource(ref, kb, arch)
      const ext = /\.(cab|msu)$/i.exec(path)?.[1]?.toLowerCase() ?? 'cab'
      const fileName = `${kb}-${arch}.${ext}`
      safeOs = { localPath: path, rel: `files\\${fileName}`, pcPath: `${WORK_DIR}\\${fileName}` }
    } catch (err) {
      notes.push(
        `WinRE: the Safe OS update ${kb} could not be fetched (${(err as Error).message}); the package does not update WinRE's version.`,
      )
    }
  }
  const planned = planWinreRepair({
    id: 'fix-package',
    createdAt: (deps.now?.() ?? new Date()).toISOString(),
    ref: { kind: 'this-pc' },
    health,
    snapshot,
    elevated: null,
    safeOsPackage:
      safeOs && health.expected.kb
        ? {
            kb: health.expected.kb,
            fileName: safeOs.rel.slice('files\\'.length),
            path: safeOs.pcPath,
            source: 'download-cache',
          }
        : null,
  })
  for (const m of planned.manual) notes.push(`WinRE, by hand: ${m.title}: ${humanizeCitations(m.detail)}`)
  if (planned.refused) {
    notes.push(`The WinRE repair is not in the package: ${humanizeCitations(planned.refused)}`)
    return null
  }
  if (!planned.steps.length) return null
  for (const w of planned.warnings) notes.push(`WinRE repair: ${humanizeCitations(w)}`)
  const repair = {
    ...planned,
    steps: planned.steps.map((x) => ({ ...x, explanation: humanizeCitations(x.explanation) })),
  }
  return { repair, safeOs: repair.safeOsPackage ? safeOs : null }
}

export function createFixPackages(deps: FixPackageDeps) {
  async function build(
    ref: MachineRef,
    req: FixPackageRequest,
  ): Promise<FixPackageResult & { repairs: string[]; winre: string[]; kb: string | null; notes: string[] }> {
    const snapshot = await deps.scan(ref)
    const os = snapshot.os.status === 'known' ? snapshot.os.value : null
    if (!os?.build || !os.nativeArch || os.nativeArch === 'arm')
      throw new FixPackageError(
        `The build or native architecture of ${snapshot.origin.name} is unknown, so a package could not be bound to it.`,
      )
    const name = os.computerName ?? snapshot.origin.name
    if (!/^[A-Za-z0-9-]{1,15}$/.test(name))
      throw new FixPackageError(
        `The computer name '${name}' is not a Windows computer name; the package is bound to it.`,
      )
    const arch = os.nativeArch
    const notes: string[] = []
    const repairs: { plan: RepairPlan; env: RepairEnv }[] = []
    for (const o of (await deps.offers(ref)).offers) {
      const r = await deps.planForPc(ref, o.repairId)
      if (r.plan.refused) {
        notes.push(`${r.plan.title} is not in the package: ${r.plan.refused}`)
        continue
      }
      if (!r.plan.steps.length) continue
      repairs.push({ plan: r.plan, env: r.env })
      for (const w of r.plan.warnings) notes.push(`${r.plan.title}: ${w}`)
    }
    const sources: { kb: string; arch: string; localPath: string }[] = []
    for (const { plan } of repairs) {
      for (const s of plan.steps.filter((x) => x.kind === 'fetch-package')) {
        const p = paramsOf(s) as { kb: string; arch: MachineArch }
        if (sources.some((x) => x.kb === p.kb && x.arch === p.arch)) continue
        req.onNote?.(`Fetching the same-build repair source ${p.kb} (${p.arch})…`)
        sources.push({ kb: p.kb, arch: p.arch, localPath: (await deps.fetchSource(ref, p.kb, p.arch)).path })
      }
    }
    // The WinRE repair (main/winre), after the Fix-it repairs and before the update it blocks. A WinRE finding it
    // does not address is said in README.txt, and an update such a finding blocks is not retried.
    const winreRepair = await winreFor(deps, ref, snapshot, arch, req, notes)
    const addressed = (f: Finding) => winreRepair?.repair.addresses.some((a) => f.id === `winre-${a}`) ?? false
    const findings = await deps.findings(ref)
    const winre = findings.filter(
      (f) => f.severity !== 'info' && f.remedies.some((r) => r.repair?.startsWith('winre-')) && !addressed(f),
    )
    for (const f of winre)
      notes.push(
        `${f.title}: its WinRE repair (${[...new Set(f.remedies.flatMap((r) => (r.repair?.startsWith('winre-') ? [r.repair] : [])))].join(', ')}) is not in this package; run it with Servicing Desk on that PC (\`winre\` command) or by hand.`,
      )
    // A WinRE problem blocks retrying only the update it explains (the WinRE/Safe OS update that failed on it:
    // its KB or its failure code); a cumulative update that failed for another reason is still retried.
    const retry = req.kb === undefined ? failedUpdate(snapshot) : null
    // With no failed update to retry, the newest cumulative update the PC lacks (the finding Fix it offers it by), so
    // the package does what the screens offer; never an update the WinRE findings hold back (those are
    // WinRE's own updates, not a cumulative one).
    const newest =
      req.kb === undefined && !retry
        ? (findings.find((f) => f.id === BEHIND_NEWEST_ID && isActive(f))?.kbs?.[0] ?? null)
        : null
    let kb = req.kb === undefined ? (retry?.kb ?? newest) : req.kb
    if (newest)
      notes.push(
        `No failed update to retry was found; ${newest}, the newest cumulative update for this build, is not installed, so the package installs it.`,
      )
    const blocker = retry
      ? winre.find(
          (f) =>
            (f.severity === 'error' || f.severity === 'critical') &&
            ((f.kbs ?? []).includes(retry.kb) || (retry.hresult !== null && f.codes.includes(retry.hresult))),
        )
      : undefined
    const blocked = blocker !== undefined
    if (kb && blocker) {
      notes.push(
        `${kb} is not retried: ${blocker.title.replace(/\.$/, '')}, so it would fail again until that WinRE repair is done.`,
      )
      kb = null
    }
    const choice: CatalogChoice = deps.platform === 'win32' && ref.kind !== 'training' ? 'microsoft' : 'local'
    const pkgs = kb
      ? createPackagesService({
          dataDir: deps.dataDir,
          toolVersion: deps.appVersion,
          defaultCatalog: choice,
          signatures: (k) => signatureCheckerFor(null, k === 'microsoft' ? deps.platform : 'linux'),
          onLocalCatalog: (url) =>
            req.onNote?.(
              `Packages from the local training Catalog at ${url} (offline, synthetic packages), not the Microsoft Update Catalog.`,
            ),
        })
      : null
    if (!kb && req.kb === undefined && !blocked)
      notes.push('No failed update to retry was found in the update history, so the package installs no update.')
    try {
      const result = await writeFixPackage({
        outDir: req.outDir,
        machine: { name, build: os.build, ubr: os.ubr, nativeArch: arch },
        takenAt: snapshot.takenAt,
        version: deps.appVersion,
        now: deps.now?.() ?? new Date(),
        repairs,
        winre: winreRepair,
        sources,
        collectorScript: collectorScript({ version: deps.appVersion }),
        notes,
        writeKit:
          kb && pkgs
            ? async (dir) => {
                req.onNote?.(`Building the kit for ${kb} (${arch})…`)
                const { manifest } = await pkgs.exportKit({
                  kb,
                  arch,
                  outDir: dir,
                  machine: { ...kitMachineOf(snapshot), name },
                })
                return { kb: manifest.target.kb, title: manifest.target.title }
              }
            : null,
      })
      return {
        ...result,
        repairs: repairs.map((r) => r.plan.repairId),
        winre: winreRepair?.repair.steps.map((x) => x.op) ?? [],
        kb,
        notes,
      }
    } finally {
      await pkgs?.close()
    }
  }
  return { build }
}
