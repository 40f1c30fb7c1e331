/**
 * scripts/ts-strip-cache.mjs (the test run's cache of type-stripped sources for CLI child processes): a child
 * started with it prints exactly what it prints without it, writes its cache, prints no experimental warning
 * on stderr (tests read children's stderr), and a changed source is stripped again (keyed by content).
 */
import { describe, it, expect } from 'vitest'
import { execFileSync, spawnSync } from 'node:child_process'
import { readdirSync, writeFileSync, mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { tempDirSync } from '../temp-dirs.ts'

const hook = pathToFileURL(resolve('scripts/ts-strip-cache.mjs')).href
const run = (file: string, cache: string | null) => {
  const r = execFileSync(process.execPath, [file], {
    env: { ...process.env, NODE_OPTIONS: cache ? `--import=${hook}` : '', SD_TS_CACHE: cache ?? '' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  return r
}

describe('the type-stripped source cache of the test run', () => {
  it('gives the same output, caches by content, and says nothing on stderr', () => {
    const dir = tempDirSync('sd-strip-')
    const cache = join(dir, 'cache')
    mkdirSync(join(dir, 'src'))
    const main = join(dir, 'src', 'main.ts')
    writeFileSync(
      join(dir, 'src', 'lib.ts'),
      'export interface P { n: number }\nexport const twice = (p: P): number => p.n * 2\n',
    )
    writeFileSync(
      main,
      "import { twice, type P } from './lib.ts'\nconst p: P = { n: 21 }\nconsole.log(twice(p), new Error('x').stack!.split('\\n')[1]!.replace(/^.*main\\.ts/, 'main.ts'))\n",
    )
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n')
    const plain = run(main, null)
    const cached = run(main, cache)
    expect(cached).toBe(plain)
    expect(plain).toMatch(/^42 main\.ts:3:\d+\)?\n$/)
    expect(readdirSync(cache).filter((f) => f.endsWith('.js'))).toHaveLength(2)
    // Warm: same answer from the cache; stderr stays empty (the experimental warning is dropped).
    const warm = spawnSync(process.execPath, [main], {
      env: { ...process.env, NODE_OPTIONS: `--import=${hook}`, SD_TS_CACHE: cache },
      encoding: 'utf8',
    })
    expect(warm.stdout).toBe(plain)
    expect(warm.stderr).toBe('')
    // A changed source is a new key, never a stale answer.
    writeFileSync(
      join(dir, 'src', 'lib.ts'),
      'export interface P { n: number }\nexport const twice = (p: P): number => p.n * 3\n',
    )
    expect(run(main, cache)).toMatch(/^63 /)
    expect(readdirSync(cache).filter((f) => f.endsWith('.js'))).toHaveLength(3)
  })
})
