/**
 * What an exit code means for a step (servicing-facts §2): 0 done; 3010/1641 done, restart required;
 * 0x800F081E (CBS_E_NOT_APPLICABLE) and 0x80240017 (WU_E_NOT_APPLICABLE) nothing to do; 2359302
 * (WU_S_ALREADY_INSTALLED) already there; anything else is a failure to diagnose.
 */
import type { PlanStep } from '../../preload/model/plan.ts'
import { formatCode } from '../knowledge/error-normalize.ts'

export type ExitMeaning =
  | { kind: 'ok' }
  | { kind: 'restart-required' }
  | { kind: 'not-applicable' }
  | { kind: 'already-installed' }
  | { kind: 'failed'; code: string }

const NOT_APPLICABLE = new Set([0x800f081e, 0x80240017])
const ALREADY_INSTALLED = 0x00240006

export function exitMeaning(
  step: Pick<PlanStep, 'kind' | 'successExitCodes' | 'restartExitCodes'>,
  exitCode: number,
): ExitMeaning {
  const code = exitCode >>> 0
  if (step.restartExitCodes.includes(code)) return { kind: 'restart-required' }
  if (step.successExitCodes.includes(code)) return { kind: 'ok' }
  if (step.kind === 'add-package' || step.kind === 'wusa') {
    if (NOT_APPLICABLE.has(code)) return { kind: 'not-applicable' }
    if (code === ALREADY_INSTALLED) return { kind: 'already-installed' }
  }
  return { kind: 'failed', code: formatCode(code) }
}

/** DISM's progress bar (`[=====  51.7%  ]`) and `Processing i of n` lines → overall fraction 0..1. */
export class DismProgress {
  private index = 1
  private total = 1
  /** Returns the new fraction, or null when the line is not progress. */
  line(text: string): number | null {
    const proc = /Processing (\d+) of (\d+)/.exec(text)
    if (proc) {
      this.index = Number(proc[1])
      this.total = Math.max(1, Number(proc[2]))
      return (this.index - 1) / this.total
    }
    const bar = /\[[= ]*(\d{1,3}(?:\.\d)?)%[= ]*\]/.exec(text)
    if (!bar) return null
    const p = Math.min(100, Number(bar[1])) / 100
    return Math.min(1, (this.index - 1 + p) / this.total)
  }
}
