/**
 * Benchmark: the renderer's JavaScript size gzipped (budget 300 KB) and the first screen's
 * time-to-interactive in the preview (budget < 1 s), in the npm Chromium through playwright-core.
 *
 * Baselines measured in the same run: for size, a "hello React" page built by the same Vite config
 * (React + ReactDOM alone); for time, an empty HTML page served from 127.0.0.1 and loaded by the same
 * browser. "Interactive" means the first screen lists the training machines with enabled Check buttons
 * (the list comes over the bridge, so it includes a real call to the back end). Prints numbers;
 * asserts nothing (benchmarks are not tests). Builds the renderer first, into out/renderer.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { gzipSync } from 'node:zlib'
import { chromium } from 'playwright-core'
import { chromiumArgs, chromiumExecutable } from '../e2e/chromium-path.ts'
import { createServices } from '../../main/services.ts'
import { createHandlers } from '../../main/handlers.ts'
import { startPreviewServer } from '../../main/preview/preview-server.ts'

const root = resolve(import.meta.dirname, '../..')
const ROUNDS = 9
const vite = join(root, 'node_modules/.bin/vite')

/** Gzipped (level 9) bytes of every .js file in a built folder's assets. */
function gzippedJs(dir: string): { raw: number; gz: number } {
  const assets = join(dir, 'assets')
  let raw = 0
  let gz = 0
  for (const f of readdirSync(assets).filter((n) => n.endsWith('.js'))) {
    const b = readFileSync(join(assets, f))
    raw += b.length
    gz += gzipSync(b, { level: 9 }).length
  }
  return { raw, gz }
}

// --- Size: the app vs a "hello React" build with the same toolchain ---------------------------------
execFileSync(process.execPath, [vite, 'build', '--config', 'vite.renderer.config.ts', '--logLevel', 'error'], {
  cwd: root,
  stdio: 'inherit',
})
const app = gzippedJs(join(root, 'out/renderer'))

const helloDir = join(root, '.cache/bench-hello-react')
rmSync(helloDir, { recursive: true, force: true })
mkdirSync(helloDir, { recursive: true })
writeFileSync(
  join(helloDir, 'index.html'),
  '<!doctype html><html><body><div id="root"></div><script type="module" src="./main.tsx"></script></body></html>',
)
writeFileSync(
  join(helloDir, 'main.tsx'),
  "import { createRoot } from 'react-dom/client'\ncreateRoot(document.getElementById('root')!).render(<p>hello</p>)\n",
)
writeFileSync(
  join(helloDir, 'vite.config.ts'),
  `import { defineConfig } from 'vite'\nimport react from '@vitejs/plugin-react'\nexport default defineConfig({ root: ${JSON.stringify(helloDir)}, base: './', logLevel: 'error', build: { outDir: ${JSON.stringify(join(helloDir, 'out'))}, emptyOutDir: true }, plugins: [react()] })\n`,
)
execFileSync(process.execPath, [vite, 'build', '--config', join(helloDir, 'vite.config.ts')], {
  cwd: root,
  stdio: 'inherit',
})
const hello = gzippedJs(join(helloDir, 'out'))

// --- Time: first screen interactive vs an empty page ------------------------------------------------
const home = join(tmpdir(), `sd-bench-renderer-${process.pid}`)
const preview = await startPreviewServer({
  handlers: createHandlers(createServices({ dataDir: home })),
  rendererDir: join(root, 'out/renderer'),
  port: 0,
})
const empty = createServer((_, res) => {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
  res.end('<!doctype html><title>empty</title>')
})
await new Promise<void>((r) => empty.listen(0, '127.0.0.1', () => r()))
const emptyUrl = `http://127.0.0.1:${(empty.address() as { port: number }).port}/`

const browser = await chromium.launch({ executablePath: await chromiumExecutable(), args: chromiumArgs })
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const best = (xs: number[]) => Math.min(...xs)

/** One cold load in a fresh context (no cache): ms from navigation start to `ready()` being true. */
async function measure(url: string, ready: () => number | false): Promise<number> {
  const ctx = await browser.newContext()
  const page = await ctx.newPage()
  await page.goto(url, { waitUntil: 'commit' })
  const handle = await page.waitForFunction(ready, undefined, { polling: 'raf', timeout: 30_000 })
  const ms = (await handle.jsonValue()) as number
  await ctx.close()
  return ms
}

// Functions, not strings: the app's CSP forbids eval, and Playwright runs functions without it.
const emptyReady = () => (document.readyState === 'complete' ? performance.now() : false)
const appReady = () => {
  const b = document.querySelector<HTMLButtonElement>('[data-testid^="check-"]')
  return b && !b.disabled && document.readyState === 'complete' ? performance.now() : false
}
await measure(emptyUrl, emptyReady) // warm the browser process once
await measure(`${preview.url}?token=${preview.token}`, appReady)
const emptyMs: number[] = []
const appMs: number[] = []
for (let i = 0; i < ROUNDS; i++) {
  emptyMs.push(await measure(emptyUrl, emptyReady))
  appMs.push(await measure(`${preview.url}?token=${preview.token}`, appReady))
}
await browser.close()
await preview.close()
empty.close()
rmSync(home, { recursive: true, force: true })
rmSync(helloDir, { recursive: true, force: true })

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`
const out = process.stdout
out.write(
  `(load average ${loadavg()[0].toFixed(1)} on ${cpus().length} CPUs; ${ROUNDS} cold loads each, a fresh browser context per load)\n`,
)
out.write('Renderer JavaScript, gzipped (level 9):\n')
out.write(`  baseline "hello React" (same Vite + React): ${kb(hello.gz)} (${kb(hello.raw)} raw)\n`)
out.write(
  `  Servicing Desk renderer:                    ${kb(app.gz)} (${kb(app.raw)} raw) = ${(app.gz / hello.gz).toFixed(2)}x baseline, ${((app.gz / (300 * 1024)) * 100).toFixed(0)}% of the 300 KB budget\n`,
)
out.write('First screen interactive in the preview (navigation start → Check buttons enabled, machine list loaded):\n')
out.write(
  `  baseline empty page (load complete):        median ${median(emptyMs).toFixed(0)} ms, best ${best(emptyMs).toFixed(0)} ms\n`,
)
out.write(
  `  Servicing Desk first screen:                median ${median(appMs).toFixed(0)} ms, best ${best(appMs).toFixed(0)} ms = ${(median(appMs) / median(emptyMs)).toFixed(1)}x baseline, ${((median(appMs) / 1000) * 100).toFixed(0)}% of the 1 s budget\n`,
)
