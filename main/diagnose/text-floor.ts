/**
 * The floor under a pasted text's diagnosis: a text that tells a failure is never answered "No servicing problem
 * found". After every rule has run, what the text's own words support is added (analyze/text-story.ts, the same reading
 * `analyze` gives): a sentence that names its cause (Windows Update's "One of the update services is not running
 * properly", wusa's exit code 1058, Setup's "Restoring your previous version of Windows", the update endpoints
 * blocked, a servicing stack update to install first), an install that waits on a restart that never completes it, and
 * otherwise "a failure, cause not named in this text" with what to collect next. Phrases are data
 * (knowledge/data/outcome-words.json), in every display language the table holds.
 */
import type { Finding, RuleInput } from './rule.ts'
import { textStories } from './facts.ts'
import { finding, customRemedy, remedy } from './finding.ts'
import { namesBitlockerRecovery } from '../knowledge/bitlocker-words.ts'
import type { CauseWordHit } from '../knowledge/outcome-words.ts'
import type { TextStory } from '../analyze/text-story.ts'
import { explain } from '../knowledge/error-explain.ts'
import { isInstallerExitCode } from '../knowledge/error-normalize.ts'
import { classifyExitCode } from '../knowledge/error-exit-codes.ts'
import { FEATURE_FROM_MEDIA } from './rules/feature-source.ts'
import { requirementsRemedies } from './rules/hardware-block.ts'
import { bootFact } from './rules/boot-chain-facts.ts'
import { errorCodeEntry } from '../knowledge/error-codes.ts'
import { documentedPairs } from '../knowledge/setup-extend.ts'

export const NOT_NAMED_ID = 'failure-cause-not-named'
/**
 * A PC that does not start after an update: the failure's cause is not named in the text (its id is a kind of
 * NOT_NAMED_ID), but what to do is its own — Windows' recovery environment, not a restart.
 */
export const NO_BOOT_ID = `${NOT_NAMED_ID}:no-boot`

const CAUSE_TITLES: Record<string, string> = {
  'access-blocked': "Security software or permissions block the update's files or its installer",
  'access-blocked:remote-session':
    'The update was installed from a remote session (PowerShell remoting, WinRM), where Windows does not allow it',
  'services-disabled': 'A service Windows Update needs is disabled or not running',
  'update-source-unreachable': 'The Windows Update servers are blocked from this PC',
  'update-source-unreachable:wsus':
    'Group Policy points Windows Update at an internal update server (WSUS) that gives this PC no updates',
  'servicing-stack-required': 'The update needs a newer servicing stack installed first',
  'servicing-stack-required:prerequisite': 'The update needs an earlier update (its prerequisite) installed first',
  'wrong-arch-or-branch:container-version':
    "The container image is for another Windows version than the host: a process-isolated container needs the host's version",
  'setup-blocked:secure-boot-firmware':
    'Windows holds the Secure Boot certificate update back from this device: a known firmware issue (event 1802)',
  'branch-support':
    'This Windows version is past its end of support: its updates need an activated Extended Security Updates (ESU) licence',
  'feature-update-failed': 'The feature update (Windows Setup) failed and restored the previous version',
  'component-store-corruption': "Windows' component store is damaged; repair it before installing updates",
  'feature-source-missing': "The feature's files were not found: give Windows a source for them",
  'pending-restart': 'A restart is waiting to install updates: restart before anything else',
  'wrong-arch-or-branch':
    'The update does not apply to this PC (superseded, already installed, or for another version or architecture)',
  'esp-full': 'The System Reserved (EFI system) partition is too full for the update',
  'servicing-in-progress': 'Another installation is already running: let it finish, or restart, then install again',
  'setup-blocked': 'Microsoft holds the feature update back from this PC (a safeguard hold)',
  'setup-blocked:hardware-requirements':
    "This PC does not meet Windows 11's hardware requirements (TPM 2.0, Secure Boot, a supported processor)",
  'sysprep-failed': 'Sysprep failed: an app is installed for a user but not provisioned for all users',
  'sysprep-failed:upgraded-os': 'Sysprep does not run on a Windows installed as an upgrade',
  'sysprep-failed:bitlocker': 'Sysprep does not run while BitLocker protects the Windows drive',
  'sysprep-failed:answer-file': 'Sysprep stopped on its answer file (unattend.xml): a setting in it is invalid',
  'answer-file-invalid': 'Windows Setup stopped on its answer file (unattend.xml): a setting in it is invalid',
  'file-not-found': 'A file the update or the tool needs was not found',
  'wu-components': 'The Windows Update service cannot be stopped, so its components cannot be reset',
  'missing-checkpoint': 'The update needs an earlier update installed first (its checkpoint cumulative update)',
  'servicing-hang': 'The install has run for hours, or stays at 100%, without finishing',
  'low-disk-space': 'The drive the update or installer writes to is full',
  'winre-partition-too-small': 'The recovery partition is too small for the WinRE update',
  'setup-media-damaged': 'The installation media is damaged or incomplete: Setup cannot read its own files',
  'servicing-in-progress:applying-at-restart':
    "Windows is applying the update's operations at restart: let it finish, do not turn the PC off",
}

/** Causes that are no fault of the PC: Microsoft holds the update back on purpose until a known issue is fixed. */
const CAUSE_SEVERITY: Record<string, 'warning'> = { 'setup-blocked': 'warning' }

/** An answer file Setup could not parse or process: validate it, then correct the pass Setup named. */
function answerFileRemedy() {
  return customRemedy(
    'fix-answer-file',
    'Validate the answer file (unattend.xml) and correct the pass Setup named',
    "Setup's message names the pass (windowsPE, specialize, oobeSystem) and often the line or component; open the file in Windows System Image Manager (or any XML validator) to find the setting or tag that is wrong, correct it, and run again. setuperr.log in the Panther folder holds the same error.",
    [
      'Get-Content -LiteralPath "$env:windir\\Panther\\setuperr.log"',
      'Get-Content -LiteralPath "$env:windir\\System32\\Sysprep\\Panther\\setuperr.log"',
    ],
    null,
    [],
  )
}

/** Microsoft's next step for a Setup failure whose reason is not named yet: SetupDiag reads the logs and names it. */
export function setupDiagRemedy() {
  return customRemedy(
    'setupdiag',
    'Run SetupDiag on the setup logs',
    'SetupDiag reads the Panther and Rollback logs and names the matching rule.',
    ['SetupDiag.exe /Output:C:\\SetupDiag\\Results.log'],
    null,
    ['S31'],
  )
}

