/**
 * Servicing told by its waits rather than by a code: a tool or a person waiting for TrustedInstaller (the Windows
 * Modules Installer service, TiWorker.exe) that does not exit, or the servicing stack's pending transaction
 * (%windir%\WinSxS\pending.xml; "pending servicing operations"). TrustedInstaller finishes an install's work at the
 * restart that follows it, and until that restart the servicing stack refuses new work (CBS_E_PENDING, TechNet
 * cc732334, S17; KB968440, S-KB968440: TrustedInstaller sets itself to start automatically for work that must finish at
 * the restart). A restart, then letting TrustedInstaller finish, is Microsoft's step (R1).
 *
 * Only where no code names the cause: a text whose code is its own finding (0x800F0806 in reboot.ts) is that finding's.
 *
 * A text that tells only the process never exiting, and names no restart waiting anywhere, tells servicing work that
 * does not end (a hang); its step is the same restart.
 */
import type { Rule, Finding } from '../rule.ts'
import { textStories } from '../facts.ts'
import { finding, remedy, customRemedy } from '../finding.ts'

/** Waiting for TrustedInstaller, or TrustedInstaller that does not exit (the service's and the process's names). */
const TI_WAIT =
  /wait(?:s|ed|ing)? (?:for )?(?:the )?(?:TrustedInstaller|TiWorker(?:\.exe)?|Windows Modules Installer)\b|(?:does(?:n[’']t| not)|never) (?:seem to )?(?:close|exit|quit|finish|stop|end) (?:the )?(?:TrustedInstaller|TiWorker(?:\.exe)?|Windows Modules Installer)\b|(?:TrustedInstaller|TiWorker(?:\.exe)?|Windows Modules Installer)\b[^.\n]{0,60}(?:never (?:exits|quits|finishes|stops|closes)|does(?:n[’']t| not) (?:seem to )?(?:exit|quit|finish|stop|close)|keeps running|(?:is )?still running)/i
/**
 * The servicing stack's pending transaction, in its own words, or its file told as present (a step that deletes or
 * renames pending.xml is a fix someone tried, not the state).
 */
const PENDING_TXN =
  /\bpending\.xml (?:is (?:still )?(?:there|present)|exists|remains)|pending servicing operations?|servicing operations? (?:is|are) pending|previous servicing operation (?:is )?pending/i

/** The wait does not end, in the person's words. */
const STUCK = /\b(?:stuck|hangs?|hung|forever|loops?|never (?:exits|quits|finishes|ends))\b/i
/** The run goes on after the wait: the tool restarts the machine, the install or the restart completes. */
/** A restart told anywhere in the text: the wait is on it (a pending reboot, a restart the tool makes or asks for). */
const RESTART_NAMED = /\b(?:re-?boot|restart)/i
const GOES_ON =
  /\b(?:Restarting|restarted|Restart complete|rebooting|rebooted|installation completed|finished|exited)\b/i

export const servicingWaitRule: Rule = {
  id: 'servicing-waits',
  evaluate(input): Finding[] {
    const text = (input.text ?? '').slice(0, 2_000_000)
    if (!text) return []
    // A failure code in the text is read by its own rule.
    if (textStories(input).some(({ story }) => story.codes.length > 0)) return []
    const ti = TI_WAIT.exec(text)
    const m = ti ?? PENDING_TXN.exec(text)
    if (!m) return []
    const line = text.slice(0, m.index).split('\n').length
    const s = text.lastIndexOf('\n', m.index - 1) + 1
    const e = text.indexOf('\n', m.index)
    const excerpt = text
      .slice(s, e === -1 ? text.length : e)
      .trim()
      .slice(0, 240)
    // What came after: a wait the story goes on from (the tool restarts the machine, the install completes) was a step
    // of a routine run, not where it stopped — unless the text says the wait never ends.
    const after = e === -1 ? '' : text.slice(e)
    if (!STUCK.test(excerpt) && !/never|does(?:n[’']t| not)|keeps|still/i.test(m[0]) && GOES_ON.test(after)) return []
    // TrustedInstaller told running on, with no restart named anywhere: servicing work that does not end.
    const hang = ti !== null && !RESTART_NAMED.test(text)
    return [
      finding({
        id: hang ? 'servicing-hang:trustedinstaller-runs' : 'pending-restart:servicing-waits',
        title: hang
          ? 'Servicing work does not end: TrustedInstaller keeps running after the updates'
          : 'Servicing work waits for a restart: TrustedInstaller finishes it only then',
        technical: 'TrustedInstaller (Windows Modules Installer) busy or a pending servicing transaction (pending.xml)',
        severity: 'error',
        confidence: 0.7,
        causes: [
          ...(hang
            ? [
                'The text tells TrustedInstaller (the Windows Modules Installer, TiWorker.exe) running on after the updates and names no restart waiting: the servicing work it does has not ended.',
              ]
            : []),
          "An install's servicing work is not finished: TrustedInstaller (the Windows Modules Installer, TiWorker.exe) completes it at the next restart, and until then it keeps running or the servicing stack holds a pending transaction (WinSxS\\pending.xml) and refuses new work. Waiting longer without a restart does not end it; ending the process by hand can leave the store half-serviced.",
        ],
        remedies: [
          remedy('R1'),
          customRemedy(
            'pending-check',
            'After the restart, confirm nothing is still pending before the next round of updates',
            'Let TrustedInstaller finish after the restart (it can take several minutes), then check that no pending transaction or restart request is left.',
            [
              'Test-Path "$env:windir\\WinSxS\\pending.xml"',
              'Test-Path "HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Component Based Servicing\\RebootPending"',
              'Get-Process -Name TiWorker -ErrorAction SilentlyContinue',
            ],
            null,
            ['S17', 'S-KB968440'],
          ),
        ],
        evidence: [{ source: 'pasted text', excerpt: `line ${line}: ${excerpt}` }],
        repair: null,
        codes: [],
      }),
    ]
  },
}
