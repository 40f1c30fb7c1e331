/**
 * CBS.log (and CbsPersist_*.log) analysis, one line at a time, in bounded memory.
 *
 * Lines look like `2023-09-04 15:01:53, Error                 CBS    <message>` (Microsoft's articles also
 * quote them without the timestamp, e.g. `Error CBS    Startup: …`). Results appear as
 * `[HRESULT = 0x800f0922 - CBS_E_INSTALLERS_FAILED]`, CSI failures as `(F) …`. The scanner finds the
 * failing package and phase (WER report line), the FIRST error of the failing session versus the cascade
 * after it, corrupt payloads (`CSI Payload Corrupt`), missing manifests (`manifest missing for package`,
 * `CBS MUM Missing`), failed advanced installers (`Failed execution of queue item Installer: <name>`),
 * the RestoreHealth summary, and a short timeline. Sources: KB947821 (fix-windows-update-errors),
 * KB4477073 (0x800f0831), the 0x800f0922 scheduled-task article. Pure and total: never throws.
 */
import { forEachLine, forEachMatchingLine } from './lines.ts'

export interface LogError {
  /** `0x` + 8 upper hex, or null when the line carries no code. */
  code: string | null
  /** The symbolic name the line gives, if any. */
  name: string | null
  /** 1-based line number in the file. */
  line: number
  text: string
  level: string
  time: string | null
}

export interface TimelineEntry {
  line: number
  time: string | null
  what: string
}

export interface CbsEpisode {
  /** Line where the session started (0 when the log starts mid-session). */
  startLine: number
  client: string | null
  /** The first error line of the session that carries a failure code (else the first error line). */
  firstError: LogError | null
  /** The first error line of the session, coded or not (CSI `(F)` trace lines often carry no code). */
  firstErrorLine: LogError | null
  lastError: LogError | null
  errorCount: number
  /** The package the WER report or a failure line names. */
  failingPackage: string | null
  /** Phase/stage of the failure: WER `failure source`, `startupPhase`, advanced installer phase. */
  phase: string | null
  /** The final result code of the session (WER status / original failure status / last HRESULT). */
  outcomeCode: string | null
  rollback: boolean
}

export interface CbsLogAnalysis {
  linesSeen: number
  errorCount: number
  /** Up to `maxErrors`; the first errors are kept (the first error matters most). */
  errors: LogError[]
  /** Failing sessions, oldest first, at most 20 (the last is the most recent). */
  episodes: CbsEpisode[]
  /** `text`: the line itself, when it is not a `(p) CSI Payload Corrupt` line (e.g. sfc's `[SR] Cannot repair member file … in the store`). */
  corruptPayloads: { component: string; file: string | null; fixed: boolean; line: number; text?: string }[]
  /**
   * What the component store check found besides corrupt payloads and missing MUMs (read apart from them): CheckSUR's
   * `(f)` items and `(p)` items of other kinds (`CBS MUM Corrupt`, `CSI Manifest Failed Catalog Check`, `CBS Catalog
   * Missing`), and CSI's own count after a scan (`numCorruptions = N`), each fixed when the log says so.
   */
  storeCheck?: { kind: string; item: string; fixed: boolean; line: number; text: string }[]
  missingManifests: { package: string; kb: string | null; line: number }[]
  failedInstallers: { installer: string; code: string | null; line: number }[]
  servicingStack: { package: string; required: string; current: string; line: number } | null
  /** The RestoreHealth / CheckSUR summary, when present. */
  summary: {
    operation: string | null
    result: string | null
    detected: number | null
    repaired: number | null
    line: number
  } | null
  rebootPending: { line: number; text: string } | null
  /**
   * An install still running where the log ends: the last session's progress line (`Progress: UI message updated.
   * Operation type: Update. Stage: 1 out of 1. Percent progress: 64.`) below 100 %, with no completion, failure or
   * rollback after it. Servicing is mid-way: nothing is to be reset under it. Absent in older analyses.
   */
  inProgress?: { line: number; text: string; percent: number } | null
  /** Codes seen, with counts (error lines only). */
  codeCounts: Record<string, number>
  /**
   * Failure codes seen on lines that are not errors (routine Info probes), with counts: what was read and
   * judged harmless, so "no problem found" can say so. Absent in analyses made before it existed.
   */
  routineCodes?: Record<string, number>
  /**
   * Each `Exec: Processing complete` (and `Session: … finalized`) line: how an execution of the log ended, with
   * its result (a later success changes what an earlier failure means). Absent in older analyses.
   */
  completions?: { line: number; ok: boolean; code: string | null; package: string | null }[]
  timeline: TimelineEntry[]
  /** Package identities seen in failing lines, with their version `build.ubr` when the identity has one. */
  packages: { identity: string; kb: string | null; arch: string | null; version: string | null }[]
}

