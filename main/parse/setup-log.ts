/**
 * Panther setupact.log / setuperr.log: `<date time>, <Info|Warning|Error|Fatal Error> [<id>] <component> <message>`
 * (windows-itpro-docs upgrade/log-files.md). Finds error lines with their codes (the primary result, not
 * the secondary `[gle=…]`), setup result pairs `0xC1900101 - 0x4000D`, and the abort markers Microsoft
 * says to search for. Pure and total.
 *
 * Read by severity: a Warning line is a warning even when it says "Failed" or carries a code (a healthy
 * setupact.log has routine `Warning … 0x80070002` lines); it is kept apart and never becomes the first error.
 * Read by the final result too: the last `Result = 0x…` / `result 0x…` a run reports (0x800704C7 is the user
 * cancelling), and sysprep's Error lines (SYSPRP), which often carry no code at all.
 */
import { codeFromToken } from './error-token.ts'
import type { LogError } from './cbs-log.ts'

export interface SetupLogAnalysis {
  errors: LogError[]
  firstError: LogError | null
  resultPairs: { code: string; extend: string; line: number }[]
  abort: { line: number; text: string } | null
  /** Warning lines (with their code when they carry one): shown, never read as a failure. */
  warnings?: LogError[]
  /** The last non-zero result the run reported (`Result = 0x800704C7`, `Overall result … 0xC1900108`). */
  finalResult?: { code: string; line: number; text: string } | null
  /** Sysprep's failure: its first Error line, and the appx package it names when it is one. */
  sysprep?: { line: number; text: string; package: string | null; errorLines: number } | null
  /**
   * The first Error line of Setup's own action being suspended (MOUPG's `…::Suspend(…)`): the run was paused or
   * stopped from outside (the person closing or pausing it, a restart), and the Error lines after it are its way out.
   */
  suspended?: { line: number; text: string } | null
  /**
   * The line where the log says the person cancelled the run (Reset this PC's `User cancelled reset`,
   * `ResetNotifyCancel: User cancelled on page [...]`): the Error lines before it are its way there, not a failure.
   */
  userCancel?: { line: number; text: string } | null
}

const LINE_RE =
  /^(?:(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}),\s*)?(Info|Warning|Error|Fatal Error)\s+(?:\[[^\]]*\]\s+)?(\S+)\s+(.*)$/
/** A run's own verdict: `Result = 0x…`, `result: 0x…`, `hr = 0x…` at the end of an Execute/Finalize line. */
const RESULT_RE = /\b(?:[Rr]esult|[Ee]xit code|hrResult)\s*[=:]\s*(0x[0-9a-fA-F]{8})\b/

export interface SetupLogScanner {
  line(text: string, lineNo: number): void
  finish(): SetupLogAnalysis
}

/**
 * The rollback log's own record of the result (Microsoft's "Error 0x800F0818 - 0x20003 occurs during upgrade from
 * Windows 10 to Windows 11" quotes it): `ImageExit: Initializing SetupResult: [0x800f0818]`, then on a later line
 * `ImageExit: Initializing Extended: [0x20003]`.
 */
const IMAGE_EXIT_RESULT = /ImageExit: Initializing SetupResult: \[(0x[0-9a-fA-F]{8})\]/
const IMAGE_EXIT_EXTEND = /ImageExit: Initializing Extended: \[(0x[0-9a-fA-F]{1,8})\]/
/** How many lines after its SetupResult the Extended line is looked for (the log writes them one after the other). */
const EXTEND_WITHIN = 3

