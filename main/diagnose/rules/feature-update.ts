/**
 * Feature-update (Setup) failures: SetupDiag's matching rule and 0xC19xxxxx result codes with their extend
 * code (upgrade-error-codes, resolution-procedures, setupdiag docs). Setup is not monthly servicing, so this
 * rule reports what SetupDiag found and the documented next step.
 */
import type { Rule, Finding, Evidence } from '../rule.ts'
import { codesInPlay, textStories } from '../facts.ts'
import { finding, remedy, customRemedy, technical } from '../finding.ts'
import type { RuleInput } from '../rule.ts'
import { mostNamedPair, setupMediaFindings } from './setup-media.ts'
import { setupDiagRemedy } from '../text-floor.ts'

/** ERROR_CANCELLED: the operation was cancelled by the user (winerror.h). */
const CANCELLED = '0x800704C7'

/** The failure codes setup logs report: their error lines' codes and the run's final result. */
function setupLogCodes(input: RuleInput): Set<string> {
  const out = new Set<string>()
  for (const { analysis } of input.logs.setupLog) {
    for (const e of analysis.errors) if (e.code && /^0x[89AC]/.test(e.code)) out.add(e.code)
    if (analysis.finalResult) out.add(analysis.finalResult.code)
    for (const p of analysis.resultPairs) out.add(p.code)
  }
  return out
}

/**
 * The codes of a setup run that ended in ERROR_CANCELLED: the cancel and the Error lines on its way there (a page
 * aborted, a task cancelled, a probe for a file). Setup's failure results (0xC19…) are not the cancel's. Empty when
 * no setup log was cancelled.
 */
export function cancelledRunCodes(input: RuleInput): Set<string> {
  const out = new Set<string>()
  for (const { analysis } of input.logs.setupLog) {
    if (
      analysis.finalResult?.code !== CANCELLED &&
      !analysis.errors.some((e) => e.code === CANCELLED) &&
      !analysis.suspended &&
      !analysis.userCancel
    )
      continue
    out.add(CANCELLED)
    for (const e of analysis.errors) if (e.code && /^0x[89AC]/.test(e.code) && !/^0xC19/.test(e.code)) out.add(e.code)
  }
  return out
}

/**
 * What setup logs say by themselves: a run the user cancelled (its final result 0x800704C7) is a note, not a
 * failure; sysprep's Error lines (SYSPRP, often with no code) are a sysprep failure with its cause.
 */
function setupLogFindings(input: RuleInput): Finding[] {
  const out: Finding[] = []
  for (const { source, analysis } of input.logs.setupLog) {
    const last = analysis.finalResult ?? null
    const cancelLine =
      last?.code === CANCELLED
        ? last
        : (analysis.errors.filter((e) => e.code === CANCELLED).at(-1) ??
          analysis.userCancel ??
          analysis.suspended ??
          null)
    if (cancelLine && !out.some((f) => f.id === 'setup-cancelled')) {
      // Suspended, not cancelled: no ERROR_CANCELLED line, only Setup's own action being suspended.
      const suspended = cancelLine === analysis.suspended
      out.push(
        finding({
          id: 'setup-cancelled',
          title: suspended
            ? 'Setup was suspended before it finished; nothing failed'
            : 'Setup was cancelled; nothing failed',
          technical: suspended ? "Setup's action suspended (MOUPG …::Suspend)" : technical(CANCELLED),
          // A cancel is the person's own act; a suspend may not be (a restart, a policy), and the upgrade is not
          // installed either way: it is told as a warning to look at, still not as a failure.
          severity: suspended ? 'warning' : 'info',
          confidence: 0.8,
          causes: [
            suspended
              ? "Setup's own action was suspended (MOUPG …::Suspend): the run was paused or stopped from outside — by the person, by closing Setup, or by a restart or shutdown during it — and the Error lines after it are its way out. It is not a setup failure."
              : 'The run ended with ERROR_CANCELLED (0x800704C7): the operation was cancelled — by the person, by closing Setup, or by a restart or shutdown during it. It is not a setup failure.',
          ],
          remedies: [
            customRemedy(
              'run-again',
              'Start the update again when the PC can stay on',
              'Let Setup run to its end: keep the PC on power and do not sign out or restart during it.',
              [],
              null,
              ['S28'],
            ),
          ],
          evidence: [{ source, excerpt: `line ${cancelLine.line}: ${cancelLine.text}` }],
          repair: null,
          // The run's other Error lines are its way to the cancel (a page aborted, a task cancelled): this
          // finding accounts for them, so none is reported as a failure of its own. Setup's failure results
          // (0xC19…) are not the cancel's and stay separate.
          codes: [...cancelledRunCodes(input)],
        }),
      )
    }
    const sp = analysis.sysprep
    if (sp) {
      const appx = sp.package
      out.push(
        finding({
          id: 'sysprep-failed',
          title: appx
            ? 'Sysprep failed: an app is installed for a user but not provisioned for all users'
            : 'Sysprep failed',
          technical: `SYSPRP, ${sp.errorLines} error line(s)${analysis.firstError?.code ? `, ${technical(analysis.firstError.code)}` : ''}`,
          severity: 'error',
          confidence: appx ? 0.85 : 0.6,
          causes: appx
            ? [
                `${appx} was installed (or updated by the Store) for one user and is not provisioned for all users; /generalize refuses such packages.`,
              ]
            : [
                "Sysprep's validation or one of its providers failed; its Error lines in setupact.log / setuperr.log name the step.",
              ],
          remedies: appx
            ? [
                customRemedy(
                  'remove-appx',
                  'Remove the per-user copy of the app and its provisioning, then run Sysprep again',
                  'See which users have the package, remove it for the user who runs Sysprep (sign in as, or delete, any other user who has it), remove its provisioning, then run Sysprep again.',
                  [
                    `Get-AppxPackage -AllUsers ${appx.split('_')[0]} | Format-List -Property PackageFullName,PackageUserInformation`,
                    `Remove-AppxPackage -Package ${appx}`,
                    `Remove-AppxProvisionedPackage -Online -PackageName ${appx}`,
                  ],
                  null,
                  ['S-SYSPREP-APPX'],
                ),
              ]
            : [remedy('R0')],
          evidence: [{ source, excerpt: `line ${sp.line}: ${sp.text}` }],
          repair: null,
          codes: analysis.firstError?.code && /^0x8/.test(analysis.firstError.code) ? [analysis.firstError.code] : [],
        }),
      )
    }
  }
  return out
}

