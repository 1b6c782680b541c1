/** Moved to bench/processes.ts (the benchmarks start programs too); kept so that existing imports still work. */
export * from '../../bench/processes';
