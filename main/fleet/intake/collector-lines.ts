/**
 * A file of collector `-Line` outputs (one device per line): a pasted export, a ConfigMgr Run Scripts or CMPivot
 * export saved as text, or the output of a fan-out. The line's format: main/parse/collector-line.ts.
 * A non-blank line that is not a collector line is set aside with its number.
 */
import type { IntakeResult, Observation } from '../../../preload/model/fleet.ts'
import { parseCollectorLines } from '../../parse/collector-line.ts'
import { COLLECTOR_LINE_PREFIX } from '../../../preload/model/collector.ts'
import { device, emptyIntake, isoTime, reject } from './common.ts'
import { lineKey } from '../line-diagnosis.ts'

/** The diagnosis key of each line observation read here (what the diagnosis reads of the line), so the store need not parse it again. */
export const lineDiagKeys = new WeakMap<Observation, string>()

export function readCollectorLines(text: string, source: 'collector-line' | 'fan-out' = 'collector-line'): IntakeResult {
  const out = emptyIntake(source)
  const lines = String(text ?? '').split(/\r\n|\r|\n/)
  for (const [i, raw] of lines.entries()) {
    if (!raw.trim()) continue
    const obs = lineObservation(raw, source)
    if ('error' in obs) { reject(out, i + 1, obs.error, raw); continue }
    out.observations.push(obs.value)
  }
  return out
}

/** One collector line as an observation, or why it is not one. */
export function lineObservation(raw: string, source: Observation['source'], fallback?: { at?: string | null; name?: string; aadId?: string | null; intuneId?: string | null }): { error: string } | { value: Observation } {
  const at = raw.indexOf(`${COLLECTOR_LINE_PREFIX} host=`)
  if (at < 0) return { error: `not a collector line (one starts with "${COLLECTOR_LINE_PREFIX} host=")` } 
  const text = raw.slice(at).trim()
  const [l] = parseCollectorLines(text)
  if (!l) return { error: 'the collector line has no valid computer name after host=' } 
  const when = isoTime(l.takenAt) ?? fallback?.at ?? null
  if (!when) return { error: 'the collector line has no readable time (taken=) and the row gives none' } 
  const value: Observation = {
    device: device(l.host, fallback?.aadId, fallback?.intuneId), source, at: when, kind: 'line',
    line: text.slice(0, 4096), codes: l.codes, status: null, file: null, detail: '',
  }
  lineDiagKeys.set(value, `line:${lineKey(l)}`)
  return { value } 
}
