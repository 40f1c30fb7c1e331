/**
 * Real other processes for the run-lock tests: one that is alive (a node that idles, killed after each
 * test of the file that imports this) and the pid of one that has exited and been reaped.
 */
import { afterEach, expect } from 'vitest'
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'

const children: ChildProcess[] = []
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL')
})

/** A live process that is not this one; its pid. */
export async function liveProcess(): Promise<number> {
  const child = spawn(process.execPath, ['-e', 'setInterval(()=>{},1e9)'], { stdio: 'ignore' })
  children.push(child)
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', () => resolve())
    child.once('error', reject)
  })
  return child.pid!
}

/** The pid of a process that has exited (and was reaped). */
export function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' })
  const pid = Number(r.stdout)
  expect(() => process.kill(pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }))
  return pid
}
