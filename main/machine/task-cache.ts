/**
 * The scheduled task \Microsoft\Windows\PI\SecureBootEncodeUEFI in Task Scheduler's registry cache, as Microsoft's
 * "Error 0x800f0922 caused by corrupted scheduled task when installing Windows updates" (SupportArticles-docs
 * support/windows-server/installing-updates-features-roles/error-0x800f0922-installing-windows-updates.md) reads and
 * cleans it with reg.exe: the task's GUID from its Tree key's ID value, then its Maintenance, Plain and Tasks entries
 * and the Tree key deleted. The commands are reg.exe's own (query, export, delete), by full path under System32.
 */
import type { CommandSpec } from '../host/host.ts'

export const TASK_CACHE_KEY = 'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Schedule\\TaskCache'
export const SECURE_BOOT_ENCODE_TASK = '\\Microsoft\\Windows\\PI\\SecureBootEncodeUEFI'
export const SECURE_BOOT_ENCODE_TREE_KEY = `${TASK_CACHE_KEY}\\Tree${SECURE_BOOT_ENCODE_TASK}`
/** The three entries of one task's GUID, in the order Microsoft's article deletes them (the Tree key is last). */
export const TASK_GUID_KEYS = ['Maintenance', 'Plain', 'Tasks'] as const
/** reg.exe's words for a key or value that is not there (exit 1), as against access denied (exit 1 too). */
export const REG_NOT_FOUND = 'ERROR: The system was unable to find the specified registry key or value.'

const reg = (name: string, args: string[]): CommandSpec => ({
  name,
  file: 'reg.exe',
  args,
  timeoutMs: 30_000,
  outputEncoding: 'console',
})

/** `reg query "<Tree>\SecureBootEncodeUEFI" /v ID`: the task's GUID (step 3 of the article). */
export const taskCacheIdCommand: CommandSpec = reg('tasks.reg-query', [
  'query',
  SECURE_BOOT_ENCODE_TREE_KEY,
  '/v',
  'ID',
])

/** `reg query "<TaskCache>\<Maintenance|Plain|Tasks>\{GUID}"`: whether one of the task's entries exists. */
export function taskCacheKeyCommand(key: string): CommandSpec {
  return reg('tasks.reg-query', ['query', key])
}

/** `reg export <key> <file> /y`: the key kept before it is deleted (the undo: `reg import <file>`). */
export function taskCacheExportCommand(key: string, file: string): CommandSpec {
  return reg('tasks.reg-export', ['export', key, file, '/y'])
}

/** `reg delete <key> /f` (step 4 of the article). */
export function taskCacheDeleteCommand(key: string): CommandSpec {
  return reg('tasks.reg-delete', ['delete', key, '/f'])
}

/** The keys of the task's GUID (`{…}` as the Tree key's ID holds it). */
export function taskGuidKeys(guid: string): string[] {
  return TASK_GUID_KEYS.map((k) => `${TASK_CACHE_KEY}\\${k}\\${guid}`)
}
