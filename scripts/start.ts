#!/usr/bin/env node
/**
 * `npm start`: the Electron app where its runtime exists; elsewhere (our Linux machines cannot download
 * Electron) it says so plainly and opens the browser preview of the same app on a training machine, building the
 * interface only when its sources changed (scripts/start-preview.ts).
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { spawn } from 'node:child_process'
import { pathToFileURL } from 'node:url'
import { runStep } from './run-step.ts'
import { startPreview } from './start-preview.ts'

/** The Electron binary if its package has one (`path.txt` + `dist/`); never triggers a download. */
function electronBinary(): string | null {
  const pkg = join('node_modules', 'electron')
  try {
    const rel = readFileSync(join(pkg, 'path.txt'), 'utf8').trim()
    const bin = join(pkg, 'dist', rel)
    return existsSync(bin) ? bin : null
  } catch {
    return null
  }
}

const electron = electronBinary()
if (electron) {
  const built = await runStep('build', 'electron-vite', ['build'])
  if (built !== 0) process.exit(built)
  process.exit(await runStep('Servicing Desk', electron, ['.']))
}

process.stdout.write(
  [
    'The Electron runtime is not available on this machine (it cannot be downloaded here), so Servicing Desk',
    'opens as a browser preview instead: the same screens and the same services, on training machines.',
    '',
  ].join('\n'),
)
process.exit(
  await startPreview({
    root: process.cwd(),
    print: (line) => process.stdout.write(`${line}\n`),
    build: (outDir) =>
      runStep('build the interface', 'vite', [
        'build',
        '--config',
        'vite.renderer.config.ts',
        '--outDir',
        outDir,
        '--emptyOutDir',
        '--logLevel',
        'warn',
      ]),
    preview: ({ rendererDir, waitFor }) => {
      const args = ['main/preview/bin.ts', '--open', '--renderer', rendererDir]
      if (waitFor) args.push('--wait-for', waitFor)
      if (process.env.PORT) args.push('--port', process.env.PORT)
      process.stdout.write('\n== preview: the address to open in a browser follows (Ctrl+C stops the preview)\n')
      // The preview loads ~500 TypeScript modules; Node 22 strips their types on every start. The test run's cache of
      // stripped sources (scripts/ts-strip-cache.mjs, keyed by content) serves them instead: measured at load 15, the
      // preview printed its address after 3.0-5.8 s against 9.0-10.1 s without it, the very first time too.
      const hook = join(process.cwd(), 'scripts', 'ts-strip-cache.mjs')
      const env = existsSync(hook)
        ? {
            ...process.env,
            SD_TS_CACHE: join(process.cwd(), '.cache', 'ts-strip'),
            NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${pathToFileURL(hook).href}`.trim(),
          }
        : process.env
      const child = spawn(process.execPath, args, { stdio: 'inherit', env })
      const done = new Promise<number>((resolve) => {
        child.on('error', (err) => {
          process.stdout.write(`preview: could not start: ${err.message}\n`)
          resolve(127)
        })
        child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)))
      })
      return {
        done,
        stop: () => {
          child.kill('SIGTERM')
        },
      }
    },
  }),
)
