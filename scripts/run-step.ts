/** Runs one command as a named step (argv, no shell), streaming its output; resolves to its exit code. */
import { spawn } from 'node:child_process'

export function runStep(name: string, file: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<number> {
  process.stdout.write(`\n== ${name}: ${[file, ...args].join(' ')}\n`)
  return new Promise((resolve) => {
    const child = spawn(file, args, { stdio: 'inherit', env: { ...process.env, ...env } })
    child.on('error', (err) => { process.stdout.write(`${name}: could not start: ${err.message}\n`); resolve(127) })
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)))
  })
}
