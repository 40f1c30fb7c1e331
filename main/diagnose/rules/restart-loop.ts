/**
 * A restart loop in which the update stays pending: the text tells a restart loop (its story's restart-loop words) and
 * the status Windows Update shows for the update through it — "Pending restart", "Pending install", "Restart required"
 * and the same statuses in each display language — so each restart asks for another and the update never completes.
 * The operations servicing staged for startup fail there and stay pending; the codes the history lists beside them are
 * that loop's, not another cause to rank above it. A loop that ends in a rollback (Setup's or servicing's "undoing
 * changes"), or a PC that does not start, is not this.
 */
import type { Rule, Finding, RuleInput } from '../rule.ts'
import { textStories } from '../facts.ts'
import { finding, customRemedy } from '../finding.ts'

/** Windows Update's statuses for an update that waits on its restart, in each display language. */
const PENDING_STATUS =
  /pending restart|pending install|install pending|restart required|restart to (?:complete|finish)|neustart ausstehend|installation ausstehend|neustart erforderlich|redémarrage en attente|installation en attente|redémarrage requis|reinicio pendiente|instalación pendiente|reinicio requerido|riavvio in sospeso|installazione in sospeso|riavvio necessario|riavvia per completare|reinicialização pendente|reinício pendente|instalação pendente|reinicialização necessária|再起動の保留中|インストールの保留中|再起動が必要|等待重启|挂起的重启|需要重启|等待重新啟動|需要重新啟動|다시 시작 보류 중|설치 보류 중|다시 시작 필요|ожидание перезагрузки|ожидание установки|требуется перезагрузка|oczekiwanie na ponowne uruchomienie|oczekiwanie na instalację|wymagane ponowne uruchomienie/i
/** The loop ends in a rollback: the update (or Setup) undoes itself, in each display language. */
const ROLLBACK =
  /roll(?:ed|s|ing)? back|undoing changes|previous version|rückgängig|vorherige version|annulation des modifications|annulons les modifications|version précédente|build précédente|deshaciendo (?:los )?cambios|versión anterior|annullamento delle modifiche|versione precedente|desfazendo (?:as )?alterações|versão anterior|変更を元に戻|以前のバージョン|撤销更改|以前的版本|변경 내용을 취소|이전 버전|отмена изменений|предыдущ(?:ей|ую) верси/i

export const restartLoopRule: Rule = {
  id: 'restart-loop-pending',
  evaluate(input: RuleInput): Finding[] {
    if (!input.text) return []
    for (const { source, story } of textStories(input)) {
      const loop = story.words.hits.restartLoop?.[0]
      if (!loop || story.noBoot || story.generalOnly) continue
      const head = input.text.slice(0, 2_000_000)
      const status = PENDING_STATUS.exec(head)
      if (!status || ROLLBACK.test(head)) continue
      const at = head.lastIndexOf('\n', status.index) + 1
      const line = head.slice(0, status.index).split('\n').length
      const eol = head.indexOf('\n', status.index)
      const text = head
        .slice(at, eol === -1 ? undefined : eol)
        .trim()
        .slice(0, 200)
      return [
        finding({
          id: 'pending-restart',
          title: 'The update stays pending through a restart loop: each restart asks for another',
          technical: `the text says "${loop.phrase}" (${loop.language}) and the update's status "${status[0]}"`,
          severity: 'error',
          confidence: 0.95,
          causes: [
            'Servicing staged the update to finish at startup; the staged operations fail there, so the update stays pending and asks for the next restart. CBS.log around the restart names the package whose pending operation fails.',
          ],
          remedies: [
            customRemedy(
              'restart-once',
              'Restart once with nothing else installing, then read CBS.log for the pending operation that fails',
              'Restart once and let it finish; if the same update asks again, read CBS.log around that restart for the package whose pending operation fails, and install that update alone (its full MSU from the Catalog) after a clean restart.',
              [
                '%SystemRoot%\\System32\\shutdown.exe /r /t 0',
                '%SystemRoot%\\System32\\findstr.exe /i /c:"pending" %windir%\\Logs\\CBS\\CBS.log',
              ],
              null,
              ['S1'],
            ),
          ],
          evidence: [
            { source, excerpt: `line ${loop.line}: ${loop.text}` },
            ...(line !== loop.line ? [{ source, excerpt: `line ${line}: ${text}` }] : []),
          ],
          repair: null,
          codes: [],
        }),
      ]
    }
    return []
  },
}
