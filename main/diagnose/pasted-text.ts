/** Adds pasted text to the logs analysis by kind (CBS.log, DISM.log, DISM output, WU events, SetupDiag, setupact). */
import type { LogsAnalysis } from './rule.ts'
import { analyzers } from '../analyze/registry.ts'
import { normalizePastedText } from '../analyze/normalize-text.ts'
import { analyzeCbsLogText } from '../parse/cbs-log.ts'
import { analyzeDismLogText } from '../parse/dism-log.ts'
import { parseDismOutput } from '../parse/dism-output.ts'
import { parseWuEvents } from '../parse/wu-event.ts'
import { parseSetupDiag } from '../parse/setupdiag.ts'
import { analyzeSetupLog, looksLikeSetupLog } from '../parse/setup-log.ts'

const SOURCE = 'pasted text'

/** Returns the kind it was read as, or null. */
export function addPastedText(logs: LogsAnalysis, raw: string): string | null {
  const text = normalizePastedText(raw)
  let best: { kind: string; score: number } | null = null
  for (const a of analyzers) {
    if (!['cbs-log', 'dism-log', 'dism-output', 'wu-event', 'setupdiag'].includes(a.kind)) continue
    let s = 0
    try { s = a.detect(text) } catch { s = 0 }
    if (s > (best?.score ?? 0)) best = { kind: a.kind, score: s }
  }
  const setup = looksLikeSetupLog(text)
  if (setup > (best?.score ?? 0)) best = { kind: 'setup-log', score: setup }
  if (!best || best.score < 0.3) return null
  switch (best.kind) {
    case 'cbs-log': logs.cbs = [...logs.cbs, { source: `${SOURCE} (CBS.log)`, analysis: analyzeCbsLogText(text) }]; break
    case 'dism-log': logs.dism = [...logs.dism, { source: `${SOURCE} (DISM.log)`, analysis: analyzeDismLogText(text) }]; break
    case 'dism-output': logs.dismOutput = [...logs.dismOutput, { source: `${SOURCE} (DISM output)`, facts: parseDismOutput(text) }]; break
    case 'wu-event': logs.wuEvents = [...logs.wuEvents, { source: `${SOURCE} (Windows Update events)`, events: parseWuEvents(text) }]; break
    case 'setupdiag': logs.setupdiag = [...logs.setupdiag, { source: `${SOURCE} (SetupDiag)`, facts: parseSetupDiag(text) }]; break
    case 'setup-log': logs.setupLog = [...logs.setupLog, { source: `${SOURCE} (setupact.log)`, analysis: analyzeSetupLog(text) }]; break
  }
  return best.kind
}
