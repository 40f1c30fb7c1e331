/**
 * Log files of each training machine (CBS.log, DISM.log, …), as Windows writes them. Keyed by profile
 * name, then by Windows path. Each scenario's logs reproduce its documented failure.
 */
export type LogFiles = Record<string, () => string>

export const trainingLogs: Record<string, LogFiles> = {}