export const CAUSE_REMEDIES: Record<string, ReturnType<typeof customRemedy>[]> = {
  // Microsoft's Windows Update troubleshooting: third-party security software can block an install; turn it off for
  // the install (or exclude the servicing folders) and turn it back on after. "Access is denied" is error 5.
  'access-blocked': [
    customRemedy(
      'security-software-off-for-install',
      'Turn the security software off for the install, then on again',
      "Pause or uninstall third-party antivirus (or add Windows' servicing folders, %windir%\\WinSxS and %windir%\\SoftwareDistribution, to its exclusions), install the update from an elevated prompt, then turn the protection back on. Where the text names a registry key or file that is denied, compare its permissions with a working PC before changing them.",
      [],
      null,
      ['S1'],
    ),
  ],
  // Microsoft: installing with wusa or the Windows Update Agent API from a remote session is not supported (KB2773898);
  // a task that runs on the PC itself, or DISM on the update's extracted .cab, installs it.
  'access-blocked:remote-session': [
    customRemedy(
      'install-locally',
      'Run the install on the PC itself: as a scheduled task, or with DISM on the extracted package',
      "A scheduled task that runs as SYSTEM on the PC (PSWindowsUpdate's Invoke-WUJob creates one) installs through the Windows Update Agent as a local session does. For an .msu, extract it (expand.exe -F:* <update>.msu <folder>) and add its .cab with DISM /Online /Add-Package, which a remote shell may run. Or sign in at the PC (or over Remote Desktop) and install from there. Microsoft: KB2773898 and 'Using WUA From a Remote Computer'.",
      [],
      null,
      [],
    ),
  ],
  'setup-blocked:hardware-requirements': requirementsRemedies(),
  'setup-blocked': [
    customRemedy(
      'wait-for-hold',
      "Wait for Microsoft to release the hold; don't force the upgrade",
      "Windows release health lists the hold's known issue and its fix. Once the fix is verified Windows Update offers the feature update again; updating the affected driver or app can release it sooner. Bypassing the hold (the installation media, or the 'Disable safeguards for Feature Updates' policy) puts the PC on the known issue.",
      [],
      null,
      [],
    ),
  ],
  'services-disabled': [
    customRemedy(
      'enable-services',
      'Set the update services back to their default start type and start them',
      'Windows Update and BITS default to Manual (trigger start), Cryptographic Services to Automatic. Note the START_TYPE sc qc shows for each first: sc config <name> start= <that type> puts it back.',
      [
        'sc qc wuauserv',
        'sc qc bits',
        'sc qc cryptsvc',
        'sc config wuauserv start= demand',
        'sc config bits start= demand',
        'sc config cryptsvc start= auto',
        'net start wuauserv',
      ],
      null,
      ['S1'],
    ),
  ],
  'update-source-unreachable': [
    customRemedy(
      'unblock-endpoints',
      'Remove the blocks on the Windows Update endpoints',
      'Read the hosts file and the proxy for lines that send the Windows Update host names elsewhere (windowsupdate.com, update.microsoft.com, delivery.mp.microsoft.com); take those lines out of the hosts file (an editor run as administrator) and the firewall rules that block them, then search again.',
      // A read: an editor is no command a box can run, and the lines to remove are the person's to judge.
      ['Get-Content -LiteralPath "$env:windir\\System32\\drivers\\etc\\hosts"', 'netsh winhttp show proxy'],
      null,
      ['S1', 'S13'],
    ),
  ],
  // Microsoft's "Manage additional Windows Update settings": WUServer/UseWUServer under the WindowsUpdate policy key
  // are what "Specify intranet Microsoft update service location" sets.
  'update-source-unreachable:wsus': [
    customRemedy(
      'read-wsus-policy',
      'Read which update server the policy sets, and whether this PC can reach it',
      'WUServer names the internal server, UseWUServer=1 turns it on. A PC away from that network, or one the server approves no updates for, finds none: connect to the network (or VPN) the server serves, or ask its administrators to approve the updates or to let this PC use Windows Update.',
      [
        'reg query HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate',
        'reg query HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate\\AU /v UseWUServer',
      ],
      null,
      [],
    ),
  ],
  // Microsoft (Secure Boot events 1802 and 1803): the manufacturer's firmware update lifts the hold; forcing it is not supported.
  'setup-blocked:secure-boot-firmware': [
    customRemedy(
      'firmware-first',
      "Install the manufacturer's firmware (BIOS/UEFI) update, then let Windows apply the certificate update",
      "Event 1802 means Windows knows this device's firmware mishandles the Secure Boot update and holds it back; the PC manufacturer's firmware update fixes that, after which Windows applies the update by itself. Do not force the update past the hold.",
      [],
      null,
      [],
    ),
  ],
  // Microsoft's ESU procedure (KB4522133) and its troubleshooting article (KB4547184): the licence's prerequisites, then
  // its key installed and activated; or a Windows version still in support.
  'branch-support': [
    customRemedy(
      'esu-licence',
      'Install and activate the ESU licence, or move to a Windows version still in support',
      "Past the end of support, a branch's security updates install only where an Extended Security Updates key is installed and activated (after the servicing stack and SHA-2 prerequisites Microsoft lists); without it Windows Update offers none of them, or they fail. Check the licence, activate it, then install the update again; or upgrade to a supported version.",
      [],
      null,
      [],
    ),
  ],
  // Microsoft's container version compatibility: an image of the host's version, or Hyper-V isolation for another.
  'wrong-arch-or-branch:container-version': [
    customRemedy(
      'container-host-version',
      "Use the image tag of the host's Windows version, or run the container with Hyper-V isolation",
      "A process-isolated container runs only an image of the host's own Windows version (build); pick the base image tag that matches the host (ltsc2019 for build 17763, ltsc2022 for 20348), or run it with --isolation=hyperv, which runs an image of an older version on a newer host. Microsoft: Windows container version compatibility.",
      ['reg query "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion" /v CurrentBuild'],
      null,
      [],
    ),
  ],
  // The prerequisite the update's article names goes first (KB2919355 before Windows 8.1's later updates).
  'servicing-stack-required:prerequisite': [
    customRemedy(
      'prerequisite-first',
      'Install the prerequisite update first, then the update',
      "Install the update the text names as the prerequisite (the update's KB article lists it under Prerequisites), restart if asked, then install the update again; check which are on the PC first.",
      ['Get-HotFix | Sort-Object InstalledOn'],
      null,
      [],
    ),
  ],
  'servicing-stack-required': [
    customRemedy(
      'ssu-first',
      'Install the servicing stack update first, then the update',
      "Install the servicing stack update the update's KB article names as its prerequisite, restart if asked, then install the update again.",
      [],
      null,
      [],
    ),
  ],
  // Microsoft's repair for a damaged store (KB947821): RestoreHealth, then System File Checker, then the update again.
  'component-store-corruption': [
    remedy('R4', { repair: 'restore-health' }),
    customRemedy(
      'repair-source',
      'Where RestoreHealth finds no source, give it one of the same build',
      'A mounted install.wim of the exact build (or another PC at the same build) as the repair source ("Configure a Windows repair source").',
      ['DISM /Online /Cleanup-Image /RestoreHealth /Source:WIM:D:\\sources\\install.wim:<index> /LimitAccess'],
      null,
      [],
    ),
    remedy('R6'),
  ],
  // .NET 3.5 and Features on Demand come from Windows Update or the same build's media (KB2734782).
  'feature-source-missing': [
    customRemedy(
      'feature-source',
      'Enable the feature from the installation media of the same build',
      'Mount the ISO of the same Windows version and point DISM at its sources\\sxs folder (check first that the folder is there and that the medium\'s Version and Architecture are this PC\'s); on a WSUS-managed PC, allow optional features from Windows Update (policy "Specify settings for optional component installation and component repair").',
      FEATURE_FROM_MEDIA,
      null,
      [],
    ),
  ],
  'pending-restart': [
    customRemedy(
      'restart-once',
      'Restart once and let the pending work finish, then install one update at a time',
      'Windows applies the staged files and pending operations during that restart; stopping it half-way can leave the PC unbootable.',
      ['%SystemRoot%\\System32\\shutdown.exe /r /t 0'],
      null,
      [],
    ),
  ],
  // KB3057448's checks, in its order: the version and architecture the KB applies to, then whether it is already in.
  'wrong-arch-or-branch': [
    customRemedy(
      'match-package',
      'Check the update against this PC: its version and architecture, and whether a newer update already holds it',
      'Compare the KB\'s "Applies to" with the Windows version, build and system type; a superseded or already installed update needs nothing, a missing prerequisite (KB2919355 on 8.1/2012 R2) goes first.',
      // winver's dialog and wmic (deprecated, not installed by default on Windows 11 24H2) as the PowerShell reads of
      // the same facts: Win32_OperatingSystem and Win32_QuickFixEngineering (Get-HotFix).
      [
        'Get-CimInstance -ClassName Win32_OperatingSystem | Format-List Caption, Version, BuildNumber, OSArchitecture',
        'Get-HotFix | Sort-Object -Property InstalledOn',
        'DISM /Online /Get-Packages /Format:Table',
      ],
      null,
      [],
    ),
  ],
  // Microsoft's steps for 0xc1900104 / 0x800f0922: give the partition a letter and free space on it.
  'esp-full': [
    customRemedy(
      'free-srp',
      'Free space on the System Reserved (EFI system) partition, then run the update again',
      'Mount the partition, delete what third-party tools left on it (extra fonts or language folders are the usual), unmount it.',
      ['mountvol Y: /s', 'dir /s Y:\\', 'mountvol Y: /d'],
      null,
      [],
    ),
  ],
  'servicing-in-progress': [
    customRemedy(
      'let-it-finish',
      'Let the running installation finish, or restart once to end it, then install again',
      'Windows Installer and Windows Update each run one installation at a time (1618, 0x80240009).',
      ['%SystemRoot%\\System32\\shutdown.exe /r /t 0'],
      null,
      [],
    ),
  ],
  // Microsoft's steps for Sysprep's "installed for a user, but not provisioned for all users": find the users who have
  // the package, remove it for them and remove its provisioning, then run Sysprep again.
  'sysprep-failed': [
    customRemedy(
      'remove-appx',
      'Remove the per-user copy of the app and its provisioning, then run Sysprep again',
      'setupact.log (%WINDIR%\\System32\\Sysprep\\Panther) names the package; see which users have it, remove it for each of them, remove its provisioning, then run Sysprep again.',
      [
        'Get-AppxPackage -AllUsers | Format-List -Property PackageFullName,PackageUserInformation',
        'Remove-AppxPackage -Package <PackageFullName> -AllUsers',
        'Remove-AppxProvisionedPackage -Online -PackageName <PackageFullName>',
      ],
      null,
      ['S-SYSPREP-APPX'],
    ),
  ],
  // Microsoft supports Sysprep only on a clean installation: an image is built from one, not from an upgraded PC.
  'sysprep-failed:upgraded-os': [
    customRemedy(
      'sysprep-clean-install',
      'Build the image from a clean installation of Windows, not from this upgraded one',
      'Sysprep refuses a Windows that was installed as an upgrade; install Windows clean (from the media of the version to deploy), add the apps and settings there, then run Sysprep.',
      [],
      null,
      [],
    ),
  ],
  // Sysprep's own message asks for BitLocker off on the OS volume; manage-bde -status reads its state first.
  'sysprep-failed:bitlocker': [
    customRemedy(
      'sysprep-bitlocker-off',
      'Turn BitLocker (or device encryption) off on the Windows drive, wait for decryption to finish, then run Sysprep',
      "manage-bde -status shows the drive's protection and, while it decrypts, its progress; Sysprep runs once the drive reads Fully Decrypted.",
      ['manage-bde -status C:'],
      null,
      [],
    ),
  ],
  // KB2425962: Setup names the pass it stopped at; the answer file's settings for that pass are what to correct.
  'sysprep-failed:answer-file': [answerFileRemedy()],
  'answer-file-invalid': [answerFileRemedy()],
  // A file not found is named by the logs around it (troubleshoot-windows-update-error-0x80070002): read them first,
  // then the store's check, as the file-not-found rule advises for 0x80070002.
  'file-not-found': [remedy('R0'), remedy('R4')],
  // Microsoft's manual reset stops the update services before it renames the folders; a service that will not stop
  // (the Update Orchestrator starts it again) is stopped with it, or the reset runs after a restart.
  'wu-components': [remedy('R3')],
  // Microsoft's Catalog steps for an update after a checkpoint: the checkpoint's MSU first, or every MSU in one folder
  // added with DISM, which installs them in order.
  'missing-checkpoint': [
    customRemedy(
      'install-checkpoint-first',
      'Install the checkpoint cumulative update first, then the update',
      "The update's KB article lists its prerequisite MSU files (for Windows 11 24H2 and 25H2, the checkpoint KB5043080). Install them in the order it gives, or put every MSU in one folder with nothing else and add the update with DISM, which installs them in order.",
      [],
      null,
      ['S19'],
    ),
  ],
  // The hang rule's step (rules/effects.ts: more time and resources), and CBS.log, where servicing records each
  // operation it runs, for the one it waits on.
  'servicing-hang': [
    customRemedy(
      'wait-then-read-cbs',
      'Let it run once more, then give the PC more CPU, memory and disk, and read CBS.log for what it waits on',
      "A cumulative update on a small VM or a slow disk can take hours; if it never ends, CBS.log's last lines name the package and the operation servicing is waiting on.",
      ['Get-Content -LiteralPath "$env:windir\\Logs\\CBS\\CBS.log" -Tail 60'],
      null,
      [],
    ),
  ],
  'low-disk-space': [remedy('R2')],
  // KB5028997's resize of the recovery partition, as the WinRE rule offers it (rules/winre.ts).
  'winre-partition-too-small': [remedy('R9')],
  // The setup-media rule's first step (rules/setup-media.ts): fresh media from Microsoft, its hash checked.
  'setup-media-damaged': [
    customRemedy(
      'new-media',
      'Download the installation media again and re-create the USB stick or ISO',
      "Use Microsoft's Media Creation Tool or a fresh ISO from Microsoft's download page, unmodified; before using an ISO, compare its SHA-256 with the hash Microsoft publishes for it.",
      ['Get-FileHash -Algorithm SHA256 <path to the .iso>'],
      null,
      [],
    ),
  ],
  // The count rises while the staged operations are applied; cutting the power half-way leaves them half applied.
  'servicing-in-progress:applying-at-restart': [
    customRemedy(
      'let-it-apply',
      'Leave the PC on until the count finishes, then read the update history',
      'Large updates (service packs, language packs, many queued updates) apply tens of thousands of operations at restart; once Windows starts, the update history and WindowsUpdate.log say whether they installed.',
      [
        "Get-WinEvent -FilterHashtable @{LogName='System'; ProviderName='Microsoft-Windows-WindowsUpdateClient'} -MaxEvents 10 | Format-List TimeCreated, Id, Message",
      ],
      null,
      [],
    ),
  ],
  'feature-update-failed': [setupDiagRemedy()],
}

