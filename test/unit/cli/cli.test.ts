/** The CLI as a person runs it: a child process, JSON only on stdout, errors on stderr with an exit code. */
import { describe, it, expect } from 'vitest'
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { tempDirSync } from '../temp-dirs.ts'
import { CLI } from '../../cli-script.ts'

const home = tempDirSync('sd-cli-')
function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, SERVICING_DESK_HOME: home },
  })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

describe('servicing-desk CLI', () => {
  it('scan --json prints only the snapshot: native arm64, build below the 26100.1742 checkpoint', () => {
    const r = cli('scan', '--machine', 'arm64-missing-checkpoint', '--json')
    expect(r.code).toBe(0)
    const snap = JSON.parse(r.stdout)
    expect(snap.os.value.nativeArch).toBe('arm64')
    expect(snap.os.value.build).toBe(26100)
    expect(snap.os.value.ubr).toBeLessThan(1742)
  })

  it('says on stderr that it uses a training machine when none is named off Windows', () => {
    const r = cli('scan', '--json')
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout).origin.name).toBe('arm64-missing-checkpoint')
    const t = cli('scan')
    expect(t.stderr).toMatch(/this is not Windows; using the training machine/)
  })

  it('machines --json lists the six training machines', () => {
    const r = cli('machines', '--json')
    expect(JSON.parse(r.stdout).machines.map((m: { name: string }) => m.name)).toContain('x64-healthy')
    const t = cli('machines')
    expect(t.stderr).toMatch(/This is not Windows: the default machine is a training machine/)
    expect(t.stdout.split('\n')[0]).toMatch(/^arm64-missing-checkpoint /)
  })

  it('fails with a clear message and exit code 2 for an unknown machine, leaving stdout empty', () => {
    const r = cli('scan', '--machine', 'nope', '--json')
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toMatch(/No training machine named 'nope'/)
  })

  it('writes a snapshot with --out and diagnoses from it with --snapshot', () => {
    const f = join(home, 'pc.json')
    expect(cli('scan', '--machine', 'x64-healthy', '--out', f, '--json').code).toBe(0)
    const r = cli('scan', '--snapshot', f, '--json')
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout).origin.name).toBe('x64-healthy')
  })

  it('refuses a damaged snapshot file', () => {
    const f = join(home, 'bad.json')
    writeFileSync(f, '{"schemaVersion":1,"os":{}}')
    const r = cli('scan', '--snapshot', f, '--json')
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/damaged/)
  })

  it('refuses --machine together with --snapshot', () => {
    const r = cli('scan', '--machine', 'x64-healthy', '--snapshot', 'x.json')
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/either --machine or --snapshot/)
  })
})
