/**
 * Parses `DISM /Image:<dir> /Get-CurrentEdition` (and `/Online /Get-CurrentEdition`): the edition ID of the image
 * (`Current Edition : Professional`, `Core`, `Enterprise`, `ServerDatacenter`…), the ID the servicing knowledge
 * decides by (Windows 11 or Server on build 26100; the editions an ESU rule exempts). With /English the label is
 * English; an output without that line (an error, another language) gives null, never a guess.
 */
export interface DismEditionResult {
  /** The edition ID, or null when the output names none. */
  edition: string | null
}

export function parseDismCurrentEdition(text: string): DismEditionResult {
  // A value that is not text (a caller's mistake, a broken capture) names no edition rather than throwing.
  if (typeof text !== 'string') return { edition: null }
  const m = /^\s*Current Edition\s*:\s*([A-Za-z][A-Za-z0-9]{0,63})\s*$/m.exec(text)
  return { edition: m ? m[1]! : null }
}
