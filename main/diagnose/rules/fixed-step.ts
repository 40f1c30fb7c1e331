/**
 * The step that fixed the failure names its cause. A pasted text that tells a failure, then that a step fixed it
 * (its story's `fixed`: "that fixed it", "hat funktioniert", 解決しました), names the step on the fix's line or in the
 * five lines after it; where that step is Microsoft's remedy for one cause, the failure was that cause, whatever
 * generic code the install gave:
 * - the update services set back to their start type, enabled again, or started by name (BITS stopped): Windows Update,
 *   BITS, Cryptographic Services and the Windows Modules Installer must be able to start ("Windows Update common
 *   errors": the services and their default start types; ERROR_SERVICE_DISABLED), so the failure was a service turned
 *   off or not running;
 * - a firewall, proxy, VPN or hosts-file block on the update servers removed: the PC could not reach Windows Update
 *   (Microsoft's "Get help with Windows upgrade and installation errors" gives 0x800F0922 that reading too: the PC
 *   could not connect to the Windows Update servers, a VPN to turn off; the download errors of "Windows Update common
 *   errors"). The code alone is not read that way (error-codes.json: not primarily a connectivity error): only the
 *   block whose removal fixed it.
 * - new installation media (downloaded or made again, not an ISO used as DISM's repair source): Setup could not read
 *   the media it had (0x8007025D and Setup's file errors; Microsoft: download the media again, check its hash);
 * - space freed on the system drive (0x80070070, 0xC190020E: free space), or on the EFI system partition (0x800F0922,
 *   0xC1900104: 15 MB free there); space on the recovery partition is the WinRE rule's (KB5028997);
 * - a restart alone (the fix's own sentence names a restart of the PC and no other step): servicing completes the
 *   operations it staged for the next restart (pending.xml), so the failure was that pending work;
 * - Windows Update's policy values changed (UseWUServer points the PC at a WSUS server,
 *   DoNotConnectToWindowsUpdateInternetLocations and DisableWindowsUpdateAccess cut it off from Windows Update:
 *   Microsoft's Update policy settings): Features on Demand and language packs come from Windows Update, not from WSUS
 *   ("How to make Features on Demand and language packs available when you're using WSUS"), so a feature found no
 *   source; any other update found no server that had it. The names are the registry's, the same in every language.
 * The step outranks the code the install gave (0.95): the code says what failed, the step that fixed it says why.
 * DISM /RestoreHealth that fixed it is the damaged store, read with the text's other causes (text-floor.ts).
 */
import type { Rule, Finding, RuleInput } from '../rule.ts'
import { codesInPlay, textStories } from '../facts.ts'
import { finding, customRemedy, remedy } from '../finding.ts'
import { ESP_NAME } from './efi-partition.ts'
import { CAUSE_REMEDIES } from '../text-floor.ts'

/** The update services by their names (the same in every display language) and "services" in each language. */
const SERVICES =
  /\b(?:services?|wuauserv|bits|cryptsvc|trustedinstaller|dienste?n?|servicios?|servizi[oi]?|serviços?|usług[aię]?)\b|служб|サービス|服务|服務|서비스/i
/** Set back, enabled again, or put on a start type, in each language. */
const SET_BACK =
  /\b(?:revert|undo|undid|re-?enabl|enabl|start(?:ed|ing)? (?:the )?(?:bits|wuauserv|cryptsvc|windows update|update)|set (?:it |them )?back|back to|automatic|start(?:up)? type|default|aktiviert|automatisch|rückgängig|starttyp|réactiv|activ|remis|rétabli|type de démarrage|reactiv|habilit|volví a poner|autom|tipo de inicio|revert|riattiv|abilitat|tipo di avvio|reativ|ativei|włączył|przywróci|zurückgesetzt|zurückgestellt|wiederhergestellt|restablec|ripristin|restaurad|restored?)|восстанов|恢复|還原|복원|既定に戻|включ|автомат|тип запуска|有効に|自動|スタートアップの種類|元に戻|启用|啟用|自动|启动类型|改回|사용으로|자동|되돌/i
/** A reset of the update components only stops and starts the services: no start type was wrong. */
const COMPONENT_RESET = /SoftwareDistribution|catroot2/i
/** A block between the PC and the update servers, by its name in each language. */
const BLOCK =
  /\b(?:firewall|proxy|vpn|hosts|pare-feu|cortafuegos)\b|брандмауэр|прокси|防火墙|防火牆|ファイアウォール|プロキシ|방화벽|프록시/i

