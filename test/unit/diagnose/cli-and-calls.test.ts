import { describe, it, expect } from 'vitest'
import { Writable } from 'node:stream'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runCli } from '../../../main/cli/run-cli.ts'
import { createOutput } from '../../../main/cli/output.ts'
import { createServices } from '../../../main/services.ts'
import { createHandlers, invokeCall } from '../../../main/handlers.ts'
import { loadFixture } from '../../fixtures/load.ts'
import { tempDirSync } from '../temp-dirs.ts'

function sink() {
  let text = ''
  const w = new Writable({
    write(chunk, _e, cb) {
      text += chunk.toString()
      cb()
    },
  })
  return {
    w,
    get text() {
      return text
    },
  }
}

async function cli(args: string[]) {
  const out = sink(),
    err = sink()
  const code = await runCli(args, createOutput(out.w, err.w))
  return { code, stdout: out.text, stderr: err.text }
}

describe('CLI explain/diagnose', () => {
  it('explain --json answers for every form', async () => {
    for (const form of ['0x800F0922', '800f0922', '-2146498270', '2148469026']) {
      const r = await cli(['explain', form, '--json'])
      expect(r.code).toBe(0)
      expect(JSON.parse(r.stdout)).toMatchObject({ code: '0x800F0922', name: 'CBS_E_INSTALLERS_FAILED', known: true })
    }
    const pair = JSON.parse((await cli(['explain', '0xC1900208 - 0x4000C', '--json'])).stdout)
    expect(pair).toMatchObject({ code: '0xC1900208', extend: '0x4000C' })
    const text = await cli(['explain', '740'])
    expect(text.stdout).toMatch(/0x800702E4\s+ERROR_ELEVATION_REQUIRED/)
  })

  it('explain of a non-code exits non-zero with a plain message', async () => {
    const r = await cli(['explain', 'banana'])
    expect(r.code).not.toBe(0)
    expect(r.stderr).toMatch(/does not look like an error code/)
    expect(r.stdout).toBe('')
  })

  it('diagnose --machine --json prints {findings} most likely first', async () => {
    const r = await cli(['diagnose', '--machine', 'arm64-missing-checkpoint', '--json'])
    expect(r.code).toBe(0)
    const d = JSON.parse(r.stdout)
    expect(d.findings[0].id).toBe('missing-checkpoint')
    for (const f of d.findings) expect(['critical', 'error', 'warning', 'info']).toContain(f.severity)
  })

  it('diagnose --log streams a CBS.log file; --code alone reads no machine', async () => {
    const dir = tempDirSync('sd-cli-')
    const p = join(dir, 'CBS.log')
    writeFileSync(p, loadFixture('cbs-log/0x800f0823-servicing-stack.log').text)
    const d = JSON.parse((await cli(['diagnose', '--log', p, '--json'])).stdout)
    expect(d.findings[0].id).toBe('servicing-stack-required')
    const c = await cli(['diagnose', '--code', '0x80070643', '--json'])
    expect(JSON.parse(c.stdout).findings[0].codes).toContain('0x80070643')
    const missing = await cli(['diagnose', '--log', join(dir, 'nope.log'), '--json'])
    expect(missing.code).not.toBe(0)
    expect(missing.stderr).toMatch(/Cannot read the log file/)
  })
})

describe('contract calls explain/diagnose', () => {
  const handlers = createHandlers(createServices({ dataDir: tempDirSync('sd-calls-'), platform: 'linux' }))
  it('explain validates input and returns the explanation', async () => {
    const ok = await invokeCall(handlers, 'explain', { code: '0x80073712' })
    expect(ok).toMatchObject({ ok: true, value: { name: 'ERROR_SXS_COMPONENT_STORE_CORRUPT' } })
    expect(await invokeCall(handlers, 'explain', { code: '' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input' },
    })
    expect(await invokeCall(handlers, 'explain', { code: 'nope' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input' },
    })
  })
  it('diagnose a training machine through the call', async () => {
    const r = await invokeCall(handlers, 'diagnose', { machine: { kind: 'training', name: 'x64-pending-restart' } })
    expect(r.ok && r.value.findings[0]!.id).toBe('pending-restart')
    expect(await invokeCall(handlers, 'diagnose', { machine: { kind: 'training', name: 'Bad Name' } })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input' },
    })
  })
})

describe('CLI diagnose bad input', () => {
  it('an unknown machine and both --machine and --snapshot are plain errors', async () => {
    const r = await cli(['diagnose', '--machine', 'no-such-pc', '--json'])
    expect(r.code).not.toBe(0)
    expect(r.stderr).toMatch(/No training machine named 'no-such-pc'/)
    expect(r.stdout).toBe('')
    const both = await cli(['diagnose', '--machine', 'x64-healthy', '--snapshot', 'x.json'])
    expect(both.stderr).toMatch(/either --machine or --snapshot/)
  })

  it('a snapshot file from scan --out is diagnosed without logs, and says so', async () => {
    const dir = tempDirSync('sd-snap-')
    const p = join(dir, 'snap.json')
    expect((await cli(['scan', '--machine', 'x64-pending-restart', '--out', p, '--json'])).code).toBe(0)
    const d = JSON.parse((await cli(['diagnose', '--snapshot', p, '--json'])).stdout)
    expect(d.findings[0].id).toBe('pending-restart')
    expect(d.notes.join(' ')).toMatch(/snapshot carries no logs/)
  })
})

describe('CLI diagnose --log with a setupact.log', () => {
  it('streams the setup log and reports the setup result pair', async () => {
    const dir = tempDirSync('sd-setup-')
    const p = join(dir, 'setupact.log')
    writeFileSync(
      p,
      [
        '2019-06-12 14:44:19, Info                  MOUPG  SetupHost: Reporting error event',
        '2019-06-12 14:44:20, Error                 MOUPG  Setup failed: 0xC1900101 - 0x4000D',
      ].join('\r\n'),
    )
    const d = JSON.parse((await cli(['diagnose', '--log', p, '--json'])).stdout)
    expect(d.findings[0]).toMatchObject({ id: 'feature-update-failed' })
    expect(d.findings[0].technical).toContain('0x4000D')
  })
})