/** One line at a time, bounded memory (setupact.log can be tens of MB). */
export function createSetupLogScanner(): SetupLogScanner {
  const a: SetupLogAnalysis = { errors: [], firstError: null, resultPairs: [], abort: null }
  let exitResult: { code: string; line: number } | null = null
  return {
    line(raw, lineNo) {
      try {
        const text = raw.slice(0, 4000)
        const m = LINE_RE.exec(text.trim())
        const level = m?.[2] ?? null
        const component = m?.[3] ?? null
        const msg = m?.[4] ?? text
        const pair = /(0x[Cc]19[0-9a-fA-F]{5})(?:\s*-\s*|, )(0x[0-9a-fA-F]{1,8})/.exec(msg)
        if (pair && a.resultPairs.length < 50)
          a.resultPairs.push({
            code: codeFromToken(pair[1]!, false)!,
            extend: `0x${pair[2]!.slice(2).toUpperCase()}`,
            line: lineNo,
          })
        const exit = IMAGE_EXIT_RESULT.exec(msg)
        if (exit) {
          const code = codeFromToken(exit[1]!, false)
          exitResult = code && /^0x[89AC]/.test(code) ? { code, line: lineNo } : null
        } else if (exitResult) {
          const ext = IMAGE_EXIT_EXTEND.exec(msg)
          if (ext && a.resultPairs.length < 50)
            a.resultPairs.push({ code: exitResult.code, extend: `0x${ext[1]!.slice(2).toUpperCase()}`, line: lineNo })
          if (ext || lineNo - exitResult.line >= EXTEND_WITHIN) exitResult = null
        }
        if (/Shell application requested abort|Abandoning apply due to error/.test(msg) && !a.abort)
          a.abort = { line: lineNo, text: text.trim() }
        const res = RESULT_RE.exec(msg.replace(/\[gle=0x[0-9a-fA-F]+\]/g, ''))
        if (res) {
          const code = codeFromToken(res[1]!, false)
          if (code && /^0x[89A-FC]/.test(code)) a.finalResult = { code, line: lineNo, text: text.trim() }
        }
        if (!a.userCancel && /\bUser cancell?ed\b/.test(msg)) a.userCancel = { line: lineNo, text: text.trim() }
        if (level === 'Warning') {
          a.warnings ??= []
          if (a.warnings.length < 200)
            a.warnings.push({
              code: codeOf(msg),
              name: null,
              line: lineNo,
              text: text.trim(),
              level,
              time: m?.[1] ?? null,
            })
          return
        }
        if (level !== 'Error' && level !== 'Fatal Error') return
        const code = codeOf(msg)
        const err: LogError = {
          code,
          name: null,
          line: lineNo,
          text: text.trim(),
          level: level ?? 'Error',
          time: m?.[1] ?? null,
        }
        if (a.errors.length < 200) a.errors.push(err)
        if (!a.firstError && code) a.firstError = err
        if (!a.suspended && component === 'MOUPG' && msg.includes('::Suspend('))
          a.suspended = { line: lineNo, text: text.trim() }
        if (component === 'SYSPRP' || /not provisioned for all users|Sysprep_|SysprepSession|AppxSysprep/i.test(msg)) {
          const pkg =
            /Package (\S+) was installed for a user, but not provisioned for all users/i.exec(msg)?.[1] ?? null
          if (!a.sysprep) a.sysprep = { line: lineNo, text: text.trim(), package: pkg, errorLines: 1 }
          else {
            a.sysprep.errorLines++
            if (!a.sysprep.package && pkg) a.sysprep.package = pkg
          }
        }
      } catch {
        // total
      }
    },
    finish() {
      if (!a.firstError && a.errors.length) a.firstError = a.errors[0]!
      return a
    },
  }
}

function codeOf(msg: string): string | null {
  const primary = msg.replace(/\[gle=0x[0-9a-fA-F]+\]/g, '')
  const c =
    /(?:Error|error|hr|HRESULT|result)\s*[:=]?\s*(0x[0-9a-fA-F]{1,8})/.exec(primary) ??
    /,\s*(0x[0-9a-fA-F]{8})\b/.exec(primary) ??
    /\b(0x[0-9a-fA-F]{8})\b/.exec(primary)
  return c ? codeFromToken(c[1]!, false) : null
}

export function analyzeSetupLog(text: string): SetupLogAnalysis {
  const s = createSetupLogScanner()
  if (typeof text === 'string') {
    const lines = text.split(/\r?\n|\r/)
    for (let i = 0; i < lines.length; i++) s.line(lines[i]!, i + 1)
  }
  return s.finish()
}

const SETUP_LINE = /\b(?:Info|Warning|Error)\s+(?:\[0x[0-9a-f]+\]\s+)?(?:SP|MOUPG|PANTHR|CONX|MIG|IBSLIB|SYSPRP)\s/
const SETUP_LINES = new RegExp(SETUP_LINE.source, 'gm')
const CBS_LINES = /\b(?:Info|Warning|Error)\s+(?:\[0x[0-9a-f]+\]\s+)?(?:CBS|CSI)\s/gm
/** A Panther-format line: date and time, a level, a message (any component). */
const LINE_FORMAT = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\s+(?:Info|Warning|Error)\s+\S/m

/**
 * Reset this PC's own setupact.log / setuperr.log (under `C:\$SysReset\Logs`): the same line format, written by the
 * push-button reset engine (`PushButtonReset::…`, `Pbr…` functions, the `OnlineUI:`/`ResetCreateSession` steps).
 */
const SYSRESET_HEAD = /\$SysReset\\Logs|\bPushButtonReset::|\bResetCreateSession:|\bOnlineUI: Reset session/

/**
 * 0.8 for a Panther line of a known component; 0.96 — above CBS.log's 0.95 — when CBS/CSI lines are there too but
 * Setup's are at least three and more than twice as many in the first 50,000 characters: Sysprep and Setup write a
 * few CBS lines into their own log (a provider that calls the servicing stack), and the log is still theirs. Without
 * CBS lines it stays 0.8, below the readers that quote Setup's lines in their own output (SetupDiag's). Reset this PC's
 * logs, whose components are none of Setup's, are 0.8 by their own head.
 */
export function looksLikeSetupLog(text: string): number {
  if (!SETUP_LINE.test(text)) return LINE_FORMAT.test(text) && SYSRESET_HEAD.test(text.slice(0, 50_000)) ? 0.8 : 0
  const head = text.slice(0, 50_000)
  const setup = head.match(SETUP_LINES)?.length ?? 0
  const cbs = head.match(CBS_LINES)?.length ?? 0
  return cbs > 0 && setup >= 3 && setup > 2 * cbs ? 0.96 : 0.8
}
