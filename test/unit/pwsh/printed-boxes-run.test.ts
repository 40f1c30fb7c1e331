/**
 * Every PowerShell box the app shows, run as shown by real PowerShell on the emulated PC of its training machine
 * (issue 44 §5): the boxes of What's wrong, Fix it and Recovery, collected from the contract's calls as the screens
 * get them, in the order they are shown, one PowerShell process per machine. Each box must end without an error or a
 * non-zero exit code, and the state it claims must be the model's afterwards (the manual reset: the folders renamed
 * `.sd-<stamp>`, the services running again). The Command Prompt boxes are parsed and path-checked in
 * test/unit/commands/printed-commands.test.ts.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { CommandSpec } from '../../../main/host/host.ts'
import { createServices } from '../../../main/services.ts'
import { createHandlers, invokeCall, type Handlers } from '../../../main/handlers.ts'
import { trainingProfiles } from '../../../main/training/profiles/index.ts'
import { commandOf } from '../../../main/repair/step-kinds.ts'
import { powerShellFileText } from '../../../main/host/powershell-text.ts'
import { requirePowerShell } from '../../pwsh/pwsh.ts'
import { startEmulatedPc, type EmulatedPc } from '../../pwsh/harness.ts'
import { boxesOf, commandLists, type Box } from '../commands/shown-boxes.ts'
import { tempDirSync } from '../temp-dirs.ts'

const ps = requirePowerShell()
const dir = tempDirSync('sd-boxes-run-')
const services = createServices({ dataDir: join(dir, 'data'), platform: 'linux' })
const h: Handlers = createHandlers(services)
const open: EmulatedPc[] = []
afterAll(async () => { for (const pc of open) await pc.close() })

async function call(name: Parameters<typeof invokeCall>[1], input: unknown): Promise<unknown> {
  const r = await invokeCall(h, name, input)
  if (!r.ok) throw new Error(`${name}: ${r.error.message}`)
  return r.value
}

const SCRIPT_BLOCK = /^& "\$env:SystemRoot\\System32\\WindowsPowerShell\\v1\.0\\powershell\.exe" (-NoProfile) -Command \{([\s\S]*)\}$/

/**
 * The boxes of one machine as its screens show them, and the specs of its `powershell.exe -Command { … }` lines: the
 * argv a script block reaches powershell.exe with (-EncodedCommand of the block's text) under the name of the repair
 * step it shows, so the model answers the block as it answers the step.
 */
async function shown(machine: string): Promise<{ boxes: Box[]; specs: CommandSpec[] }> {
  const m = { kind: 'training', name: machine }
  const offers = await call('repairOffers', { machine: m }) as { offers: { steps: { kind: string; commandLine: string }[] }[] }
  const specs: CommandSpec[] = []
  for (const st of offers.offers.flatMap((o) => o.steps)) {
    const block = SCRIPT_BLOCK.exec(st.commandLine)
    if (!block) continue
    const spec = commandOf(st as never, { hostKind: 'training', dataDir: join(dir, 'data'), resumeCommand: null, pcArg: null, stateDir: join(dir, 'data') } as never)!
    specs.push({ ...spec, args: [block[1]!, '-EncodedCommand', Buffer.from(block[2]!, 'utf16le').toString('base64')] })
  }
  const boxes = [
    ...boxesOf(`${machine}: What's wrong`, commandLists(await call('diagnose', { machine: m }))),
    ...boxesOf(`${machine}: Fix it`, commandLists(offers)),
    ...boxesOf(`${machine}: Recovery (WinRE)`, commandLists(await call('winre', { machine: m }))),
  ].filter((b) => b.shell === 'powershell')
  return { boxes, specs }
}

/** One script running each box in turn, as a person pastes it: a box stops at its first error or non-zero exit code. */
export function boxesScript(boxes: readonly Box[]): string {
  return boxes.map((b, i) => [
    'try {',
    '  & {',
    ...b.lines.flatMap((l, j) => ['    $global:LASTEXITCODE = 0', `    ${l}`, `    if ($LASTEXITCODE) { throw "line ${j + 1} ended with exit code $LASTEXITCODE" }`]),
    '  } | Out-Null',
    `  [Console]::Out.WriteLine('SDH-BOX ${i} ok')`,
    `} catch { [Console]::Out.WriteLine('SDH-BOX ${i} failed: ' + ($_.Exception.Message -replace '\\s+', ' ')) }`,
  ].join('\n')).join('\n')
}

const results = (stdout: string) => [...stdout.matchAll(/^SDH-BOX (\d+) (.*)$/gm)].map((m) => ({ box: Number(m[1]), result: m[2]!.trim() }))

describe.runIf(ps)('every PowerShell box the app shows runs as shown on the emulated PC', () => {
  it('the boxes of every training machine, in the order shown: each ends without an error', async () => {
    const problems: string[] = []
    let ran = 0
    for (const p of trainingProfiles) {
      const { boxes, specs } = await shown(p.name)
      if (!boxes.length) continue
      const pc = await startEmulatedPc({ machine: p.name })
      open.push(pc)
      pc.knowSpecs(specs)
      const file = pc.localPath('C:\\Users\\Public\\boxes.ps1')
      writeFileSync(file, powerShellFileText(boxesScript(boxes)))
      const r = await pc.run(file, [], { timeoutMs: 120_000 })
      const got = results(r.stdout)
      expect(got.map((g) => g.box), `${p.name}: ${r.stderr.slice(0, 800)}`).toEqual(boxes.map((_, i) => i))
      for (const g of got) if (g.result !== 'ok') problems.push(`${boxes[g.box]!.where}:\n  ${boxes[g.box]!.lines.join('\n  ').slice(0, 400)}\n  -> ${g.result}`)
      ran += boxes.length
      if (p.name === 'x64-wu-components-broken') {
        // The manual reset (What's wrong) renamed both folders `.sd-<stamp>` and started the services again; the
        // repair's own steps (Fix it) then renamed the new folders under their stamp.
        const folders = Object.keys(pc.state().wuFolders ?? {})
        expect(folders.filter((f) => /^SoftwareDistribution\.sd-\d{8}-\d{6}$/.test(f)).length, folders.join(', ')).toBeGreaterThanOrEqual(2)
        expect(folders.filter((f) => /^System32\\catroot2\.sd-\d{8}-\d{6}$/.test(f)).length, folders.join(', ')).toBeGreaterThanOrEqual(2)
        expect(pc.state().services.filter((s) => ['wuauserv', 'bits', 'cryptsvc'].includes(s.name.toLowerCase())).map((s) => s.status)).toEqual(['Running', 'Running', 'Running'])
      }
    }
    expect(ran).toBeGreaterThan(3)
    expect(problems).toEqual([])
  }, 600_000)
})
