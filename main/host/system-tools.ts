/** The System32 program table lives in main/system-tools.ts (no Host in it, so knowledge can format copyable lines). */
export * from '../system-tools.ts'
