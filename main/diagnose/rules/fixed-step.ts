/**
 * The step that fixed the failure names its cause. A pasted text that tells a failure, then that a step fixed it
 * (its story's `fixed`: "that fixed it", "hat funktioniert", 解決しました), names the step on the fix's line or in the
 * five lines after it; where that step is Microsoft's remedy for one cause, the failure was that cause, whatever
 * generic code the install gave:
 * - the update services set back to their start type or enabled again: Windows Update, BITS, Cryptographic Services
 *   and the Windows Modules Installer must be able to start ("Windows Update common errors": the services and their
 *   default start types; ERROR_SERVICE_DISABLED), so the failure was a service turned off;
 * - a firewall, proxy, VPN or hosts-file block on the update servers removed: the PC could not reach Windows Update
 *   (Microsoft's "Get help with Windows upgrade and installation errors" gives 0x800F0922 that reading too: the PC
 *   could not connect to the Windows Update servers, a VPN to turn off; the download errors of "Windows Update common
 *   errors"). The code alone is not read that way (error-codes.json: not primarily a connectivity error): only the
 *   block whose removal fixed it.
 * - a restart alone (the fix's own sentence names a restart of the PC and no other step): servicing completes the
 *   operations it staged for the next restart (pending.xml), so the failure was that pending work.
 * The step outranks the code the install gave (0.95): the code says what failed, the step that fixed it says why.
 * DISM /RestoreHealth that fixed it is the damaged store, read with the text's other causes (text-floor.ts).
 */
import type { Rule, Finding, RuleInput } from '../rule.ts'
import { codesInPlay, textStories } from '../facts.ts'
import { finding, customRemedy } from '../finding.ts'

/** The update services by their names (the same in every display language) and "services" in each language. */
const SERVICES =
  /\b(?:services?|wuauserv|bits|cryptsvc|trustedinstaller|dienste?n?|servicios?|servizi[oi]?|serviços?|usług[aię]?)\b|служб|サービス|服务|服務|서비스/i
/** Set back, enabled again, or put on a start type, in each language. */
const SET_BACK =
  /\b(?:revert|undo|undid|re-?enabl|enabl|set (?:it |them )?back|back to|automatic|start(?:up)? type|default|aktiviert|automatisch|rückgängig|starttyp|réactiv|activ|remis|rétabli|type de démarrage|reactiv|habilit|volví a poner|autom|tipo de inicio|revert|riattiv|abilitat|tipo di avvio|reativ|ativei|włączył|przywróci)|включ|автомат|тип запуска|有効に|自動|スタートアップの種類|元に戻|启用|啟用|自动|启动类型|改回|사용으로|자동|되돌/i
/** A reset of the update components only stops and starts the services: no start type was wrong. */
const COMPONENT_RESET = /SoftwareDistribution|catroot2/i
/** A block between the PC and the update servers, by its name in each language. */
const BLOCK =
  /\b(?:firewall|proxy|vpn|hosts|pare-feu|cortafuegos)\b|брандмауэр|прокси|防火墙|防火牆|ファイアウォール|プロキシ|방화벽|프록시/i

/** A restart, in each display language. */
const RESTART =
  /\b(?:restart|reboot|neustart|neu gestartet|redémarr|reinici|riavvi|reinicializ)|再起動|重启|重新启动|重新啟動|다시 시작|재부팅|перезагруз|ponown\w* uruchom/i
/** Any other step beside the restart: the restart alone is not what fixed it then. */
const OTHER_STEP =
  /\b(?:sfc|dism|restorehealth|scannow|reset|renam|softwaredistribution|catroot|uninstall|delet|remov|driver|bios|firmware|antivirus|clean|chkdsk|troubleshoot|media|iso|repair|update assistant|registry|regedit)|削除|修復|リセット|アンインストール|ドライバー|删除|修复|重置|卸载|驱动/i

/** The sentence of line `line` (1-based) of `text` that holds the fix's phrase, or the whole line. */
function fixSentence(text: string, line: number, phrase: string): string {
  const whole = text.split('\n', line)[line - 1] ?? ''
  const start = phrase.split(' … ')[0]!.toLowerCase()
  return whole.split(/(?<=[.!?。！？])\s*/).find((t) => t.toLowerCase().includes(start)) ?? whole
}

/** The lines of `text` from `line` (1-based) through the five after it. */
function fixWindow(text: string, line: number): { line: number; text: string }[] {
  return text
    .split('\n', line + 5)
    .slice(line - 1, line + 5)
    .map((t, i) => ({ line: line + i, text: t.trim().slice(0, 200) }))
}