export interface CbsScanner {
  /** Feeds one line (without the newline). `lineNo` is 1-based. */
  line(text: string, lineNo: number): void
  finish(): CbsLogAnalysis
}

const LINE_RE =
  /^(?:(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}),\s*)?(Info|Error|Warning|Perf|Fatal Error)\b,?\s*(?:\[0x[0-9a-fA-F]+\]\s*)?(CBS|CSI|DISM|DPX|SQM|CMIADAPTER|DEPLOY|TI|SetupAPI)?\s+(.*)$/
const PROGRESS_RE = /Progress: UI message updated\..*?Percent progress:\s*(\d{1,3})\b/
const HRESULT_RE = /\[HRESULT\s*=\s*(0x[0-9a-fA-F]{1,8})\s*-\s*([A-Za-z0-9_]+)\]/
const HR_TOKEN_RE =
  /(?:HRESULT\s*=\s*|HR=|hr:\s*|status:\s*|failure status:\s*|Error\s+|failed\s+|error\s+)(0x[0-9a-fA-F]{1,8})/
const WIN32_DEC_RE = /with error code (\d{1,5})\b/
const CSI_BARE_RE = /\(F\)\s+([0-9a-fA-F]{8})\s+\[(?:Warning|Error),Facility=/
const WIN32_NAME_RE = /HRESULT_FROM_WIN32\(([A-Z_0-9]+)\)/
const CSI_EXPRESSION_RE = /\(\(HRESULT\)\s*(0x[0-9a-fA-F]{8})L?\)/
/**
 * The component store check's own lines (CheckSUR.log on Windows 7 and Server 2008 R2, the "Checking System Update
 * Readiness" block of CBS.log since Windows 8): `(f)` an error found (CheckSUR.log), `(p)` a problem found (CBS.log),
 * `(fix)` the repair of an item found before; then what is wrong (`CBS MUM Corrupt`, `CSI Manifest Failed Catalog
 * Check`, `CBS Catalog Missing`, `CSI Payload Corrupt` …) and the item. `(w)` lines are warnings and not read here;
 * `CSI Payload Corrupt` has its own reader (PAYLOAD_RE).
 */
const STORE_CHECK_RE =
  /^\s*\((f|p|fix)\)\s+((?:CBS|CSI)\s+[A-Za-z ]{0,40}?(?:Corrupt|Missing|Failed[A-Za-z ]{0,40}|Mismatch|Invalid)[A-Za-z ]{0,20}?)(?:\s+\((?:n|w)\))?(\s+\(Fixed\))?\s+(.*)$/
/** CSI's own count after a store scan: `Corruption detection complete. numCorruptions = 18, Disp = 1.` */
const CSI_CORRUPTIONS_RE = /Corruption detection complete\.\s*numCorruptions\s*=\s*(\d+)/
const WER_RE =
  /WER: Generating failure report for package:\s*(\S+?),?\s+status:\s*(0x[0-9a-fA-F]+),\s*failure source:\s*([^,]+),\s*start state:\s*([^,]+),\s*target state:\s*([^,]+),\s*client id:\s*(.*?)\s*$/
const QUEUE_RE = /Failed execution of queue item Installer:\s*(.+?)\s*\(\{[^)]*\)\s*with HRESULT\s*(\S+)/
const MANIFEST_RE = /manifest missing for package:\s*(\S+)/
const MUM_MISSING_RE = /\(p\)\s+CBS MUM Missing\s+\((?:n|w)\)\s+(?:\(Fixed\)\s+)?(\S+)/
// `(n)`/`(w)` is missing in some CheckSUR summaries (`(p) CSI Payload Corrupt   wow64_…\file.dll`).
/** `[SR] Cannot repair member file [l:N]'<file>' of <component>, version <v>, … in the store, hash mismatch` (CBS.log, sfc). */
const SR_STORE_MISMATCH_RE =
  /\[SR\] Cannot repair member file \[l:\d+\]'([^']+)' of ([^,]+), version ([\d.]+),.*\bin the store, hash mismatch/
