/**
 * The built CLI's resolve hook (main/cli/chunk-resolve.ts): a relative `.js` import between modules of the build's
 * folder is answered by joining URLs, as an ES module; every other import goes to Node's resolver. The hook is called
 * here by hand (registering it would change this process's own imports); the built CLI running with it, and loading
 * only what each command uses, is fast-start.test.ts.
 */
import { describe, expect, it } from 'vitest'
import type { ResolveHookContext } from 'node:module'
import { chunkResolver } from '../../../main/cli/chunk-resolve.ts'

const entry = 'file:///opt/sd/out/cli/servicing-desk.js'
const context = (parentURL: string | undefined): ResolveHookContext => ({
  conditions: ['node', 'import'],
  importAttributes: {},
  parentURL,
})

function resolve(specifier: string, parentURL: string | undefined) {
  const asked: string[] = []
  const out = chunkResolver(entry)(specifier, context(parentURL), (s) => {
    asked.push(s)
    return { url: `next:${s}` }
  })
  return { out, asked }
}

describe('the built CLI resolves its own chunks by URL', () => {
  it('a relative .js import between modules of the build is the joined URL, an ES module, without Node’s resolver', () => {
    expect(resolve('./chunks/cli-main-abc.js', entry)).toEqual({
      out: { url: 'file:///opt/sd/out/cli/chunks/cli-main-abc.js', format: 'module', shortCircuit: true },
      asked: [],
    })
    expect(resolve('./rule-x.js', 'file:///opt/sd/out/cli/chunks/diagnose-core-y.js').out.url).toBe(
      'file:///opt/sd/out/cli/chunks/rule-x.js',
    )
    expect(resolve('../analyze-worker.js', 'file:///opt/sd/out/cli/chunks/a.js').out.url).toBe(
      'file:///opt/sd/out/cli/analyze-worker.js',
    )
  })

  it('everything else goes to Node’s resolver: dependencies, built-ins, other files, other folders', () => {
    for (const [specifier, parent] of [
      ['execa', 'file:///opt/sd/out/cli/chunks/a.js'],
      ['node:fs', 'file:///opt/sd/out/cli/chunks/a.js'],
      ['./data/x.json', 'file:///opt/sd/out/cli/chunks/a.js'],
      ['./a.js', 'file:///opt/sd/node_modules/execa/index.js'],
      ['./a.js', 'file:///opt/sd/out/cli-other/chunks/b.js'],
      ['../../main/x.js', 'file:///opt/sd/out/cli/chunks/a.js'],
      ['./servicing-desk.js', undefined],
    ] as const) {
      const { out, asked } = resolve(specifier, parent)
      expect(asked, `${specifier} from ${parent}`).toEqual([specifier])
      expect(out).toEqual({ url: `next:${specifier}` })
    }
  })
})
