/**
 * DISM.log lines: `<date>, <level> DISM <provider>: PID=.. TID=.. <message> - <Function>(hr:0x...)`
 * (servicing-facts §8; real lines in test/fixtures/dism-log). Finds the errors, the first one, the
 * command lines that started each run, and "not applicable" verdicts. Pure and total.
 */
import { codeFromToken } from './error-token.ts'
import { forEachLine, forEachMatchingLine } from './lines.ts'
import type { LogError, TimelineEntry } from './cbs-log.ts'

export interface DismLogAnalysis {
  linesSeen: number
  errorCount: number
  errors: LogError[]
  firstError: LogError | null
  lastError: LogError | null
  /**
   * DISM's own verdict on a run: the line that ends it with a code (`processed the command line but failed.
   * HRESULT=800F081F`, `Failed to restore the image health … (hr:0x800f0915)`, `Failed while processing command`);
   * the last such line of the log. Often a different code from the first error (an inner step).
   */
  outcome: LogError | null
  commands: { line: number; text: string }[]
  notApplicable: { line: number; text: string; package: string | null }[]
  codeCounts: Record<string, number>
  timeline: TimelineEntry[]
  /**
   * Codes on lines the run went on past as a probe (a driver looked up by its published name, `oemN.inf`, that DISM
   * reads from the driver store once no such file is found): facts, never errors.
   */
  routineCodes?: Record<string, number>
  /**
   * DISM's refusal of a command none of its providers supports (`No providers were found that support the
   * command(add-capability)`): the command does not exist in this Windows' DISM (Features on Demand came with
   * Windows 10's; Windows 7's DISM has no /Add-Capability). The line carries HRESULT=0, so no code.
   */
  unsupportedCommand?: { line: number; text: string; command: string } | null
}

export interface DismLogScanner {
  line(text: string, lineNo: number): void
  finish(): DismLogAnalysis
}

const LINE_RE = /^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}),\s*(Info|Warning|Error)\s+(\S+)\s+(.*)$/
const CODE_RE = /(?:hr:|HRESULT=|hr\s*=\s*|Error:?\s+)(0x[0-9a-fA-F]{1,8})|HRESULT=([0-9a-fA-F]{8})\b/
/** The lines that state a run's result (DISM.EXE's last word, the RestoreHealth verdict, the command handler's). */
/**
 * The Driver Manager opening a driver given by its published name (`oem7.inf`, no folder) as a file: not found as a
 * file, DISM reads it from the driver store under that name, so the miss is a probe when the run goes on.
 */
const PUBLISHED_NAME_PROBE_RE = /file not found '(?:oem\d+\.inf)'.*OpenPackageByFile/i
const NO_PROVIDER_RE = /No providers were found that support the command\s*\(([\w-]+)\)/i
const OUTCOME_RE =
  /processed the command line but failed|Failed to restore the image health|Failed while processing command|Failed to (?:enable|disable|add|remove) (?:the )?(?:feature|package|capabilit)/i