/** `[SR] Could not reproject corrupted file <path>; source file in store is also corrupted` (CBS.log, sfc): the store copy is bad too. */
const SR_REPROJECT_RE =
  /\[SR\] Could not reproject corrupted file (?:\\\?\?\\)?(.+?);\s*source file in store is also corrupted/
const PAYLOAD_RE = /\(p\)\s+CSI Payload Corrupt\s+(?:\((n|w)\)\s+)?(\(Fixed\)\s+)?(\S+)/
const SSU_RE = /Package "([^"]+)" requires Servicing Stack v(\S+) but current Servicing Stack is v(\S+?)\.?\s/
const SESSION_RE = /Session:\s*(\S+)\s+initialized by client\s+([^,]+)/
const ORIGINAL_STATUS_RE = /Setting original failure status:\s*(0x[0-9a-fA-F]+)/
const STARTUP_PHASE_RE = /startupPhase:\s*(\d+)/
const AI_PHASE_RE = /Begin executing advanced installer phase\s+(\d+)/
const PKG_RE =
  /\b((?:Package_for_[A-Za-z0-9_]+|Microsoft-Windows-[A-Za-z0-9-]+|Package_\d+_for_[A-Za-z0-9_]+)~31bf3856ad364e35~([a-z0-9]+)~[a-zA-Z-]*~([0-9.]+))/
const KB_RE = /(KB\d{6,8})(?!\d)/i

export function toCode(hex: string): string | null {
  const h = hex.replace(/^0x/i, '')
  if (!/^[0-9a-fA-F]{1,8}$/.test(h)) return null
  return `0x${h.toUpperCase().padStart(8, '0')}`
}

/** Win32 names CSI lines wrap in HRESULT_FROM_WIN32(...), enough for the common servicing cases. */
const WIN32_NAMES: Record<string, string> = {
  ERROR_FILE_NOT_FOUND: '0x80070002',
  ERROR_PATH_NOT_FOUND: '0x80070003',
  ERROR_ACCESS_DENIED: '0x80070005',
  ERROR_INVALID_DATA: '0x8007000D',
  ERROR_SHARING_VIOLATION: '0x80070020',
  ERROR_INVALID_PARAMETER: '0x80070057',
  ERROR_DISK_FULL: '0x80070070',
  ERROR_SERVICE_DISABLED: '0x80070422',
  ERROR_NOT_FOUND: '0x80070490',
  ERROR_INSTALL_FAILURE: '0x80070643',
}

/** The code and name a line carries, or nulls. */
export function codeOfLine(text: string): { code: string | null; name: string | null } {
  let m = HRESULT_RE.exec(text)
  if (m) return { code: toCode(m[1]!), name: m[2]! }
  m = WIN32_NAME_RE.exec(text)
  if (m) return { code: WIN32_NAMES[m[1]!] ?? null, name: m[1]! }
  m = CSI_BARE_RE.exec(text)
  if (m) return { code: toCode(m[1]!), name: null }
  m = HR_TOKEN_RE.exec(text)
  if (m) return { code: toCode(m[1]!), name: null }
  // CSI's failed-expression form: `Error E_UNEXPECTED originated in function … expression: ((HRESULT)0x8000FFFFL)`.
  m = CSI_EXPRESSION_RE.exec(text)
  if (m) return { code: toCode(m[1]!), name: null }
  m = WIN32_DEC_RE.exec(text)
  if (m && Number(m[1]) > 0)
    return { code: `0x8007${Number(m[1]).toString(16).toUpperCase().padStart(4, '0')}`, name: null }
  return { code: null, name: null }
}

