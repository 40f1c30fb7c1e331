#!/usr/bin/env node
/**
 * `npm start`: the Electron app where its runtime exists; elsewhere (our Linux machines cannot download
 * Electron) it says so plainly and opens the browser preview of the same app on a training machine.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { runStep } from './run-step.ts'

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

process.stdout.write([
  'The Electron runtime is not available on this machine (it cannot be downloaded here), so Servicing Desk',
  'opens as a browser preview instead: the same screens and the same services, on training machines.',
  '',
].join('\n'))
const built = await runStep('build the interface', 'vite', ['build', '--config', 'vite.renderer.config.ts', '--logLevel', 'warn'])
if (built !== 0) process.exit(built)
const args = ['main/preview/bin.ts', '--open']
if (process.env.PORT) args.push('--port', process.env.PORT)
process.stdout.write('Open this address in a browser (Ctrl+C stops the preview):\n')
process.exit(await runStep('preview', process.execPath, args))
