/**
 * argv → the app's own CommandSpec: how a stand-in program of the emulated PC (harness.ts) knows which command it
 * was asked to run. A stand-in receives argv only (as a Windows program does); it is answered by the training
 * machine's renderer of the CommandSpec whose argv it is, exactly as TrainingHost.run answers that spec.
 *
 * Sources, tried in order:
 * 1. specs a test registers (`EmulatedPc.knowSpecs`): exact argv (e.g. every step of a fix package, from commandOf);
 * 2. the app's fixed specs and its parameterised builders, called with `{{Name}}` placeholders: a template's
 *    literal parts must match exactly, each placeholder matches any text (the collector's {{SystemDrive}} and
 *    {{WinreWim}}, DISM /Add-Package's path, expand's cab and folder, …);
 * 3. PowerShell `-EncodedCommand` argv: the decoded script against each template's decoded script.
 * 4. `dism.exe` without /English (a by-hand line as Microsoft's articles give it): the spec that has /English first, its
 *    argv kept as given (the emulated PC's language is English, so the output is the same).
 * Nothing else is guessed: an argv none of them produce is "not modelled" (the stand-in fails, as TrainingHost does).
 */
import type { CommandSpec } from '../../main/host/host.ts'
import { decodePowerShellScript } from '../../main/host/powershell.ts'
import { collectorSteps } from '../../main/collector/steps.ts'
import {
  reagentcInfoCommand,
  reagentcEnableCommand,
  reagentcDisableCommand,
  reagentcMountreCommand,
  reagentcUnmountreCommand,
  winreRegistryVersionCommand,
  dismWinreImageInfoCommand,
  dismMountWinreCommand,
  dismAddPackageToWinreCommand,
  dismCleanupWinreCommand,
  dismUnmountWinreCommand,
  createWorkDirCommand,
  diskpartScriptCommand,
} from '../../main/machine/winre-commands.ts'
import { manageBdeCommand } from '../../main/machine/probes/storage.ts'
import {
  taskCacheDeleteCommand,
  taskCacheExportCommand,
  taskCacheIdCommand,
  taskCacheKeyCommand,
} from '../../main/machine/task-cache.ts'
import { dismAddPackageArgs } from '../../main/install/step-commands.ts'
import { kindOf, SECURE_BOOT_ALL_UPDATES } from '../../main/repair/step-kinds.ts'
import { MEDIA_FILES, wimInfoSpec } from '../../main/repair/media.ts'
import type { RepairEnv } from '../../main/repair/types.ts'

const PH = /\{\{([A-Za-z]+)\}\}/g
const HAS_PH = /\{\{[A-Za-z]+\}\}/

