/** WindowsHost on real Windows: System32 tools, the OEM code page, unsigned exit codes, tree kill with taskkill. */
import { describe, expect, it } from 'vitest'
import { createWindowsHost } from '../../main/host/windows-host.ts'
import { powershellSpec } from '../../main/host/powershell.ts'
import { noteSkipped, onWindows } from './on-windows.ts'

noteSkipped('the WindowsHost tests')

describe.skipIf(!onWindows)('WindowsHost on Windows', () => {
  const host = createWindowsHost()

  it('runs reg.exe from System32 and decodes console output', async () => {
    const r = await host.run({
      name: 'test.oemcp',
      file: 'reg.exe',
      args: ['query', 'HKLM\\SYSTEM\\CurrentControlSet\\Control\\Nls\\CodePage', '/v', 'OEMCP'],
      timeoutMs: 30_000,
      outputEncoding: 'console',
    })
    expect(r.ok).toBe(true)
    expect(r.stdout).toMatch(/OEMCP\s+REG_SZ\s+\d+/)
  })

  it('reads PowerShell output as UTF-8 (non-ASCII survives)', async () => {
    const r = await host.run(powershellSpec('test.utf8', "Write-Output 'Grüße — ✓'", 60_000))
    expect(r.stdout.trim()).toBe('Grüße — ✓')
  })

  it('reports an HRESULT exit code unsigned', async () => {
    const r = await host.run(powershellSpec('test.exit', 'exit -2146498270', 60_000))
    expect(r.exitCode).toBe(0x800f0922)
    expect(r.ok).toBe(false)
  })

  it('kills a hanging PowerShell and its child at the timeout', async () => {
    const t0 = Date.now()
    const r = await host.run(
      powershellSpec(
        'test.hang',
        'Start-Process -NoNewWindow -Wait ping.exe -ArgumentList "-n","120","127.0.0.1"',
        120_000,
        { timeoutMs: 3_000 },
      ),
    )
    expect(r.timedOut).toBe(true)
    expect(Date.now() - t0).toBeLessThan(30_000)
  })
})
