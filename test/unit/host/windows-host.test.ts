/** WindowsHost's process logic, driven with real `node -e` children (runs on Linux and Windows alike). */
import { readFileSync } from 'node:fs'
import { describe, expect, it, vi } from 'vitest'
import { WindowsHost, resolveSystemTool, unsignedExitCode } from '../../../main/host/windows-host.ts'
import { validateSpec } from '../../../main/host/host.ts'
import type { CommandSpec } from '../../../main/host/host.ts'

const host = new WindowsHost({ platform: process.platform === 'win32' ? 'win32' : 'linux', oemCodePage: 437 })
const node = (name: string, script: string, extra: Partial<CommandSpec> = {}): CommandSpec => ({
  name,
  file: process.execPath,
  args: ['-e', script],
  timeoutMs: 20_000,
  ...extra,
})

/** True when the process runs; a zombie (killed, not yet reaped by PID 1 in a container) counts as dead. */
function isAlive(pid: number): boolean {
  if (process.platform === 'linux') {
    try {
      return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))
    } catch {
      return false
    }
  }
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe('WindowsHost.run', () => {
  it('returns stdout, stderr and exit code 0 as ok', async () => {
    const r = await host.run(node('t.ok', "process.stdout.write('héllo\\n'); process.stderr.write('warn')"))
    expect(r).toMatchObject({
      name: 't.ok',
      exitCode: 0,
      ok: true,
      stdout: 'héllo\n',
      stderr: 'warn',
      timedOut: false,
      cancelled: false,
      truncated: false,
    })
    expect(r.commandLine).toContain('-e')
  })

  it('treats declared success codes as ok (DISM 3010) and others as failure', async () => {
    // POSIX exit statuses are 8-bit, so 3010 itself is only tried on Windows.
    const code = process.platform === 'win32' ? 3010 : 3
    const r3010 = await host.run(node('t.3010', `process.exit(${code})`, { successExitCodes: [0, code] }))
    expect(r3010).toMatchObject({ exitCode: code, ok: true })
    const r5 = await host.run(node('t.5', 'process.exit(5)', { successExitCodes: [0, 3010] }))
    expect(r5).toMatchObject({ exitCode: 5, ok: false })
  })

  it('passes arguments verbatim with no shell: quotes, &, ;, $() and .. stay data', async () => {
    const hostile = ['a "b" c', 'x & calc.exe', 'y; rm -rf /', '$(whoami)', '..\\..\\Windows', '%PATH%', '`id`']
    const r = await host.run({
      name: 't.argv',
      file: process.execPath,
      args: ['-e', 'process.stdout.write(JSON.stringify(process.argv.slice(1)))', ...hostile],
      timeoutMs: 20_000,
    })
    expect(JSON.parse(r.stdout)).toEqual(hostile)
  })

  it('kills a command that hangs past its timeout, with its child processes', async () => {
    const script =
      "const {spawn}=require('child_process');const c=spawn(process.execPath,['-e','setInterval(()=>{},1000)'],{stdio:'ignore'});console.log(c.pid);setInterval(()=>{},1000)"
    // The timeout is a timer this test owns (fake setTimeout): it fires when the test says, after both processes have
    // started (the child has printed its child's pid), never by a wall clock a busy machine may outrun.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    try {
      let started!: () => void
      const printed = new Promise<void>((ok) => {
        started = ok
      })
      const running = host.run(node('t.hang', script, { timeoutMs: 60_000 }), { onLine: () => started() })
      await printed
      // Nothing has timed out yet: the timer is still pending, the whole time the test waited for the start.
      expect(vi.getTimerCount()).toBeGreaterThan(0)
      vi.advanceTimersByTime(60_000)
      const r = await running
      expect(r.timedOut).toBe(true)
      expect(r.ok).toBe(false)
      const grandchild = Number(r.stdout.trim())
      expect(grandchild).toBeGreaterThan(0)
      // Killed processes die when the kernel next runs them: on a loaded machine that took longer than the
      // 200 ms this test used to wait. Wait for it (a grandchild left running fails at the test's timeout).
      while (isAlive(grandchild)) await new Promise<void>((res) => setImmediate(res))
      expect(isAlive(grandchild)).toBe(false)
    } finally {
      vi.useRealTimers()
    }
  })

  it('cancels through an AbortSignal', async () => {
    const ac = new AbortController()
    setTimeout(() => ac.abort(), 300)
    const r = await host.run(node('t.cancel', 'setInterval(()=>{},1000)'), { signal: ac.signal })
    expect(r).toMatchObject({ cancelled: true, ok: false, timedOut: false })
  })

  it('does not start a command when the signal is already aborted', async () => {
    const ac = new AbortController()
    ac.abort()
    const r = await host.run(node('t.pre', "require('fs').writeFileSync('/should-not-exist','x')"), {
      signal: ac.signal,
    })
    expect(r.cancelled).toBe(true)
  })

  it('caps output from a child that prints 100 MB, keeps draining, and marks it truncated', async () => {
    const script =
      "const b=Buffer.alloc(1<<20,97);let i=0;function w(){while(i<100){i++;if(!process.stdout.write(b)){process.stdout.once('drain',w);return}}}w()"
    const before = process.memoryUsage().rss
    const r = await host.run(node('t.flood', script, { maxOutputBytes: 1024 * 1024, timeoutMs: 60_000 }))
    expect(r.ok).toBe(true)
    expect(r.truncated).toBe(true)
    expect(r.stdout.length).toBe(1024 * 1024)
    expect(process.memoryUsage().rss - before).toBeLessThan(80 * 1024 * 1024)
  })

  it('splits progress on \\r and \\n for the line callback', async () => {
    const lines: string[] = []
    const script =
      "process.stdout.write('[==  10.0%  ]\\r[=====  50.0%  ]\\r[==========100.0%==========]\\r\\nThe operation completed successfully.\\r\\n')"
    await host.run(node('t.progress', script), { onLine: (l) => lines.push(l) })
    expect(lines).toEqual([
      '[==  10.0%  ]',
      '[=====  50.0%  ]',
      '[==========100.0%==========]',
      'The operation completed successfully.',
    ])
  })

  it('survives a line listener that throws', async () => {
    const r = await host.run(node('t.listener', "console.log('a');console.log('b')"), {
      onLine: () => {
        throw new Error('listener bug')
      },
    })
    expect(r.ok).toBe(true)
    expect(r.stdout).toBe('a\nb\n')
  })

  it('reports a missing executable as a failed result, not a throw', async () => {
    const r = await host.run({ name: 't.missing', file: '/nonexistent/tool.exe', args: [], timeoutMs: 5_000 })
    expect(r.ok).toBe(false)
    expect(r.stderr).toMatch(/ENOENT|not found|spawn/i)
  })

  it('throws only for invalid specs', async () => {
    await expect(host.run({ name: 't.bad', file: process.execPath, args: [], timeoutMs: 0 })).rejects.toThrow(
      /timeoutMs/,
    )
    await expect(host.run({ name: 't.bad', file: process.execPath, args: ['a\0b'], timeoutMs: 100 })).rejects.toThrow(
      /NUL/,
    )
  })
})

