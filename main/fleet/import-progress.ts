/** An import's progress, apart from the fleet service so the CLI reports it without loading the service at start. */
import { basename } from 'node:path'

/**
 * Where an import is: rows read of a file so far; collected files diagnosed or computers reached (`rows` of `total`);
 * or the device states being worked out (`rows` devices of `total` done).
 */
export interface ImportProgress {
  phase: 'rows' | 'files' | 'computers' | 'states'
  file: string
  rows: number
  total?: number
}

const n = (x: number) => x.toLocaleString('en-US')

/**
 * Progress lines for an import that takes long: nothing in its first `after` ms (a quick import says nothing), then a
 * line at most every `every` ms — the file and rows read so far, the collected files diagnosed or computers reached,
 * or how far the device states are worked out. The first news of a new phase is said at once.
 */
export function importProgressNotes(
  note: (line: string) => void,
  now: () => number = Date.now,
  after = 2000,
  every = 2000,
): (p: ImportProgress) => void {
  const start = now()
  let last = -Infinity
  let lastPhase = ''
  return (p) => {
    const t = now()
    if (t - start < after || (t - last < every && p.phase === lastPhase)) return
    last = t
    lastPhase = p.phase
    const s = ((t - start) / 1000).toFixed(0)
    const of = p.total !== undefined ? ` of ${n(p.total)}` : ''
    note(
      p.phase === 'rows'
        ? `Importing ${basename(p.file)}: ${n(p.rows)} rows read (${s} s)`
        : p.phase === 'files'
          ? `Diagnosing the collected files in ${basename(p.file)}: ${n(p.rows)}${of} done (${s} s)`
          : p.phase === 'computers'
            ? `Collecting from the computers in ${basename(p.file)}: ${n(p.rows)}${of} reached (${s} s)`
            : p.rows
              ? `Working out each device's state: ${n(p.rows)}${of} devices (${s} s)`
              : `Working out each device's state from what was imported (${s} s)…`,
    )
  }
}
