/**
 * A file of collector `-Line` outputs (one device per line): a pasted export, a ConfigMgr Run Scripts or CMPivot
 * export saved as text, or the output of a fan-out. The line's format: main/parse/collector-line.ts.
 * A non-blank line that is not a collector line is set aside with its number.
 */
import type { IntakeResult, Observation } from '../../../preload/model/fleet.ts'
import { parseCollectorLines } from '../../parse/collector-line.ts'
import { COLLECTOR_LINE_PREFIX } from '../../../preload/model/collector-line-prefix.ts'
import { COLLECTOR_LINE_MAX } from '../../../preload/model/collector-limits.ts'
import { device, emptyIntake, futureTime, isoTime, reject, validName } from './common.ts'
import { lineKey } from '../line-key.ts'

const DIAG_KEY = Symbol('line diagnosis key')
/**
 * The diagnosis key of each line observation read here (what the diagnosis reads of the line), so the store need not
 * parse it again. Kept on the observation itself, as a property no one lists (not enumerable, a symbol: not in its
 * keys, its JSON or a copy of it): a WeakMap of 200,000 observations cost the import more garbage collection than the
 * observations themselves (its entries are weighed at every collection of the young generation).
 */
export const lineDiagKeys = {
  get: (o: Observation): string | undefined => (o as Observation & { [DIAG_KEY]?: string })[DIAG_KEY],
  set: (o: Observation, key: string): void => {
    Object.defineProperty(o, DIAG_KEY, { value: key })
  },
}

/**
 * How FanOut.ps1 writes a line it brought back: `computer=<the name the remoting session reached> SDC1 host=…`. The
 * name before the line is the console's word (the session it opened), the line's `host=` the device's own.
 */
export const VOUCHED_LINE = /^computer=(\S{1,255}) (?=SDC1 host=)/

/**
 * One line of a lines file as an observation. A line the fan-out brought back is the device its session reached,
 * whatever its host= says (a device cannot speak for another: `host=DC01` from PC-0001's session is PC-0001's line);
 * `vouched` says whether a tool named the device.
 */
export function fileLineObservation(
  raw: string,
  source: Observation['source'],
): { error: string } | { value: Observation; vouched: boolean } {
  const v = VOUCHED_LINE.exec(raw.trimStart())
  const obs = v
    ? lineObservation(raw.trimStart().slice(v[0].length), source, { name: v[1] })
    : lineObservation(raw, source)
  return 'error' in obs ? obs : { value: obs.value, vouched: !!v }
}

/** What the import says of lines no tool named the device of. */
export const unvouchedNote = (n: number) =>
  `${n} line(s) came with no computer name from the tool that ran them (FanOut.ps1 writes one): each is filed under its own host=, the device's word. Import the tool's export (Intune run states, a fan-out's lines.txt) to have the name it vouches for.`

export function readCollectorLines(
  text: string,
  source: 'collector-line' | 'fan-out' = 'collector-line',
): IntakeResult {
  const out = emptyIntake(source)
  const lines = String(text ?? '').split(/\r\n|\r|\n/)
  let unvouched = 0
  for (const [i, raw] of lines.entries()) {
    if (!raw.trim()) continue
    const obs = fileLineObservation(raw, source)
    if ('error' in obs) {
      reject(out, i + 1, obs.error, raw)
      continue
    }
    if (!obs.vouched) unvouched++
    out.observations.push(obs.value)
  }
  if (unvouched) out.notes.push(unvouchedNote(unvouched))
  return out
}

/**
 * One collector line as an observation, or why it is not one. Where a tool that knows the device hands the line
 * over (Intune's run state: its device name and ids), the device is the one that tool names: `host=` is the
 * device's own word and names no other device (a detection output that says `host=DC01` is still this device's).
 */
