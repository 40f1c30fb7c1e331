/**
 * The story Microsoft documents, read from lines written here: which failure a code belongs to, what a WinRE update's
 * own failure looks like, the code a person tells above a CBS excerpt, news that Microsoft acknowledged with a stop
 * code in it, a resolution a verb-final language makes a purpose or a possibility, and the words of remote sessions,
 * DISM's missing source, SFC's pending repair and Windows 11 Setup's requirements. Each case was red on the round's
 * start (e0b3d691) unless its comment says it guards what already held.
 */
import { describe, expect, it } from 'vitest'
import { diagnose } from '../../../main/diagnose/diagnose.ts'
import { explain } from '../../../main/knowledge/error-explain.ts'
import { eachIs, firstCause } from './told-causes.ts'

const top = (text: string) => {
  const out = diagnose({ text })
  return out.findings.find((f) => f.severity !== 'info') ?? null
}

describe('a WinRE update told failed is the recovery partition only with its own codes', () => {
  it('KB5034441 failing with the per-machine access code over a remote shell is that access, not the partition', () => {
    const text = [
      'I logged in to the server over SSH and ran the PSWindowsUpdate module to hide KB5034441.',
      'Get-WindowsUpdate : You do not have permission to perform this task.',
      '    + FullyQualifiedErrorId : 0x80240044,PSWindowsUpdate.GetWindowsUpdate',
    ].join('\n')
    expect(firstCause(text)).not.toBe('winre-partition-too-small')
    // The code Microsoft's wuerror.h names: only administrators may install per-machine updates.
    const known = explain('0x80240044')
    expect(known.ok && known.value.name).toBe('WU_E_PER_MACHINE_UPDATE_ACCESS_DENIED')
  })

  it('KB5034441 failing with 0x80070643, or with no code, is still the partition (guards what held)', () => {
    expect(firstCause('KB5034441 failed to install with error 0x80070643 again tonight.')).toBe(
      'winre-partition-too-small',
    )
  })
})

describe('a resolution its clause makes a purpose, a need or a possibility is none', () => {
  it('Japanese: "to install it normally, 250 MB is needed" after a WinRE failure keeps the failure current', () => {
    const text = [
      '更新プログラムのインストールがエラー 0x80070643 で失敗しました。回復パーティションの空き容量が不足しています。',
      'この更新プログラムを正常にインストールするには、回復パーティションに 250 MB の空き容量が必要です。',
    ].join('\n')
    const f = top(text)
    expect(f?.id).toBe('winre-partition-too-small')
    expect(f?.state).not.toBe('past')
  })

  it('Japanese: a success told as done still resolves the failure (guards what held)', () => {
    const text = [
      '更新プログラムのインストールがエラー 0x80070643 で失敗しました。回復パーティションの空き容量が不足しています。',
      'パーティションを広げたら、正常にインストールされました。',
    ].join('\n')
    expect(diagnose({ text }).findings.some((f) => f.state === 'past')).toBe(true)
  })
})

describe("codes that name the update source's failure, and a code told above a CBS excerpt", () => {
  it.each(['0x8024401F', '0x80244021', '0x80244023'])(
    'WU clients failing with %s (the server or a gateway answered 5xx) cannot reach their source',
    (code) => {
      expect(firstCause(`Since the WSUS application pool stopped, every client fails to scan with ${code}.`)).toBe(
        'update-source-unreachable',
      )
    },
  )

  it("the person's 0x80073712 above the CSI lines they found is the damaged store those lines explain", () => {
    const text = [
      'Our user cannot install the monthly update: it fails with error code 0x80073712 every night.',
      'DISM /RestoreHealth stops too, so I looked in CBS.log and found these lines:',
      '2024-03-05 10:11:12, Info                  CBS    Exec: Processing started.  Client: WindowsUpdateAgent',
      '2024-03-05 10:11:14, Error                 CSI    00000062 (F) c0000242 [Error,Facility=(system),Code=578 (0x0242)] #5019776# from Windows::Rtl::SystemImplementation::DirectFileSystemProvider::SysReadFile',
    ].join('\n')
    expect(firstCause(text)).toBe('component-store-corruption')
  })
})

