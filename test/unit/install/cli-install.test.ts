/**
 * `plan` and `install` as a person runs them: JSON on stdout, clear refusals, exit codes. The CLI's program runs in
 * this process (test/unit/cli-child.ts runCliInProcess: the same commander program bin.ts runs, its output captured);
 * the refusal without a terminal runs it as a child process with stdin closed, the boundary it is about.
 */
import { describe, it, expect } from 'vitest'
import { spawnSync } from 'node:child_process'
import { writeFileSync, readFileSync, appendFileSync } from 'node:fs'
import { writeTrainingKit } from '../../../main/install/training-kit.ts'
import { join } from 'node:path'
import { tempDirSync } from '../temp-dirs.ts'
import { CLI } from '../../cli-script.ts'
import { runCliInProcess } from '../cli-child.ts'

function child(home: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, SERVICING_DESK_HOME: home },
    input: '',
  })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}
const cli = (home: string, ...args: string[]) => runCliInProcess(home, args)
const home = () => tempDirSync('sd-cli-install-')

describe('servicing-desk plan', () => {
  it('prints the steps with their commands; --json is a plan; --script writes PowerShell', async () => {
    const h = home()
    const t = await cli(
      h,
      'plan',
      '--kb',
      'KB5086672',
      '--machine',
      'arm64-missing-checkpoint',
      '--method',
      'sequence',
      '--script',
      join(h, 'p.ps1'),
    )
    expect(t.code).toBe(0)
    expect(t.stdout).toMatch(
      /1\. Install KB5043080 \(checkpoint\)\n\s+%SystemRoot%\\System32\\Dism\.exe \/English \/Online \/Add-Package \/PackagePath:\S+kb5043080-arm64_[0-9a-f]{40}\.msu \/NoRestart/,
    )
    expect(t.stdout).toMatch(/3\. Install KB5086672\n/)
    expect(readFileSync(join(h, 'p.ps1'), 'utf8')).toMatch(/^\uFEFF#Requires -RunAsAdministrator\r\n/)
    const j = await cli(h, 'plan', '--kb', '5086672', '--machine', 'arm64-missing-checkpoint', '--json')
    expect(j.code).toBe(0)
    expect(JSON.parse(j.stdout).steps[0].kbs).toEqual(['KB5043080', 'KB5086672'])
  })

  it('plans for another PC from its snapshot: packages fetched for its arch, administrator rights unknown (warn)', async () => {
    const h = home()
    const snap = join(h, 'arm.json')
    expect((await cli(h, 'scan', '--machine', 'arm64-missing-checkpoint', '--out', snap, '--json')).code).toBe(0)
    const r = await cli(h, 'plan', '--kb', 'KB5086672', '--snapshot', snap, '--json')
    expect(r.code, r.stderr).toBe(0)
    const plan = JSON.parse(r.stdout)
    expect(plan.machine.ref.kind).toBe('snapshot')
    expect(plan.preflight.find((c: { id: string }) => c.id === 'elevated').status).toBe('warn')
    expect(plan.packages.map((p: { kb: string; arch: string }) => `${p.kb}-${p.arch}`)).toEqual([
      'KB5043080-arm64',
      'KB5086672-arm64',
    ])
    expect(plan.notes.at(-1)).toMatch(
      /^The script uses the packages at C:\\ProgramData\\ServicingDesk\\kits\\install\\KB5086672-arm64 on the PC: copy that folder there/,
    )
    // A plan for another PC cannot be run here.
    writeFileSync(join(h, 'p.json'), r.stdout)
    const refused = (await cli(h, 'install', '--plan', join(h, 'p.json'), '--yes')).stderr
    expect(refused).toMatch(/made from a snapshot of another PC/)
    // It points at commands that exist: `plan … --script` and `kit build … --snapshot`.
    // Written as they run here (`servicing-desk` only when that name is on PATH).
    expect(refused).toMatch(
      /(npm run --silent cli --|servicing-desk) plan --kb KB5086672 --snapshot FILE --script FILE\.ps1/,
    )
    expect(refused).toMatch(
      /(npm run --silent cli --|servicing-desk) kit build --kb KB5086672 --snapshot FILE --out DIR/,
    )
  })

  it('refuses with exit 3 and the reason: --arch x64 for the ARM64 PC', async () => {
    const r = await cli(home(), 'plan', '--kb', 'KB5086672', '--machine', 'arm64-missing-checkpoint', '--arch', 'x64')
    expect(r.code).toBe(3)
    expect(r.stdout).toContain('REFUSED: Packages prepared for x64 cannot be installed on this arm64 PC.')
  })

  it('rejects bad input plainly', async () => {
    const h = home()
    expect((await cli(h, 'plan', '--kb', 'hello', '--machine', 'arm64-missing-checkpoint')).stderr).toMatch(
      /'hello' is not a KB number/,
    )
    expect((await cli(h, 'plan', '--machine', 'arm64-missing-checkpoint')).stderr).toMatch(
      /Give the update to plan with --kb KB/,
    )
    expect(
      (await cli(h, 'plan', '--kb', 'KB5086672', '--machine', 'arm64-missing-checkpoint', '--method', 'fast')).stderr,
    ).toMatch(/--method must be folder or sequence/)
    expect(
      (await cli(h, 'plan', '--kb', 'KB5086672', '--machine', 'arm64-missing-checkpoint', '--wim', 'x.wim')).stderr,
    ).toMatch(/--wim and --index need --image DIR/)
    expect(
      (await cli(h, 'plan', '--kb', 'KB5086672', '--machine', 'arm64-missing-checkpoint', '--kit', join(h, 'empty')))
        .stderr,
    ).toMatch(/No \.msu or \.cab packages in/)
  })
})

describe('servicing-desk install', () => {
  it('refuses to run without --yes when there is no terminal to ask on', async () => {
    const r = child(home(), 'install', '--kb', 'KB5086672', '--machine', 'arm64-missing-checkpoint')
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/No terminal to confirm on/)
  })

  it('--plan FILE runs a saved plan; --json prints the journal and verified; a second run has nothing to do', async () => {
    const h = home()
    const plan = await cli(h, 'plan', '--kb', 'KB5086672', '--machine', 'arm64-missing-checkpoint', '--json')
    writeFileSync(join(h, 'plan.json'), plan.stdout)
    const r = await cli(h, 'install', '--plan', join(h, 'plan.json'), '--yes', '--json')
    expect(r.code, r.stderr).toBe(0)
    const out = JSON.parse(r.stdout)
    expect(out.verified).toBe(true)
    expect(out.journal.status).toBe('completed')
    expect(out.journal.verification.after).toEqual({ build: 26100, ubr: 8117 })
    const again = JSON.parse(
      (await cli(h, 'install', '--kb', 'KB5086672', '--machine', 'arm64-missing-checkpoint', '--yes', '--json')).stdout,
    )
    expect(again.journal.plan.steps).toEqual([])
    expect(again.verified).toBe(true)
  })

  it('rejects a file that is not a plan, and conflicting sources', async () => {
    const h = home()
    writeFileSync(join(h, 'bad.json'), '{"id": 1}')
    expect((await cli(h, 'install', '--plan', join(h, 'bad.json'), '--yes')).stderr).toMatch(
      /This is not a valid plan: /,
    )
    expect((await cli(h, 'install', '--plan', join(h, 'missing.json'), '--yes')).stderr).toMatch(
      /Cannot read the plan file/,
    )
    expect((await cli(h, 'install', '--kb', 'KB5086672', '--plan', 'x', '--yes')).stderr).toMatch(
      /either --kb or --plan/,
    )
    expect((await cli(h, 'install', '--yes')).stderr).toMatch(/Give what to install/)
  })

  it('x64-component-store-corrupt: exit 1, the failure and its diagnosis on stdout', async () => {
    const r = await cli(home(), 'install', '--kb', 'KB5048685', '--machine', 'x64-component-store-corrupt', '--yes')
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/FAILED 0x80073712: The component store has been corrupted\./)
    expect(r.stdout).toMatch(/Diagnosis: .*\(ERROR_SXS_COMPONENT_STORE_CORRUPT \(0x80073712\)\)/)
    expect(r.stdout).toMatch(/2\. Restart the PC: skipped: s1-add-KB5048685 failed; nothing after it runs\./)
  })

  it('--kit DIR: installs from a folder of MSUs (targets found in it); a damaged checkpoint is left out and the plan refused', async () => {
    const h = home()
    const kitDir = join(h, 'my-kit')
    writeTrainingKit(kitDir, 'KB5086672', 'arm64')
    const ok = await cli(h, 'install', '--kit', kitDir, '--machine', 'arm64-missing-checkpoint', '--yes', '--json')
    expect(ok.code, ok.stderr).toBe(0)
    const out = JSON.parse(ok.stdout)
    expect(out.journal.plan.targets).toEqual(['KB5086672'])
    expect(out.verified).toBe(true)

    const h2 = home()
    const bad = join(h2, 'bad-kit')
    const f2 = writeTrainingKit(bad, 'KB5086672', 'arm64')
    appendFileSync(f2[0].path, 'tampered')
    const r = await cli(
      h2,
      'plan',
      '--kb',
      'KB5086672',
      '--kit',
      bad,
      '--machine',
      'arm64-missing-checkpoint',
      '--json',
    )
    expect(r.code).toBe(3)
    const plan = JSON.parse(r.stdout)
    expect(plan.notes[0]).toBe(
      `Left out ${f2[0].fileName}: SHA-1 does not match the one in its name: the file is damaged.`,
    )
    expect(plan.refused).toBe(
      'KB5086672 needs the checkpoint KB5043080 (26100.1742) first, and its package file is missing.',
    )
  })
})
