/** Every CLI command, registered in one place. Add a command: one import, one line. */
import type { Command } from 'commander'
import type { CliContext } from '../context.ts'
import { registerMachines } from './machines.ts'
import { registerScan } from './scan.ts'
import { registerAnalyze } from './analyze.ts'
import { registerExplain } from './explain.ts'
import { registerDiagnose } from './diagnose.ts'
import { registerReport } from './report.ts'
import { registerPlan } from './plan.ts'
import { registerInstall } from './install.ts'
import { registerWinre } from './winre.ts'
import { registerCatalog } from './catalog.ts'
import { registerDownload } from './download.ts'
import { registerKit } from './kit.ts'
import { registerRepair } from './repair.ts'
import { registerKnowledge } from './knowledge.ts'
import { registerMedia } from './media.ts'
import { registerCollector } from './collector.ts'
import { registerFixPackage } from './fix-package.ts'
import { registerFleet } from './fleet.ts'

export function registerCommands(program: Command, ctx: CliContext): void {
  registerMachines(program, ctx)
  registerScan(program, ctx)
  registerAnalyze(program, ctx)
  registerExplain(program, ctx)
  registerDiagnose(program, ctx)
  registerReport(program, ctx)
  registerPlan(program, ctx)
  registerInstall(program, ctx)
  registerWinre(program, ctx)
  registerCatalog(program, ctx)
  registerDownload(program, ctx)
  registerKit(program, ctx)
  registerRepair(program, ctx)
  registerKnowledge(program, ctx)
  registerMedia(program, ctx)
  registerCollector(program, ctx)
  registerFixPackage(program, ctx)
  registerFleet(program, ctx)
}
