import { describe, expect, it } from 'vitest'
import { Worker } from 'node:worker_threads'
import { parseSchedstat, readThreadTimes, ThreadSampler } from '../../bench/thread-times.ts'

describe('parseSchedstat', () => {
  it('reads on-CPU and waiting nanoseconds and the slice count, as the kernel writes them', () => {
    expect(parseSchedstat('1520331842 224310544 1183\n')).toEqual({ run: 1.520331842, wait: 0.224310544, slices: 1183 })
    expect(parseSchedstat('0 0 0')).toEqual({ run: 0, wait: 0, slices: 0 })
  })
  it('refuses anything else', () => {
    for (const bad of ['', '1 2', '1 2 3 4', 'a b c', '-1 2 3', '1  2 3', ' 1 2 3'])
      expect(parseSchedstat(bad)).toBeNull()
  })
})

describe.skipIf(process.platform !== 'linux')('threads of a real process (/proc)', () => {
  it("lists this process's main thread with the CPU time it has used", () => {
    const t = readThreadTimes(process.pid).get(process.pid)
    expect(t).toBeDefined()
    expect(t!.run).toBeGreaterThan(0)
    expect(t!.name.length).toBeGreaterThan(0)
  })

  it('gives an empty map for a process that does not exist', () => {
    expect(readThreadTimes(2 ** 22 + 12345).size).toBe(0)
  })

  it('keeps the time of a worker that ended before the run was stopped', async () => {
    const sampler = new ThreadSampler([process.pid], 20)
    // The worker spins until the kernel has counted 0.1 s on a CPU for it (whatever the machine's load), says
    // its thread id, and waits, idle, to be told to end: the sampler reads it at least once after the 0.1 s
    // (its 20 ms interval comes due before the 60 ms wait below), and its /proc task folder is gone by the
    // time stop() is called.
    const w = new Worker(
      `
      const { readFileSync } = require('node:fs')
      const { parentPort } = require('node:worker_threads')
      const ran = () => Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e9
      let x = 0
      while (ran() < 0.1) for (let i = 0; i < 1e5; i++) x += i
      parentPort.once('message', () => parentPort.close())
      parentPort.postMessage(readFileSync('/proc/thread-self/stat', 'utf8').split(' ')[0])
    `,
      { eval: true },
    )
    const tid = Number(await new Promise<string>((resolve) => w.once('message', resolve)))
    await new Promise((resolve) => setTimeout(resolve, 60))
    const ended = new Promise((resolve) => w.once('exit', resolve))
    w.postMessage('end')
    await ended
    const shares = sampler.stop(10)
    const mine = shares.find((s) => s.tid === tid)
    expect(mine, 'the ended worker is in the shares').toBeDefined()
    expect(mine!.pid, "and it is counted as this process's").toBe(process.pid)
    expect(mine!.run).toBeGreaterThanOrEqual(0.1)
    expect(mine!.asleep).toBeCloseTo(10 - mine!.run - mine!.wait, 6)
    expect(shares.map((s) => s.run)).toEqual([...shares.map((s) => s.run)].sort((a, b) => b - a))
  })
})
