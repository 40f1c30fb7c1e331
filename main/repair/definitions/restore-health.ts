/**
 * `restore-health`: the component store ladder (KB947821 "Fix Windows Update corruptions"; the DISM
 * repair-a-windows-image options). Each rung runs only while the check before it says the store is not
 * healthy, and the result is checked again at the end:
 *   1. DISM /ScanHealth — is the store damaged?
 *   2. DISM /RestoreHealth — Windows Update as the source (may fail: 0x800F081F "The source files could not be found.")
 *   3. the same-build source: first a mounted installation medium whose install.wim/install.esd has an index of
 *      this PC's build.UBR and architecture (media.ts; DISM /RestoreHealth /Source:wim:<file>:<index> /LimitAccess);
 *      then (or without one) the MSU of the LCU this PC runs (its current UBR) from the Catalog, verified
 *      by hash, `expand -F:*` of the MSU, then of its LCU CAB, and DISM /RestoreHealth /Source:<folder> /LimitAccess
 *   4. sfc /scannow
 *   5. DISM /CheckHealth — the re-check the verification reads.
 * When corruption remains, the last rung is a guided in-place repair upgrade: texts only, never run.
 * Afterwards the update that failed is retried by `install` (its own plan, journal and verification).
 */
import type { Finding } from '../../../preload/model/diagnosis.ts'
import type { MachineSnapshot } from '../../../preload/model/snapshot.ts'
import type { ManualStep } from '../../../preload/model/repair.ts'
import type { RepairDefinition } from '../types.ts'
import { step } from '../types.ts'
import { lastAssessment, stepResults } from '../step-results.ts'
import { chooseMediaSource, mediaSourceArg } from '../media.ts'
import { currentLcuKb } from '../../machine/current-lcu.ts'

const STORE_FINDING = 'component-store-corruption'
const STORE_CODES = new Set([
  '0x80073712',
  '0x800F081F',
  '0x800F0831',
  '0x80073701',
  '0x800736CC',
  '0x8007371B',
  '0x80070570',
  '0x800F0984',
  '0x800F0986',
  '0x800F0832',
  '0x800F0900',
])

/** Updates whose last install failed with a component-store code (to retry once the store is repaired). */
export function failedWithStoreCodes(s: MachineSnapshot): string[] {
  if (s.history.status !== 'known') return []
  const ok = new Set(s.history.value.filter((h) => h.result === 'succeeded' && h.kb).map((h) => h.kb))
  const installed = new Set(
    s.packages.status === 'known'
      ? s.packages.value.packages.filter((p) => p.state === 'installed' && p.kb).map((p) => p.kb)
      : [],
  )
  const out: string[] = []
  for (const h of s.history.value) {
    if (!h.kb || ok.has(h.kb) || installed.has(h.kb) || out.includes(h.kb)) continue
    if (
      (h.result === 'failed' || h.result === 'aborted') &&
      h.hresult &&
      STORE_CODES.has(h.hresult.toUpperCase().replace(/^0X/, '0x'))
    )
      out.push(h.kb)
  }
  return out
}

/**
 * The in-place repair upgrade, by hand. `medium`: the drive letter of a mounted medium of this PC's build (the one the
 * media rung repairs from), whose setup.exe the line then names; without one, D: stands for the ISO the person mounts.
 * (with a medium of another build at D: and this build's at E:, the line named D:'s setup.exe.)
 */
function inPlaceUpgrade(s: MachineSnapshot, medium?: string): ManualStep {
  const os = s.os.status === 'known' ? s.os.value : null
  const what = os
    ? `${os.productName ?? 'Windows'} ${os.displayVersion ?? ''} (build ${os.build ?? '?'}), same edition and language`.replace(
        /\s+/g,
        ' ',
      )
    : 'the same Windows version, edition and language'
  return {
    title: 'If the store is still damaged: in-place repair upgrade (by hand)',
    detail: `Reinstalls Windows over itself and keeps your apps, files and settings. Needs installation media of ${what} — ${medium ? `the one mounted at ${medium}: is this PC's build` : "the ISO from Microsoft's download page, mounted (e.g. as D:)"}. Servicing Desk does not run it: it takes an hour or more and restarts several times. Back up first.`,
    commands: [`${medium ?? 'D'}:\\setup.exe /auto upgrade /dynamicupdate disable`],
  }
}

