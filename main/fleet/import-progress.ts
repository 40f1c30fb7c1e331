/** An import's progress, apart from the fleet service so the CLI reports it without loading the service at start. */
import { basename } from 'node:path'

/** Where an import is: rows read of a file so far, or the device states being worked out. */
export interface ImportProgress {
  phase: 'rows' | 'states'
  file: string
  rows: number
}

/**
 * Progress lines for an import that takes long: nothing in its first `after` ms (a quick import says nothing), then a
 * line at most every `every` ms — the file and rows read so far, or that the device states are being worked out.
 */
export function importProgressNotes(
  note: (line: string) => void,
  now: () => number = Date.now,
  after = 2000,
  every = 2000,
): (p: ImportProgress) => void {
  const start = now()
  let last = -Infinity
  return (p) => {
    const t = now()
    if (t - start < after || (t - last < every && p.phase === 'rows')) return
    last = t
    const s = ((t - start) / 1000).toFixed(0)
    note(
      p.phase === 'rows'
        ? `Importing ${basename(p.file)}: ${p.rows.toLocaleString('en-US')} rows read (${s} s)`
        : `Working out each device's state from what was imported (${s} s)…`,
    )
  }
}
