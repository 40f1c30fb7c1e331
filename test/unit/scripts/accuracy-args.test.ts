/** `npm run accuracy` with a wrong argument: one line saying what is wrong and the usage, exit 2, no stack trace. */
import { describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'

const root = join(import.meta.dirname, '../../..')
const run = (...args: string[]) =>
  spawnSync(process.execPath, ['scripts/accuracy.ts', ...args], { cwd: root, encoding: 'utf8' })

describe('accuracy: bad arguments', () => {
  it.each([
    [['no-such-batch'], /cannot read the batch folder .*no-such-batch: ENOENT/],
    [['test/fixtures/corpus-causes-6', '--half', 'both'], /--half takes working or held-out/],
    [['test/fixtures/corpus', '--half', 'working'], /--half needs the batch's manifest\.json/],
    [['--verbose'], /unknown option --verbose/],
  ])('%j is refused', (args, why) => {
    const r = run(...args)
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(why)
    expect(r.stderr).toMatch(/^usage: npm run accuracy/m)
    expect(r.stderr).not.toMatch(/\n\s+at /)
  })

  it('--help prints the usage and ends well', () => {
    const r = run('--help')
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/^usage: npm run accuracy -- /)
  })
})
