/**
 * Specific causes and probe noise the tenth causes batch showed, each rule from Microsoft's documentation of the cause
 * or the documented shape of the log, tested on lines written here in that shape (never a capture's own lines).
 */
import { describe, expect, it } from 'vitest'
import { causeOf } from '../analyze/corpus-checks.ts'
import { diagnose } from '../../../main/diagnose/diagnose.ts'
import { analyzeDismLogText } from '../../../main/parse/dism-log.ts'
import { extractTextFacts } from '../../../main/analyze/extract.ts'
import { analyzeText } from '../../../main/analyze/analyze.ts'

const dism = (t: string, level: string, msg: string) => `2023-03-07 10:${t}, ${level.padEnd(22)}DISM   ${msg}`

describe("DISM's driver lookup by published name", () => {
  // DISM's Driver Manager opens a driver given as `oemN.inf` as a file first; not finding that file it reads the
  // driver from the driver store (its published name), and the query goes on and returns.
  const probe = [
    dism('00:00', 'Info', 'API: PID=100 TID=200 Enter DismGetDriverInfoInternal - DismGetDriverInfoInternal'),
    dism(
      '00:00',
      'Info',
      'API: PID=100 TID=200 Input parameters: Session: 1, DriverPath: oem7.inf - DismGetDriverInfoInternal',
    ),
    dism(
      '00:01',
      'Error',
      "DISM Driver Manager: PID=300 TID=400 Error, file not found 'oem7.inf'. - CDriverManager::OpenPackageByFile(hr:0x80070002)",
    ),
    dism(
      '00:02',
      'Info',
      'DISM Driver Manager: PID=300 TID=400 Signature status of driver C:\\Windows\\System32\\DriverStore\\FileRepository\\net1.inf_amd64_0123456789abcdef\\net1.inf is: SIGNED - CDriverPackage::InitSignatureStatus',
    ),
    dism('00:03', 'Info', 'API: PID=100 TID=200 Leave DismGetDriverInfoInternal - DismGetDriverInfoInternal'),
  ].join('\n')

  it('is a probe the query continues past: a routine code, no error, no finding', () => {
    const a = analyzeDismLogText(probe)
    expect(a.errors).toEqual([])
    expect(a.routineCodes).toEqual({ '0x80070002': 1 })
    expect(causeOf(probe).id).toBe('none')
  })

  it('a driver path that is not found and a failed command stay an error', () => {
    const failed = [
      dism('00:00', 'Info', 'DISM.EXE: Executing command line: Dism /Online /Add-Driver /Driver:D:\\drv\\net1.inf'),
      dism(
        '00:01',
        'Error',
        "DISM Driver Manager: PID=300 TID=400 Error, file not found 'D:\\drv\\net1.inf'. - CDriverManager::OpenPackageByFile(hr:0x80070002)",
      ),
      dism('00:02', 'Error', 'DISM.EXE: DISM Driver Manager processed the command line but failed. HRESULT=80070002'),
    ].join('\n')
    expect(analyzeDismLogText(failed).errors.map((e) => e.code)).toContain('0x80070002')
    // A published name whose query then fails is no probe either.
    const lost = [
      ...probe.split('\n').slice(0, 3),
      dism('00:02', 'Error', 'DISM.EXE: DISM Driver Manager processed the command line but failed. HRESULT=80070002'),
    ].join('\n')
    expect(analyzeDismLogText(lost).errors.length).toBeGreaterThan(0)
  })
})

describe('a DISM command this Windows does not have', () => {
  // DISM of Windows 7 / Server 2008 R2 has no Features on Demand: /Add-Capability came with Windows 10's DISM, and a
  // command no loaded provider supports is refused ("No providers were found that support the command").
  const text = [
    dism(
      '00:00',
      'Info',
      'DISM.EXE: Executing command line: Dism.exe /Online /Add-Capability /CapabilityName:Tools.X~~~~0.0.1.0',
    ),
    dism('00:01', 'Info', 'DISM.EXE: Target image information: OS Version=6.1.7601.24000, Image architecture=amd64'),
    dism('00:02', 'Error', 'DISM.EXE: No providers were found that support the command(add-capability). HRESULT=0'),
    dism('00:03', 'Info', 'DISM.EXE: Image session has been closed. Reboot required=no.'),
  ].join('\n')

  it('is a failure: the command does not apply to this version of Windows', () => {
    expect(analyzeDismLogText(text).unsupportedCommand?.command).toBe('add-capability')
    expect(causeOf(text).id).toBe('wrong-arch-or-branch')
    expect(analyzeText(text).findings.some((f) => f.severity === 'error')).toBe(true)
    expect(diagnose({ text }).notes.join(' ')).not.toMatch(/No servicing problem found/)
  })
})