function causeFinding(c: CauseWordHit, source: string): Finding {
  return finding({
    id: c.cause,
    title: CAUSE_TITLES[c.cause] ?? c.why,
    technical: `the text says "${c.phrase}" (${c.language})`,
    severity: CAUSE_SEVERITY[c.cause] ?? 'error',
    confidence: 0.7,
    causes: [`${c.why[0]!.toUpperCase()}${c.why.slice(1)}.`],
    remedies: CAUSE_REMEDIES[c.cause] ?? [],
    evidence: [{ source, excerpt: `line ${c.line}: ${c.text}` }],
    repair: null,
    codes: [],
  })
}

function pendingFinding(story: TextStory, source: string): Finding {
  const hit = story.pending!
  return finding({
    id: 'pending-restart',
    title: 'The install waits on a restart that does not complete it',
    technical: `the text says "${hit.phrase}" (${hit.language})`,
    severity: 'error',
    confidence: 0.55,
    causes: [
      'Servicing left operations pending for the next restart; until a restart completes them, further installs wait or fail. When every restart asks for another, the pending operations themselves fail at startup (CBS.log names them).',
    ],
    remedies: [
      customRemedy(
        'restart-once',
        'Restart once and let the pending work finish, then install one update at a time',
        'If the same update asks for a restart again after each restart, read CBS.log around the restart for the package whose pending operation fails.',
        [
          '%SystemRoot%\\System32\\shutdown.exe /r /t 0',
          '%SystemRoot%\\System32\\findstr.exe /i /c:"pending" %windir%\\Logs\\CBS\\CBS.log',
        ],
        null,
        [],
      ),
    ],
    evidence: [{ source, excerpt: `line ${hit.line}: ${hit.text}` }],
    repair: null,
    codes: [],
  })
}

