/**
 * The boot-chain parser reads our boot-chain script's JSON. The values inside it are real output:
 * Confirm-SecureBootUEFI's `True` / "Cmdlet not supported on this platform." (Microsoft Learn) and the
 * `reg query …\SecureBoot\Servicing` value line (captured in a public script), from test/fixtures/boot-chain.
 */
import { describe, it, expect } from 'vitest'
import { loadFixture } from '../../fixtures/load.ts'
import {
  parseBootChain,
  bootManagerSigner,
  isMicrosoftEspFolder,
  BOOT_CHAIN_SCRIPT,
  BOOT_CERTS,
} from '../../../main/parse/boot-chain.ts'

const confirmTrue = loadFixture('boot-chain/confirm-securebootuefi-true.txt')
const confirmBios = loadFixture('boot-chain/confirm-securebootuefi-bios.txt')
const statusLine = loadFixture('boot-chain/reg-uefica2023status-updated.txt')

const allFalse = (names: string[]) => Object.fromEntries(names.map((n) => [n, false]))
function scriptJson(over: Record<string, unknown> = {}): string {
  return JSON.stringify({
    SecureBoot: confirmTrue.text.trim(),
    SecureBootError: null,
    Db: {
      ...allFalse([BOOT_CERTS.windowsUefiCa2023, BOOT_CERTS.microsoftUefiCa2023, BOOT_CERTS.optionRomUefiCa2023]),
      [BOOT_CERTS.windowsProductionPca2011]: true,
      [BOOT_CERTS.microsoftUefiCa2011]: true,
    },
    Kek: { [BOOT_CERTS.kek2023]: false, [BOOT_CERTS.kek2011]: true },
    Dbx: { [BOOT_CERTS.windowsProductionPca2011]: false },
    Registry: `\r\nHKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\SecureBoot\\Servicing\r\n${statusLine.text.trimEnd()}\r\n\r\n`,
    Events: [
      {
        Id: 1801,
        TimeCreated: '2026-06-10T08:41:17.0000000Z',
        LevelDisplayName: 'Error',
        Message: 'Secure Boot CA/keys need to be updated.',
      },
    ],
    Esp: {
      DiskNumber: 0,
      PartitionNumber: 1,
      Size: 104857600,
      SizeRemaining: 7969177,
      Folders: [
        { Name: 'Microsoft', Bytes: 100 },
        { Name: 'HP', Bytes: 200 },
      ],
      FoldersError: null,
      BootManagerIssuer:
        'CN=Microsoft Windows Production PCA 2011, O=Microsoft Corporation, L=Redmond, S=Washington, C=US',
      BootManagerError: null,
    },
    ...over,
  })
}

describe('parseBootChain', () => {
  it('reads Secure Boot, db/KEK/dbx, the servicing status line, events, the ESP and the boot manager signer', () => {
    const r = parseBootChain(scriptJson())
    expect(r.fact).toMatchObject({
      secureBoot: 'on',
      db: { windowsUefiCa2023: false, windowsProductionPca2011: true },
      kek: { kek2023: false, kek2011: true },
      pca2011Revoked: false,
      servicing: { uefiCa2023Status: 'Updated', availableUpdates: null },
      bootManager: { signer: 'windows-production-pca-2011' },
      esp: { disk: 0, partition: 1, sizeBytes: 104857600, freeBytes: 7969177 },
    })
    expect(r.fact!.esp!.folders).toEqual([
      { name: 'Microsoft', bytes: 100, microsoft: true, loaders: null },
      { name: 'HP', bytes: 200, microsoft: false, loaders: null },
    ])
    expect(r.fact!.events[0]).toMatchObject({ id: 1801, level: 'Error' })
  })

  it('says "unsupported" for a BIOS PC from the cmdlet\'s documented message, and keeps unknown certificates null', () => {
    const r = parseBootChain(
      scriptJson({ SecureBoot: null, SecureBootError: confirmBios.text.trim(), Db: {}, Kek: {}, Dbx: {}, Esp: null }),
    )
    expect(r.fact!.secureBoot).toBe('unsupported')
    expect(r.fact!.db.windowsUefiCa2023).toBeNull()
    expect(r.fact!.esp).toBeNull()
    expect(r.fact!.warnings.join(' ')).toMatch(/db could not be read/)
  })

  it('an unreadable EFI partition gives folders null and the boot manager signer unknown, each with the reason', () => {
    const r = parseBootChain(
      scriptJson({
        Esp: {
          DiskNumber: 0,
          PartitionNumber: 1,
          Size: 1,
          SizeRemaining: 1,
          Folders: null,
          FoldersError: 'Access is denied',
          BootManagerIssuer: null,
          BootManagerError: 'Access is denied',
        },
      }),
    )
    expect(r.fact!.esp!.folders).toBeNull()
    expect(r.fact!.esp!.foldersDetail).toMatch(/unknown.*without mounting.*Access is denied/)
    expect(r.fact!.bootManager).toMatchObject({ signer: 'unknown', issuer: null })
    expect(r.fact!.bootManager.detail).toMatch(/unknown/)
  })

  it('is total: junk gives a clear warning, never a throw (4 cases)', () => {
    const cases = ['', 'not json', '[1,2]', '{"SecureBoot": 5}']
    let ran = 0
    for (const c of cases) {
      const r = parseBootChain(c)
      ran++
      if (r.fact) expect(r.fact.secureBoot).toBe('unknown')
      else expect(r.warnings[0]).toMatch(/not the JSON object/)
    }
    expect(ran).toBe(4)
  })

  it("names the boot manager's CA from its signer certificate issuer, and only Microsoft's folders as Windows'", () => {
    expect(bootManagerSigner('CN=Windows UEFI CA 2023, O=Microsoft Corporation, C=US')).toBe('windows-uefi-ca-2023')
    expect(bootManagerSigner('CN=Microsoft Windows Production PCA 2011, O=Microsoft Corporation')).toBe(
      'windows-production-pca-2011',
    )
    expect(bootManagerSigner('CN=Other CA')).toBe('other')
    expect(bootManagerSigner(null)).toBe('unknown')
    expect(['Microsoft', 'Boot', 'boot'].every(isMicrosoftEspFolder)).toBe(true)
    expect(['HP', 'Dell', 'ubuntu', 'MicrosoftX'].some(isMicrosoftEspFolder)).toBe(false)
  })

  it("the script only reads: Microsoft's ASCII check, no mountvol, no Set-*, no writes", () => {
    expect(BOOT_CHAIN_SCRIPT).toContain('[System.Text.Encoding]::ASCII.GetString($b) -match $name')
    expect(BOOT_CHAIN_SCRIPT).not.toMatch(
      /mountvol|Set-SecureBootUEFI|Set-Item|New-Item|Remove-Item|Move-Item|reg(\.exe)? add|Start-ScheduledTask/i,
    )
  })
})
