/**
 * Training answers for the repair commands (main/repair/step-kinds.ts): DISM /Online /Cleanup-Image
 * /CheckHealth, /ScanHealth, /RestoreHealth [/Source:<folder> /LimitAccess], sfc /scannow and expand -F:*.
 *
 * Output follows real captures (test/fixtures, source on each file's first line):
 * - DISM header, the 58-column progress bar, "The restore operation completed successfully." on the bar's
 *   line and "The operation completed successfully." (dism-output/restorehealth-success.txt);
 * - the WU-source failure: "Error: 0x800f081f", "The source files could not be found." and the "Source"
 *   option sentence (dism-output/restorehealth-source-missing.txt), exit code 0x800F081F;
 * - the store verdicts "No component store corruption detected." / "The component store is repairable."
 *   (DISM's CheckHealth/ScanHealth wording, Repair-WindowsImage docs);
 * - sfc (sfc/scannow-no-violations.txt) and its "found corrupt files but was unable to fix some of them"
 *   verdict (support.microsoft.com KB929833 lists the messages);
 * - expand's "Adding … to Extraction Queue" / "Expanding Files Complete ..." lines (public transcripts of
 *   `expand -F:*` on an MSU; the MSU holds the LCU CAB, WSUSSCAN.cab and a pkgProperties.txt).
 *
 * The model: `state.componentStore.damaged` lists what is damaged; RestoreHealth from Windows Update
 * repairs only when `repairableFromWindowsUpdate`; with /Source it repairs when the folder holds the
 * expanded CAB of the cumulative update the PC runs (same KB, same architecture). A repair appends a
 * CheckSUR block to CBS.log ("(Fixed)" lines, "Operation: Detect and Repair", result 0x0) as DISM does.
 * The failed WU rung writes only its console text (its CBS.log summary is not modelled).
 */
import { existsSync, readFileSync } from 'node:fs'
import { basename } from 'node:path'
import type { TrainingCommand, TrainingCommandOutcome } from '../command.ts'
import type { TrainingState } from '../state.ts'
import { CBS_LOG_PATH, dismProgressBar } from './dism-install.ts'
import { trainingLogs } from '../logs/index.ts'
import { parseCatalogFileName } from '../../catalog/file-name.ts'
import { mediumAt } from './wim-info.ts'

const CBS_E_SOURCE_MISSING = 0x800f081f
const BARS = [0, 10.2, 24.6, 38.1, 51.7, 62.3, 77.4, 89.0, 100]
const SOURCE_RECORD = 'training-source.json'