/** The technical line of a finding a text tells in words: the phrase that told it, its language, the updates named. */
function toldTechnical(hit: { phrase: string; language: string }, story: TextStory): string {
  const kbs = story.kbs.length ? `; updates named: ${story.kbs.slice(0, 4).join(', ')}` : ''
  return `the text says "${hit.phrase}" (${hit.language})${kbs}`
}

/**
 * The Secure Boot certificate update's own words (KB5016061's TPM-WMI events, KB5068202's servicing values), in the
 * forms people write them: what to read next is its state, not Windows Update's history.
 */
const SECURE_BOOT_TOLD =
  /secure[\s-]?boot|\bKEK\b|UEFI\s?CA\s?2023|UEFICA2023|TPM-WMI|セキュア\s?ブート|安全启动|安全開機|보안\s?부팅|безопасн\S*\s+загрузк/i

/** Reads the Secure Boot certificate update's state: Windows' servicing values and its TPM-WMI events. */
function secureBootStateRemedy() {
  const registry = bootFact('servicing-registry')
  const events = bootFact('events')
  return customRemedy(
    'read-secure-boot-state',
    "Read the Secure Boot certificate update's state: its servicing values and its TPM-WMI events",
    "UEFICA2023Status says how far Windows got (NotStarted, InProgress, Updated) and UEFICA2023Error why it stopped; the TPM-WMI events tell the rest: 1801 the certificates still need updating, 1808 done, 1795/1796 the firmware refused, 1800 a restart is needed. Servicing Desk's scan of the PC reads the same and offers Windows' own update when nothing blocks it.",
    [
      'Get-ItemProperty HKLM:\\SYSTEM\\CurrentControlSet\\Control\\SecureBoot\\Servicing',
      "Get-WinEvent -FilterHashtable @{LogName='System'; ProviderName='Microsoft-Windows-TPM-WMI'} -MaxEvents 10 | Format-List TimeCreated, Id, Message",
    ],
    null,
    [...new Set([...registry.sources, ...events.sources])],
    registry.verified && events.verified,
  )
}

const SYSPREP_TOLD = /\bsysprep/i

/**
 * The code's line on a "cause not named" finding: the code, and what Microsoft documents of it (its name and message,
 * or the facility its bits decode to), kept as a fact.
 */
function codeFact(code: string): string {
  const e = explain(code, null)
  if (!e.ok) return code
  const x = e.value
  const what = x.name ? x.name : x.decoded.facilityName ? `${x.decoded.facilityName} (${x.decoded.facility})` : null
  return what ? `${code} (${what})` : code
}

function notNamedFinding(story: TextStory, source: string, codes: string[] = []): Finding {
  const secureBoot = SECURE_BOOT_TOLD.test(story.failure?.text ?? '')
  const setup =
    story.words.causes.some((c) => c.cause === 'feature-update-failed') ||
    /setup|upgrade|feature update|24h2|25h2|23h2|windows 11/i.test(story.failure?.text ?? '')
  const hit = story.failure!
  // Sysprep is no Windows Update run: its own logs, setupact.log and setuperr.log under Sysprep\Panther, name the
  // provider or package that stopped it (Microsoft's "Sysprep Process Overview" and Windows Setup's log locations).
  const sysprep = SYSPREP_TOLD.test(hit.text)
  return finding({
    id: NOT_NAMED_ID,
    title: 'A failure, cause not named in this text',
    technical: `${toldTechnical(hit, story)}${codes.length ? `; code ${codes.map(codeFact).join(', ')}: no cause of its own here` : ''}`,
    severity: 'error',
    // Above the code-only finding it stands for (0.4 for a code read from a text): the story speaks for the code.
    confidence: codes.length ? 0.45 : 0.3,
    causes: [
      codes.length
        ? `The text reports that an update failed with ${codes.join(', ')}, which says what failed, not why (Servicing Desk's knowledge holds no cause for the code, or the text gives it only as a tool's number, read as a Win32 error), and no sentence names a cause; any cause named now would be a guess.`
        : 'The text reports that an update failed but gives no error code and no sentence that names a cause; any cause named now would be a guess.',
    ],
    remedies: [
      // Enabling a feature (DISM, Windows Features) is no Windows Update run: DISM writes its own log, which DISM's
      // documentation places at %WINDIR%\Logs\DISM\dism.log (the /LogPath default), and CBS.log beside it.
      ...(story.feature
        ? [
            customRemedy(
              'collect-dism-log',
              "Read DISM's log and CBS.log from the run that did not enable the feature",
              "dism.log names the feature's packages and the code each step returned; CBS.log holds the same run from the servicing stack's side.",
              [
                '%SystemRoot%\\System32\\findstr.exe /i /c:"error" %windir%\\Logs\\DISM\\dism.log',
                '%SystemRoot%\\System32\\findstr.exe /i /c:"error" %windir%\\Logs\\CBS\\CBS.log',
              ],
              null,
              [],
            ),
          ]
        : []),
      // A Secure Boot certificate update is no Windows Update install: its state is its own registry values and events.
      secureBoot
        ? secureBootStateRemedy()
        : sysprep
          ? customRemedy(
              'collect-sysprep-logs',
              "Read Sysprep's own logs: setuperr.log and setupact.log in Sysprep's Panther folder",
              "setuperr.log holds Sysprep's errors; setupact.log around them names the provider (SYSPRP) or the app package that stopped it.",
              [
                'Get-Content -LiteralPath "$env:windir\\System32\\Sysprep\\Panther\\setuperr.log"',
                '%SystemRoot%\\System32\\findstr.exe /i /c:"error" %windir%\\System32\\Sysprep\\Panther\\setupact.log',
              ],
              null,
              [],
            )
          : customRemedy(
              'collect-code',
              "Collect the failure's code: the update history and the Windows Update events",
              'The code is in Settings › Windows Update › Update history, and in full in the WindowsUpdateClient events.',
              [
                "Get-WinEvent -FilterHashtable @{LogName='System'; ProviderName='Microsoft-Windows-WindowsUpdateClient'; Id=20} -MaxEvents 5 | Format-List TimeCreated, Message",
              ],
              null,
              ['S48'],
            ),
      // Neither CBS.log nor Setup's logs hold the Secure Boot update's story, nor Sysprep's.
      ...(secureBoot || sysprep
        ? []
        : [
            customRemedy(
              'collect-logs',
              setup ? 'For a feature update, run SetupDiag on the setup logs' : 'Then paste CBS.log around the failure',
              setup
                ? 'SetupDiag reads the Panther and Rollback logs and names the matching rule.'
                : "CBS.log's error lines name the package and the code where servicing failed; paste them with the lines around them.",
              setup
                ? ['SetupDiag.exe /Output:C:\\SetupDiag\\Results.log']
                : ['%SystemRoot%\\System32\\findstr.exe /i /c:"error" %windir%\\Logs\\CBS\\CBS.log'],
              null,
              setup ? ['S31'] : [],
            ),
          ]),
    ],
    evidence: [{ source, excerpt: `line ${hit.line}: ${hit.text}` }],
    repair: null,
    codes,
  })
}

