/**
 * Analyzers for CMTrace-layout logs (main/parse/cmtrace-log.ts): the ConfigMgr client's update logs
 * (`configmgr-log`) and the Intune Management Extension's (`ime-log`), told apart by the components that write
 * them. The log's own severity decides: an entry written at type 3 is an error, type 2 a warning; the words of an
 * information entry do not make it a failure. A scan error a later successful scan of the same component
 * overtook is told as overtaken, not as the state (the story's end decides).
 */
import type { Analyzer, AnalyzeFinding, AnalyzeOutput } from '../analyzer.ts'
import { parseCmtraceLog, cmtraceScore, type CmtraceLog } from '../../parse/cmtrace-log.ts'

const IME_COMPONENTS =
  /^(?:IntuneManagementExtension|AgentExecutor|AppWorkload|AppActionProcessor|Win32App\w*|HealthScripts|ClientHealth|Sensor|DeviceHealthMonitoring)$/i
const CODE = /\b0x[0-9A-Fa-f]{8}\b|(?<![\w-])-?\d{9,10}(?![\w-])/g

function isIme(r: CmtraceLog): boolean {
  let ime = 0
  let other = 0
  for (const [c, n] of Object.entries(r.components)) {
    if (IME_COMPONENTS.test(c)) ime += n
    else other += n
  }
  return ime > 0 && ime >= other
}

function analyze(text: string): AnalyzeOutput {
  const r = parseCmtraceLog(text)
  const findings: AnalyzeFinding[] = []
  const codes: string[] = []
  for (const e of r.notable) for (const m of e.message.matchAll(CODE)) if (codes.length < 200) codes.push(m[0])
  const errors = r.notable.filter((e) => e.type === 3)
  for (const e of errors.slice(0, 10)) {
    // A scan or search error that a later "Successfully completed scan" of the same component overtook.
    const overtaken =
      /scan|search/i.test(e.message) &&
      r.lastOf.some(
        (l) =>
          l.component === e.component &&
          l.line > e.line &&
          /Successfully completed scan|Scan completed successfully/i.test(l.message),
      )
    findings.push({
      id: 'cmtrace-error',
      severity: overtaken ? 'warning' : 'error',
      title: `${e.component || 'The log'} logged an error${overtaken ? ' (a later scan succeeded)' : ''}: ${e.message.slice(0, 160)}`,
      detail: `Line ${e.line}, ${e.date} ${e.time}`,
    })
  }
  for (const e of r.notable.filter((x) => x.type === 2).slice(0, 5)) {
    findings.push({
      id: 'cmtrace-warning',
      severity: 'warning',
      title: `${e.component || 'The log'} logged a warning: ${e.message.slice(0, 160)}`,
      detail: `Line ${e.line}, ${e.date} ${e.time}`,
    })
  }
  if (errors.length === 0 && r.entries > 0)
    findings.push({
      id: 'cmtrace-no-error',
      severity: 'info',
      title: `No entry of this log was written as an error (${r.entries} entries)`,
      detail: 'CMTrace severity: type 3 is an error, type 2 a warning.',
    })
  return {
    facts: {
      entries: r.entries,
      components: r.components,
      errors: errors.map((e) => ({ line: e.line, component: e.component, text: e.message.slice(0, 300) })),
      notable: r.notable.slice(0, 50),
      lastOf: r.lastOf,
      // Every code the log wrote, with its entry's type: the level, not the code, decides.
      codes: r.codes,
      codesOnNotableLines: [...new Set(codes)],
    },
    findings,
    warnings: r.entries === 0 ? ['No CMTrace entries found in this text.'] : [],
  }
}

export const configMgrLogAnalyzer: Analyzer = {
  kind: 'configmgr-log',
  label: 'Configuration Manager client log (CMTrace layout)',
  detect: (text) => {
    const s = cmtraceScore(text)
    return s > 0 && !isIme(parseCmtraceLog(text.slice(0, 50_000))) ? s : 0
  },
  analyze,
}

export const imeLogAnalyzer: Analyzer = {
  kind: 'ime-log',
  label: 'Intune Management Extension log',
  detect: (text) => {
    const s = cmtraceScore(text)
    return s > 0 && isIme(parseCmtraceLog(text.slice(0, 50_000))) ? s : 0
  },
  analyze,
}
