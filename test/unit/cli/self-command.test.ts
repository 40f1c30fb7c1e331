/**
 * Commands the CLI prints run as shown: `servicing-desk <command>` only where that name is on PATH; in the
 * project folder `npm run --silent cli --`; elsewhere the Node that runs it and bin.ts. The error prefix and prose
 * that merely names the program are left alone.
 */
import { describe, expect, it } from 'vitest'
import { PassThrough } from 'node:stream'
import { mkdirSync, writeFileSync, chmodSync } from 'node:fs'
import { join } from 'node:path'
import { onPath, runnableHere, selfCommand } from '../../../main/cli/self-command.ts'
import { createOutput } from '../../../main/cli/output.ts'
import { tempDirSync } from '../temp-dirs.ts'

const dir = tempDirSync('sd-self-')
const nowhere = join(dir, 'empty')
mkdirSync(nowhere)

describe('selfCommand', () => {
  it('is servicing-desk only when that name is on PATH', () => {
    const bin = join(dir, 'bin')
    mkdirSync(bin)
    writeFileSync(join(bin, 'servicing-desk'), '#!/bin/sh\n')
    chmodSync(join(bin, 'servicing-desk'), 0o755)
    expect(onPath('servicing-desk', { env: { PATH: bin }, platform: 'linux' })).toBe(true)
    expect(
      selfCommand({
        env: { PATH: bin },
        platform: 'linux',
        cwd: nowhere,
        execPath: '/n/node',
        script: '/p/main/cli/bin.ts',
      }),
    ).toBe('servicing-desk')
    expect(
      selfCommand({
        env: { PATH: '/usr/bin' },
        platform: 'linux',
        cwd: nowhere,
        execPath: '/n/node',
        script: '/p/main/cli/bin.ts',
      }),
    ).not.toBe('servicing-desk')
  })
  it('in the project folder (or under npm run cli): npm run --silent cli --', () => {
    expect(
      selfCommand({ env: { PATH: '' }, platform: 'linux', cwd: process.cwd(), execPath: '/n/node', script: 'x' }),
    ).toBe('npm run --silent cli --')
    expect(
      selfCommand({
        env: { PATH: '', npm_lifecycle_event: 'cli' },
        platform: 'linux',
        cwd: nowhere,
        execPath: '/n/node',
        script: 'x',
      }),
    ).toBe('npm run --silent cli --')
  })
  it('elsewhere: this Node and the bin.ts it runs, quoted where they hold a space', () => {
    expect(
      selfCommand({
        env: { PATH: '' },
        platform: 'win32',
        cwd: nowhere,
        execPath: 'C:\\Program Files\\nodejs\\node.exe',
        script: 'D:\\sd\\main\\cli\\bin.ts',
      }),
    ).toBe('"C:\\Program Files\\nodejs\\node.exe" D:\\sd\\main\\cli\\bin.ts')
    // The launcher and the built CLI run as themselves.
    expect(
      selfCommand({
        env: { PATH: '' },
        platform: 'linux',
        cwd: nowhere,
        execPath: '/n/node',
        script: '/p/bin/servicing-desk.mjs',
      }),
    ).toBe('/n/node /p/bin/servicing-desk.mjs')
    expect(
      selfCommand({
        env: { PATH: '' },
        platform: 'linux',
        cwd: nowhere,
        execPath: '/n/node',
        script: '/p/out/cli/servicing-desk.js',
      }),
    ).toBe('/n/node /p/out/cli/servicing-desk.js')
    expect(
      selfCommand({
        env: { PATH: '' },
        platform: 'linux',
        cwd: nowhere,
        execPath: '/n/node',
        script: '/p/out/cli/chunks/x.js',
      }),
    ).toBe('servicing-desk')
  })
})

describe('printed text', () => {
  it('rewrites each servicing-desk <command>, not the error prefix or other words', () => {
    const npm = 'npm run --silent cli --'
    expect(
      runnableHere(
        'Next: Install KB5094126\n  servicing-desk install --kb KB5094126 --machine x64-wu-components-broken',
        npm,
      ),
    ).toBe(
      'Next: Install KB5094126\n  npm run --silent cli -- install --kb KB5094126 --machine x64-wu-components-broken',
    )
    expect(runnableHere('write it with `servicing-desk plan --kb KB1 --snapshot FILE --script FILE.ps1`', npm)).toBe(
      'write it with `npm run --silent cli -- plan --kb KB1 --snapshot FILE --script FILE.ps1`',
    )
    expect(runnableHere('servicing-desk: No training machine named x.', npm)).toBe(
      'servicing-desk: No training machine named x.',
    )
    expect(runnableHere('servicing-desk install --kb KB1', 'servicing-desk')).toBe('servicing-desk install --kb KB1')
  })
  it('the CLI output writes text as it runs here and leaves --json data as it is', () => {
    let text = ''
    const out = new PassThrough()
    out.on('data', (b: Buffer) => {
      text += b.toString()
    })
    const io = createOutput(out, out, 'npm run --silent cli --')
    io.text('  servicing-desk install --kb KB1 --machine m')
    io.note('Run one: servicing-desk repair <id>')
    io.json({ commands: ['servicing-desk install --kb KB1 --machine m'] })
    expect(text).toContain('  npm run --silent cli -- install --kb KB1 --machine m\n')
    expect(text).toContain('Run one: npm run --silent cli -- repair <id>\n')
    expect(JSON.parse(text.slice(text.indexOf('{')))).toEqual({
      commands: ['servicing-desk install --kb KB1 --machine m'],
    })
  })
})
