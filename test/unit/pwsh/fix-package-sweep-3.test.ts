/**
 * Fix packages run by PowerShell on the emulated PC, a quarter of the problem machines (fix-sweep.ts):
 * through every restart to the proof, and killed at every step boundary.
 */
import { fixPackageSweep, SWEEP_PARTS } from './fix-sweep.ts'

fixPackageSweep(SWEEP_PARTS[2]!)
