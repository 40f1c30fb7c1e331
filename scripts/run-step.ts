/** Runs one command as a named step (argv, no shell), streaming its output; resolves to its exit code. */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export function runStep(name: string, file: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<number> {
  process.stdout.write(`\n== ${name}: ${[file, ...args].join(' ')}\n`)
  return new Promise((resolve) => {
    const child = spawn(file, args, { stdio: 'inherit', env: { ...process.env, ...env } })
    child.on('error', (err) => {
      process.stdout.write(`${name}: could not start: ${err.message}\n`)
      resolve(127)
    })
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)))
  })
}

export interface PipedStep {
  code: number
  ms: number
  /** CPU seconds of the step's whole process tree (scripts/step-cpu.ts); null where there is no /proc. */
  cpu: number | null
}

const wrapper = fileURLToPath(new URL('./step-cpu.ts', import.meta.url))

/**
 * Runs one command as a named step (argv, no shell) with its stdout and stderr piped to `onOutput` as they come
 * (`stream` says which), stdin closed. Resolves to its exit code, how long it took and the CPU its process tree
 * used (run under scripts/step-cpu.ts, which reports it on fd 3). For `npm test`'s steps that run side by side: the
 * caller decides when their output is printed.
 */
export function runStepPiped(
  name: string,
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  onOutput: (text: string, stream: 'stdout' | 'stderr') => void,
): Promise<PipedStep> {
  const started = performance.now()
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [wrapper, file, ...args], {
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    })
    child.stdout?.setEncoding('utf8').on('data', (t: string) => onOutput(t, 'stdout'))
    child.stderr?.setEncoding('utf8').on('data', (t: string) => onOutput(t, 'stderr'))
    let figures = ''
    const cpuPipe = child.stdio[3] as NodeJS.ReadableStream | null
    cpuPipe?.setEncoding('utf8')
    cpuPipe?.on('data', (t: string) => {
      figures += t
    })
    const cpuOf = (): number | null => {
      try {
        const { cpu } = JSON.parse(figures) as { cpu: unknown }
        return typeof cpu === 'number' ? cpu : null
      } catch {
        return null
      }
    }
    const done = (code: number) => resolve({ code, ms: performance.now() - started, cpu: cpuOf() })
    child.on('error', (err) => {
      onOutput(`${name}: could not start: ${err.message}\n`, 'stderr')
      done(127)
    })
    // 'close', not 'exit': every byte of its output has been read by then.
    child.on('close', (code, signal) => done(code ?? (signal ? 128 : 1)))
  })
}