/**
 * Windows does not start after an update (Automatic Repair, "Your PC did not start correctly", a BitLocker recovery
 * prompt, a boot loop): Microsoft's steps are the recovery environment's — uninstall the latest update, Startup
 * Repair — and, at a BitLocker recovery screen, the recovery key first. A restart does not finish anything here.
 */
function noBootFinding(story: TextStory, source: string): Finding {
  const hit = story.noBoot!
  // The BitLocker recovery screen's words are data (knowledge/data/outcome-words.json, noBootBitlocker).
  const bitlocker = namesBitlockerRecovery(hit.text)
  return finding({
    id: NO_BOOT_ID,
    title: 'Windows does not start after the update; the text names no cause',
    technical: toldTechnical(hit, story),
    severity: 'error',
    confidence: 0.35,
    causes: [
      'The update (or a driver or firmware change it brought) stops Windows from starting; the text gives no code or stop error that names which. It is no pending restart: restarting again does not finish anything.',
    ],
    remedies: [
      ...(bitlocker
        ? [
            customRemedy(
              'bitlocker-key',
              'At the BitLocker recovery screen, enter the recovery key',
              'The key ID on the screen finds it in the Microsoft account (aka.ms/myrecoverykey), Entra ID or Active Directory; a firmware or boot change an update made is the usual trigger.',
              [],
              null,
              [],
            ),
          ]
        : []),
      customRemedy(
        'winre-uninstall-update',
        'From the recovery environment, uninstall the latest update (Troubleshoot › Advanced options › Uninstall Updates)',
        'Windows opens its recovery environment after failed starts; uninstall the latest quality update first, then Startup Repair if it still does not start.',
        [],
        null,
        [],
      ),
      customRemedy(
        'collect-boot-log',
        'Once it starts, collect what stopped it',
        "Startup Repair's log and the last stop error name the driver or file.",
        [
          // A PowerShell read, as the next line: a cmd built-in (type) is no program a box can name by its path.
          'Get-Content -LiteralPath "$env:windir\\System32\\LogFiles\\Srt\\SrtTrail.txt" -Tail 60',
          "Get-WinEvent -FilterHashtable @{LogName='System'; Id=41,1001,6008} -MaxEvents 10 | Format-List TimeCreated, Id, Message",
        ],
        null,
        [],
      ),
    ],
    evidence: [{ source, excerpt: `line ${hit.line}: ${hit.text}` }],
    repair: null,
    codes: [],
  })
}

/**
 * A note for a Windows Update Agent success value the text tells as if it were an error (wusa's exit code 2359302,
 * WU_S_ALREADY_INSTALLED): what it means, as information, never a problem (WUA Success and Error Codes; Microsoft's
 * "error 2359302" article: the package may also be installed and waiting for a restart).
 */
function successValueNote(code: string, source: string, story: TextStory): Finding | null {
  const e = explain(code, null)
  if (!e.ok || e.value.decoded.severity !== 'success') return null
  const exit = classifyExitCode('wusa', Number.parseInt(code.slice(2), 16))
  const hit = story.failure ?? story.words.hits.failureWeak?.[0] ?? null
  return finding({
    id: `code-${e.value.code}`,
    title: `Not a failure: ${e.value.meaning.charAt(0).toLowerCase()}${e.value.meaning.slice(1)}`,
    technical: `${e.value.name ?? 'unnamed'} (${e.value.code}, ${Number.parseInt(code.slice(2), 16)} in decimal): a success value`,
    severity: 'info',
    confidence: 0.6,
    causes: [
      `${exit.successish ? exit.detail : e.value.meaning} Windows Update Agent's success values are not errors, even where a tool reports them as one.`,
    ],
    remedies: [
      customRemedy(
        'check-installed',
        'Check that the update is installed, or waits for a restart',
        'If it is listed as Install Pending, restart once to finish it; if it is installed, there is nothing to repair.',
        ['dism /online /get-packages /format:table'],
        null,
        [],
      ),
    ],
    evidence: hit ? [{ source, excerpt: `line ${hit.line}: ${hit.text}` }] : [],
    repair: null,
    codes: [e.value.code],
  })
}

export const GENERAL_ID = 'no-failure-of-its-own'

/**
 * A note for a text that speaks of failures only in general — a condition ("if the update fails"), a possibility
 * ("may fail"), a how-to or explainer line, a false alert — and reports none of its own: nothing to repair on its
 * word, and what to paste instead when the PC does have a failure.
 */
/** "a" or "an" before a page's name ("an explainer", "a guide"). */
const article = (name: string) => (/^[aeiou]/i.test(name) ? 'an' : 'a')

/** What to paste when the text is not this PC's record: the PC's own update history and Windows Update events. */
function ownRecordRemedy() {
  return customRemedy(
    'collect-own-record',
    "If this PC's update did fail, paste its own record",
    'The update history (Settings › Windows Update › Update history) and the WindowsUpdateClient events hold the code of a failure on this PC.',
    [
      "Get-WinEvent -FilterHashtable @{LogName='System'; ProviderName='Microsoft-Windows-WindowsUpdateClient'; Id=20} -MaxEvents 5 | Format-List TimeCreated, Message",
    ],
    null,
    ['S48'],
  )
}

