/**
 * Real other processes for the run-lock tests: one that is alive (a node that idles, killed after each
 * test of the file that imports this) and the pid of one that has exited and been reaped.
 */
import { afterAll, afterEach, expect } from 'vitest'
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'

const children: ChildProcess[] = []
const killAll = () => {
  for (const c of children.splice(0)) c.kill('SIGKILL')
}
afterEach(killAll)
afterAll(killAll)
process.once('exit', killAll)

/**
 * A live process that is not this one; its pid. It also ends itself once its parent is gone: a test worker killed
 * before its hooks ran left such processes behind on the machine after a whole run.
 */
export async function liveProcess(): Promise<number> {
  const watch = 'const p=process.ppid;setInterval(()=>{try{process.kill(p,0)}catch{process.exit(0)}},250)'
  const child = spawn(process.execPath, ['-e', watch], { stdio: 'ignore' })
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