/** A template: a spec whose args may hold {{Name}} placeholders. */
function templates(): CommandSpec[] {
  const out: CommandSpec[] = []
  for (const s of collectorSteps()) {
    if (s.kind === 'command') out.push(s.spec)
    if (s.kind === 'cabs') out.push(s.expand('{{Cab}}', '{{Dest}}'))
  }
  out.push(
    reagentcInfoCommand,
    reagentcEnableCommand,
    reagentcDisableCommand,
    winreRegistryVersionCommand,
    createWorkDirCommand,
    diskpartScriptCommand,
    reagentcMountreCommand('{{Dir}}'),
    reagentcUnmountreCommand('{{Dir}}', true),
    reagentcUnmountreCommand('{{Dir}}', false),
    dismWinreImageInfoCommand('{{Wim}}'),
    dismMountWinreCommand('{{Wim}}', '{{Dir}}'),
    dismAddPackageToWinreCommand('{{Dir}}', '{{Pkg}}'),
    dismCleanupWinreCommand('{{Dir}}'),
    dismUnmountWinreCommand('{{Dir}}', true),
    dismUnmountWinreCommand('{{Dir}}', false),
    manageBdeCommand('{{Drive}}'),
    // The fleet's installer fix: reg.exe on Task Scheduler's cache (the keys are the device's, read on it).
    taskCacheIdCommand,
    taskCacheKeyCommand('{{Key}}'),
    taskCacheExportCommand('{{Key}}', '{{File}}'),
    taskCacheDeleteCommand('{{Key}}'),
    {
      name: 'install.dism-add-package',
      file: 'dism.exe',
      args: dismAddPackageArgs({ kind: 'online' } as never, '{{Pkg}}'),
      timeoutMs: 7_200_000,
      outputEncoding: 'console',
    },
    {
      name: 'install.dism-add-package',
      file: 'dism.exe',
      args: dismAddPackageArgs({ kind: 'image', dir: '{{Dir}}' } as never, '{{Pkg}}'),
      timeoutMs: 7_200_000,
      outputEncoding: 'console',
    },
    {
      name: 'app.whoami-groups',
      file: 'whoami.exe',
      args: ['/groups', '/fo', 'csv', '/nh'],
      timeoutMs: 15_000,
      outputEncoding: 'console',
    },
    // Specs built inline where they are used (the argv as the file builds it; a change there shows here as "not modelled").
    // main/install/servicing-level.ts readServicingLevel: the same name as the probe's, its arguments in another order.
    {
      name: 'packages.dism-get-packages',
      file: 'dism.exe',
      args: ['/English', '/Online', '/Get-Packages'],
      timeoutMs: 600_000,
      outputEncoding: 'console',
    },
    // The same listing as DISM's table (a by-hand line of the knowledge's R8; renderers/packages.ts draws the table).
    {
      name: 'packages.dism-get-packages',
      file: 'dism.exe',
      args: ['/English', '/Online', '/Get-Packages', '/Format:Table'],
      timeoutMs: 600_000,
      outputEncoding: 'console',
    },
    {
      name: 'install.dism-image-get-packages',
      file: 'dism.exe',
      args: ['/English', '/Image:{{Dir}}', '/Get-Packages'],
      timeoutMs: 600_000,
      outputEncoding: 'console',
    },
    // main/install/verify.ts readWimLevel.
    {
      name: 'install.dism-get-wiminfo',
      file: 'dism.exe',
      args: ['/English', '/Get-WimInfo', '/WimFile:{{Wim}}', '/Index:{{Index}}'],
      timeoutMs: 300_000,
      outputEncoding: 'console',
    },
    // main/host/windows-host.ts: the console code page.
    {
      name: 'host.oem-code-page',
      file: 'reg.exe',
      args: ['query', 'HKLM\\SYSTEM\\CurrentControlSet\\Control\\Nls\\CodePage', '/v', 'OEMCP'],
      timeoutMs: 10_000,
      outputEncoding: 'utf8',
    },
  )
  // main/repair/media.ts: a mounted medium's install.wim / install.esd (more literal text than install.dism-get-wiminfo's).
  for (const file of MEDIA_FILES) {
    // The builder checks its letter and index: built with real ones, then those made placeholders.
    const tpl = (spec: CommandSpec): CommandSpec => ({
      ...spec,
      args: spec.args.map((a) =>
        a.replace(/^\/WimFile:D:/, '/WimFile:{{Letter}}:').replace(/^\/Index:1$/, '/Index:{{Index}}'),
      ),
    })
    out.push(tpl(wimInfoSpec('D', file)), tpl(wimInfoSpec('D', file, 1)))
  }
  // The repair step kinds whose argv is a plain function of their parameters (strings and numbers).
  const env: RepairEnv = { hostKind: 'training', dataDir: 'C:\\ProgramData\\ServicingDesk', resumeCommand: null }
  const simple: Record<string, Record<string, string>> = {
    'dism-check-health': {},
    'dism-scan-health': {},
    'sfc-scannow': {},
    'secure-boot-task-run': {},
    'dism-remove-package': { identity: '{{Identity}}' },
    restart: { delaySeconds: '{{Delay}}' },
    'esp-mount': { letter: '{{Letter}}' },
    'esp-unmount': { letter: '{{Letter}}' },
  }
  for (const [name, params] of Object.entries(simple)) {
    try {
      const k = kindOf(name) as { build?: (p: unknown, e: RepairEnv) => CommandSpec; successExitCodes?: number[] }
      if (k.build) out.push({ ...k.build(params, env), successExitCodes: k.successExitCodes ?? [0] })
    } catch {
      /* a kind whose builder needs real values: tests register its specs */
    }
  }
  // restore-health's rungs: from Windows Update, from the expanded update files, from a medium (its /Source: any path).
  const anySource = (spec: CommandSpec): CommandSpec => ({
    ...spec,
    args: spec.args.map((a) => (/^\/Source:/.test(a) ? '/Source:{{Source}}' : a)),
  })
  const restore = kindOf('dism-restore-health')
  out.push(
    restore.build!({ source: null } as never, env),
    anySource(restore.build!({ source: { kb: 'KB5044285', arch: 'x64' } } as never, env)),
  )
  out.push(
    anySource(kindOf('dism-restore-health-media').build!({ letter: 'E', file: 'install.wim', index: 2 } as never, env)),
  )
  // expand-msu / expand-cab: the repair's sources in the data folder's repair-sources (more literal text than the
  // collector's CbsPersist expand, whose spec would answer these otherwise).
  const expandMsu = kindOf('expand-msu').build!({ kb: 'KB5044285', arch: 'x64' } as never, env)
  for (const ext of ['msu', 'cab'])
    out.push({ ...expandMsu, args: ['-F:*', `{{Dir}}\\repair-sources\\{{File}}.${ext}`, '{{Dest}}'] })
  // dism-remove-package as Microsoft's articles give it by hand (no /NoRestart: DISM asks about the restart itself).
  const remove = kindOf('dism-remove-package')
  const removeSpec = remove.build!(
    { identity: 'Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.1.1.1' } as never,
    env,
  )
  out.push({
    ...removeSpec,
    args: removeSpec.args
      .filter((a) => a !== '/NoRestart')
      .map((a) => (a.startsWith('/PackageName:') ? '/PackageName:{{Identity}}' : a)),
    successExitCodes: remove.successExitCodes ?? [0],
  })
  // Kinds whose parameters are not strings: built with their one value.
  out.push(kindOf('secure-boot-available-updates').build!({ value: SECURE_BOOT_ALL_UPDATES } as never, env))
  // esp-move-folder's robocopy (its destination is the data folder's), and as a by-hand line shows it (no /R /W).
  const espMove = kindOf('esp-move-folder').build!({ letter: 'S', folder: 'HP' } as never, env)
  const espTpl = (args: string[]): CommandSpec => ({
    ...espMove,
    args: ['{{Letter}}:\\EFI\\{{Folder}}', '{{Dest}}', ...args],
    successExitCodes: [0, 1, 2, 3],
  })
  out.push(espTpl(espMove.args.slice(2)), espTpl(['/E', '/MOVE', '/COPY:DAT']))
  // …and free-esp-space's undo: the moved folder back onto the ESP (renderers/boot-chain.ts moves it back).
  out.push({
    ...espMove,
    args: ['{{Src}}', '{{Letter}}:\\EFI\\{{Folder}}', '/E', '/MOVE', '/COPY:DAT'],
    successExitCodes: [0, 1, 2, 3],
  })
  return out
}