/**
 * Setup's result/extend pair told in a pasted text (its rollback screen, typed or copied, in any language: the phase
 * and operation names are Setup's identifiers): the feature update failed in that phase and operation. The extend
 * code's phase and operation are decoded from Microsoft's "Upgrade error codes" (S28) and Microsoft's row for the
 * exact pair (S29) gives its cause when it has one. Of several pairs, the one the text names most often is its story
 * (a table of pairs names each once). Damaged media (a data error in the image's own operation) is setup-media.ts's.
 */
function setupPairFindings(input: RuleInput): Finding[] {
  for (const { source, story } of textStories(input)) {
    const p = mostNamedPair(
      story.setupPairs.filter((x) => x.meaning),
      input.text ?? '',
    )
    if (!p?.meaning) continue
    const m = p.meaning
    const op = m.operation.label ?? m.operation.name ?? m.operation.hex
    const phase = m.phase.label ?? m.phase.name ?? String(m.phase.digit)
    const ev: Evidence[] = [{ source, excerpt: `line ${p.line}: ${p.text}` }]
    return [
      finding({
        id: 'feature-update-failed',
        title: `The feature update (Windows Setup) failed in ${phase} during ${op} and rolled back`,
        technical: `${technical(p.result)} - ${m.extend}: ${m.text}`,
        severity: 'error',
        confidence: 0.7,
        causes: [
          m.pair
            ? m.pair.cause
            : m.family
              ? `${m.family.cause} Setup failed in the ${phase} phase during ${op}.`
              : `Setup failed in the ${phase} phase during ${op}; Microsoft's extend code names where, the result code what (${p.result}).`,
        ],
        remedies: [
          ...(m.pair || m.family
            ? [
                customRemedy(
                  'setup-pair',
                  m.pair ? "Microsoft's mitigation for this pair" : `Microsoft's mitigation for ${p.result}`,
                  (m.pair ?? m.family)!.mitigation,
                  [],
                  null,
                  m.sources,
                ),
              ]
            : []),
          setupDiagRemedy(),
          remedy('R0'),
        ],
        evidence: ev,
        repair: null,
        codes: [p.result],
      }),
    ]
  }
  return []
}

/** Setup's result for an app or driver that blocks the upgrade (MOSETUP_E_COMPAT_INSTALLREQ_BLOCK). */
const COMPAT_BLOCK = '0xC1900208'

