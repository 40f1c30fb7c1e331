/**
 * Files a training machine has because of its state, before any command wrote them: Windows keeps
 * ReAgent.xml in step with the WinRE configuration, so a fresh machine has one that matches its profile.
 */
import type { TrainingState } from './state.ts'
import { reagentXmlText } from './renderers/winre.ts'

export const derivedFiles: Record<string, (state: TrainingState) => string> = {
  'C:\\Windows\\System32\\Recovery\\ReAgent.xml': reagentXmlText,
}
