/**
 * The step that fixed a failure names its cause. Windows Update needs its services to start (Windows Update, BITS,
 * Cryptographic Services, Windows Modules Installer: Microsoft's "Windows Update common errors and mitigation" and the
 * manual reset of the Windows Update components list them with their default start types); a tool that changes the
 * services' start types can stop them. When the person set the services back and that fixed the failure, the services
 * were its cause, whatever code the failure showed: a code such as 0x800F0922 has several documented readings (an
 * advanced installer, the System Reserved partition, the checkpoint update), and this one is what the story shows.
 * The words are the ones people use for the step (services, their start type set back, a change undone), in each
 * display language the outcome words hold; they are read only on the fix's own line and the line before it.
 */

/** Services, as people name them (Windows' own word in each language, and the console). */
const SERVICES =
  /\b(?:services?|Dienste?n?|servicios?|serviços?|servizi|usługi|wuauserv|services\.msc)\b|サービス|服务|服務|서비스|служб/i

/** Set back: a change undone, a start type put back, re-enabled. */
const SET_BACK =
  /\b(?:revert(?:ed|ing)?|undo|undid|re-?enabled?|restored?|set(?: \w+){0,4} back|put(?: \w+){0,4} back|back to (?:their |the )?(?:defaults?|automatic|original)|zurückgesetzt|zurückgestellt|wiederhergestellt|wieder aktiviert|rétabli|réactivé|remis|restablec\w*|reactiv\w*|ripristinat\w*|riattivat\w*|restaurad\w*|reativad\w*)\b|元に戻|既定に戻|有効に戻|恢复|改回|還原|복원|되돌|восстанов/i

/** The fix's line or the line before it, when it tells the services set back; else null. */
export function servicesSetBack(text: string, line: number): { line: number; text: string } | null {
  const lines = text.split('\n', line)
  for (const n of [line, line - 1]) {
    const l = (lines[n - 1] ?? '').slice(0, 1000)
    if (SERVICES.test(l) && SET_BACK.test(l)) return { line: n, text: l.trim().slice(0, 200) }
  }
  return null
}

/**
 * Windows Update's policy values that keep a PC off Windows Update (Microsoft's "Configure Automatic Updates" and Update
 * policy settings: UseWUServer points it at a WSUS server, DoNotConnectToWindowsUpdateInternetLocations and
 * DisableWindowsUpdateAccess cut it off from Windows Update). Features on Demand and language packs come from Windows
 * Update, not from WSUS ("How to make Features on Demand and language packs available when you're using WSUS or
 * Configuration Manager"): a PC those values hold on WSUS cannot get them, nor any update its WSUS server does not have.
 * The names are the registry's, the same in every display language.
 */
const WU_POLICY = /\b(?:UseWUServer|DoNotConnectToWindowsUpdateInternetLocations|DisableWindowsUpdateAccess)\b/i

/** A Windows Update policy value on the fix's line, the line before it or the eight after it; else null. */
export function wuPolicyChanged(text: string, line: number): { line: number; text: string } | null {
  const lines = text.split('\n', line + 8)
  for (let n = Math.max(1, line - 1); n <= Math.min(lines.length, line + 8); n++) {
    const l = (lines[n - 1] ?? '').slice(0, 1000)
    if (WU_POLICY.test(l)) return { line: n, text: l.trim().slice(0, 200) }
  }
  return null
}