export const featureUpdateRule: Rule = {
  id: 'feature-update-failed',
  evaluate(input): Finding[] {
    const out: Finding[] = []
    for (const { source, facts } of input.logs.setupdiag) {
      for (const m of facts.matches.slice(0, 3)) {
        const ev: Evidence[] = [{ source, excerpt: m.lines.slice(0, 8).join('\n') }]
        out.push(
          finding({
            // The family first: a SetupDiag match is a failed feature update, the rule its finer reason.
            id: `feature-update-failed:setupdiag-${m.rule}`,
            title: `Feature update failed: SetupDiag rule ${m.rule} matched`,
            technical: `${m.errorCode ? technical(m.errorCode) : 'no code'}${m.extendCode ? ` - ${m.extendCode}` : ''}${m.lastPhase ? `, phase ${m.lastPhase}` : ''}`,
            severity: 'error',
            confidence: 0.85,
            causes: [
              m.message ?? `SetupDiag matched ${m.rule}.`,
              ...(m.lastOperation ? [`Last operation: ${m.lastOperation}.`] : []),
            ],
            remedies: [
              ...(m.advice
                ? [customRemedy('setupdiag-advice', "Follow SetupDiag's advice", m.advice, [], null, ['S31'])]
                : []),
              remedy('R0'),
              remedy('R1'),
            ],
            evidence: ev,
            repair: null,
            codes: m.errorCode ? [m.errorCode] : [],
          }),
        )
      }
    }
    if (out.length) return out
    out.push(...setupLogFindings(input))
    // Setup stopped on its own media: that is the cause, not a failed upgrade of this PC.
    if (!out.some((f) => f.id === 'setup-cancelled')) {
      const media = setupMediaFindings(input)
      if (media.length) return [...out, ...media]
    }
    if (!out.length) out.push(...setupPairFindings(input))
    if (out.some((f) => f.id === 'feature-update-failed')) return out
    const fromLogs = out.flatMap((f) => f.codes)
    const inPlay = codesInPlay(input)
    // A run that ended in ERROR_CANCELLED logs its way there as Error lines (the page's 0x800704D3 "request
    // aborted", the download task's 0xC18001xx cancels): those are the cancel, not a failure. Only Setup's own
    // failure results (0xC19…, upgrade-error-codes) still say the upgrade failed before it was cancelled.
    const cancelled = out.some((f) => f.id === 'setup-cancelled')
    const setup = [...inPlay.values()].filter(
      (s) =>
        (/^0xC19/.test(s.code) || (!cancelled && setupLogCodes(input).has(s.code))) &&
        !fromLogs.includes(s.code) &&
        s.code !== CANCELLED,
    )
    if (!setup.length) return out
    const extend =
      input.code?.extend ??
      input.logs.setupLog.flatMap(({ analysis }) => analysis.resultPairs.map((p) => p.extend))[0] ??
      null
    // MOSETUP_E_COMPAT_INSTALLREQ_BLOCK: Setup found an app or driver that is not compatible and would not go on
    // ("Upgrade error codes": an incompatible app installed on the PC blocks the upgrade). The block is the cause.
    const blocked = setup.filter((s) => s.code === COMPAT_BLOCK)
    if (blocked.length)
      return [
        ...out,
        finding({
          id: 'setup-blocked:incompatible-app',
          title: 'An app or driver on this PC blocks the feature update',
          technical: `${technical(COMPAT_BLOCK)}${extend ? ` - ${extend}` : ''}`,
          severity: 'error',
          confidence: 0.8,
          causes: [
            "Setup found an app or a driver that is not compatible with the new version and stopped before installing. Setup's compatibility report (and SetupDiag) names it.",
          ],
          remedies: [
            customRemedy(
              'setupdiag',
              'Find the blocking app or driver with SetupDiag',
              'SetupDiag reads the Panther logs and names the block (CompatBlockedApplication…, HardblockDeviceOrDriver); uninstall or update what it names, then run Setup again.',
              ['SetupDiag.exe /Output:C:\\SetupDiag\\Results.log'],
              null,
              ['S31'],
            ),
            remedy('R0'),
          ],
          evidence: blocked.flatMap((s) => s.evidence),
          repair: null,
          codes: [COMPAT_BLOCK],
        }),
      ]
    return [
      ...out,
      finding({
        id: 'feature-update-failed',
        title: 'The feature update (Windows Setup) failed and rolled back',
        technical: `${technical(...setup.map((s) => s.code))}${extend ? ` - ${extend}` : ''}`,
        severity: 'error',
        confidence: 0.6,
        causes: [
          'Setup codes (0xC19…) come from the feature-update engine; the extend code names the phase. Drivers, antivirus and compatibility blocks are the usual causes.',
        ],
        remedies: [setupDiagRemedy(), remedy('R0')],
        evidence: setup.flatMap((s) => s.evidence),
        repair: null,
        codes: setup.map((s) => s.code),
      }),
    ]
  },
}