let cache: CommandSpec[] | null = null

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
function argPattern(tpl: string): RegExp {
  let src = ''
  let last = 0
  for (const m of tpl.matchAll(PH)) {
    src += `${escapeRegExp(tpl.slice(last, m.index))}([\\s\\S]*?)`
    last = m.index! + m[0].length
  }
  return new RegExp(`^${src}${escapeRegExp(tpl.slice(last))}$`)
}

function argsMatch(tpl: readonly string[], args: readonly string[]): boolean {
  if (tpl.length !== args.length) return false
  return tpl.every((t, i) => (HAS_PH.test(t) ? argPattern(t).test(args[i]!) : t === args[i]))
}

function scriptMatch(tpl: readonly string[], args: readonly string[]): boolean {
  const a = decodePowerShellScript(args)
  const t = decodePowerShellScript(tpl)
  if (a === null || t === null) return false
  const prefix = (xs: readonly string[]) =>
    xs
      .slice(
        0,
        xs.findIndex((x) => x.toLowerCase() === '-encodedcommand'),
      )
      .join('\0')
  return prefix(tpl) === prefix(args) && argPattern(t).test(a)
}

/** How specific a template is: its literal characters (a fixed argv beats one with placeholders). */
const literalLength = (s: CommandSpec) => s.args.join('').replace(PH, '').length

/**
 * The spec whose argv this is, with the argv as given (a placeholder takes the value the caller put there), or null.
 * `tool` is the table name of the program (`dism.exe`), `registered` the specs a test named.
 */
export function specForArgv(
  tool: string,
  args: readonly string[],
  registered: readonly CommandSpec[] = [],
): CommandSpec | null {
  const t = tool.toLowerCase()
  for (const s of registered)
    if (s.file.toLowerCase() === t && s.args.length === args.length && s.args.every((a, i) => a === args[i]))
      return { ...s, args: [...args] }
  cache ??= templates()
  const hits = cache.filter(
    (s) =>
      s.file.toLowerCase() === t && (argsMatch(s.args, args) || (t === 'powershell.exe' && scriptMatch(s.args, args))),
  )
  // DISM without /English (a by-hand line as Microsoft's articles give it): the same command, in the PC's language —
  // English on the emulated PC — so the spec with /English first is the one (its argv kept as given).
  if (!hits.length && t === 'dism.exe' && !args.some((a) => a.toLowerCase() === '/english')) {
    const english = specForArgv(tool, ['/English', ...args], registered)
    return english && { ...english, args: [...args] }
  }
  if (!hits.length) return null
  hits.sort((a, b) => literalLength(b) - literalLength(a))
  return { ...hits[0]!, args: [...args] }
}