function servicesFinding(fix: { line: number; text: string }, step: { line: number; text: string }): Finding {
  return finding({
    id: 'services-disabled',
    title: 'A service Windows Update needs was turned off: setting it back fixed the failure',
    technical: `the text says setting the services back fixed it (line ${step.line})`,
    severity: 'error',
    confidence: 0.95,
    causes: [
      'Windows Update, BITS, Cryptographic Services or the Windows Modules Installer was set to another start type or disabled (by a tweak tool, a script or a person); the update could not run until it was set back.',
    ],
    remedies: [
      customRemedy(
        'enable-services',
        'Keep the update services at their default start types',
        'Windows Update and BITS default to Manual (trigger start), Cryptographic Services to Automatic, the Windows Modules Installer to Manual. Tools that "optimise" services change them again: check them after running one.',
        ['sc qc wuauserv', 'sc qc bits', 'sc qc cryptsvc', 'sc qc trustedinstaller'],
        null,
        ['S1'],
      ),
    ],
    evidence: [
      { source: 'pasted text', excerpt: `line ${fix.line}: ${fix.text}` },
      ...(step.line !== fix.line ? [{ source: 'pasted text', excerpt: `line ${step.line}: ${step.text}` }] : []),
    ],
    repair: null,
    codes: [],
  })
}

function blockFinding(fix: { line: number; text: string }, step: { line: number; text: string }): Finding {
  return finding({
    id: 'update-source-unreachable',
    title: 'A firewall, proxy or VPN blocked the Windows Update servers: removing it fixed the failure',
    technical: `the text says removing the block fixed it (line ${step.line})`,
    severity: 'error',
    confidence: 0.95,
    causes: [
      'The PC could not reach the Windows Update servers through the firewall, proxy, VPN or hosts file in the way; the install failed until that block was removed.',
    ],
    remedies: [
      customRemedy(
        'unblock-endpoints',
        'Allow the Windows Update endpoints through the firewall and proxy',
        'Keep the Windows Update host names (windowsupdate.com, update.microsoft.com, delivery.mp.microsoft.com) reachable: no hosts-file lines, firewall rules or proxy settings that send them elsewhere.',
        ['Get-Content -LiteralPath "$env:windir\\System32\\drivers\\etc\\hosts"', 'netsh winhttp show proxy'],
        null,
        ['S1', 'S13'],
      ),
    ],
    evidence: [
      { source: 'pasted text', excerpt: `line ${fix.line}: ${fix.text}` },
      ...(step.line !== fix.line ? [{ source: 'pasted text', excerpt: `line ${step.line}: ${step.text}` }] : []),
    ],
    repair: null,
    codes: [],
  })
}

function restartFinding(fix: { line: number; text: string }): Finding {
  return finding({
    id: 'pending-restart',
    title: 'A restart the update waited on: restarting fixed the failure',
    technical: `the text says a restart fixed it (line ${fix.line})`,
    severity: 'error',
    confidence: 0.95,
    causes: [
      'Servicing had operations staged for the next restart (pending.xml); until that restart completed them, the install failed with the code shown. The restart finished them.',
    ],
    remedies: [
      customRemedy(
        'restart-before-install',
        'Restart before installing the next update',
        'Install updates one at a time after a restart; when an install asks for a restart, restart before anything else.',
        ['%SystemRoot%\\System32\\shutdown.exe /r /t 0'],
        null,
        ['S1'],
      ),
    ],
    evidence: [{ source: 'pasted text', excerpt: `line ${fix.line}: ${fix.text}` }],
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
    for (const { source, story } of textStories(input)) {
      if (source !== 'pasted text' || !story.fixed || story.generalOnly) continue
      const fix = { line: story.fixed.line, text: story.fixed.text }
      const lines = fixWindow(input.text, fix.line)
      // A disabled service with its own code is that rule's finding (services.ts).
      const services = inPlay.has('0x80070422')
        ? undefined
        : lines.find((l) => SERVICES.test(l.text) && SET_BACK.test(l.text) && !COMPONENT_RESET.test(l.text))
      if (services) out.push(servicesFinding(fix, services))
      const block = lines.find((l) => BLOCK.test(l.text))
      if (block) out.push(blockFinding(fix, block))
      // A restart alone: the fix's own sentence names a restart of the PC (not of a service) and no other step (the
      // lines after it list what else ran); a restart told in another sentence ("it required a reboot") is context.
      const said = fixSentence(input.text, fix.line, story.fixed.phrase)
      if (
        !services &&
        !block &&
        RESTART.test(said) &&
        !SERVICES.test(said) &&
        !OTHER_STEP.test(said) &&
        !lines.some((l) => OTHER_STEP.test(l.text))
      )
        out.push(restartFinding(fix))
      break
    }
    return out
  },
}
