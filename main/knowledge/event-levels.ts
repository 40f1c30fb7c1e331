/**
 * The event levels that are a failure, as Get-WinEvent and Event Viewer print them in the display languages seen: a
 * small module of its own, so the diagnosis's rules (which `diagnose --code` loads) read the same words as the event
 * reader without loading it.
 */
const ERROR_LEVEL =
  /^(?:Error|Critical|Fehler|Kritisch|Erreur|Critique|Error crítico|Errore|Erro|Ошибка|Критический|エラー|重大|错误|严重|오류|위험)$/i

/**
 * An event no update outcome describes that the log itself gave the level Error or Critical, whatever its provider and
 * Id (a Service Control Manager 7023 for the Windows Modules Installer, …): analyze's finding and the diagnosis's.
 */
export function isErrorLevelEvent(e: { kind: string; level: string | null }): boolean {
  return e.kind === 'other' && ERROR_LEVEL.test(e.level ?? '')
}
