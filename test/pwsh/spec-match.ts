/**
 * argv → the app's own CommandSpec: how a stand-in program of the emulated PC (harness.ts) knows which command it
 * was asked to run. A stand-in receives argv only (as a Windows program does); it is answered by the training
 * machine's renderer of the CommandSpec whose argv it is, exactly as TrainingHost.run answers that spec.
 *
 * Three sources, tried in order:
 * 1. specs a test registers (`EmulatedPc.knowSpecs`): exact argv (e.g. every step of a fix package, from commandOf);
 * 2. the app's fixed specs and its parameterised builders, called with `{{Name}}` placeholders: a template's
 *    literal parts must match exactly, each placeholder matches any text (the collector's {{SystemDrive}} and
 *    {{WinreWim}}, DISM /Add-Package's path, expand's cab and folder, …);
 * 3. PowerShell `-EncodedCommand` argv: the decoded script against each template's decoded script.
 * Nothing else is guessed: an argv none of them produce is "not modelled" (the stand-in fails, as TrainingHost does).
 */
import type { CommandSpec } from '../../main/host/host.ts'
import { decodePowerShellScript } from '../../main/host/powershell.ts'
import { collectorSteps } from '../../main/collector/steps.ts'
import {
  reagentcInfoCommand, reagentcEnableCommand, reagentcDisableCommand, reagentcMountreCommand, reagentcUnmountreCommand,
  winreRegistryVersionCommand, dismWinreImageInfoCommand, dismMountWinreCommand, dismAddPackageToWinreCommand,
  dismCleanupWinreCommand, dismUnmountWinreCommand, createWorkDirCommand, diskpartScriptCommand,
} from '../../main/winre/commands.ts'
import { manageBdeCommand } from '../../main/machine/probes/storage.ts'
import { dismAddPackageArgs } from '../../main/install/step-commands.ts'
import { kindOf } from '../../main/repair/step-kinds.ts'
import type { RepairEnv } from '../../main/repair/types.ts'

const PH = /\{\{([A-Za-z]+)\}\}/g

/** A template: a spec whose args may hold {{Name}} placeholders. */
function templates(): CommandSpec[] {
  const out: CommandSpec[] = []
  for (const s of collectorSteps()) {
    if (s.kind === 'command') out.push(s.spec)
    if (s.kind === 'cabs') out.push(s.expand('{{Cab}}', '{{Dest}}'))
  }
  out.push(
    reagentcInfoCommand, reagentcEnableCommand, reagentcDisableCommand, winreRegistryVersionCommand, createWorkDirCommand, diskpartScriptCommand,
    reagentcMountreCommand('{{Dir}}'), reagentcUnmountreCommand('{{Dir}}', true), reagentcUnmountreCommand('{{Dir}}', false),
    dismWinreImageInfoCommand('{{Wim}}'), dismMountWinreCommand('{{Wim}}', '{{Dir}}'), dismAddPackageToWinreCommand('{{Dir}}', '{{Pkg}}'),
    dismCleanupWinreCommand('{{Dir}}'), dismUnmountWinreCommand('{{Dir}}', true), dismUnmountWinreCommand('{{Dir}}', false),
    manageBdeCommand('{{Drive}}'),
    { name: 'install.dism-add-package', file: 'dism.exe', args: dismAddPackageArgs({ kind: 'online' } as never, '{{Pkg}}'), timeoutMs: 7_200_000, outputEncoding: 'console' },
    { name: 'install.dism-add-package', file: 'dism.exe', args: dismAddPackageArgs({ kind: 'image', dir: '{{Dir}}' } as never, '{{Pkg}}'), timeoutMs: 7_200_000, outputEncoding: 'console' },
    { name: 'app.whoami-groups', file: 'whoami.exe', args: ['/groups', '/fo', 'csv', '/nh'], timeoutMs: 15_000, outputEncoding: 'console' },
  )
  // The repair step kinds whose argv is a plain function of their parameters (strings and numbers).
  const env: RepairEnv = { hostKind: 'training', dataDir: 'C:\\ProgramData\\ServicingDesk', resumeCommand: null }
  const simple: Record<string, Record<string, string>> = {
    'dism-check-health': {}, 'dism-scan-health': {}, 'sfc-scannow': {}, 'secure-boot-task-run': {},
    'dism-remove-package': { identity: '{{Identity}}' },
    'restart': { delaySeconds: '{{Delay}}' },
    'esp-mount': { letter: '{{Letter}}' }, 'esp-unmount': { letter: '{{Letter}}' },
  }
  for (const [name, params] of Object.entries(simple)) {
    try {
      const k = kindOf(name) as { build?: (p: unknown, e: RepairEnv) => CommandSpec; successExitCodes?: number[] }
      if (k.build) out.push({ ...k.build(params, env), successExitCodes: k.successExitCodes ?? [0] })
    } catch { /* a kind whose builder needs real values: tests register its specs */ }
  }
  return out
}

let cache: CommandSpec[] | null = null

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
function argPattern(tpl: string): RegExp {
  let src = ''
  let last = 0
  for (const m of tpl.matchAll(PH)) {
    src += escape(tpl.slice(last, m.index)) + '([\\s\\S]*?)'
    last = m.index! + m[0].length
  }
  return new RegExp(`^${src}${escape(tpl.slice(last))}$`)
}

function argsMatch(tpl: readonly string[], args: readonly string[]): boolean {
  if (tpl.length !== args.length) return false
  return tpl.every((t, i) => (PH.test(t) ? (PH.lastIndex = 0, argPattern(t).test(args[i]!)) : (PH.lastIndex = 0, t === args[i])))
}

function scriptMatch(tpl: readonly string[], args: readonly string[]): boolean {
  const a = decodePowerShellScript(args)
  const t = decodePowerShellScript(tpl)
  if (a === null || t === null) return false
  const prefix = (xs: readonly string[]) => xs.slice(0, xs.findIndex((x) => x.toLowerCase() === '-encodedcommand')).join('\0')
  return prefix(tpl) === prefix(args) && argPattern(t).test(a)
}

/** How specific a template is: its literal characters (a fixed argv beats one with placeholders). */
const literalLength = (s: CommandSpec) => s.args.join('').replace(PH, '').length

/**
 * The spec whose argv this is, with the argv as given (a placeholder takes the value the caller put there), or null.
 * `tool` is the table name of the program (`dism.exe`), `registered` the specs a test named.
 */
export function specForArgv(tool: string, args: readonly string[], registered: readonly CommandSpec[] = []): CommandSpec | null {
  const t = tool.toLowerCase()
  for (const s of registered) if (s.file.toLowerCase() === t && s.args.length === args.length && s.args.every((a, i) => a === args[i])) return { ...s, args: [...args] }
  cache ??= templates()
  const hits = cache.filter((s) => s.file.toLowerCase() === t && (argsMatch(s.args, args) || (t === 'powershell.exe' && scriptMatch(s.args, args))))
  if (!hits.length) return null
  hits.sort((a, b) => literalLength(b) - literalLength(a))
  return { ...hits[0]!, args: [...args] }
}
