/**
 * `npm start` without Electron (scripts/start.ts): the interface is built once and reused while its sources are
 * unchanged, the preview starts beside a build instead of after it, it says what it is doing, and a failed build
 * starts nothing. The real scripts run in a small project folder whose `vite` and preview are stand-ins that log
 * when they start and end (a real build takes 7-15 s here; what is tested is the order and the reuse). The stand-in
 * build ends when the preview beside it listens, never after a fixed time: the order holds on a busy machine.
 */
import { describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { tempDirSync } from '../temp-dirs.ts'
import { hangMs } from '../../load.ts'

const FAKE_VITE = `#!/usr/bin/env node
const { appendFileSync, mkdirSync, readFileSync, writeFileSync } = require('node:fs')
const { join } = require('node:path')
const log = (w) => appendFileSync('events.log', w + ' ' + Date.now() + '\\n')
log('build-start')
const i = process.argv.indexOf('--outDir')
const out = i > 0 ? process.argv[i + 1] : join('out', 'renderer')
// The build ends once the preview started beside it listens (an event, not a time: a preview's start takes 1-10 s on a
// busy machine), or after 60 s at idle without it, more on a loaded machine (test/load.ts) (a start that waits for the
// build before it starts the preview): then the build ends first and the order below is red.
const until = Date.now() + ${hangMs(60_000)}
const finish = () => {
  if (process.env.FAKE_VITE_FAIL) { log('build-failed'); process.exit(1) }
  mkdirSync(out, { recursive: true })
  writeFileSync(join(out, 'index.html'), '<!doctype html><title>built</title>')
  log('build-end')
}
const listening = () => { try { return /^preview-listen /m.test(readFileSync('events.log', 'utf8')) } catch { return false } }
const poll = setInterval(() => {
  if (listening() || Date.now() > until) { clearInterval(poll); finish() }
}, 20)
`

const FAKE_PREVIEW = `
import { appendFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
const log = (w) => appendFileSync('events.log', w + ' ' + Date.now() + '\\n')
log('preview-start')
log('strip-cache:' + (process.env.NODE_OPTIONS?.includes('ts-strip-cache.mjs') && process.env.SD_TS_CACHE?.endsWith('ts-strip') ? 'yes' : 'no'))
const args = process.argv.slice(2)
const arg = (n) => { const i = args.indexOf(n); return i >= 0 ? args[i + 1] : undefined }
const wait = arg('--wait-for')
// As main/preview/bin.ts: it listens at once; with --wait-for its page says "building" until the file exists.
log('preview-listen')
process.stdout.write('http://127.0.0.1:1/?token=00\\n')
if (wait) while (!existsSync(wait)) await new Promise((r) => setTimeout(r, 50))
if (!existsSync(join(arg('--renderer') ?? 'out/renderer', 'index.html'))) { log('preview-no-renderer'); process.exit(1) }
log('preview-app')
`

function project(): string {
  const dir = tempDirSync('sd-start-')
  for (const d of ['scripts', 'renderer/src', 'preload', 'main/preview', 'node_modules/.bin'])
    mkdirSync(join(dir, d), { recursive: true })
  for (const f of ['start.ts', 'start-preview.ts', 'run-step.ts', 'ts-strip-cache.mjs'])
    if (existsSync(resolve('scripts', f))) copyFileSync(resolve('scripts', f), join(dir, 'scripts', f))
  writeFileSync(join(dir, 'renderer/src/app.tsx'), 'export const App = () => null\n')
  writeFileSync(join(dir, 'preload/contract.ts'), 'export {}\n')
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n')
  writeFileSync(join(dir, 'vite.renderer.config.ts'), 'export default {}\n')
  writeFileSync(join(dir, 'node_modules/.bin/vite'), FAKE_VITE.replace('#!/usr/bin/env node', `#!${process.execPath}`))
  // The stand-in vite is CommonJS in an ESM package: give it its own package scope.
  writeFileSync(join(dir, 'node_modules/.bin/package.json'), '{"type":"commonjs"}\n')
  chmodSync(join(dir, 'node_modules/.bin/vite'), 0o755)
  writeFileSync(join(dir, 'main/preview/bin.ts'), FAKE_PREVIEW)
  return dir
}

function start(
  dir: string,
  env: Record<string, string> = {},
): Promise<{ code: number | null; out: string; events: Array<[string, number]> }> {
  return new Promise((ok, fail) => {
    const p = spawn(process.execPath, ['scripts/start.ts'], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PATH: `${join(dir, 'node_modules/.bin')}:${process.env.PATH}`, ...env },
    })
    let out = ''
    p.stdout.on('data', (d: Buffer) => {
      out += d.toString('utf8')
    })
    p.stderr.on('data', (d: Buffer) => {
      out += d.toString('utf8')
    })
    p.on('error', fail)
    p.on('close', (code) => {
      const events = existsSync(join(dir, 'events.log'))
        ? readFileSync(join(dir, 'events.log'), 'utf8')
            .trim()
            .split('\n')
            .map((l) => {
              const [w, t] = l.split(' ')
              return [w, Number(t)] as [string, number]
            })
        : []
      writeFileSync(join(dir, 'events.log'), '')
      ok({ code, out, events })
    })
  })
}