/**
 * News of a named update's problem, read where nothing names a cause: the failures it tells are other PCs' (no one
 * tells their own), so what it reports is that update's issue as the press tells it — one Servicing Desk's table of
 * Microsoft's known issues does not hold for it — not a failure of this PC. Its steps: the update's own page and
 * Windows release health (Microsoft lists each update's known issues and their workarounds there), then this PC's own
 * record if it has the update and the symptom.
 */
/** What a news story tells went wrong: its failure words, or its no-boot words alone. */
const newsHit = (story: TextStory) => story.failure ?? story.words.hits.noBoot?.[0] ?? null

function reportedIssueFinding(story: TextStory, source: string): Finding {
  const hit = newsHit(story)!
  const kbs = story.kbs.slice(0, 3)
  return finding({
    id: 'known-issue:reported',
    title: kbs.length
      ? `A reported problem of ${kbs.join(', ')}: news of the update, not this PC's failure`
      : "A problem of a Windows update that Microsoft acknowledged: news, not this PC's failure",
    technical: kbs.length
      ? `a news item (no first-person words, log line or command) naming ${kbs.join(', ')} tells a failure ("${hit.phrase}", ${hit.language}); Servicing Desk's table of Microsoft's known issues holds none for it`
      : `a news item (no first-person words, log line or command) tells a failure ("${hit.phrase}", ${hit.language}) that Microsoft acknowledged ("${story.acknowledged}"); it names no KB, so Servicing Desk's table of Microsoft's known issues cannot be matched`,
    severity: 'warning',
    confidence: 0.35,
    causes: [
      `The text reports that ${kbs.length > 1 ? 'these updates' : kbs.length ? 'this update' : 'an update'} caused a problem on other PCs. Microsoft lists an update's acknowledged known issues, their workarounds and their fixes on the update's support page and on Windows release health; a PC with the update and the same symptom most likely meets that issue.`,
    ],
    remedies: [
      customRemedy(
        'read-known-issues',
        kbs.length
          ? `Read the known issues of ${kbs.join(', ')} on the update's page and on Windows release health`
          : "Find the issue on Windows release health (the version's known issues) and the update it names",
        'Each update\'s support page (support.microsoft.com, search its KB number) ends with "Known issues in this update": the symptom, its workaround and the update that fixes it. Windows release health lists the same for each version of Windows.',
        [],
        null,
        [],
      ),
      ownRecordRemedy(),
    ],
    evidence: [{ source, excerpt: `line ${hit.line}: ${hit.text}` }],
    repair: null,
    codes: [],
    kbs,
  })
}

function generalNote(story: TextStory, source: string): Finding {
  const hit = story.failure
  const page = story.general
  return finding({
    id: GENERAL_ID,
    title: page
      ? `The text reports no failure of its own: it is ${article(page.page)} ${page.page}`
      : 'The text reports no failure of its own',
    technical: page
      ? `${article(page.page)} ${page.page}, no report of this PC's own failure (${page.signs
          .slice(0, 4)
          .map((s) => `"${s}"`)
          .join(
            ', ',
          )}); its codes and KBs are facts, not this PC's failure — no first-person report, log line or pasted output of a run`
      : `the failure words ("${hit?.phrase}", ${hit?.language}) are told only as a condition, a possibility, a how-to or a false alert`,
    severity: 'info',
    confidence: 0.5,
    causes: [
      'An explainer, a how-to page, a support article, an error-code reference or news of a mechanism describes what happens when an update fails; it tells no failure on a PC of its own. If this PC does have a failure, its own record names it.',
    ],
    remedies: [ownRecordRemedy()],
    evidence: [
      { source, excerpt: hit ? `line ${hit.line}: ${hit.text}` : `the text as a whole (${page?.page ?? 'general'})` },
    ],
    repair: null,
    codes: [],
  })
}

/**
 * The findings once more, through the judgement of whose failure each pasted text tells (its story's `general`): a
 * finding that rests only on a text about failures in general — a support article, a guide, an error-code reference,
 * a news item, a feature request — names no failure of the reader's. Every rule's finding and every code's passes
 * here, so no rule needs its own guard: its codes and KBs stay, as facts (a note, no repair); a known issue of a KB
 * the text names stays as it is (news of an update's known issue is one a reader's PC can meet). What rests on
 * anything else (the PC's own state, a code typed, another text) is untouched. When nothing else holds, the note
 * says what the page is.
 */
export function generalTextFindings(input: RuleInput, findings: Finding[]): Finding[] {
  const general = textStories(input).filter(({ kind, story }) => kind === null && story.general)
  if (general.length === 0) return findings
  const from = (src: string) => (s: { source: string }) => src === s.source || src.startsWith(`${s.source} (`)
  const onlyGeneral = (f: Finding) => f.evidence.length > 0 && f.evidence.every((e) => general.some(from(e.source)))
  const typed = input.code?.code ?? null
  const out = findings.map((f) => {
    if (f.severity === 'info' || f.id === GENERAL_ID || !onlyGeneral(f)) return f
    if (typed && f.codes.includes(typed)) return f
    // News of an update's problem (a KB named, or Microsoft's acknowledgement told) is one a reader's PC can meet.
    if (f.id.startsWith('known-issue') && (f.kbs?.length || f.id === 'known-issue:reported')) return f
    return {
      ...f,
      severity: 'info' as const,
      title: `Mentioned, not this PC's failure: ${f.title}`,
      repair: null,
      remedies: f.remedies.map((x) => ({ ...x, repair: null })),
    }
  })
  if (!out.some((f) => f.severity !== 'info') && !out.some((f) => f.id === GENERAL_ID))
    out.push(generalNote(general[0]!.story, general[0]!.source))
  return out
}

/** RestoreHealth, as DISM's option and as people write it. */
const RESTORE_HEALTH = /\/?Restore-?Health\b/i

/**
 * The line naming RestoreHealth nearest the fix's words in the pasted text, or null: the fix's own line, then the five
 * after it, then the three before it ("Ran DISM /RestoreHealth.\nThen it installed fine.").
 */
function restoreHealthNear(input: RuleInput, source: string, line: number): { line: number; text: string } | null {
  if (source !== 'pasted text' || !input.text) return null
  const lines = input.text.split('\n', line + 5)
  const near = [0, 1, 2, 3, 4, 5, -1, -2, -3].map((d) => line + d).filter((n) => n >= 1 && n <= lines.length)
  const at = near.find((n) => RESTORE_HEALTH.test(lines[n - 1]!))
  return at === undefined ? null : { line: at, text: lines[at - 1]!.trim().slice(0, 200) }
}