export const restoreHealthRepair: RepairDefinition = {
  id: 'restore-health',
  kinds: [
    'dism-check-health',
    'dism-scan-health',
    'dism-restore-health',
    'dism-restore-health-media',
    'fetch-package',
    'expand-msu',
    'expand-cab',
    'sfc-scannow',
  ],
  title: 'Repair the component store',
  summary:
    'Scans the component store, repairs it from Windows Update or, when that cannot, from installation media or the update files of this exact build, then checks it again.',
  needs: { media: true },
  offer({ findings }) {
    const f = findings.find(
      (x: Finding) => x.id === STORE_FINDING && (x.severity === 'critical' || x.severity === 'error'),
    )
    return f ? { reason: f.title } : null
  },
  plan({ snapshot, ref, media }) {
    if (ref.kind === 'snapshot')
      return {
        steps: [],
        warnings: [],
        manual: [inPlaceUpgrade(snapshot)],
        refused: 'A snapshot from another PC is read-only: run the repair on that PC (or save it as a script).',
      }
    const arch = snapshot.os.status === 'known' ? snapshot.os.value.nativeArch : null
    const src = currentLcuKb(snapshot)
    const rung = { gate: 'while-broken' as const, mayFail: true }
    const steps = [
      step(
        's1-scan-health',
        'dism-scan-health',
        {},
        'Scan the component store',
        'DISM /ScanHealth reads every component and says whether the store is healthy, repairable or not repairable.',
        { destructive: false },
      ),
      step(
        's2-restore-wu',
        'dism-restore-health',
        { source: null },
        'Repair from Windows Update',
        'DISM /RestoreHealth replaces damaged files with copies from Windows Update. It fails with 0x800F081F when Windows Update cannot supply them.',
        rung,
      ),
    ]
    const warnings: string[] = []
    let medium: string | undefined
    // A mounted medium of this exact build is tried before anything is downloaded.
    const os = snapshot.os.status === 'known' ? snapshot.os.value : null
    if (media?.length && os?.build && os.ubr !== null && arch) {
      const choice = chooseMediaSource(media, { build: os.build, ubr: os.ubr, arch, editionId: os.edition })
      warnings.push(...choice.notes)
      const c = choice.chosen
      if (c) {
        medium = c.letter
        steps.push(
          step(
            `s${steps.length + 1}-restore-media`,
            'dism-restore-health-media',
            { letter: c.letter, file: c.file, index: c.index },
            `Repair from the installation media ${c.path} (index ${c.index}${c.name ? `, ${c.name}` : ''}, ${c.build}.${c.ubr})`,
            `Get-WimInfo shows index ${c.index} of ${c.path} is ${c.build}.${c.ubr} ${arch}${c.build !== os.build ? ` (the servicing base of ${os.build})` : ''}, this PC's own build, so DISM /RestoreHealth takes the damaged files from it (/Source:${mediaSourceArg(c.letter, c.file, c.index)}) with /LimitAccess (Windows Update is not asked).`,
            rung,
          ),
        )
      }
    }
    if (src && arch && arch !== 'arm') {
      const p = { kb: src.kb, arch }
      const n = steps.length
      steps.push(
        step(
          `s${n + 1}-fetch-source`,
          'fetch-package',
          p,
          `Download ${src.kb} (this PC's build ${src.build}.${src.ubr})`,
          `The repair source must be the exact build the PC runs: ${src.kb} is the cumulative update that made it ${src.build}.${src.ubr}. Downloaded from the Catalog and checked against its SHA-1/SHA-256.`,
          { ...rung, destructive: false },
        ),
        step(
          `s${n + 2}-expand-msu`,
          'expand-msu',
          p,
          `Unpack ${src.kb}`,
          "expand -F:* takes the files out of the MSU, among them the cumulative update's CAB.",
          { ...rung, destructive: false },
        ),
        step(
          `s${n + 3}-expand-cab`,
          'expand-cab',
          { ...p, build: src.build },
          'Unpack its cumulative update CAB',
          'expand -F:* of the CAB gives the folder of components DISM /Source reads.',
          { ...rung, destructive: false },
        ),
        step(
          `s${n + 4}-restore-source`,
          'dism-restore-health',
          { source: p },
          `Repair from the ${src.build}.${src.ubr} files`,
          'DISM /RestoreHealth with /Source on the unpacked files and /LimitAccess (Windows Update is not asked).',
          rung,
        ),
      )
    } else
      warnings.push(
        'The cumulative update this PC runs could not be identified, so no same-build repair source can be fetched; only Windows Update is tried.',
      )
    steps.push(
      step(
        `s${steps.length + 1}-sfc`,
        'sfc-scannow',
        {},
        'Check system files',
        'sfc /scannow repairs protected system files from the component store (after DISM, not before).',
        rung,
      ),
      step(
        `s${steps.length + 2}-check-health`,
        'dism-check-health',
        {},
        'Check the component store again',
        'DISM /CheckHealth says whether corruption is still flagged: the proof of this repair.',
        { destructive: false },
      ),
    )
    return { steps, warnings, manual: [inPlaceUpgrade(snapshot, medium)], refused: null }
  },
  verify({ journal }) {
    const results = stepResults(journal)
    const check = journal.plan.steps.at(-1)
    const r = check ? results.get(check.id) : undefined
    if (!r?.ok)
      return {
        verified: false,
        detail: "The final DISM /CheckHealth did not run or failed; the store's state is not known.",
      }
    const fixedBy = journal.plan.steps
      .filter((s) => s.gate === 'while-broken' && results.get(s.id)?.assessment === 'healthy')
      .map((s) => s.title)
    return lastAssessment(journal) === 'healthy' && r.assessment === 'healthy'
      ? {
          verified: true,
          detail: `DISM /CheckHealth after the repair: no component store corruption detected${fixedBy.length ? ` (repaired by: ${fixedBy.join(', ')})` : ' (nothing needed repairing)'}.`,
        }
      : {
          verified: false,
          detail:
            'DISM /CheckHealth after the repair still reports corruption: the in-place repair upgrade below is the next step.',
        }
  },
  next({ snapshot }) {
    return failedWithStoreCodes(snapshot).map((kb) => ({
      title: `Retry ${kb}, which failed because of the damaged store`,
      detail: 'Installs it with its own plan, journal and verification (a restart is part of it).',
      commands: [`servicing-desk install --kb ${kb}`],
      kb,
    }))
  },
}
