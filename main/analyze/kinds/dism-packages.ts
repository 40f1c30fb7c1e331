/**
 * Analyzer for package lists: DISM /Get-Packages (list or table), Get-WindowsPackage (list or JSON).
 * facts.packages = [{identity, kb, arch, version, state, releaseType, installTime}], plus the effective
 * LCU level and the checkpoint status it implies (the reader: package-list.ts).
 */
import type { Analyzer } from '../analyzer.ts'
import { checkpointStatus } from '../../knowledge/servicing-chains.ts'
import { packageListAnalyzer } from './package-list.ts'

export const dismPackagesAnalyzer: Analyzer = packageListAnalyzer((build, ubr) => checkpointStatus(build, ubr))