describe("news with Microsoft's acknowledgement keeps its quoted stop code as a fact of that news", () => {
  it('no KB named, a stop code quoted: the reported issue, not "no problem"', () => {
    // Framed for its readers (users in general, a frequency), as a news page is.
    const text =
      'Windows 10 a des problèmes depuis la mise à jour de juin. Les utilisateurs sont souvent méfiants des mises à jour. Microsoft a reconnu ce bug et prépare un correctif. Les ordinateurs touchés affichent le message : « A critical system process, C:\\WINDOWS\\system32\\lsass.exe, failed with status code c0000008. »'
    expect(firstCause(text)).toBe('known-issue:reported')
  })
})

describe('causes told in words', () => {
  it('updates installed from a remote shell (SSH, "run remotely") are the remote-session limit', () => {
    eachIs(
      [
        'Install-WindowsUpdate downloads the updates but the install fails when I run it remotely from our deployment server.',
        'Connected via SSH to the server, the PSWindowsUpdate install of the cumulative update fails with an error.',
      ],
      'access-blocked:remote-session',
    )
  })

  it("Install-WindowsUpdate beside a package manager's name is Windows servicing, not another program's updater", () => {
    expect(
      firstCause(
        'Chocolatey runs Install-WindowsUpdate on our lab PCs and the updates fail: Access is denied. (Exception from HRESULT: 0x80070005)',
      ),
    ).not.toBe('none')
  })

  it("DISM's missing-source message while .NET 3.5 is enabled is the feature's source", () => {
    eachIs(
      [
        'Enabling .NET Framework 3.5 fails: The source files could not be found.',
        'The SharePoint prerequisites stopped: Could not locate source for .NET Framework 3.5, the install failed.',
      ],
      'feature-source-missing',
    )
  })

  it('an update that fails because it needs an earlier update named by its KB waits for that prerequisite', () => {
    eachIs(
      [
        'Installing the .NET 4.8 update fails on our Server 2012 R2 hosts: it requires KB2919355, which they lack.',
        'Das Update lässt sich nicht installieren, es erfordert KB2919355 auf dem Server.',
      ],
      'servicing-stack-required:prerequisite',
    )
    // A requirement of space is no prerequisite update (guards what held).
    expect(firstCause('KB5034441 requires 250 MB free and failed with 0x80070643.')).toBe('winre-partition-too-small')
  })

  it("SFC's pending repair after a failed update is a restart servicing waits on", () => {
    expect(
      firstCause(
        'The cumulative update failed again, and sfc /scannow says: There is a system repair pending which requires reboot to complete.',
      ),
    ).toBe('pending-restart')
  })

  it("Windows 11 Setup's requirement told as a need is its hardware block", () => {
    eachIs(
      [
        'When I try to upgrade to the new Windows 11 release it says it needs TPM 2.0, so nothing installs.',
        'The upgrade stopped with: This PC must support TPM 2.0.',
      ],
      'setup-blocked:hardware-requirements',
    )
  })

  it('a failure typed without its apostrophe is still a failure', () => {
    expect(firstCause('The new cumulative update doesnt work on my laptop.')).toBe('failure-cause-not-named')
  })
})

describe('the 1809 file-deletion row is not met by deleting files told as a step', () => {
  it('Japanese advice to delete temporary files before the October 2018 Update is no file deletion', () => {
    const text =
      'Windows 10 October 2018 Update の機能更新プログラムは空き容量が足りないと失敗します。インストールの前に一時ファイルを削除してください。'
    expect(firstCause(text)).not.toBe('known-issue:win10-1809-file-deletion')
  })
})

