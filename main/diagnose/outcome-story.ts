/**
 * What a text of unrecognised layout tells about its run as a whole, read before any of its codes is taken for a
 * failure (advice never escalates on a success, an install waiting for a restart or a cancelled run).
 *
 * Windows Update's own summary lines decide (WindowsUpdate.log as Get-WindowsUpdateLog writes it):
 * `Install call complete (succeeded = 1, succeeded with errors = 0, failed = 0, cancelled = 0 …`, a handler's
 * `Install complete … Return code is 0x00000000`, `Reboot required = True`, `Exit code = 0x00240005`
 * (WU_S_REBOOT_REQUIRED). In such a story `resultMapped=80242014` (WU_E_UH_POSTREBOOTSTILLPENDING) is the history's
 * "installed, restart pending", not a failure. Any failure count or failure line makes it no success story.
 *
 * A reader of the whole log format (an analyze kind) can give the same answer per update; this is the diagnosis'
 * own floor for text no reader recognised.
 */
export type TextStory = 'installed-restart-pending' | 'installed' | 'cancelled'

const FAILED_COUNT = /\bfailed\s*=\s*[1-9]/i
const SUCCEEDED_COUNT = /\bsucceeded\s*=\s*[1-9]/i
const CANCELLED_COUNT = /\bcancelled\s*=\s*[1-9]/i
const FAILURE_LINE =
  /\b(Installation Failure|failed to install|Install failed|FATAL|returned error|Exit code = 0x8|Call error code = 0x8|Return code is 0x8|resultMapped=(?!80242014)8)/i
const INSTALL_COMPLETE_OK = /Install complete\b[^\n]*Return code is 0x0{8}\b/i
const REBOOT = /Reboot required\s*=\s*true\b|Exit code\s*=\s*0x00240005\b|WU_S_REBOOT_REQUIRED|resultMapped=80242014\b/i

/** The run's story, or null when the text shows a failure or tells nothing either way. */
export function storyOfText(text: string): TextStory | null {
  if (FAILED_COUNT.test(text) || FAILURE_LINE.test(text)) return null
  const installed = SUCCEEDED_COUNT.test(text) || INSTALL_COMPLETE_OK.test(text)
  if (installed) return REBOOT.test(text) ? 'installed-restart-pending' : 'installed'
  if (CANCELLED_COUNT.test(text)) return 'cancelled'
  return null
}
