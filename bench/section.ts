/** What every benchmark section returns, so `run.ts` can print and save them alike. */

export interface Goal {
  name: string;
  value: number;
  goal: number;
  /** Whether `value` must be at least or at most `goal`; `report` is a figure with no goal. */
  compare: '>=' | '<=' | 'report';
  met: boolean;
  /** How the value was measured, in a sentence. */
  how: string;
}

export interface SectionResult {
  name: string;
  goals: Goal[];
  /** Raw measurements, kept in the JSON for later comparison. */
  details: unknown;
}

export interface BenchOptions {
  /** Seconds per measured load run. */
  durationSeconds: number;
  /** Measured runs per route and database; the median counts. */
  runs: number;
  /** Keys in the large database. */
  largeKeys: number;
  /** Requests in the distinct-client memory flood. */
  floodRequests: number;
  /** Parts of a section to run (e.g. `starvation,memory` of hostile-load); all when absent. */
  parts?: string[];
}

export interface Section {
  name: string;
  run(options: BenchOptions): Promise<SectionResult>;
}

export const goal = (name: string, value: number, compare: Goal['compare'], target: number, how: string): Goal => ({
  name,
  value,
  goal: target,
  compare,
  met: compare === 'report' || (compare === '>=' ? value >= target : value <= target),
  how,
});

/** A figure the issue asks to report, with no goal. */
export const report = (name: string, value: number, how: string): Goal => ({ name, value, goal: 0, compare: 'report', met: true, how });

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