export function parsePackageIdentity(identity: string): {
  identity: string
  kb: string | null
  arch: string | null
  version: string | null
} {
  if (typeof identity !== 'string') return { identity: '', kb: null, arch: null, version: null }
  const parts = identity.split('~')
  const kb = KB_RE.exec(parts[0] ?? '')?.[1]?.toUpperCase() ?? null
  return { identity, kb, arch: parts[2] || null, version: parts[4] || null }
}

/** Codes CBS logs at Info level on healthy machines while probing packages and manifests. */
const ROUTINE_INFO_CODES = new Set(['0x800F0805', '0x800F080D'])

/**
 * Lines with which a servicing run ends in order: TrustedInstaller's finalization ends, Setup completes a phase
 * (setupact.log's "Setup has completed phase 4", "First boot phase of setup done"), System File Checker's
 * verification or repair completes (CSI's `[SR] Verify complete`). A log that reaches one after an Info line's
 * failure went on past it.
 */
const ORDERLY_END_RE =
  /Ending TrustedInstaller finalization|Setup has completed phase \d|boot phase of setup done|\[SR\] (?:Verify|Repair) complete|Verify and Repair Transaction completed/i

const MAX_TIMELINE = 40
const MAX_EPISODES = 20

const COMPLETE_RE =
  /(?:Exec: Processing (complete)\.\s+Session: \S+, Package: ([^\s,[]+)|Session: \S+ (finalized)\. Reboot required: \w+)[^[]*?(?:\[HRESULT = (0x[0-9a-fA-F]{8})|,? hr: (0x[0-9a-fA-F]+))/

export function createCbsScanner(options: { maxErrors?: number } = {}): CbsScanner {
  const maxErrors = options.maxErrors ?? 200
  const a: CbsLogAnalysis = {
    linesSeen: 0,
    errorCount: 0,
    errors: [],
    episodes: [],
    corruptPayloads: [],
    missingManifests: [],
    failedInstallers: [],
    servicingStack: null,
    summary: null,
    rebootPending: null,
    inProgress: null,
    codeCounts: {},
    routineCodes: {},
    completions: [],
    timeline: [],
    packages: [],
  }
  let current: CbsEpisode = newEpisode(0, null)
  let lastTime: string | null = null
  let aiPhase: string | null = null
  let inSummary = false
  /** CheckSUR items found (by their path or identity), so a later `(fix)` line marks its item repaired. */
  const storeCheckItems = new Map<string, NonNullable<CbsLogAnalysis['storeCheck']>[number]>()
  // What the Info-only reading below needs: whether any failure other than an Info line's "Failed …" was seen, and
  // the last line on which the run ended in order.
  let graverFailure = false
  let orderlyEnd = 0
  const pushTimeline = (line: number, what: string) => {
    if (a.timeline.length >= MAX_TIMELINE) a.timeline.splice(1, 1) // keep the first entry and the latest ones
    a.timeline.push({ line, time: lastTime, what })
  }
  const closeEpisode = () => {
    if (!current.outcomeCode) current.outcomeCode = current.lastError?.code ?? null
    if (!current.firstError) current.firstError = current.firstErrorLine
    if (current.errorCount > 0 || current.outcomeCode) {
      a.episodes.push(current)
      if (a.episodes.length > MAX_EPISODES) a.episodes.shift()
    }
  }
  const addPackage = (identity: string) => {
    if (a.packages.length < 50 && !a.packages.some((p) => p.identity === identity))
      a.packages.push(parsePackageIdentity(identity))
  }

  return {
    line(raw: string, lineNo: number) {
      try {
        scan(raw, lineNo)
      } catch {
        // Total by construction; a pathological line is skipped rather than failing the scan.
      }
    },
    finish() {
      closeEpisode()
      current = newEpisode(0, null)
      continuedPast()
      return a
    },
  }

  /**
   * CBS grades its own failures: a step it could not take and worked around (a directory it "will delete in-place
   * instead", an offline hive "the client may still need open", a flag it could not clear) is logged at Info, and
   * a failed install at Error, with a failed `Exec: Processing complete`, a failure report or a rollback. A log whose
   * only failures are such Info lines and which then runs on to an orderly end (above) reports no failure of its
   * own: those codes are kept as routine codes, never errors.
   */
  function continuedPast() {
    if (graverFailure || a.errors.length === 0 || a.errors.length !== a.errorCount) return
    if (a.errors.some((e) => e.level !== 'Info') || orderlyEnd <= a.errors[a.errors.length - 1]!.line) return
    if (a.failedInstallers.length > 0 || a.corruptPayloads.some((c) => !c.fixed)) return
    if (a.completions?.some((c) => !c.ok)) return
    a.routineCodes ??= {}
    const routine = a.routineCodes
    for (const [code, n] of Object.entries(a.codeCounts)) routine[code] = (routine[code] ?? 0) + n
    a.codeCounts = {}
    a.errors = []
    a.errorCount = 0
    a.episodes = []
    a.timeline = a.timeline.filter((t) => !/^First error /.test(t.what))
  }

  function recordError(err: LogError, msg: string) {
    a.errorCount++
    if (a.errors.length < maxErrors) a.errors.push(err)
    if (err.code) a.codeCounts[err.code] = (a.codeCounts[err.code] ?? 0) + 1
    current.errorCount++
    if (!current.firstErrorLine) current.firstErrorLine = err
    if (!current.firstError && err.code) {
      current.firstError = err
      pushTimeline(err.line, `First error ${err.code}${err.name ? ` (${err.name})` : ''}: ${shorten(msg)}`)
    }
    current.lastError = err
  }

  function scan(raw: string, lineNo: number) {
    a.linesSeen = Math.max(a.linesSeen, lineNo)
    const text = raw.length > 4000 ? raw.slice(0, 4000) : raw
    const m = LINE_RE.exec(text)
    const level = m?.[3] ?? null
    if (m?.[1]) lastTime = `${m[1]} ${m[2]}`
    const msg = m ? m[5]! : text.trim()

    // How an execution ended: `Exec: Processing complete.  Session: …, Package: … [HRESULT = 0x… - …]` (or `, hr: 0x…`),
    // and `Session: … finalized. Reboot required: … [HRESULT = …]`.
    const done = COMPLETE_RE.exec(msg)
    if (
      done ||
      /\bRollback\b|Failed to |WER: Generating failure report/i.test(msg) ||
      level === 'Error' ||
      level === 'Fatal Error'
    )
      a.inProgress = null
    const progress = PROGRESS_RE.exec(msg)
    if (progress) {
      const percent = Number(progress[1])
      a.inProgress = percent < 100 ? { line: lineNo, text: shorten(msg), percent } : null
    }
    if (ORDERLY_END_RE.test(msg)) orderlyEnd = lineNo
    if (
      level === 'Error' ||
      level === 'Fatal Error' ||
      /\bRollback\b|WER: Generating failure report/i.test(msg) ||
      // A store CBS marks corrupt is a failure (its summary's counts and clearing the flags are bookkeeping).
      /\bmark(?:ing|ed)? (?:the )?store (?:as )?corrupt|Mark store corruption flag/i.test(msg) ||
      ORIGINAL_STATUS_RE.test(msg)
    )
      graverFailure = true
    if (done && a.completions && a.completions.length < 200) {
      const code = done[4] ?? done[5] ?? null
      const ok = code !== null && /^0x0+$/i.test(code)
      a.completions.push({
        line: lineNo,
        ok,
        code: ok || code === null ? null : toCode(code),
        package: done[2] ?? null,
      })
    }
    const session = SESSION_RE.exec(msg)
    if (session) {
      closeEpisode()
      current = newEpisode(lineNo, session[2]!.trim())
      pushTimeline(lineNo, `Session ${session[1]} started by ${session[2]!.trim()}`)
      return
    }
    const ai = AI_PHASE_RE.exec(msg)
    if (ai) aiPhase = `advanced installer phase ${ai[1]}`

    // RestoreHealth / CheckSUR block.
    if (/Checking System Update Readiness/.test(text)) {
      inSummary = true
      a.summary = { operation: null, result: null, detected: null, repaired: null, line: lineNo }
      pushTimeline(lineNo, 'Component store check (Checking System Update Readiness)')
    }
    const payload = PAYLOAD_RE.exec(text)
    if (payload) {
      const [component, ...rest] = payload[3]!.split('\\')
      if (a.corruptPayloads.length < 200)
        a.corruptPayloads.push({
          component: component!,
          file: rest.join('\\') || null,
          fixed: !!payload[2],
          line: lineNo,
        })
      return
    }
    // sfc: the store's own copy of a member file fails its hash, so sfc cannot repair it — unfixed store corruption.
    const sr = SR_STORE_MISMATCH_RE.exec(text)
    if (sr) {
      if (a.corruptPayloads.length < 200)
        a.corruptPayloads.push({
          component: `${sr[2]}, version ${sr[3]}`,
          file: sr[1]!,
          fixed: false,
          line: lineNo,
          text: text.trim(),
        })
      return
    }
    // sfc: a corrupted file whose store copy is corrupted as well cannot be put back — unfixed, like the hash mismatch above.
    const rp = SR_REPROJECT_RE.exec(text)
    if (rp) {
      const path = rp[1]!.replace(/\\{2,}/g, '\\')
      const cut = path.lastIndexOf('\\')
      if (a.corruptPayloads.length < 200)
        a.corruptPayloads.push({
          component: cut > 0 ? path.slice(0, cut) : path,
          file: cut > 0 ? path.slice(cut + 1) : null,
          fixed: false,
          line: lineNo,
          text: text.trim(),
        })
      return
    }
    const mum = MUM_MISSING_RE.exec(text)
    if (mum) {
      if (a.missingManifests.length < 200)
        a.missingManifests.push({ package: mum[1]!, kb: parsePackageIdentity(mum[1]!).kb, line: lineNo })
      return
    }
    const found = STORE_CHECK_RE.exec(msg)
    if (found) {
      // The item is the first path or package identity on the line; a `(fix)` line names the item it repaired.
      const item = found[4]!.split(/\s+/).find((t) => t.includes('\\') || t.includes('~')) ?? found[4]!.trim()
      if (found[1] === 'fix') {
        const e = storeCheckItems.get(item)
        if (e) e.fixed = true
      } else {
        a.storeCheck ??= []
        if (a.storeCheck.length < 200) {
          const e = {
            kind: found[2]!.trim(),
            item: item.slice(0, 300),
            fixed: !!found[3],
            line: lineNo,
            text: text.trim(),
          }
          a.storeCheck.push(e)
          if (storeCheckItems.size < 200) storeCheckItems.set(item, e)
        }
      }
      return
    }
    const csiCount = CSI_CORRUPTIONS_RE.exec(msg)
    if (csiCount && Number(csiCount[1]) > 0) {
      a.storeCheck ??= []
      if (a.storeCheck.length < 200) {
        a.storeCheck.push({
          kind: 'CSI corruption count',
          item: `${csiCount[1]} corruption(s) found by CSI`,
          fixed: false,
          line: lineNo,
          text: text.trim(),
        })
        return
      }
    }
    if (inSummary && a.summary) {
      // Read from the message: in a real CBS.log these lines carry the `date time, Info CBS` prefix too.
      const op = /^\s*Operation:\s*(.+?)\s*$/.exec(msg)
      if (op) a.summary.operation = op[1]!
      const res = /^\s*Operation result:\s*(0x[0-9a-fA-F]+)/.exec(msg)
      if (res) {
        a.summary.result = toCode(res[1]!)
        if (a.summary.result && /^0x[89A-F]/.test(a.summary.result)) {
          recordError(
            { code: a.summary.result, name: null, line: lineNo, text: text.trim(), level: 'Error', time: lastTime },
            text,
          )
          if (!current.outcomeCode) current.outcomeCode = a.summary.result
        }
      }
      const det = /^\s*Total Detected Corruption:\s*(\d+)/.exec(msg)
      if (det) a.summary.detected = Number(det[1])
      const rep = /^\s*Total Repaired Corruption:\s*(\d+)/.exec(msg)
      if (rep) a.summary.repaired = Number(rep[1])
      if (/CBS Staged packages removed/.test(text)) inSummary = false
      if (res || det || rep || op) return
    }

    const manifest = MANIFEST_RE.exec(msg)
    if (manifest) {
      const pkg = manifest[1]!.replace(/[,.]$/, '')
      if (a.missingManifests.length < 200 && !a.missingManifests.some((x) => x.package === pkg)) {
        a.missingManifests.push({ package: pkg, kb: parsePackageIdentity(pkg).kb, line: lineNo })
      }
    }
    const ssu = SSU_RE.exec(msg)
    if (ssu && !a.servicingStack) {
      a.servicingStack = { package: ssu[1]!, required: ssu[2]!, current: ssu[3]!, line: lineNo }
      current.failingPackage ??= ssu[1]!
      addPackage(ssu[1]!)
    }
    const queue = QUEUE_RE.exec(msg)
    if (queue) {
      const { code } = codeOfLine(queue[2]!.startsWith('HRESULT_FROM_WIN32') ? queue[2]! : `HRESULT = ${queue[2]}`)
      if (a.failedInstallers.length < 50) a.failedInstallers.push({ installer: queue[1]!, code, line: lineNo })
      if (!current.phase && aiPhase) current.phase = aiPhase
      pushTimeline(lineNo, `Advanced installer '${queue[1]}' failed${code ? ` (${code})` : ''}`)
    }
    if (
      /reboot (?:is )?pending|CBS_E_PENDING|Reboot required: yes|A reboot is required/i.test(msg) &&
      !a.rebootPending
    ) {
      a.rebootPending = { line: lineNo, text: text.trim() }
    }
    const wer = WER_RE.exec(msg)
    if (wer) {
      current.failingPackage = wer[1]!
      current.phase = `${wer[3]!.trim()} (${wer[4]!.trim()} → ${wer[5]!.trim()})`
      current.outcomeCode = toCode(wer[2]!)
      addPackage(wer[1]!)
      pushTimeline(lineNo, `Failure report: ${wer[1]} ended with ${current.outcomeCode} during ${wer[3]!.trim()}`)
      return
    }
    const orig = ORIGINAL_STATUS_RE.exec(msg)
    if (orig) {
      current.outcomeCode = toCode(orig[1]!)
      pushTimeline(lineNo, `Original failure status ${current.outcomeCode}`)
    }
    const sp = STARTUP_PHASE_RE.exec(msg)
    if (sp && /Failed/.test(msg))
      current.phase = `startup processing (startupPhase ${sp[1]})${aiPhase ? `, ${aiPhase}` : ''}`
    if (/Rollback|rollback transaction will be created|A rollback will be initiated/.test(msg) && !current.rollback) {
      current.rollback = true
      pushTimeline(lineNo, 'Rollback started')
    }

    // Is this an error line?
    const { code, name } = codeOfLine(text)
    const isFailureCode = code !== null && /^0x[89A-F]/.test(code)
    // Healthy machines log routine probes at Info with failure codes: opening every package to enumerate
    // ("Failed to internally open package … CBS_E_INVALID_PACKAGE"), manifest parsing (CBS_E_MANIFEST_INVALID_ITEM)
    // and SQM telemetry uploads (E_FAIL). Those are not errors (a false alarm on a routine CBS.log).
    // So is the bookkeeping every session finalisation logs: 'The store corruption status report is incomplete.
    // [HRESULT = 0x80070002]' and the WER flag probe (real: corpus/cbs-log/en-19041-startup-enablement-packages-installed.log).
    const routineInfo =
      level === 'Info' &&
      (ROUTINE_INFO_CODES.has(code ?? '') ||
        /^SQM:/.test(msg) ||
        /store corruption status report is incomplete|query DisableWerReporting flag/i.test(msg))
    // An execution that ended with a failure HRESULT failed, though CBS logs its end at Info without "failed" (the line
    // Microsoft's Windows Update troubleshooting quotes: "Exec: Processing complete. Session: …, Package: … [HRESULT =
    // 0x800f0922 - CBS_E_INSTALLERS_FAILED]").
    const isError =
      level === 'Error' ||
      level === 'Fatal Error' ||
      (!routineInfo && isFailureCode && (/\bFailed|\bfailed|corrupt/i.test(msg) || done?.[1] === 'complete'))
    if (!isError) {
      if (isFailureCode && a.routineCodes) a.routineCodes[code] = (a.routineCodes[code] ?? 0) + 1
      return
    }
    const err: LogError = {
      code: isFailureCode ? code : null,
      name: isFailureCode ? name : null,
      line: lineNo,
      text: text.trim(),
      level: level ?? 'Error',
      time: lastTime,
    }
    recordError(err, msg)
    const pkg = PKG_RE.exec(text)
    if (pkg) {
      addPackage(pkg[1]!)
      if (!current.failingPackage && /Failed|failed/.test(msg)) current.failingPackage = pkg[1]!
    }
  }
}

function newEpisode(startLine: number, client: string | null): CbsEpisode {
  return {
    startLine,
    client,
    firstError: null,
    firstErrorLine: null,
    lastError: null,
    errorCount: 0,
    failingPackage: null,
    phase: null,
    outcomeCode: null,
    rollback: false,
  }
}

function shorten(s: string): string {
  const t = s.trim().replace(/\s+/g, ' ')
  return t.length > 160 ? `${t.slice(0, 157)}…` : t
}

/** Lines that can matter to the scanner (the streamed reading passes only these, see diagnose/log-stream.ts). */
export const CBS_MARKERS =
  /Error|Cannot repair|HRESULT = 0x[89A-Fa-f]|ailed|failure report|failure status|orrupt|issing|by client|Readiness|ollback|[Rr]eboot (?:mark|is pending|pending|required: [Yy]es|is required)|requires Servicing Stack|startupPhase|installer phase/g
/**
 * A necessary condition for CBS_MARKERS, cheap to search: every line CBS_MARKERS matches contains one of
 * `needles` (test/unit/parse/cbs-prefilter.test.ts checks each alternative). They are searched in one pass
 * (main/diagnose/needle-lines.ts), which tests the first 4 bytes of every needle at once: so each needle
 * is ≤ 8 bytes and starts where the marker is rare in routine lines (`iled`, not `ailed`: "failure" is in
 * every Plan line; `e status`, not `failure st`; `ot mark`, not `reboot`: "reboot required: False").
 */
export const CBS_PREFILTER: { readonly needles: readonly string[]; readonly rest?: RegExp } = {
  needles: [
    'Error',
    'Cannot',
    'HRESULT',
    'iled',
    'issing',
    'e report',
    'e status',
    'orrupt',
    'y client',
    'eadiness',
    'back',
    'ot mark',
    'ot is',
    'ot pend',
    'Yes',
    'yes',
    'ires Ser',
    'hase',
  ],
}
/** After this line, the next lines are all passed (the RestoreHealth/CheckSUR summary block). */
export const CBS_FULL_AFTER = /Checking System Update Readiness/
const LARGE_CBS_TEXT = 4 * 1024 * 1024

/** Analyses a whole CBS.log text (for pasted text and tests); the streaming path feeds the same scanner. */
export function analyzeCbsLogText(text: string): CbsLogAnalysis {
  const s = createCbsScanner()
  // A large paste is read like a streamed log file: only lines carrying a marker reach the scanner.
  if (typeof text === 'string' && text.length > LARGE_CBS_TEXT)
    forEachMatchingLine(text, CBS_MARKERS, (l, n) => s.line(l, n), CBS_FULL_AFTER, 200)
  else forEachLine(text, (l, n) => s.line(l, n))
  return s.finish()
}

/**
 * The execution the log shows completing with S_OK after the episode's last error (a retry or a repair that
 * followed), or null: the failure was then overtaken, whatever its codes.
 */
export function overtakenBy(a: CbsLogAnalysis, ep: CbsEpisode): { line: number; package: string | null } | null {
  const failedAt = Math.max(ep.lastError?.line ?? 0, ep.firstError?.line ?? 0, ep.startLine)
  // The same package (by name, before its first '~': a later RollupFix overtakes a failed RollupFix), or either unnamed.
  const name = (p: string | null) => (p === null ? null : p.split('~', 1)[0]!.toLowerCase())
  const failing = name(ep.failingPackage)
  const ok = (a.completions ?? []).find(
    (c) => c.ok && c.line > failedAt && (failing === null || c.package === null || name(c.package) === failing),
  )
  return ok ? { line: ok.line, package: ok.package } : null
}

/** The most recent failing episode, or null when the log shows no failure. */
export function primaryEpisode(a: CbsLogAnalysis): CbsEpisode | null {
  for (let i = a.episodes.length - 1; i >= 0; i--) {
    const e = a.episodes[i]!
    if (e.outcomeCode || e.errorCount > 0) return e
  }
  return null
}