export function lineObservation(
  raw: string,
  source: Observation['source'],
  fallback?: { at?: string | null; name?: string; aadId?: string | null; intuneId?: string | null },
): { error: string } | { value: Observation } {
  const at = raw.indexOf(`${COLLECTOR_LINE_PREFIX} host=`)
  if (at < 0) return { error: `not a collector line (one starts with "${COLLECTOR_LINE_PREFIX} host=")` }
  let text = raw.slice(at).trim()
  const marks: string[] = []
  // One device's output read as one line (Intune keeps the detection's output as one text): a second line in it is not this one's.
  const next = text.indexOf(`${COLLECTOR_LINE_PREFIX} host=`, 1)
  if (next > 0) {
    text = text.slice(0, next).trim()
    marks.push('its output held more than one collector line: the first was read')
  }
  // Intune keeps 2,048 characters of a detection's output: a line cut there has lost its end (no file=), and a code cut in
  // two is no code (the parser keeps whole codes only, each once).
  if (raw.length >= COLLECTOR_LINE_MAX && !/\sfile=/.test(text))
    marks.push(
      `its output was cut at ${COLLECTOR_LINE_MAX.toLocaleString('en-US')} characters (Intune keeps no more): codes after the cut are not known`,
    )
  const [l] = parseCollectorLines(text)
  if (!l) return { error: 'the collector line has no valid computer name after host=' }
  const when = isoTime(l.takenAt) ?? fallback?.at ?? null
  if (!when) return { error: 'the collector line has no readable time (taken=) and the row gives none' }
  const future = futureTime(when)
  if (future) return { error: `the collector line is refused: ${future}` }
  let name = l.host
  let detail = ''
  if (fallback) {
    const vouched = (fallback.name ?? '').trim()
    if (!validName(vouched))
      return {
        error: vouched
          ? `'${vouched.slice(0, 80)}' is not a computer name`
          : "the row names no device (its line's host= is the device's own word, not the tool's)",
      }
    name = vouched
    if (vouched.toUpperCase() !== l.host.toUpperCase()) detail = `its line names host ${l.host}`
  }
  if (marks.length) detail = [detail, ...marks].filter(Boolean).join('; ')
  const value: Observation = {
    device: device(name, fallback?.aadId, fallback?.intuneId),
    source,
    at: when,
    kind: 'line',
    line: text.slice(0, 4096),
    codes: l.codes,
    status: null,
    file: null,
    detail,
  }
  lineDiagKeys.set(value, `line:${lineKey(l)}`)
  return { value }
}

/**
 * A detection output that is not this app's line (an admin's own detection script, another vendor's): kept as text
 * on its device, never read as a line (no cause, no codes come from it), so the device stays in the fleet with what
 * its script said. Null when the row names no device either.
 */
export function foreignOutput(
  output: string,
  source: Observation['source'],
  who: { at: string | null; name: string; aadId?: string | null; intuneId?: string | null },
  state: string,
): Observation | null {
  const name = who.name.trim()
  if (!validName(name)) return null
  const text = output.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, ' ').trim()
  return {
    device: device(name, who.aadId ?? null, who.intuneId ?? null),
    source,
    at: who.at ?? '1970-01-01T00:00:00.000Z',
    kind: 'status',
    line: null,
    codes: [],
    status: null,
    file: null,
    detail:
      `detection ${state}; output of a detection script that is not Servicing Desk's, kept as text (not read as a line): ${text}`.slice(
        0,
        2000,
      ),
  }
}

/** A detection script that failed (Intune's scriptError, or the row's script error text): shown as the error it is. */
export function detectionError(
  error: string,
  source: Observation['source'],
  who: { at: string | null; name: string; aadId?: string | null; intuneId?: string | null },
): Observation | null {
  const name = who.name.trim()
  if (!validName(name)) return null
  return {
    device: device(name, who.aadId ?? null, who.intuneId ?? null),
    source,
    at: who.at ?? '1970-01-01T00:00:00.000Z',
    kind: 'status',
    line: null,
    codes: [],
    status: null,
    file: null,
    detail:
      `detection script error: ${error.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim() || 'the script failed (no error text)'}`.slice(
        0,
        2000,
      ),
  }
}