function repairedStoreFinding(
  fix: { line: number; text: string; phrase: string; language: string },
  by: { line: number; text: string },
  source: string,
): Finding {
  return finding({
    id: 'component-store-corruption',
    title: CAUSE_TITLES['component-store-corruption']!,
    technical: `the text says DISM /RestoreHealth fixed the failure ("${fix.phrase}", ${fix.language})`,
    severity: 'error',
    confidence: 0.7,
    causes: [
      'The failure went away once the component store was repaired: the store was damaged, and the same damage can fail the next update until the repair has run.',
    ],
    remedies: CAUSE_REMEDIES['component-store-corruption'] ?? [],
    evidence: [
      { source, excerpt: `line ${fix.line}: ${fix.text}` },
      ...(by.line !== fix.line ? [{ source, excerpt: `line ${by.line}: ${by.text}` }] : []),
    ],
    repair: null,
    codes: [],
  })
}

/**
 * The code appears in the text as itself: its eight hex digits, its HRESULT in decimal (signed or not), or its name. A
 * Win32 code the text gives only as a tool's small number ("error 82", "Error: 13", exit code 1603) is a reading of
 * that number: many tools return Win32 errors, not every one does, and the message of a Win32 error says what failed,
 * not why an update did. `lower` is the text in lower case.
 */
function givenAsCode(code: string, lower: string): boolean {
  const n = Number.parseInt(code.slice(2), 16)
  if (lower.includes(code.slice(2).toLowerCase()) || lower.includes(String(n)) || lower.includes(String(2 ** 32 - n)))
    return true
  // Windows Installer documents its codes as decimal numbers (isInstallerExitCode): an installer's exit code 1638 in a
  // text about an installer is that code, not a tool's private number. Not 1603, ERROR_INSTALL_FAILURE: "a fatal
  // error during installation" says that it failed, not why.
  const low = n & 0xffff
  if (
    n >>> 16 === 0x8007 &&
    isInstallerExitCode(low) &&
    low !== 1603 &&
    INSTALLER_TEXT.test(lower) &&
    new RegExp(`(?<![\\d.])${low}(?![\\d.])`).test(lower)
  )
    return true
  const e = explain(code, null)
  return e.ok && e.value.name !== null && lower.includes(e.value.name.toLowerCase())
}

/** An installer's run: Windows Installer (msiexec, an .msi), or a tool's "installer" that returns its exit code. */
const INSTALLER_TEXT = /msiexec|windows installer|\.msi\b|\binstaller\b|vc_?redist/

/** Windows Setup's run, in the words of its screens, logs and folders ("Windows cannot install required files"). */
const SETUP_RUN =
  /setup|upgrad|feature update|\$windows\.~bt|panther|windows cannot install|install(?:ing)? windows|in-place|24h2|23h2|22h2|21h2/

/** The knowledge holds the code's meaning (not only its decoded parts). */
function knownToKnowledge(code: string): boolean {
  const e = explain(code, null)
  return !e.ok || e.value.known
}

/**
 * The cause is told in the sentence of the failure with one of `codes`, or in the sentence just before it, on one line
 * of the pasted text ("… installed for the current user but not provisioned for all users. Sysprep then fails with
 * 0x…"; "fails with 0x…: the app is not provisioned"): the cause and its effect. Words told in a later sentence ("…, if
 * that matters") are context.
 */
function causeBesideCode(input: RuleInput, source: string, c: CauseWordHit, codes: string[]): boolean {
  if (source !== 'pasted text' || !input.text || codes.length === 0) return false
  const sentences = (input.text.split('\n', c.line)[c.line - 1] ?? '').toLowerCase().split(/[.!?](?=\s)|[。！？]/)
  const cause = sentences.findIndex((t) => t.includes(c.phrase.split(' … ')[0]!))
  if (cause === -1) return false
  const told = (t: string | undefined) =>
    t !== undefined && codes.some((code) => t.includes(code.slice(2).toLowerCase()))
  return told(sentences[cause]) || told(sentences[cause + 1])
}

