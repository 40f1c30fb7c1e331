/**
 * Component store corruption (0x80073712, 0x800F081F, 0x800F0831, ERROR_SXS_*; CSI Payload Corrupt;
 * manifest missing): RestoreHealth, with a /Source of the same build and UBR when Windows Update cannot
 * supply the payload (KB947821, KB4477073).
 *
 * A repair that took: when CBS.log's latest CheckSUR summary is a "Detect and Repair" with result 0x0 that
 * repaired everything it detected, what was logged or recorded before it is superseded — CheckSUR lines
 * above it, update-history failures dated before it, CBS errors above it. What remains after it still
 * counts. With nothing left the finding becomes a note (`info`): the store was repaired, retry the update
 * that had failed ('install-update'). The repair itself is main/repair's `restore-health`.
 */
import type { Rule, Finding, Evidence } from '../rule.ts'
import { codesInPlay, allSightings, known, recentFailures } from '../facts.ts'
import { finding, remedy, customRemedy, technical } from '../finding.ts'
import { setupMediaEvidence } from './setup-media.ts'

const STORE_CODES = [
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
  // KB947821's table of common corruption errors: a damaged manifest or component identity.
  '0x80070246',
  '0x8007370A',
  '0x8007370B',
  '0x8007370D',
]
/**
 * The repair-source family: DISM (RestoreHealth, Enable-Feature) found no copy of the files it needs —
 * CBS_E_SOURCE_MISSING 0x800F081F, CBS_E_DOWNLOAD_FAILURE 0x800F0906, policy forbids the download 0x800F0907,
 * "repair content not found anywhere" 0x800F0915 (KB947821; DISM's own message).
 */
const REPAIR_SOURCE_CODES = ['0x800F081F', '0x800F0906', '0x800F0907', '0x800F0915']
const ALL_CODES = [...STORE_CODES, ...REPAIR_SOURCE_CODES.filter((c) => !STORE_CODES.includes(c))]