describe('restart cycles, hangs on the update screens and updates never received, told in words', () => {
  it('a failure, never "no problem"', () => {
    for (const text of [
      'Since the cumulative update the laptop is in a constant reboot cycle.',
      'After the power cut during the updates the PC stayed looped in the restart screen.',
      'Our Windows 10 clients are not getting any updates from WSUS since March.',
      'Turning off that service breaks Windows Update on every PC we tried.',
      'It has said "Getting Windows ready" and is stuck on it, nothing moves.',
    ])
      expect(firstCause(text), text).not.toBe('none')
  })

  it('an hour or more on an update screen, a search that never stops: the hang', () => {
    eachIs(
      [
        'The screen says Working on updates and it has been stuck there for more than an hour now.',
        'Windows Update never stops searching for updates until I kill the process.',
      ],
      'servicing-hang',
    )
  })
})

describe("round 29's second part: Microsoft's acknowledged issues in more languages, the store's hive, holds and pending renames", () => {
  it("KB5066835's WinRE without keyboard and mouse, told in Spanish, is that known issue", () => {
    expect(
      firstCause(
        'Tras instalar KB5066835 el entorno de recuperación quedó sin teclado ni ratón: no se puede reparar nada.',
      ),
    ).toBe('known-issue:kb5066835-winre-usb-input')
  })

  it("KB5058379's BitLocker recovery, told in Japanese, is that known issue", () => {
    expect(
      firstCause('KB5058379 をインストールした後、起動するたびに BitLocker 回復画面が表示されて失敗します。'),
    ).toBe('known-issue:kb5058379-bitlocker-intel-txt')
  })

  it('a scan of the COMPONENTS hive that finds corruptions is the damaged store', () => {
    const text = [
      'Starting corruption scan of the COMPONENTS hive',
      '412 corruptions found in DerivedData\\Components',
      'Scanning VersionedIndex for corruptions',
    ].join('\n')
    expect(firstCause(text)).toBe('component-store-corruption')
  })

  it("the appraiser's block found by FU.WhyAmIBlocked is a compatibility hold", () => {
    expect(firstCause('Matching GatedBlock....FOUND!\nGatedBlock: an app the upgrade does not support yet')).toBe(
      'setup-blocked',
    )
  })

  it("a pending reboot shown by PendingFileRenameOperations is a restart to finish, not another program's updater", () => {
    const text = [
      'Every install says the machine has a pending reboot, even after I restart.',
      'reg query "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Session Manager" /v PendingFileRenameOperations',
      '    PendingFileRenameOperations    REG_MULTI_SZ    \\??\\C:\\Program Files\\Google\\Chrome\\Temp\\x.tmp',
    ].join('\n')
    expect(firstCause(text)).toBe('pending-restart')
  })

  it('a search that takes forever in German, a vanished update service, updates missing: failures', () => {
    expect(firstCause('Die Suche nach Updates dauert ewig, seit Tagen findet Windows 7 nichts.')).toBe('servicing-hang')
    for (const text of [
      'After the tool ran, the Windows Update service has disappeared from the services list.',
      'Windows 10 is missing major updates since I ran the privacy script.',
    ])
      expect(firstCause(text), text).not.toBe('none')
  })
})

describe("round 29's third part: container versions, WSL's kernel, long update runs", () => {
  it("Windows' own message for a container image of another Windows version is that mismatch", () => {
    expect(
      firstCause(
        'docker run fails: hcsshim::CreateComputeSystem: The container operating system does not match the host operating system.',
      ),
    ).toBe('wrong-arch-or-branch:container-version')
  })

  it("WSL's message that its kernel update is missing is a prerequisite to install first", () => {
    expect(
      firstCause('wsl --set-version failed: WSL 2 requires an update to its kernel component. Visit aka.ms/wsl2kernel'),
    ).toBe('servicing-stack-required:prerequisite')
  })

  it('image builds that time out on long-running Windows updates are the hang', () => {
    expect(firstCause('Our Server 2016 image builds keep timing out because of long running Windows updates.')).toBe(
      'servicing-hang',
    )
  })
})

describe("Secure Boot's event 1802 told in its own words", () => {
  it('a certificate update Windows holds back for a known firmware issue is that hold', () => {
    expect(
      firstCause(
        'Our HP workstations log event 1802: The Secure Boot update Windows UEFI CA 2023 was blocked due to a known firmware issue on the device.',
      ),
    ).toBe('setup-blocked:secure-boot-firmware')
  })
})
