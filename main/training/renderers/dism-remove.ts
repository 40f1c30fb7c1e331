/**
 * `DISM /English /Online /Remove-Package /PackageName:<identity> /NoRestart` on a training machine, in DISM's
 * format (test/fixtures/dism-remove/remove-rollupfix-26100.txt: "Processing 1 of 1 - Removing package <identity>",
 * the progress bar, "The operation completed successfully."). An installed package is marked Uninstall
 * Pending and leaves at the next restart (exit 3010, "Restart Windows to complete this operation."); a
 * cumulative update's removal puts the build back to the newest cumulative update left in the package list.
 * Packages that cannot be removed — the servicing stack (Microsoft: "You cannot remove the SSU from the system
 * after installation") and the image's own base packages — fail with 0x800F0825 (CBS_E_CANNOT_UNINSTALL); an
 * identity the machine does not have fails with 0x800F0805 (CBS_E_INVALID_PACKAGE) — these two texts are the
 * training model's, not captured output.
 */
import type { TrainingCommand } from '../command.ts'
import type { TrainingState } from '../state.ts'
import { dismProgressBar } from './dism-install.ts'
import { dismVersion } from './packages.ts'

const ERROR_SUCCESS_REBOOT_REQUIRED = 3010
const DISM_LOG = 'C:\\Windows\\Logs\\DISM\\dism.log'

const ubrOfIdentity = (id: string) => Number(/~~\d+\.(\d+)\.\d+\.\d+$/.exec(id)?.[1] ?? NaN)
const isLcu = (id: string) => /^Package_for_RollupFix~/i.test(id)
const permanent = (id: string) =>
  /^Package_for_ServicingStack_/i.test(id) ||
  /^Microsoft-Windows-(Foundation|Client-LanguagePack|FodMetadata)-Package~/i.test(id)

export const renderDismRemovePackage: TrainingCommand = ({ state, spec }) => {
  const arg = spec.args.find((a) => /^\/PackageName:/i.test(a)) ?? ''
  const identity = arg.slice(arg.indexOf(':') + 1)
  const head = [
    '',
    'Deployment Image Servicing and Management tool',
    `Version: ${dismVersion(state)}`,
    '',
    `Image Version: 10.0.${state.os.currentBuild}.${state.os.ubr}`,
    '',
  ]
  const fail = (hresult: number, message: string) => {
    const hex = `0x${(hresult >>> 0).toString(16).padStart(8, '0')}`
    return {
      exitCode: hresult | 0,
      stdout: [...head, `Error: ${hex}`, '', message, '', `The DISM log file can be found at ${DISM_LOG}`, ''].join(
        '\r\n',
      ),
    }
  }
  const pkg = state.packages.find((p) => p.identity.toLowerCase() === identity.toLowerCase())
  if (!pkg) return fail(0x800f0805, 'The specified package is not valid Windows package.')
  if (permanent(pkg.identity)) return fail(0x800f0825, 'Package cannot be uninstalled.')
  const line = `Processing 1 of 1 - Removing package ${pkg.identity}`
  const done = (restart: boolean) => [
    'The operation completed successfully.',
    ...(restart ? ['Restart Windows to complete this operation.'] : []),
    '',
  ]
  if (pkg.state === 'Uninstall Pending') {
    return {
      exitCode: ERROR_SUCCESS_REBOOT_REQUIRED,
      stdout: [...head, line, dismProgressBar(100), ...done(true)].join('\r\n'),
    }
  }
  const next: TrainingState = structuredClone(state)
  const p = next.packages.find((x) => x.identity === pkg.identity)!
  if (p.state === 'Staged' || p.state === 'Superseded') {
    next.packages = next.packages.filter((x) => x !== p)
    return { exitCode: 0, stdout: [...head, line, dismProgressBar(100), ...done(false)].join('\r\n'), state: next }
  }
  p.state = 'Uninstall Pending'
  let ubr: number | undefined
  if (isLcu(p.identity) && ubrOfIdentity(p.identity) === next.os.ubr) {
    const left = next.packages
      .filter((x) => x !== p && isLcu(x.identity) && (x.state === 'Installed' || x.state === 'Superseded'))
      .map((x) => ubrOfIdentity(x.identity))
      .filter((n) => n < next.os.ubr)
    if (left.length) ubr = Math.max(...left)
  }
  next.pendingOnRestart.push({
    kind: 'remove-package',
    identity: p.identity,
    sets: ubr !== undefined ? { ubr } : undefined,
  })
  next.reboot.cbsRebootPending = true
  next.reboot.cbsPackagesPending = true
  return {
    exitCode: ERROR_SUCCESS_REBOOT_REQUIRED,
    stdout: [...head, line, dismProgressBar(100), ...done(true)].join('\r\n'),
    state: next,
  }
}