export const storeCorruptionRule: Rule = {
  id: 'component-store-corruption',
  evaluate(input): Finding[] {
    const codes = codesInPlay(input)
    // ERROR_FILE_CORRUPT on Setup's own image is its media's, not the component store's (setup-media.ts).
    const media = setupMediaEvidence(input)?.code
    const seen = allSightings(codes, ...ALL_CODES.filter((c) => c !== media))
    // A DISM.log's later lines: RestoreHealth's verdict may follow a first error of another kind.
    for (const { source, analysis } of input.logs.dism) {
      for (const e of analysis.errors) {
        if (!e.code || !ALL_CODES.includes(e.code) || seen.some((h) => h.code === e.code)) continue
        seen.push({
          code: e.code,
          evidence: [{ source, excerpt: `line ${e.line}: ${e.text}` }],
          origins: new Set(['log']),
        })
      }
    }
    const repair = repairTaken(input)
    const hits = repair ? seen.filter((h) => stillStands(h.code, h.origins, input, repair)) : seen
    const superseded = seen.filter((h) => !hits.includes(h)).map((h) => h.code)
    const evidence: Evidence[] = hits.flatMap((h) => h.evidence)
    const payloads: string[] = []
    const manifests: { package: string; kb: string | null }[] = []
    const checkFound: string[] = []
    for (const { source, analysis } of input.logs.cbs) {
      // Lines of the repair's own CheckSUR block (its "(Fixed)" lines) and above it are superseded.
      const after = (line: number) => !repair || repair.source !== source || line > repair.blockEnd
      for (const p of analysis.corruptPayloads.filter((x) => !x.fixed && after(x.line)).slice(0, 5)) {
        payloads.push(`${p.component}${p.file ? `\\${p.file}` : ''}`)
        evidence.push({
          source,
          excerpt: `line ${p.line}: ${p.text ?? `(p) CSI Payload Corrupt ${p.component}${p.file ? `\\${p.file}` : ''}`}`,
        })
      }
      for (const m of analysis.missingManifests.filter((x) => after(x.line)).slice(0, 5)) {
        if (manifests.some((x) => x.package === m.package)) continue
        manifests.push(m)
        evidence.push({ source, excerpt: `line ${m.line}: manifest missing for package ${m.package}` })
      }
      // The store check's other items (CheckSUR's `(f)` lines, CSI's count after a scan), when no payload or
      // manifest was named: the store is corrupt, and these lines are the evidence.
      if (!payloads.length && !manifests.length)
        for (const x of (analysis.storeCheck ?? []).filter((y) => !y.fixed && after(y.line)).slice(0, 5)) {
          checkFound.push(`${x.kind} ${x.item}`)
          evidence.push({ source, excerpt: `line ${x.line}: ${x.text}` })
        }
      if (analysis.summary?.result && /^0x8/.test(analysis.summary.result))
        evidence.push({
          source,
          excerpt: `line ${analysis.summary.line}: RestoreHealth summary — Operation result: ${analysis.summary.result}, detected ${analysis.summary.detected ?? '?'}, repaired ${analysis.summary.repaired ?? '?'}`,
        })
    }
    let storeState: string | null = null
    let sfcUnfixed = false
    let restoreFailed = false
    for (const { source, facts } of input.logs.dismOutput) {
      if (facts.componentStore === 'repairable' || facts.componentStore === 'not-repairable') {
        storeState = facts.componentStore
        evidence.push({
          source,
          excerpt:
            facts.componentStore === 'repairable'
              ? 'The component store is repairable.'
              : 'The component store cannot be repaired.',
        })
      }
      // sfc could not fix files: its source is the component store, so the store needs RestoreHealth first.
      // A RestoreHealth that failed without printing a code (Repair-WindowsImage's PowerShell error).
      if (facts.operation === 'RestoreHealth' && facts.result === 'failed' && !facts.errorCode) {
        restoreFailed = true
        evidence.push({ source, excerpt: facts.message ?? 'RestoreHealth failed' })
      }
      if (facts.sfc?.result === 'unfixed') {
        sfcUnfixed = true
        evidence.push({ source, excerpt: `line ${facts.sfc.line}: ${facts.sfc.text}` })
      }
    }
    if (
      hits.length === 0 &&
      payloads.length === 0 &&
      manifests.length === 0 &&
      checkFound.length === 0 &&
      !storeState &&
      !sfcUnfixed &&
      !restoreFailed
    )
      return repair ? repairedNote(input, repair, superseded) : []
    const os = known(input.snapshot?.os)
    const version = os?.version ?? (os?.build && os.ubr != null ? `10.0.${os.build}.${os.ubr}` : null)
    // The UBR named by corrupt component identities (…_10.0.19045.3636_…) is the build the source must match.
    const named = [...payloads, ...manifests.map((m) => m.package)]
      .map((s) => /(?:10\.0\.|~~)(\d{5})\.(\d{1,5})/.exec(s))
      .find(Boolean)
    const matchBuild = named ? `${named[1]}.${named[2]}` : (version?.replace(/^10\.0\./, '') ?? null)
    const strong =
      payloads.length > 0 ||
      manifests.length > 0 ||
      checkFound.length > 0 ||
      hits.some((h) => h.origins.has('log-first') || h.origins.has('history') || h.origins.has('output'))
    const codeList = hits.map((h) => h.code)
    // A repair that found no source (no corrupt payload or manifest named): say so, it is the step that failed.
    const sourceCodes = codeList.filter((c) => REPAIR_SOURCE_CODES.includes(c))
    const repairSource = sourceCodes.length > 0 && payloads.length === 0 && manifests.length === 0
    const causes = [
      payloads.length
        ? `Corrupt payload file(s) in the component store (WinSxS): ${payloads.slice(0, 3).join('; ')}.`
        : 'The component store (Windows’ own copy of every system file and update) is in an inconsistent state: a file, manifest or registry record is damaged or missing.',
      ...(manifests.length
        ? [
            `The update needs the manifest of an earlier package that is missing: ${manifests
              .map((m) => m.package)
              .slice(0, 3)
              .join('; ')}.`,
          ]
        : []),
      ...(repairSource
        ? [
            `DISM found no repair source (${sourceCodes.join(', ')}): the files to repair with could not be had from Windows Update (offline, WSUS without the content, or a policy that forbids it) nor from a /Source of the same build.`,
          ]
        : []),
      ...(restoreFailed
        ? ['RestoreHealth failed: either no repair source was found or the component store cannot be repaired from it.']
        : []),
      ...(sfcUnfixed
        ? [
            'sfc found corrupt files it could not fix: it repairs from the component store, which must be repaired first (RestoreHealth), then sfc run again.',
          ]
        : []),
      'Typical triggers: an interrupted update, disk errors, aggressive clean-up tools for the component store, or no access to Windows Update for repair content.',
    ]
    return [
      finding({
        id: 'component-store-corruption',
        title: repairSource
          ? 'The component store needs repair and no repair source was found; give it one of the same build'
          : "Windows' component store is damaged; repair it before installing updates",
        technical: codeList.length
          ? technical(...codeList)
          : payloads.length
            ? 'CSI Payload Corrupt'
            : restoreFailed && !storeState && !manifests.length
              ? 'RestoreHealth failed (no code printed)'
              : sfcUnfixed && !storeState && !manifests.length
                ? 'sfc: corrupt files not fixed'
                : 'component store repairable',
        severity: storeState === 'not-repairable' ? 'critical' : 'error',
        confidence: strong ? 0.9 : 0.6,
        causes,
        remedies: [
          remedy('R4', { repair: 'restore-health' }),
          remedy('R5', {
            text: `Run RestoreHealth with a repair source of the same build${matchBuild ? ` — ${matchBuild}` : ''}: a mounted install.wim of that exact build, another PC's C:\\Windows\\WinSxS at ${matchBuild ?? 'the same build'}, or files extracted from the MSU of the update that produced ${matchBuild ? `UBR ${matchBuild.split('.')[1]}` : 'its current UBR'}.`,
            commands: [
              `DISM /Online /Cleanup-Image /RestoreHealth /Source:WIM:D:\\sources\\install.wim:<index> /LimitAccess`,
              `DISM /Online /Cleanup-Image /RestoreHealth /Source:\\\\<server-at-${matchBuild ?? 'same-build'}>\\c$\\windows\\winsxs /LimitAccess`,
            ],
          }),
          remedy('R6'),
          ...(manifests.length
            ? [
                remedy('R7', {
                  title: `Install the update that contains the missing manifest${manifests[0]!.kb ? ` (${manifests[0]!.kb})` : ''}`,
                  repair: null,
                }),
              ]
            : []),
          remedy('R10'),
        ],
        evidence,
        repair: 'restore-health',
        codes: codeList,
      }),
    ]
  },
}