describe('WindowsHost files', () => {
  it('reads, lists and checks existence, refusing relative paths', async () => {
    const here = new URL('.', import.meta.url).pathname
    expect(await host.exists(here)).toBe(true)
    expect(await host.listDir(here)).toContain('windows-host.test.ts')
    expect(await host.listDir('/nonexistent-dir-xyz')).toEqual([])
    await expect(host.exists('relative/path')).rejects.toThrow(/absolute/)
    const s = await host.openRead(new URL(import.meta.url).pathname)
    let n = 0
    for await (const c of s) n += (c as Buffer).length
    expect(n).toBeGreaterThan(100)
    await expect(host.openRead('/nonexistent-file-xyz')).rejects.toThrow()
  })
})

describe('helpers', () => {
  it('reports exit codes unsigned: 0x800F0922 as 2148469026', () => {
    expect(unsignedExitCode(-2146498270, undefined)).toBe(0x800f0922)
    expect(unsignedExitCode(2148469026, undefined)).toBe(2148469026)
    expect(unsignedExitCode(undefined, 'SIGKILL')).toBe(137)
  })

  it('resolves well-known tools to System32 on Windows only', () => {
    expect(resolveSystemTool('reg.exe', 'win32', 'C:\\Windows')).toBe('C:\\Windows\\System32\\reg.exe')
    expect(resolveSystemTool('PowerShell.exe', 'win32', 'C:\\Windows')).toBe(
      'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
    )
    expect(resolveSystemTool('expand.exe', 'win32', 'C:\\Windows')).toBe('C:\\Windows\\System32\\expand.exe')
    expect(() => resolveSystemTool('D:\\kit\\tool.exe', 'win32', 'C:\\Windows')).toThrow(/System32 table/)
    expect(resolveSystemTool('reg.exe', 'linux', 'C:\\Windows')).toBe('reg.exe')
  })

  it('rejects malformed specs with a clear message', () => {
    expect(() => validateSpec({ name: '', file: 'x', args: [], timeoutMs: 1 })).toThrow(/name/)
    expect(() => validateSpec({ name: 'n', file: 'x\r\ny', args: [], timeoutMs: 1 })).toThrow(/file/)
    expect(() => validateSpec({ name: 'n', file: 'x', args: [1 as unknown as string], timeoutMs: 1 })).toThrow(/args/)
    expect(() => validateSpec({ name: 'n', file: 'x', args: [], timeoutMs: 1, maxOutputBytes: -1 })).toThrow(
      /maxOutputBytes/,
    )
  })
})