const norm = (p: string) => p.replace(/\//g, '\\').replace(/\\+$/, '').toLowerCase()
function fileIn(state: TrainingState, path: string): string | null {
  const want = norm(path)
  for (const [p, c] of Object.entries(state.files)) if (norm(p) === want) return c
  return null
}
function joinIn(dir: string, name: string): string {
  return `${dir.replace(/[\\/]+$/, '')}${dir.includes('\\') ? '\\' : '/'}${name}`
}
function argValue(args: readonly string[], name: string): string | null {
  const prefix = `/${name}:`.toLowerCase()
  const a = args.find((x) => x.toLowerCase().startsWith(prefix))
  return a ? a.slice(prefix.length).replace(/^"|"$/g, '') : null
}
const hasArg = (args: readonly string[], name: string) => args.some((x) => x.toLowerCase() === `/${name}`.toLowerCase())

function head(state: TrainingState): string[] {
  const v = `10.0.${state.os.currentBuild}.${state.os.ubr}`
  return ['', 'Deployment Image Servicing and Management tool', `Version: ${v}`, '', `Image Version: ${v}`, '']
}
const damaged = (s: TrainingState) => s.componentStore?.damaged ?? []

function answer(
  state: TrainingState,
  body: string[],
  exitCode: number,
  next?: TrainingState,
  upTo = 100,
): TrainingCommandOutcome {
  const bars = BARS.filter((b) => b <= upTo).map(dismProgressBar)
  const h = head(state)
  // The verdict of RestoreHealth shares the bar's last line, as DISM prints it.
  const [first, ...rest] = body
  const joined = first?.startsWith('The restore operation')
    ? [`${bars.at(-1)} ${first}`, ...rest]
    : [bars.at(-1)!, ...body]
  return {
    exitCode: exitCode | 0,
    stdout: [...h, ...joined, ''].join('\r\n'),
    progress: [...h, ...bars.slice(0, -1), ...joined, ''],
    state: next,
  }
}

function stamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`
}

/** Appends a CheckSUR block to CBS.log, as /ScanHealth (detect only) and /RestoreHealth (detect and repair) do. */
function appendCheckSur(
  state: TrainingState,
  repair: boolean,
  items: Array<{ kind: 'payload' | 'manifest'; name: string }>,
): void {
  const existing = fileIn(state, CBS_LOG_PATH) ?? trainingLogs[state.name]?.[CBS_LOG_PATH]?.() ?? ''
  const t = stamp(new Date())
  const session = `${31200000 + (Date.now() % 99999)}_${Date.now() % 1000000000}`
  const row = (level: string, text: string) => `${t}, ${level.padEnd(21)} CBS    ${text}`
  const fixed = repair ? '(Fixed)\t\t' : '\t\t\t'
  const lines = [
    row(
      'Info',
      `Session: ${session} initialized by client DISM Package Manager Provider, external staging directory: (null), external registry directory: (null)`,
    ),
    'Checking System Update Readiness.',
    ...items.map((i) =>
      i.kind === 'payload'
        ? `(p)\tCSI Payload Corrupt\t\t\t(n)\t${fixed}${i.name}`
        : `(p)\tCBS MUM Missing\t\t\t\t(n)\t${fixed}${i.name}`,
    ),
    '',
    'Summary:',
    `Operation: ${repair ? 'Detect and Repair' : 'Detect only'} `,
    'Operation result: 0x0',
    'Last Successful Step: Entire operation completes.',
    `Total Detected Corruption:\t${items.length}`,
    `\tCBS Manifest Corruption:\t${items.filter((i) => i.kind === 'manifest').length}`,
    '\tCBS Metadata Corruption:\t0',
    '\tCSI Manifest Corruption:\t0',
    '\tCSI Metadata Corruption:\t0',
    `\tCSI Payload Corruption:\t${items.filter((i) => i.kind === 'payload').length}`,
    `Total Repaired Corruption:\t${repair ? items.length : 0}`,
    `\tCBS Manifest Repaired:\t${repair ? items.filter((i) => i.kind === 'manifest').length : 0}`,
    '\tCSI Manifest Repaired:\t0',
    `\tCSI Payload Repaired:\t${repair ? items.filter((i) => i.kind === 'payload').length : 0}`,
    '\tCSI Store Metadata refreshed:\tTrue',
    'Staged Packages:',
    '\tCBS Staged packages:\t0',
    '\tCBS Staged packages removed:\t0',
    row('Info', `Session: ${session} finalized. Reboot required: no [HRESULT = 0x00000000 - S_OK]`),
  ]
  const text = `${existing}${existing && !existing.endsWith('\n') ? '\r\n' : ''}${lines.join('\r\n')}\r\n`
  for (const p of Object.keys(state.files)) if (norm(p) === norm(CBS_LOG_PATH)) delete state.files[p]
  state.files[CBS_LOG_PATH] = text
}

/** `DISM /Online /Cleanup-Image /CheckHealth`: reports the flag, does not scan. */
export const renderDismCheckHealth: TrainingCommand = ({ state }) => {
  const broken = damaged(state).length > 0 && state.componentStore?.flagged
  return answer(
    state,
    [
      broken ? 'The component store is repairable.' : 'No component store corruption detected.',
      'The operation completed successfully.',
    ],
    0,
  )
}

/** `DISM /Online /Cleanup-Image /ScanHealth`: scans, flags what it finds, logs a detect-only CheckSUR block. */
export const renderDismScanHealth: TrainingCommand = ({ state }) => {
  const next = structuredClone(state)
  const items = damaged(next)
  if (next.componentStore) next.componentStore.flagged = items.length > 0
  appendCheckSur(next, false, items)
  return answer(
    state,
    [
      items.length ? 'The component store is repairable.' : 'No component store corruption detected.',
      'The operation completed successfully.',
    ],
    0,
    next,
  )
}

/** The KB (and architecture word) of the cumulative update the PC runs: the Installed RollupFix with the highest UBR. */
function currentLcu(state: TrainingState): { kb: string; arch: string } | null {
  const ubrOf = (id: string) => Number(/~~\d+\.(\d+)\./.exec(id)?.[1] ?? 0)
  const lcu = state.packages
    .filter((p) => p.state === 'Installed' && p.kb && /^Package_for_RollupFix~/i.test(p.identity))
    .sort((a, b) => ubrOf(b.identity) - ubrOf(a.identity))[0]
  if (!lcu?.kb) return null
  const arch = lcu.identity.split('~')[2] === 'amd64' ? 'x64' : lcu.identity.split('~')[2]!
  return { kb: lcu.kb, arch }
}

/**
 * `/Source:wim:<X:\sources\install.wim>:<index>` (or `esd:`): repairs when that index of a mounted medium is the
 * PC's build — its current build or the servicing base its cumulative update names (a 23H2 ISO's images say
 * 22621) — with the same UBR and architecture, and the prefix fits the file.
 */
function mediaRepairs(state: TrainingState, prefix: string, file: string, index: number): boolean {
  const m = mediumAt(state, file)
  if (!m || (prefix === 'esd') !== (m.file === 'install.esd')) return false
  const img = m.images.find((i) => i.index === index)
  const lcu = state.packages.find((p) => p.state === 'Installed' && /^Package_for_RollupFix~/i.test(p.identity))
  const base = Number(/~~(\d+)\./.exec(lcu?.identity ?? '')?.[1] ?? NaN)
  return (
    !!img &&
    img.arch === state.os.nativeArch &&
    img.spBuild === state.os.ubr &&
    (img.build === state.os.currentBuild || img.build === base)
  )
}

/** `DISM /Online /Cleanup-Image /RestoreHealth [/Source:<folder> | /Source:wim:<file>:<index>] [/LimitAccess]`. */
export const renderDismRestoreHealth: TrainingCommand = ({ state, spec }) => {
  const items = damaged(state)
  if (items.length === 0)
    return answer(state, ['The restore operation completed successfully.', 'The operation completed successfully.'], 0)
  const source = argValue(spec.args, 'Source')
  let canRepair = false
  const media = source ? /^(wim|esd):(.+):(\d+)$/i.exec(source) : null
  if (media) canRepair = mediaRepairs(state, media[1]!.toLowerCase(), media[2]!, Number(media[3]))
  else if (source) {
    const raw = fileIn(state, joinIn(source, SOURCE_RECORD))
    const rec = raw ? (JSON.parse(raw) as { kb: string; arch: string }) : null
    const want = currentLcu(state)
    canRepair = !!rec && !!want && rec.kb === want.kb && rec.arch === want.arch
  }
  if (!source && !hasArg(spec.args, 'LimitAccess'))
    canRepair = state.componentStore?.repairableFromWindowsUpdate === true
  if (!canRepair) {
    return answer(
      state,
      [
        `Error: 0x${CBS_E_SOURCE_MISSING.toString(16)}`,
        '',
        'The source files could not be found.',
        'Use the "Source" option to specify the location of the files that are required to restore the feature. For more information on specifying a source location, see http://go.microsoft.com/fwlink/?LinkId=243077.',
        '',
        'The DISM log file can be found at C:\\WINDOWS\\Logs\\DISM\\dism.log',
      ],
      CBS_E_SOURCE_MISSING,
      undefined,
      62.3,
    )
  }
  const next = structuredClone(state)
  appendCheckSur(next, true, items)
  next.componentStore = {
    damaged: [],
    flagged: false,
    repairableFromWindowsUpdate: next.componentStore?.repairableFromWindowsUpdate ?? true,
  }
  return answer(
    state,
    ['The restore operation completed successfully.', 'The operation completed successfully.'],
    0,
    next,
  )
}

/** `sfc /scannow`: repairs system files from the store; a damaged store leaves some unfixed. */
export const renderSfcScannow: TrainingCommand = ({ state }) => {
  const verdict = damaged(state).length
    ? [
        'Windows Resource Protection found corrupt files but was unable to fix some of them.',
        'For online repairs, details are included in the CBS log file located at',
        'windir\\Logs\\CBS\\CBS.log. For example C:\\Windows\\Logs\\CBS\\CBS.log. For offline',
        'repairs, details are included in the log file provided by the /OFFLOGFILE flag.',
      ]
    : ['Windows Resource Protection did not find any integrity violations.']
  const lines = [
    '',
    'Beginning system scan.  This process will take some time.',
    '',
    'Beginning verification phase of system scan.',
    'Verification 100% complete.',
    '',
    ...verdict,
    '',
  ]
  return {
    exitCode: 0,
    stdout: lines.join('\r\n'),
    progress: [
      '',
      'Beginning system scan.  This process will take some time.',
      '',
      'Beginning verification phase of system scan.',
      'Verification 38% complete.',
      'Verification 100% complete.',
      '',
      ...verdict,
      '',
    ],
  }
}

/**
 * `expand.exe -F:* <source> <folder>`. An MSU (a file on this computer's disk: the fetched package stands in
 * for the PC's) yields its LCU CAB, WSUSSCAN.cab and pkgProperties.txt; that CAB (a file on the machine)
 * yields the component folder DISM /Source reads (recorded by KB and architecture).
 */
export const renderExpand: TrainingCommand = ({ state, spec }) => {
  const [flag, src, dest] = spec.args
  const banner = [
    'Microsoft (R) File Expansion Utility',
    'Copyright (c) Microsoft Corporation. All rights reserved.',
    '',
  ]
  if (flag?.toUpperCase() !== '-F:*' || !src || !dest)
    return { exitCode: 1, stdout: [...banner, 'Usage: expand -F:* Source Destination'].join('\r\n') }
  const next = structuredClone(state)
  let names: string[]
  // The record of a CAB an earlier expand wrote: in the model, or on this disk when the host handed the local path of a
  // file that exists here (pc-path.ts localPathOf: an emulated PC keeps the model's files on its disk).
  const cabRecord = fileIn(state, src) ?? (/\.cab$/i.test(src) && existsSync(src) ? readFileSync(src, 'utf8') : null)
  if (/\.msu$/i.test(src) && existsSync(src)) {
    const f = parseCatalogFileName(basename(src.replace(/\\/g, '/')))
    if (!f.kb || !f.arch) return { exitCode: 1, stdout: [...banner, `Can't open input file: ${src}.`].join('\r\n') }
    const cab = `Windows${state.os.currentBuild >= 22000 ? '11' : '10'}.0-${f.kb}-${f.arch}.cab`
    names = [
      'WSUSSCAN.cab',
      cab,
      `Windows${state.os.currentBuild >= 22000 ? '11' : '10'}.0-${f.kb}-${f.arch}-pkgProperties.txt`,
    ]
    next.files[joinIn(dest, 'WSUSSCAN.cab')] = 'training: Windows Update scan cabinet'
    next.files[joinIn(dest, cab)] = JSON.stringify({ kb: f.kb, arch: f.arch })
    next.files[joinIn(dest, names[2]!)] =
      `ApplicabilityInfo="Windows 11.0;"\r\nKB Article Number="${f.kb.slice(2)}"\r\n`
  } else if (/\.cab$/i.test(src) && cabRecord) {
    const rec = JSON.parse(cabRecord) as { kb: string; arch: string }
    names = ['update.mum', SOURCE_RECORD]
    next.files[joinIn(dest, 'update.mum')] = `<assembly><package identifier="${rec.kb}"/></assembly>`
    next.files[joinIn(dest, SOURCE_RECORD)] = JSON.stringify(rec)
  } else {
    return { exitCode: 1, stdout: [...banner, `Can't open input file: ${src}.`].join('\r\n') }
  }
  const out = [
    ...banner,
    ...names.map((n) => `Adding ${joinIn(dest, n)} to Extraction Queue`),
    '',
    'Expanding Files ....',
    `Progress: 1 out of ${names.length} files`,
    'Expanding Files Complete ...',
    `${names.length} files total.`,
    '',
  ]
  return { exitCode: 0, stdout: out.join('\r\n'), state: next }
}