describe('a code on a line whose component states its fallback', () => {
  it('"most likely not an upgrade" after a registry probe is a fact, not a failure', () => {
    // An upgrade-state probe: the key exists only during an upgrade, so its absence answers the question.
    const text =
      'AudMig: RegOpenKeyEx could not open the Upgrade key with Hresult 0x80070002. Most likely not an upgrade\nAudMig: CoUninitialized'
    expect(extractTextFacts(text).codes.find((c) => c.code === '0x80070002')?.infoOnly).toBe(true)
    expect(causeOf(text).id).toBe('none')
  })

  it('the same code on a line that states no fallback stays a failure', () => {
    const text = 'Install of the update failed with Hresult 0x80070002.'
    expect(extractTextFacts(text).codes.find((c) => c.code === '0x80070002')?.infoOnly).toBe(false)
  })
})

describe('a text with no code is not read as a code', () => {
  it("a GUID's first part in a long log is never the text's code", () => {
    const text = [
      'AudMig: Initializing upgrade diagnostics for first run',
      'AudMig: Migrated {c3f1a2b4-1111-4c99-8050-8f8a193a7e48},0 property at 1',
      'AudMig: Migrated {c3f1a2b4-1111-4c99-8050-8f8a193a7e48},1 property at 2',
      'AudMig: CoUninitialized',
    ].join('\n')
    expect(extractTextFacts(text).codes).toEqual([])
    expect(causeOf(text).id).toBe('none')
  })

  it('a text that is one code is still that code', () => {
    expect(causeOf('0x800f0922').id).not.toBe('none')
  })
})

describe('Sysprep blocked by an app of one user, told in words', () => {
  // Microsoft: "Sysprep fails after you remove or update Microsoft Store apps that include built-in Windows images" —
  // an app installed or updated for one user and not provisioned for all users.
  it('an Appx package installed for one user that makes Sysprep fail is sysprep-failed', () => {
    expect(
      causeOf('After the app update, its AppX package is installed per user and that makes Sysprep fail.').id,
    ).toBe('sysprep-failed')
    expect(
      causeOf(
        'The debloat script removes the provisioned Appx packages but leaves them for existing users, which breaks Sysprep.',
      ).id,
    ).toBe('sysprep-failed')
  })

  it('Sysprep named with an app but no failure is no cause', () => {
    expect(causeOf('Sysprep generalizes the image; provisioned Appx packages are kept for new users.').id).toBe('none')
  })
})

describe('RestoreHealth that needs a repair source', () => {
  // Microsoft ("Repair a Windows image", "Configure a Windows repair source"): when RestoreHealth cannot get the files
  // from Windows Update, give it a source of the same build with /Source.
  it('a question how to give RestoreHealth a source is a damaged store with no repair source, in English or Chinese', () => {
    expect(causeOf('How do I provide a source for RestoreHealth? It keeps saying it cannot repair.').id).toBe(
      'component-store-corruption',
    )
    expect(causeOf('请问如何给恢复健康提供源？').id).toBe('component-store-corruption')
    expect(diagnose({ text: '请问如何给恢复健康提供源？' }).notes.join(' ')).not.toMatch(/No servicing problem found/)
  })
})

describe('an update service that does not start', () => {
  // Windows Update depends on its services (wuauserv, BITS, the Update Orchestrator UsoSvc): one that will not start
  // stops scans and installs whatever code its start reports (Microsoft's Windows Update troubleshooting).
  it('is the services cause, in German or English, even beside the code the start reported', () => {
    expect(causeOf('Der Update-Orchestrator-Dienst startet nicht, Fehler 87.').id).toBe('services-disabled')
    expect(
      causeOf('Wenn der Update-Orchestrator-Dienst mit Fehler 87 nicht startet, lädt Windows keine Updates.').id,
    ).toBe('services-disabled')
    expect(causeOf('The Update Orchestrator service will not start: error 87, the parameter is incorrect.').id).toBe(
      'services-disabled',
    )
  })

  it('a service that starts is no cause', () => {
    expect(causeOf('The Update Orchestrator service starts at boot and runs the scan.').id).toBe('none')
  })
})
