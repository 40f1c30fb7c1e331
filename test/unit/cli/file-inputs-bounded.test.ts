/**
 * Size before reading: every file a person names on the command line (`--snapshot FILE`, `machines
 * import FILE`, `install --plan FILE`, `collector read-line --file FILE`, a kit's manifest, `diagnose --log FILE`) has
 * its size read first: one over its limit is refused before a byte is read, and a device (`/dev/zero`: no size, no end)
 * is refused outright. Before, `--snapshot /dev/zero` read 8 GB and a 400 MB JSON peaked at 1.3 GB before its refusal.
 * "Nothing read" is shown by CPU time: the sparse 1 GB file below takes about a second of CPU to read.
 */
import { beforeAll, describe, it, expect } from 'vitest'
import { closeSync, existsSync, mkdirSync, openSync, truncateSync } from 'node:fs'
import { join } from 'node:path'
import { tempDirSync } from '../temp-dirs.ts'
import { runCliInProcess } from '../cli-child.ts'

const MB = 1024 * 1024

function sparse(dir: string, name: string, bytes: number): string {
  const f = join(dir, name)
  closeSync(openSync(f, 'w'))
  truncateSync(f, bytes)
  return f
}

/** The CLI run in this process, with the CPU milliseconds it took (test/unit/cpu-time.ts, for an async call). */
async function timed(
  home: string,
  args: string[],
): Promise<{ result: Awaited<ReturnType<typeof runCliInProcess>>; ms: number }> {
  const start = process.cpuUsage()
  const result = await runCliInProcess(home, args)
  const used = process.cpuUsage(start)
  return { result, ms: (used.user + used.system) / 1000 }
}

describe('every file input: its size first', () => {
  const dir = tempDirSync('sd-file-inputs-')
  const big = sparse(dir, 'big.json', 1024 * MB)
  const kit = join(dir, 'kit')
  mkdirSync(kit)
  sparse(kit, 'manifest.json', 1024 * MB)
  const cases: Array<[string, string[]]> = [
    ['scan --snapshot', ['scan', '--snapshot', big, '--json']],
    ['report --snapshot', ['report', '--snapshot', big, '--out', join(dir, 'r.json')]],
    ['machines import', ['machines', 'import', big]],
    ['install --plan', ['install', '--plan', big, '--yes']],
    ['collector read-line --file', ['collector', 'read-line', '--file', big]],
    ['kit verify (its manifest)', ['kit', 'verify', kit]],
  ]
  // The program's modules load on its first run: not part of any case's CPU time.
  beforeAll(async () => {
    await runCliInProcess(tempDirSync('sd-file-inputs-home-'), ['scan', '--snapshot', join(dir, 'none.json'), '--json'])
  })

  for (const [name, args] of cases) {
    it(`${name}: a 1 GB file is refused from its size, nothing read`, async () => {
      const home = tempDirSync('sd-file-inputs-home-')
      const { result, ms } = await timed(home, args)
      expect(result.code, result.stderr + result.stdout).not.toBe(0)
      expect(result.stderr + result.stdout).toMatch(/1024\.0 MB; at most \d+ MB is read/)
      expect(ms, 'CPU time: nothing of the 1 GB was read').toBeLessThan(600)
    })
  }

  it.runIf(existsSync('/dev/zero'))(
    'a device (/dev/zero) is refused before a byte is read: --snapshot, --plan, --log',
    async () => {
      const home = tempDirSync('sd-file-inputs-home-')
      for (const args of [
        ['scan', '--snapshot', '/dev/zero', '--json'],
        ['install', '--plan', '/dev/zero', '--yes'],
        ['collector', 'read-line', '--file', '/dev/zero'],
        ['diagnose', '--log', '/dev/zero'],
      ]) {
        const { result, ms } = await timed(home, args)
        expect(result.code, args.join(' ')).not.toBe(0)
        expect(result.stderr, args.join(' ')).toMatch(/\/dev\/zero is not a file/)
        expect(ms, args.join(' ')).toBeLessThan(600)
      }
    },
  )
})