interface RepairTaken {
  source: string
  line: number
  blockEnd: number
  time: string | null
  detected: number
  repaired: number
}

/** CBS.log's latest CheckSUR summary, when it is a Detect-and-Repair that repaired all it found. */
function repairTaken(input: Parameters<Rule['evaluate']>[0]): RepairTaken | null {
  let best: RepairTaken | null = null
  for (const { source, analysis } of input.logs.cbs) {
    const s = analysis.summary
    if (
      !s ||
      !/repair/i.test(s.operation ?? '') ||
      s.result !== '0x00000000' ||
      s.detected === null ||
      s.repaired === null ||
      s.repaired < s.detected
    )
      continue
    const time = analysis.timeline.find((t) => t.line === s.line)?.time ?? null
    const later = analysis.errors.some((e) => e.line > s.line && e.code && STORE_CODES.includes(e.code))
    if (later) continue
    const blockEnd = analysis.timeline.find((t) => t.line > s.line)?.line ?? Number.MAX_SAFE_INTEGER
    if (!best || (time ?? '') > (best.time ?? ''))
      best = { source, line: s.line, blockEnd, time, detected: s.detected, repaired: s.repaired }
  }
  return best
}

const isoOf = (t: string) => t.replace(' ', 'T').replace(/Z?$/, '')

/** A sighting the repair does not explain away: typed by the person, or recorded after the repair. */
function stillStands(
  code: string,
  origins: Set<string>,
  input: Parameters<Rule['evaluate']>[0],
  repair: RepairTaken,
): boolean {
  if (origins.has('user') || origins.has('output')) return true
  if (origins.has('history') && repair.time) {
    const t = isoOf(repair.time)
    if (recentFailures(input.snapshot).some((h) => h.hresult === code && h.date && isoOf(h.date) > t)) return true
  }
  return input.logs.cbs.some(({ source, analysis }) =>
    analysis.errors.some((e) => e.code === code && (source !== repair.source || e.line > repair.line)),
  )
}

/** The store was repaired: a note, and the update that failed because of it, to retry. */
function repairedNote(input: Parameters<Rule['evaluate']>[0], repair: RepairTaken, superseded: string[]): Finding[] {
  const failed = recentFailures(input.snapshot).filter((h) => h.kb && h.hresult && STORE_CODES.includes(h.hresult))
  const kbs = [...new Set(failed.map((h) => h.kb as string))]
  if (kbs.length === 0 && superseded.length === 0) return []
  return [
    finding({
      id: 'component-store-repaired',
      title: kbs.length
        ? `The component store was repaired; install ${kbs.join(', ')} again`
        : 'The component store was repaired',
      technical: `CheckSUR: Detect and Repair, ${repair.repaired} of ${repair.detected} repaired`,
      severity: 'info',
      confidence: 0.9,
      causes: [
        kbs.length
          ? 'The update failed while the component store was damaged; the store has since been repaired, so the update can now install.'
          : 'Servicing failed while the component store was damaged; the store has since been repaired.',
        `${kbs.length ? kbs.join(', ') : 'Servicing'} failed while the component store was damaged (${superseded.join(', ') || 'CheckSUR'}); RestoreHealth has since repaired it${repair.time ? ` (${repair.time})` : ''}.`,
      ],
      remedies:
        kbs.length === 0
          ? []
          : [
              customRemedy(
                'retry-update',
                `Install ${kbs.join(', ')} again`,
                'The store is repaired, so the update that failed with a component-store error can install now.',
                kbs.map((kb) => `servicing-desk install --kb ${kb}`),
                'install-update',
                ['S2'],
              ),
            ],
      evidence: [
        {
          source: repair.source,
          excerpt: `line ${repair.line}: Summary — Operation: Detect and Repair, result 0x0, ${repair.repaired} of ${repair.detected} corruptions repaired`,
        },
      ],
      repair: kbs.length ? 'install-update' : null,
      kbs,
      codes: superseded,
    }),
  ]
}