const names = (e: Array<[string, number]>) => e.map(([w]) => w)

describe('npm start without Electron', () => {
  it('builds the interface once and reuses it while its sources are unchanged; a changed source builds again', {
    timeout: hangMs(120_000),
  }, async () => {
    const dir = project()
    const first = await start(dir)
    expect(first.code, first.out).toBe(0)
    expect(names(first.events)).toContain('build-start')
    expect(first.out).toContain('Building the interface (no interface is built yet)')
    expect(first.out).toMatch(
      /Interface built in \d+\.\d s \(out\/renderer\); the next start reuses it while these sources are unchanged\./,
    )
    const second = await start(dir)
    expect(second.code, second.out).toBe(0)
    // The preview loads its TypeScript through the cache of stripped sources (a start of ~3-6 s instead of ~9-10 s at load 15).
    expect(names(second.events)).toEqual(['preview-start', 'strip-cache:yes', 'preview-listen', 'preview-app'])
    expect(second.out).toContain('The interface is already built from these sources (out/renderer): reusing it.')
    writeFileSync(join(dir, 'renderer/src/app.tsx'), 'export const App = () => "changed"\n')
    const third = await start(dir)
    expect(names(third.events)).toContain('build-start')
    expect(third.out).toContain('Building the interface (its sources changed since the last build)')
  })

  it('starts the preview beside the build, tells the preview which file says the build is in place, and says so', {
    timeout: hangMs(120_000),
  }, async () => {
    const dir = project()
    const r = await start(dir)
    expect(r.code, r.out).toBe(0)
    const at = Object.fromEntries(r.events)
    expect(at['preview-start']).toBeLessThan(at['build-end'])
    // The preview's address comes before the build ends (its page says "building"); the app once the build is in place.
    expect(at['preview-listen']).toBeLessThan(at['build-end'])
    expect(at['preview-app']).toBeGreaterThanOrEqual(at['build-end'])
    expect(r.out).toContain('until the build is in place its page says so and then opens the app by itself')
  })

  it('a failed build stops the preview and leaves the interface built before in place', {
    timeout: hangMs(120_000),
  }, async () => {
    const dir = project()
    expect((await start(dir)).code).toBe(0)
    writeFileSync(join(dir, 'renderer/src/app.tsx'), 'export const App = () => "broken"\n')
    const r = await start(dir, { FAKE_VITE_FAIL: '1' })
    expect(r.code).toBe(1)
    expect(r.out).toContain('The interface did not build (exit code 1); its errors are above. The preview is stopped.')
    expect(names(r.events)).not.toContain('preview-app')
    expect(readFileSync(join(dir, 'out/renderer/index.html'), 'utf8')).toContain('built')
    // And the next start does not take the old interface for the changed sources.
    const again = await start(dir)
    expect(names(again.events)).toContain('build-start')
  })
})
