/**
 * Classifies a tool's process exit code, separately from error-code normalisation: 0, 3010, 1641,
 * 3011 and wusa's 2359302 are success (some needing a restart), not errors (servicing-facts §2).
 * Node reports exit codes unsigned (0x800F0922 arrives as 2148469026).
 */
import { formatCode } from './error-normalize.ts'

export type ExitOutcome =
  | 'success'
  | 'restart-required'
  | 'restart-initiated'
  | 'already-installed'
  | 'not-installed'
  | 'not-applicable'
  | 'failed'

export interface ExitClassification {
  outcome: ExitOutcome
  /** True for outcomes where the operation did what was asked (or nothing was needed). */
  successish: boolean
  /** The exit code as an HRESULT-style `0x…` (failures) or the plain number rendered in hex. */
  code: string
  detail: string
}

export function classifyExitCode(tool: string, exitCode: number): ExitClassification {
  const n =
    Number.isInteger(exitCode) && exitCode >= -0x80000000 && exitCode <= 0xffffffff
      ? exitCode < 0
        ? exitCode + 0x1_0000_0000
        : exitCode
      : NaN
  const t = tool.toLowerCase()
  if (Number.isNaN(n))
    return {
      outcome: 'failed',
      successish: false,
      code: 'invalid',
      detail: `Not a 32-bit exit code: ${String(exitCode)}`,
    }
  const code = formatCode(n)
  switch (n) {
    case 0:
      return { outcome: 'success', successish: true, code, detail: 'Succeeded.' }
    case 3010:
      return {
        outcome: 'restart-required',
        successish: true,
        code,
        detail: 'Succeeded; a restart is needed to finish (ERROR_SUCCESS_REBOOT_REQUIRED).',
      }
    case 3011:
      return {
        outcome: 'restart-required',
        successish: true,
        code,
        detail: 'Succeeded; a service restart is needed (ERROR_SUCCESS_RESTART_REQUIRED).',
      }
    case 1641:
      return {
        outcome: 'restart-initiated',
        successish: true,
        code,
        detail: 'Succeeded; the installer started a restart (ERROR_SUCCESS_REBOOT_INITIATED).',
      }
    case 0x00240006:
      return {
        outcome: 'already-installed',
        successish: true,
        code,
        detail:
          'Already installed (WU_S_ALREADY_INSTALLED) — also returned while the package is only Install Pending, waiting for a restart (KB: error 2359302).',
      }
    case 0x00240005:
      return {
        outcome: 'restart-required',
        successish: true,
        code,
        detail: 'Succeeded; a restart is needed (WU_S_REBOOT_REQUIRED).',
      }
    case 0x00240007:
      return {
        outcome: 'not-installed',
        successish: true,
        code,
        detail: 'The update to remove is not installed (WU_S_ALREADY_UNINSTALLED).',
      }
    case 0x80240017:
      return {
        outcome: 'not-applicable',
        successish: false,
        code,
        detail:
          'No applicable update (WU_E_NOT_APPLICABLE): wrong OS/architecture, superseded, or a checkpoint already passed.',
      }
    case 0x800f081e:
      return {
        outcome: 'not-applicable',
        successish: false,
        code,
        detail: 'The package is not applicable to the image (CBS_E_NOT_APPLICABLE).',
      }
    default:
      if (t.includes('wusa') && n === 87)
        return {
          outcome: 'failed',
          successish: false,
          code,
          detail: 'wusa reports 87 for most /uninstall errors; pass the .msu path for a precise code.',
        }
      return {
        outcome: 'failed',
        successish: false,
        code: n <= 0xffff ? formatCode(((n & 0xffff) | 0x80070000) >>> 0) : code,
        detail: `Failed with exit code ${n} (${code}).`,
      }
  }
}
