/**
 * Asks before closing the window while a call that changes the PC is running.
 *
 * Why: closing quits the app, and quitting ends its child processes; stopping DISM or reagentc in the
 * middle of a change is exactly what the journal is there to recover from, not something to do by a
 * stray click. Read-only calls (scan, diagnose …) may be interrupted freely.
 */
import type { CallName } from '../../preload/contract.ts'

/** Calls that change the PC's servicing state (and `mediaUpdate`: its DISM commands run on this PC, on a medium's copy). */
export const CHANGING_CALLS: ReadonlySet<string> = new Set<string>([
  'winreRepair',
  'install',
  'repairRun',
  'mediaUpdate',
])

/** Counts running calls by name. */
export class InflightCalls {
  private readonly running = new Map<string, number>()

  start(name: CallName | string): void {
    this.running.set(name, (this.running.get(name) ?? 0) + 1)
  }

  end(name: CallName | string): void {
    const n = (this.running.get(name) ?? 0) - 1
    if (n <= 0) this.running.delete(name)
    else this.running.set(name, n)
  }

  /** Names of running calls that change the PC. */
  changing(): string[] {
    return [...this.running.keys()].filter((n) => CHANGING_CALLS.has(n))
  }
}

export interface ClosableWindow {
  on(event: 'close', listener: (event: { preventDefault(): void }) => void): unknown
}

/** Returns true when the user confirmed closing anyway. */
export type ConfirmClose = (running: string[]) => boolean

/** What the close question says is running, in words (a medium's update changes a copy of a medium, not this PC). */
const CHANGE_WORDS: Readonly<Record<string, string>> = {
  winreRepair: 'a recovery environment repair on this PC',
  install: 'an update install on this PC',
  repairRun: 'a repair on this PC',
  mediaUpdate: 'an update of an installation medium',
}
export function closeQuestion(running: readonly string[]): string {
  const what = [...new Set(running.map((n) => (Object.hasOwn(CHANGE_WORDS, n) ? CHANGE_WORDS[n]! : n)))]
  return `Servicing Desk is running ${what.join(' and ')}.`
}

export function guardWindowClose(win: ClosableWindow, inflight: InflightCalls, confirm: ConfirmClose): void {
  win.on('close', (event) => {
    const running = inflight.changing()
    if (running.length > 0 && !confirm(running)) event.preventDefault()
  })
}