export function createDismLogScanner(maxErrors = 200): DismLogScanner {
  const a: DismLogAnalysis = {
    linesSeen: 0,
    errorCount: 0,
    errors: [],
    firstError: null,
    lastError: null,
    outcome: null,
    commands: [],
    notApplicable: [],
    codeCounts: {},
    timeline: [],
    unsupportedCommand: null,
  }
  // What the probe reading needs: the published-name probes, and whether an error other than them was seen.
  const probes: LogError[] = []
  let graver = false
  return {
    line(raw, lineNo) {
      try {
        a.linesSeen = Math.max(a.linesSeen, lineNo)
        const text = raw.length > 4000 ? raw.slice(0, 4000) : raw
        const m = LINE_RE.exec(text)
        const time = m?.[1] ?? null
        const level = m?.[2] ?? null
        const msg = m ? m[4]! : text
        const cmd = /(?:Executing command line|Command Line):\s*(.+)$/.exec(msg)
        if (cmd) {
          if (a.commands.length >= 20) a.commands.shift()
          a.commands.push({ line: lineNo, text: cmd[1]!.trim() })
          pushTimeline(a, { line: lineNo, time, what: `DISM ran: ${cmd[1]!.trim().slice(0, 140)}` })
        }
        // The Appx provider's "Package '…' excluded as not applicable" is its choice among a bundle's resource
        // packages (a scale or language this PC does not use is left out, as MSIX bundles are deployed): no verdict
        // on the package being installed.
        if (/not applicable/i.test(msg) && !/excluded as not applicable/i.test(msg) && a.notApplicable.length < 50) {
          const pkg = /(Package_for_\S+|[\w.-]+\.(?:msu|cab))/i.exec(msg)?.[1] ?? null
          a.notApplicable.push({ line: lineNo, text: text.trim(), package: pkg })
        }
        if (level === 'Error' && !a.unsupportedCommand) {
          const np = NO_PROVIDER_RE.exec(msg)
          if (np) a.unsupportedCommand = { line: lineNo, text: text.trim(), command: np[1]!.toLowerCase() }
        }
        const c = CODE_RE.exec(msg)
        // DISM.EXE writes its final HRESULT without 0x (`HRESULT=C1570118`): read as hex, never as decimal.
        const code = c ? codeFromToken(c[1] ?? `0x${c[2]!}`, false) : null
        const failing = code !== null && /^0x[89A-F]/.test(code)
        // A Warning line's hr: is DISM noting a fallback (PEProvider.dll not loaded, log not archived), not a failure.
        if (level === 'Error' || (level !== 'Warning' && failing && /fail/i.test(msg))) {
          const err: LogError = {
            code: failing ? code : null,
            name: null,
            line: lineNo,
            text: text.trim(),
            level: level ?? 'Error',
            time,
          }
          if (PUBLISHED_NAME_PROBE_RE.test(msg)) probes.push(err)
          else graver = true
          a.errorCount++
          if (a.errors.length < maxErrors) a.errors.push(err)
          if (err.code) a.codeCounts[err.code] = (a.codeCounts[err.code] ?? 0) + 1
          if (!a.firstError && err.code) {
            a.firstError = err
            pushTimeline(a, {
              line: lineNo,
              time,
              what: `First DISM error ${err.code}: ${msg.replace(/^DISM\s+/, '').slice(0, 140)}`,
            })
          }
          a.lastError = err
          if (err.code && OUTCOME_RE.test(msg)) a.outcome = err
        }
      } catch {
        // total
      }
    },
    finish() {
      continuedPast()
      if (!a.firstError && a.errors.length) a.firstError = a.errors[0]!
      return a
    },
  }

  /**
   * A log whose only errors are published-name probes, each followed by lines of the run going on, and no verdict of
   * a failed command: the probes' codes are routine codes, the log reports no failure.
   */
  function continuedPast() {
    if (graver || probes.length === 0 || a.outcome || a.errors.length !== a.errorCount) return
    if (a.errors.length !== probes.length || a.linesSeen <= probes.at(-1)!.line) return
    const routine: Record<string, number> = {}
    for (const p of probes) if (p.code) routine[p.code] = (routine[p.code] ?? 0) + 1
    a.routineCodes = routine
    a.errors = []
    a.errorCount = 0
    a.firstError = null
    a.lastError = null
    a.codeCounts = {}
    a.timeline = a.timeline.filter((t) => !/^First DISM error /.test(t.what))
  }
}

function pushTimeline(a: DismLogAnalysis, e: TimelineEntry) {
  if (a.timeline.length >= 40) a.timeline.splice(1, 1)
  a.timeline.push(e)
}

/** DISM.log: errors, warnings and hr: failure suffixes, plus the command lines that start a run. */
export const DISM_MARKERS =
  /Error|Warning|hr:0x[89A-Fa-f]|HRESULT=(?:0x)?[89A-Fa-f]|ailed|not applicable|Command Line|Executing command line|eboot/g

export function analyzeDismLogText(text: string): DismLogAnalysis {
  const s = createDismLogScanner()
  // A large paste is read like a streamed log file: only lines carrying a marker reach the scanner.
  if (typeof text === 'string' && text.length > 4 * 1024 * 1024)
    forEachMatchingLine(text, DISM_MARKERS, (l, n) => s.line(l, n))
  else forEachLine(text, (l, n) => s.line(l, n))
  return s.finish()
}