/** Windows Update's policy values that hold a PC on WSUS or off Windows Update. */
const WU_POLICY = /\b(?:UseWUServer|DoNotConnectToWindowsUpdateInternetLocations|DisableWindowsUpdateAccess)\b/i

/** A restart, in each display language. */
const RESTART =
  /\b(?:restart|reboot|neustart|neu gestartet|redémarr|reinici|riavvi|reinicializ)|再起動|重启|重新启动|重新啟動|다시 시작|재부팅|перезагруз|ponown\w* uruchom/i
/** Any other step beside the restart: the restart alone is not what fixed it then. */
const OTHER_STEP =
  /\b(?:sfc|dism|restorehealth|scannow|reset|renam|softwaredistribution|catroot|uninstall|delet|remov|driver|bios|firmware|antivirus|clean|chkdsk|troubleshoot|media|iso|repair|update assistant|registry|regedit|gpedit|group policy|polic|disabl|turn(?:ed|ing)? off|real-?time|protection|firewall|vpn|proxy|free(?:d|ing)? up|servicing stack|ssu|deaktivier|deinstall|désactiv|désinstall|desactiv|desinstal|disattiv|disinstall|desativ|wyłącz|odinstal)|無効|削除|修復|リセット|アンインストール|ドライバー|删除|修复|重置|卸载|驱动|关闭|禁用|停用|關閉|解除安裝|비활성|삭제|제거|отключ|удал/i

/** The sentence of line `line` (1-based) of `text` that holds the fix's phrase, or the whole line. */
function fixSentence(text: string, line: number, phrase: string): string {
  const whole = text.split('\n', line)[line - 1] ?? ''
  const start = phrase.split(' … ')[0]!.toLowerCase()
  return whole.split(/(?<=[.!?。！？])\s*/).find((t) => t.toLowerCase().includes(start)) ?? whole
}

