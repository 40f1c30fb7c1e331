/**
 * Windows Setup or Windows Update refuses this PC's hardware: a compatibility block, not a failed install to repair.
 * Three kinds, each from Microsoft's documentation of the block and the message it shows:
 *
 * - Windows 11's requirements (S-W11-REQ): TPM 2.0, a UEFI firmware capable of Secure Boot, a supported processor —
 *   "This PC doesn't currently meet Windows 11 system requirements" (Windows Update, PC Health Check, in each display
 *   language), Setup's compatibility data (`<HardwareItem HardwareType="Setup_…"><CompatibilityInfo BlockingType="Hard"`),
 *   and Setup's result 0xC1900200 / 0xC1900202 ("the system doesn't meet the minimum requirements", "Upgrade error
 *   codes", S28). Options: turn TPM or Secure Boot on in the firmware when the PC has them, else stay on the version it
 *   runs while it is serviced, or replace the hardware.
 * - The processor's instructions (S-W11-REQ): Windows 11 24H2 and later need POPCNT and SSE4.2; Setup says "This PC's
 *   processor doesn't support a critical feature" naming them. No setting gets past it: a kernel that uses them does
 *   not start without them.
 * - Windows 7 / 8.1 on a processor generation that needs a later Windows (KB4012982, S-KB4012982): Windows Update shows
 *   "Unsupported hardware — Your PC uses a processor that isn't supported on this version of Windows" (its code is
 *   80240037) and offers no more updates; Microsoft's answer is Windows 10 or later.
 */
import type { Rule, Finding, Evidence } from '../rule.ts'
import { codesInPlay, allSightings, textStories } from '../facts.ts'
import { finding, customRemedy, technical } from '../finding.ts'
import { lineAt } from '../../parse/line-at.ts'

/**
 * Setup's results for a PC that does not meet the requirements ("Upgrade error codes", S28): the block itself
 * (MOSETUP_E_COMPAT_SYSREQ_BLOCK, _DOWNLOADREQ_BLOCK) and its cancel variants (MOSETUP_E_COMPAT_SYSREQ_CANCEL,
 * _DOWNLOADREQ_CANCEL: "the user has chosen to cancel because the system does not pass the minimum requirements"),
 * where the person closed Setup at its requirements page: the requirements are still the cause.
 */
const REQUIREMENT_CODES = ['0xC1900200', '0xC1900202', '0xC1900201', '0xC1900203']

/**
 * Windows 11's requirements not met, as Windows Update, PC Health Check and Setup ("This PC can't run Windows 11") word
 * it in each display language (en, de, fr, es, it, pt, ja, zh-CN, zh-TW, ko, ru, pl; the Japanese form "を実行するための最小
 * システム要件を満たしていません" is Microsoft's own support page's), and a PC told not compatible with Windows 11 (how
 * people retell Setup's block).
 */