/** The findings the pasted texts' stories add to `findings` (never a duplicate of a finding already made). */
export function storyFloor(input: RuleInput, findings: Finding[]): Finding[] {
  const out: Finding[] = []
  const ids = new Set(findings.map((f) => f.id.split(':')[0]))
  for (const { source, story } of textStories(input)) {
    if (!story.failed)
      for (const code of story.infoCodes.filter((c) => /^0x0024/i.test(c)))
        if (!ids.has(`code-${code}`)) {
          const note = successValueNote(code, source, story)
          if (note) out.push(note)
          ids.add(`code-${code}`)
        }
    for (const c of story.words.causes) {
      if (ids.has(c.cause)) continue
      // A sentence that names its cause stands on its own; the others only beside a failure the text tells.
      if (
        !story.failed &&
        !story.pending &&
        !c.standalone &&
        (c.cause !== 'services-disabled' || c.besideFailure) &&
        c.cause !== 'feature-update-failed'
      )
        continue
      // Windows' sign of a waiting restart names the cause of a text that tells no code; beside a code it is only
      // mentioned (a list of possible causes), and the code's own finding speaks.
      if (c.cause === 'pending-restart' && story.codes.length > 0) continue
      // Updates told turned off name the cause of a failure told without a code; beside a code they are context (a
      // disabled service has its own code, 0x80070422, which speaks for itself).
      // A code the knowledge does not hold says less than the cause told with it: the story's cause speaks then.
      // Sysprep's app package left installed for a user is the cause its own code reports (0x80073CF2 in setupact.log,
      // KB2769827): beside a code it still names the cause.
      if (
        c.besideFailure &&
        story.codes.length > 0 &&
        c.cause !== 'sysprep-failed' &&
        (story.codes.some(knownToKnowledge) || !causeBesideCode(input, source, c, story.codes))
      )
        continue
      // Words that name a cause only beside a failure name none beside a failure told only in general (an explainer's
      // "stuck for hours on the restart screen").
      if (c.besideFailure && story.generalOnly) continue
      // Setup's compatibility screen names what is incompatible: "this version is incompatible" beside it, or beside an
      // app or driver told incompatible, is that block (a safeguard hold on an app or driver), not an update for another
      // version of Windows.
      if (
        c.cause === 'wrong-arch-or-branch' &&
        c.besideFailure &&
        story.words.causes.some((x) => x.cause.startsWith('setup-blocked'))
      )
        continue
      // A missing source with no feature being enabled is a repair of the store that found no source (RestoreHealth's
      // 0x800F081F, "Configure a Windows repair source"): the store's damage is the cause, its source the step.
      // A feature being enabled on a PC the policy points at WSUS misses its source: Windows looks for the feature's
      // files on WSUS, which does not hold them ("Features on Demand and language packs when you use WSUS").
      // The answer file's message is Windows Setup's: it is Sysprep's only where the text tells a Sysprep run.
      const hit =
        c.cause === 'sysprep-failed:answer-file' && !SYSPREP_TOLD.test(input.text?.slice(0, 2_000_000) ?? '')
          ? { ...c, cause: 'answer-file-invalid' }
          : c.cause === 'feature-source-missing' && !story.feature
            ? { ...c, cause: 'component-store-corruption' }
            : c.cause === 'update-source-unreachable:wsus' && story.feature
              ? { ...c, cause: 'feature-source-missing' }
              : c
      if (ids.has(hit.cause)) continue
      // Windows 11's requirements told in words beside the hardware-block rule's own finding (its evidence, its
      // requirement named): the rule speaks for them.
      if (hit.cause === 'setup-blocked:hardware-requirements' && ids.has('setup-blocked')) continue
      // An upgrade told blocked beside Windows 11's requirements named is blocked by those requirements, not held back.
      if (
        hit.cause === 'setup-blocked' &&
        story.words.causes.some((x) => x.cause === 'setup-blocked:hardware-requirements')
      )
        continue
      // Setup's family reading of a bare 0xC19 code names compatibility blocks among its usual causes; a safeguard hold
      // the story tells is that block, named: it ranks above the family reading (0.85 × warning over 0.6 × error).
      const heldBack =
        hit.cause.startsWith('setup-blocked') && story.failed && findings.some((f) => f.id === 'feature-update-failed')
      out.push(heldBack ? { ...causeFinding(hit, source), confidence: 0.85 } : causeFinding(hit, source))
      ids.add(hit.cause)
    }
    // The step that fixed the failure names its cause: DISM /RestoreHealth repairs the component store (KB947821), so a
    // failure it fixed (the command on the fix's line or in the few lines after it) was the store's damage.
    if (story.fixed && !ids.has('component-store-corruption')) {
      const fixedBy = restoreHealthNear(input, source, story.fixed.line)
      if (fixedBy) {
        out.push(repairedStoreFinding(story.fixed, fixedBy, source))
        ids.add('component-store-corruption')
      }
    }
    // A PC that does not start is its own story: not a restart the install waits on (only Windows' own pending words
    // beside it still name a pending restart).
    if (story.noBoot && !ids.has(NO_BOOT_ID)) {
      out.push(noBootFinding(story, source))
      ids.add(NO_BOOT_ID)
    }
    if (
      story.pending &&
      !ids.has('pending-restart') &&
      (story.failed || story.words.hits.restartLoop) &&
      (!story.noBoot || story.words.hits.pending)
    ) {
      out.push(pendingFinding(story, source))
      ids.add('pending-restart')
    }
  }
  // A code the knowledge holds no cause for (not in it, or only its documented name and message) says what failed, not
  // why: beside a failure the text tells in words, its code-only finding is a fact, and the story speaks — the cause
  // its words name (above), else "a failure, cause not named" with the code on it. A code typed alone has no story.
  // News of an update's problem that users met: no first-person words, log line or command; a KB named, or Microsoft's
  // acknowledgement told (then even on a page framed for its readers).
  const news = textStories(input).find(
    ({ kind, story }) =>
      kind === null &&
      story.newsOfUpdate &&
      newsHit(story) &&
      !story.cancelled &&
      (!story.generalOnly || story.acknowledged !== null),
  )
  // The news's own code (a stop code it quotes) is its story's fact, as a code is beside a person's failure.
  const toldText =
    textStories(input).find(
      ({ kind, story }) => kind === null && story.failure && !story.cancelled && !story.generalOnly,
    ) ?? news
  const lower = toldText && input.text ? input.text.toLowerCase() : null
  const readFromNumber = (c: string) => lower !== null && c.startsWith('0x8007') && !givenAsCode(c, lower)
  // A code Microsoft documents only together with a Setup extend code, in a text of another tool's run (no Setup, no
  // upgrade, no extend code): the rows are Setup's, and none of them is this run's.
  const notSetup = lower !== null && !SETUP_RUN.test(lower.slice(0, 2_000_000))
  const pairsOnly = (c: string) =>
    notSetup &&
    errorCodeEntry(c) === null &&
    documentedPairs(c).length > 0 &&
    !toldText?.story.setupPairs.some((p) => p.result === c)
  const noCause = (f: Finding) =>
    toldText !== undefined &&
    f.codes.length > 0 &&
    f.codes.every(
      (c) =>
        f.id === `code-${c}` &&
        (!knownToKnowledge(c) || readFromNumber(c) || pairsOnly(c)) &&
        toldText.story.codes.includes(c),
    )
  const holding = [...findings, ...out].filter((f) => f.severity !== 'info' && !noCause(f))
  if (holding.length === 0) {
    const general = textStories(input).find(({ kind, story }) => kind === null && story.generalOnly)
    const codes = [...findings, ...out].filter((f) => f.severity !== 'info' && noCause(f)).flatMap((f) => f.codes)
    // A text read as a log whose rules found nothing still tells the failure in the person's words around the log
    // (an issue's description above it); the log's own lines are the log reader's.
    const told = textStories(input).find(
      ({ kind, story }) => (kind === null ? story.failure : story.ownFailure) && !story.cancelled && !story.generalOnly,
    )
    // News of an update that left PCs unable to start tells that in its no-boot words alone, no failure words.
    if (news && (!told || told.source === news.source)) out.push(reportedIssueFinding(news.story, news.source))
    else if (told)
      out.push(
        notNamedFinding(
          told.kind === null ? told.story : { ...told.story, failure: told.story.ownFailure },
          told.source,
          [...new Set(codes)],
        ),
      )
    else if (general && !ids.has(GENERAL_ID)) out.push(generalNote(general.story, general.source))
  }
  return out
}

/**
 * The findings a pasted text's own story shows resolved: the text tells the failure, then that the update installed
 * or a step fixed it, and no failure after. What rests only on that text is history (state `past`, no repair
 * offered), not a problem now: "resolved: was <cause>". A finding that rests on anything else (the PC's own state, a
 * code typed, another text) keeps its state.
 */
export function resolvedByText(input: RuleInput, findings: Finding[]): Finding[] {
  const done = textStories(input).filter(({ story }) => story.resolved)
  // A fix the person applied answers the cause: the cause stays named, the fix beside it as evidence.
  const fixes = textStories(input).filter(({ story }) => story.fixed && !story.resolved)
  if (fixes.length > 0)
    findings = findings.map((f) => {
      const fix = fixes.find(({ source }) =>
        f.evidence.some((e) => e.source === source || e.source.startsWith(`${source} (`)),
      )
      if (!fix || f.severity === 'info' || f.state === 'past') return f
      const hit = fix.story.fixed!
      // A finding that already cites the fix's line (the step that fixed it named its cause) is not told it twice.
      if (f.evidence.some((e) => e.source === fix.source && e.excerpt.startsWith(`line ${hit.line}: `))) return f
      return {
        ...f,
        evidence: [
          ...f.evidence,
          { source: fix.source, excerpt: `line ${hit.line}: ${hit.text} (the text says a step fixed it)` },
        ],
      }
    })
  if (done.length === 0) return findings
  const open = textStories(input).filter(({ story }) => story.failed && !story.resolved)
  return findings.map((f) => {
    if (f.state === 'past' || f.evidence.length === 0) return f
    const from = (src: string) => (s: { source: string }) => src === s.source || src.startsWith(`${s.source} (`)
    if (!f.evidence.every((e) => done.some(from(e.source)) && !open.some(from(e.source)))) return f
    const r = done.find((d) => f.evidence.some((e) => from(e.source)(d)))!.story.resolved!
    return {
      ...f,
      state: 'past' as const,
      resolvedBy: `the text tells the update installed or the problem fixed after this failure (line ${r.line}: ${r.text})`,
      repair: null,
      remedies: f.remedies.map((x) => ({ ...x, repair: null })),
    }
  })
}