/** Installation media, in each display language. */
const MEDIA =
  /\b(?:ISO|USB (?:stick|drive|flash drive)|bootable USB|install(?:ation)? media|media creation tool|Installationsmedi\w*|USB-Stick|clé USB|el USB|la USB|chiavetta USB|pen ?drive|support d'installation|medio de instalación|supporto di installazione|mídia de instalação|pendrive)\b|インストール\s*メディア|安装介质|установочн|носител/i
/** Made or downloaded again, in each display language. */
const AGAIN =
  /\b(?:re-?download|downloaded (?:it )?again|fresh|new|recreat|re-?creat|remade|again|neu|erneut|retélécharg|recré|nouveau|nouvelle|de nuevo|otra vez|volví a descargar|nuov[oa]|di nuovo|novamente|nov[oa])|し直|作り直|再ダウンロード|重新下载|重新制作|заново|снова|ponownie/i
/** A repair source (DISM /Source, sxs): an ISO used that way is no new media for Setup. */
const REPAIR_SOURCE = /\b(?:dism|restorehealth|\/source|sxs|enable-feature|netfx3)\b/i
/** Space freed, in each display language. */
const FREED =
  /\b(?:free[ds]? up|freed|made (?:some )?room|cleared (?:some )?space|freigemacht|freigegeben|Platz (?:geschaffen|gemacht)|libéré|liber[ée] de l'espace|liberé|liberado|liberato|liberei)|空き容量|容量を|释放|释放了|騰出|освободил|zwolnił/i
/** The recovery partition (WinRE's) by its name in each display language: its size is the WinRE rule's. */
const RECOVERY =
  /\b(?:recovery partition|winre|Wiederherstellungspartition|partition de récupération|partición de recuperación|partizione di ripristino|partição de recuperação)\b|回復パーティション|恢复分区|раздел\S* восстановления/i

/** The lines of `text` from `line` (1-based) through the five after it; with `before`, the line before it too. */
function fixWindow(text: string, line: number, before = false): { line: number; text: string }[] {
  const from = before ? Math.max(1, line - 1) : line
  return text
    .split('\n', line + 5)
    .slice(from - 1, line + 5)
    .map((t, i) => ({ line: from + i, text: t.trim().slice(0, 200) }))
}

type Fix = { line: number; text: string }

/**
 * The finding of each step that fixed a failure: its cause's id, title, what the text said fixed it, the cause in full
 * and its remedies (built when asked: a remedy holds its commands). The fix's line and the step's are its evidence.
 */
const STEP_FINDINGS: Record<
  'services' | 'block' | 'restart' | 'policy-feature' | 'policy-update' | 'media' | 'space' | 'esp',
  { id: string; title: string; told: string; cause: string; remedies: () => Finding['remedies'] }
> = {
  services: {
    id: 'services-disabled',
    title:
      'A service Windows Update needs was turned off or not running: setting it back or starting it fixed the failure',
    told: 'setting the services back',
    cause:
      'Windows Update, BITS, Cryptographic Services or the Windows Modules Installer was set to another start type, disabled or stopped (by a tweak tool, a script, a person or its idle timeout); the update could not run until it was set back or started.',
    remedies: () => [
      customRemedy(
        'enable-services',
        'Keep the update services at their default start types',
        'Windows Update and BITS default to Manual (trigger start), Cryptographic Services to Automatic, the Windows Modules Installer to Manual. Tools that "optimise" services change them again: check them after running one.',
        ['sc qc wuauserv', 'sc qc bits', 'sc qc cryptsvc', 'sc qc trustedinstaller'],
        null,
        ['S1'],
      ),
    ],
  },
  block: {
    id: 'update-source-unreachable',
    title: 'A firewall, proxy or VPN blocked the Windows Update servers: removing it fixed the failure',
    told: 'removing the block',
    cause:
      'The PC could not reach the Windows Update servers through the firewall, proxy, VPN or hosts file in the way; the install failed until that block was removed.',
    remedies: () => [
      customRemedy(
        'unblock-endpoints',
        'Allow the Windows Update endpoints through the firewall and proxy',
        'Keep the Windows Update host names (windowsupdate.com, update.microsoft.com, delivery.mp.microsoft.com) reachable: no hosts-file lines, firewall rules or proxy settings that send them elsewhere.',
        ['Get-Content -LiteralPath "$env:windir\\System32\\drivers\\etc\\hosts"', 'netsh winhttp show proxy'],
        null,
        ['S1', 'S13'],
      ),
    ],
  },
  restart: {
    id: 'pending-restart',
    title: 'A restart the update waited on: restarting fixed the failure',
    told: 'a restart',
    cause:
      'Servicing had operations staged for the next restart (pending.xml); until that restart completed them, the install failed with the code shown. The restart finished them.',
    remedies: () => [
      customRemedy(
        'restart-before-install',
        'Restart before installing the next update',
        'Install updates one at a time after a restart; when an install asks for a restart, restart before anything else.',
        ['%SystemRoot%\\System32\\shutdown.exe /r /t 0'],
        null,
        ['S1'],
      ),
    ],
  },
  'policy-feature': {
    id: 'feature-source-missing',
    title: "A Windows Update policy kept the feature's files out of reach: changing it fixed the failure",
    told: 'changing the Windows Update policy',
    cause:
      'The policy values held the PC on its WSUS server (or off Windows Update); Features on Demand and language packs come from Windows Update, not from WSUS.',
    remedies: () => CAUSE_REMEDIES['feature-source-missing'] ?? [],
  },
  'policy-update': {
    id: 'update-source-unreachable',
    title: 'A Windows Update policy kept this PC off Windows Update: changing it fixed the failure',
    told: 'changing the Windows Update policy',
    cause: 'The policy values held the PC on a WSUS server (or off Windows Update), which did not give it the update.',
    remedies: () => CAUSE_REMEDIES['update-source-unreachable'] ?? [],
  },
  media: {
    id: 'setup-media-damaged',
    title: 'The installation media was damaged: new media fixed the failure',
    told: 'this step',
    cause:
      'Setup could not read its own files from the media it was given (a damaged or incomplete download, a copy a USB tool altered); the same upgrade from freshly made media worked.',
    remedies: () => [
      customRemedy(
        'new-media',
        'Use media made from a fresh download, its hash checked',
        "Microsoft's Media Creation Tool, or the ISO from Microsoft's download page unmodified; compare its SHA-256 with the hash Microsoft publishes before using it.",
        ['Get-FileHash -Algorithm SHA256 <path to the .iso>'],
        null,
        ['S29'],
      ),
    ],
  },
  space: {
    id: 'low-disk-space',
    title: 'The system drive was too full: freeing space fixed the failure',
    told: 'this step',
    cause:
      'The update or upgrade needs free space on the system drive to stage and apply it; with too little free it failed, and with the space freed it went through.',
    remedies: () => [remedy('R2')],
  },
  esp: {
    id: 'esp-full',
    title: 'The EFI system partition was too full: freeing it fixed the failure',
    told: 'this step',
    cause:
      'The update writes boot files to the EFI system (System Reserved) partition and needs 15 MB free there; with the space freed it went through.',
    remedies: () => [
      customRemedy(
        'esp-keep-free',
        'Keep 15 MB free on the EFI system partition',
        'Tools that write to the EFI partition (firmware utilities, other boot loaders) can fill it again before the next update that services boot files.',
        [
          'Get-Partition | Where-Object GptType -eq "{c12a7328-f81f-11d2-ba4b-00a0c93ec93b}" | Get-Volume | Select-Object Size, SizeRemaining',
        ],
        null,
        ['MS-SRP'],
      ),
    ],
  },
}

function stepFinding(source: string, kind: keyof typeof STEP_FINDINGS, fix: Fix, step: Fix = fix): Finding {
  const f = STEP_FINDINGS[kind]
  return finding({
    id: f.id,
    title: f.title,
    technical: `the text says ${f.told} fixed it (line ${step.line})`,
    severity: 'error',
    confidence: 0.95,
    causes: [f.cause],
    remedies: f.remedies(),
    evidence: [
      { source, excerpt: `line ${fix.line}: ${fix.text}` },
      ...(step.line !== fix.line ? [{ source, excerpt: `line ${step.line}: ${step.text}` }] : []),
    ],
    repair: null,
    codes: [],
  })
}

export const fixedStepRule: Rule = {
  id: 'fixed-step',
  evaluate(input: RuleInput): Finding[] {
    if (!input.text) return []
    const inPlay = codesInPlay(input)
    const out: Finding[] = []
    // The text's lines are the pasted text's, or the one text read from a file (diagnose --log): the same reading.
    const stories = textStories(input)
    for (const { source, story } of stories) {
      if ((source !== 'pasted text' && stories.length > 1) || !story.fixed || story.generalOnly) continue
      const fix = { line: story.fixed.line, text: story.fixed.text }
      const lines = fixWindow(input.text, fix.line)
      // A disabled service with its own code is that rule's finding (services.ts).
      const services = inPlay.has('0x80070422')
        ? undefined
        : lines.find((l) => SERVICES.test(l.text) && SET_BACK.test(l.text) && !COMPONENT_RESET.test(l.text))
      if (services) out.push(stepFinding(source, 'services', fix, services))
      const block = lines.find((l) => BLOCK.test(l.text))
      if (block) out.push(stepFinding(source, 'block', fix, block))
      // A restart alone: the fix's own sentence names a restart of the PC (not of a service) and no other step (the
      // lines after it list what else ran); a restart told in another sentence ("it required a reboot") is context.
      // New installation media, not used as a repair source: the media Setup read was damaged.
      const media = lines.find((l) => MEDIA.test(l.text) && AGAIN.test(l.text) && !REPAIR_SOURCE.test(l.text))
      if (media) out.push(stepFinding(source, 'media', fix, media))
      // Space freed: on the EFI system partition, that partition; on the recovery partition, the WinRE rule's; else the
      // system drive.
      const freed = lines.find((l) => FREED.test(l.text) && !RECOVERY.test(l.text))
      if (freed) out.push(stepFinding(source, ESP_NAME.test(freed.text) ? 'esp' : 'space', fix, freed))
      // A policy value is often set on the line before the one that says it worked.
      const policy = fixWindow(input.text, fix.line, true).find((l) => WU_POLICY.test(l.text))
      if (policy) out.push(stepFinding(source, story.feature ? 'policy-feature' : 'policy-update', fix, policy))
      const said = fixSentence(input.text, fix.line, story.fixed.phrase)
      if (
        !services &&
        !block &&
        !media &&
        !freed &&
        !policy &&
        RESTART.test(said) &&
        !SERVICES.test(said) &&
        !OTHER_STEP.test(said) &&
        !lines.some((l) => OTHER_STEP.test(l.text))
      )
        out.push(stepFinding(source, 'restart', fix))
      break
    }
    return out
  },
}