const W11_REQUIREMENTS =
  /(?:is(?:n[’']t| not)|are(?:n[’']t| not)) compatible with Windows 11|doesn[’']t currently meet (?:all )?(?:the )?(?:Windows 11 )?system requirements|(?:can[’']t|cannot) run Windows 11|does(?:n[’']t| not) meet (?:the )?(?:minimum )?(?:system |hardware )?requirements (?:for|of) Windows 11|erfüllt (?:derzeit )?(?:nicht|keine) (?:alle )?(?:der )?(?:die )?Systemanforderungen (?:für|von) Windows 11|ne (?:répond|satisfait) (?:actuellement )?pas [^.\n]{0,40}configuration (?:système )?requise (?:pour|de) Windows 11|no cumple (?:actualmente )?(?:con )?(?:los|todos los) requisitos (?:mínimos )?(?:del sistema )?(?:de|para) Windows 11|non soddisfa (?:attualmente )?(?:tutti )?i requisiti di sistema (?:di|per) Windows 11|Windows ?11 の(?:最小)?システム要件を満たしていません|Windows ?11 を実行(?:するための(?:最小)?システム要件を満たしていません|できません)|(?:不满足|不符合) ?Windows 11 (?:的)?(?:最低)?系统要求|无法运行 ?Windows ?11|不符合 ?Windows ?11 ?(?:的)?(?:最低)?系統需求|無法執行 ?Windows ?11|kann Windows 11 nicht ausführen|ne peut pas exécuter Windows 11|no puede ejecutar Windows 11|non può eseguire Windows 11|não pode executar o Windows 11|não (?:atende|cumpre) (?:atualmente )?(?:a |aos |os )?(?:todos os )?requisitos (?:mínimos )?(?:de|do) sistema (?:para|do) (?:o )?Windows 11|запуск Windows 11 на этом компьютере невозможен|не соответствует (?:всем )?(?:минимальным )?(?:системным требованиям|требованиям к системе) (?:для )?Windows 11|nie spełnia (?:obecnie )?(?:wszystkich )?(?:minimalnych )?wymagań systemowych (?:dla )?(?:systemu )?Windows 11|nie można uruchomić systemu Windows 11|Windows 11 ?(?:의 )?시스템 요구 사항을 충족하지|Windows 11을 실행할 수 없/i
/** TPM 2.0 or Secure Boot named as the requirement that fails. */
const TPM_SECURE_BOOT =
  /TPM 2\.0 (?:must be|is not|isn[’']t|not) (?:supported|enabled|detected|present)|must support (?:TPM 2\.0|Secure Boot)|Secure Boot (?:must be|is not|isn[’']t) (?:supported|enabled|capable)|\bSetup_(?:TPM|SecureBoot)\b/i
/** Setup's compatibility data: a hardware item with a hard block. */
const COMPAT_HARD = /<HardwareItem\b[^>]*HardwareType="([^"]+)"[\s\S]{0,400}?BlockingType="Hard"/i
/** The processor's missing instructions, as Setup names them. */
const CPU_INSTRUCTIONS = /\b(?:POPCNT|PopCnt|SSE ?4\.2)\b/
/** Setup's own words for a missing instruction, or a failure told beside it. */
const CPU_MISSING =
  /critical feature|(?:does(?:n[’']t| not)|do not|don[’']t|without|lacks?|lacking|missing|no) (?:support(?:s|ing)? )?(?:for )?(?:the )?(?:POPCNT|PopCnt|SSE ?4\.2)|(?:POPCNT|PopCnt|SSE ?4\.2)[^.\n]{0,40}(?:missing|not supported|unsupported|required|requirement)/i
/** KB4012982's message (en, de, ja, zh), Windows Update's "Unsupported hardware" title. */
const OLD_WINDOWS_CPU =
  /processor that (?:isn[’']t|is not) supported on this version of Windows|processor that is designed for the latest version of Windows|\bUnsupported hardware\b|Nicht unterstützte Hardware|サポートされていないプロセッサ|不支持的(?:硬件|处理器)/i

/** KB4012982's message itself, without the title: always this block. */
const OLD_WINDOWS_CPU_SENTENCE =
  /processor that (?:isn[’']t|is not) supported on this version of Windows|processor that is designed for the latest version of Windows|サポートされていないプロセッサ|不支持的(?:硬件|处理器)/i
/** Windows Update's title alone ("Unsupported hardware"), which people also use for a PC below Windows 11's bar. */
const UNSUPPORTED_TITLE = /\bUnsupported hardware\b|Nicht unterstützte Hardware/i
/** KB4012982's block is Windows 7's and 8.1's: the Windows a text names tells whose "unsupported hardware" it is. */
const NEWER_WINDOWS = /\bWin(?:dows)? ?1[01]\b/i
const OLDER_WINDOWS = /\bWin(?:dows)? ?(?:7|8\.1|8)\b/i

interface Block {
  kind: 'requirements' | 'processor-instructions' | 'old-windows-processor'
  evidence: Evidence[]
  codes: string[]
  item: string | null
}

function blockOf(input: Parameters<Rule['evaluate']>[0]): Block | null {
  const text = (input.text ?? '').slice(0, 2_000_000)
  const hits = allSightings(codesInPlay(input), ...REQUIREMENT_CODES)
  // A setup log's requirements scan fails on a later Error line than its first (a language probe comes first):
  // Setup's requirements result on any of its Error lines is the block.
  for (const { source, analysis } of input.logs.setupLog)
    for (const e of analysis.errors) {
      if (!e.code || !REQUIREMENT_CODES.includes(e.code) || hits.some((h) => h.code === e.code)) continue
      hits.push({
        code: e.code,
        evidence: [{ source, excerpt: `line ${e.line}: ${e.text}` }],
        origins: new Set(['log']),
      })
    }
  const stories = textStories(input)
  const failed = stories.some(({ story }) => story.failed)
  const failureCodes = stories.flatMap(({ story }) => story.codes)
  // No text (a code alone, a machine's scan) matches none of these patterns: they are not run, so not compiled (the
  // requirements' pattern in eight languages under `i` costs its case closing on first use).
  const has = (re: RegExp) => text !== '' && re.test(text)
  const ev = (re: RegExp): Evidence[] => {
    const m = text === '' ? null : re.exec(text)
    if (!m) return []
    const l = lineAt(text, m.index, 240)
    return [{ source: 'pasted text', excerpt: `line ${l.line}: ${l.text}` }]
  }
  if (has(CPU_INSTRUCTIONS) && (has(CPU_MISSING) || hits.length) && (failed || hits.length))
    return {
      kind: 'processor-instructions',
      evidence: [...ev(CPU_MISSING), ...hits.flatMap((h) => h.evidence)].slice(0, 4),
      codes: hits.map((h) => h.code),
      item: 'Setup_Processor',
    }
  const compat = text === '' ? null : COMPAT_HARD.exec(text)
  if (hits.length || has(W11_REQUIREMENTS) || compat || (failed && has(TPM_SECURE_BOOT)))
    return {
      kind: 'requirements',
      evidence: [
        ...hits.flatMap((h) => h.evidence),
        ...ev(W11_REQUIREMENTS),
        ...ev(COMPAT_HARD),
        ...ev(TPM_SECURE_BOOT),
      ].slice(0, 4),
      codes: hits.map((h) => h.code),
      item: compat?.[1] ?? null,
    }
  // Windows Update's own block message; beside another failure code the code's finding speaks.
  // Its title alone, in a text about Windows 10 or 11 and not Windows 7 or 8.1, is an upgrade below Windows 11's bar
  // (the requirements bypassed), not this block.
  const oldCpu = OLD_WINDOWS_CPU.exec(text)
  const titleOnly = oldCpu !== null && UNSUPPORTED_TITLE.test(oldCpu[0])
  if (
    oldCpu &&
    failureCodes.length === 0 &&
    !(titleOnly && !OLD_WINDOWS_CPU_SENTENCE.test(text) && has(NEWER_WINDOWS) && !has(OLDER_WINDOWS))
  )
    return { kind: 'old-windows-processor', evidence: ev(OLD_WINDOWS_CPU), codes: [], item: null }
  return null
}

export const hardwareBlockRule: Rule = {
  id: 'setup-blocked',
  evaluate(input): Finding[] {
    const b = blockOf(input)
    if (!b?.evidence.length) return []
    const tech = [b.codes.length ? technical(...b.codes) : null, b.item ? `hard block: ${b.item}` : null]
      .filter(Boolean)
      .join('; ')
    if (b.kind === 'old-windows-processor')
      return [
        finding({
          id: 'setup-blocked:processor-generation',
          title: 'Windows Update blocks this processor on this version of Windows: it offers no more updates',
          technical: tech || 'Windows Update: Unsupported hardware (KB4012982)',
          severity: 'error',
          confidence: 0.8,
          causes: [
            'Windows 7 and Windows 8.1 are not supported on 7th-generation and later processors (Intel Kaby Lake, AMD Bristol Ridge, Qualcomm 8996 and later): Windows Update shows "Unsupported hardware" and scans or downloads no updates (KB4012982). Nothing on the PC is broken.',
          ],
          remedies: [
            customRemedy(
              'upgrade-windows',
              'Move the PC to a version of Windows that supports its processor',
              "Microsoft's answer in KB4012982 is to upgrade these PCs to Windows 10 or later; the block is by design, and patching Windows Update's files to get past it leaves the PC on an unsupported combination.",
              [],
              null,
              ['S-KB4012982'],
            ),
          ],
          evidence: b.evidence,
          repair: null,
          codes: b.codes,
        }),
      ]
    if (b.kind === 'processor-instructions')
      return [
        finding({
          id: 'setup-blocked:processor-instructions',
          title:
            "Windows Setup is blocked: this PC's processor lacks instructions this Windows version needs (POPCNT, SSE4.2)",
          technical: tech || 'processor without POPCNT / SSE4.2',
          severity: 'error',
          confidence: 0.85,
          causes: [
            'Windows 11 version 24H2 and later require a processor with the POPCNT and SSE4.2 instructions; Setup blocks a processor without them ("This PC\'s processor doesn\'t support a critical feature"). It is a hardware limit: no setting or bypass gets past it, because the new kernel does not start without them.',
          ],
          remedies: [
            customRemedy(
              'stay-or-replace',
              'Stay on the version the PC runs, or replace the processor or the PC',
              'Keep the PC on the version it runs while that version is still serviced (take its monthly updates), and plan to replace the hardware before its end of servicing.',
              [],
              null,
              ['S-W11-REQ'],
            ),
          ],
          evidence: b.evidence,
          repair: null,
          codes: b.codes,
        }),
      ]
    return [
      finding({
        id: 'setup-blocked:hardware-requirements',
        title: 'Windows Setup is blocked: this PC does not meet the Windows 11 hardware requirements',
        technical: tech || 'Windows 11 system requirements not met',
        severity: 'error',
        confidence: 0.8,
        causes: [
          `Windows 11 needs TPM 2.0, a UEFI firmware capable of Secure Boot, and a supported processor; Setup and Windows Update block a PC that does not meet them${b.item ? ` (Setup's compatibility data names ${b.item})` : ''}. It is a compatibility block, not a failed installation.`,
        ],
        remedies: requirementsRemedies(),
        evidence: b.evidence,
        repair: null,
        codes: b.codes,
      }),
    ]
  },
}

/**
 * What to do when Windows 11's hardware requirements are not met (the rule's finding, and the same cause told in words:
 * diagnose/text-floor.ts): see which one, turn on TPM and Secure Boot where the PC has them, else stay or replace.
 */
export function requirementsRemedies() {
  return [
    customRemedy(
      'check-requirements',
      'See which requirement is not met',
      'PC Health Check names the failing requirement; on the PC, the TPM and Secure Boot state can be read directly.',
      ['Get-Tpm', 'Confirm-SecureBootUEFI'],
      null,
      ['S-W11-REQ'],
    ),
    customRemedy(
      'firmware',
      'Turn on TPM 2.0 and Secure Boot in the firmware when the PC has them',
      'Many PCs have a firmware TPM (Intel PTT, AMD fTPM) and Secure Boot switched off: turn them on in the UEFI settings (the disk must be GPT for UEFI Secure Boot), then run Setup again.',
      [],
      null,
      ['S-W11-REQ'],
    ),
    customRemedy(
      'stay-or-replace',
      'Otherwise stay on the version the PC runs, or replace the hardware',
      'A PC that cannot meet the requirements stays on the version it runs while that version is serviced.',
      [],
      null,
      ['S-W11-REQ'],
    ),
  ]
}
