/**
 * Service states as our Get-Service script prints them. Windows PowerShell 5.1 reports a delayed
 * automatic service as `Automatic`; the script adds the registry's DelayedAutostart.
 */
import type { TrainingCommand } from '../command.ts'
import { psJson } from './ps-json.ts'

export const renderServices: TrainingCommand = ({ state }) => ({
  exitCode: 0,
  stdout: psJson(
    state.services.map((s) => ({
      Name: s.name,
      DisplayName: s.displayName,
      Status: s.status,
      StartType: s.startType === 'AutomaticDelayedStart' ? 'Automatic' : s.startType,
      DelayedAutoStart: s.startType === 'AutomaticDelayedStart',
    })),
  ),
})
