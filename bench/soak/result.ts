/** The figures of one account, sent from its child process to the report. */
export interface AccountResult {
  id: string;
  registries: number;
  gcMinutes: number;
  defaultWindows: string;
  apiPolicies: number;
  ticks: number;
  auditTicks: number;
  auditMismatches: number;
  skippedMinutes: number;
  tickMsMean: number;
  tickMsMax: number;
  wallMs: number;
  calls: number;
  callsPeak: number;
  callsPeakAt: string;
  callsPeakHour: number;
  callsPeakHourAt: string;
  minutesOverBudget: number;
  minutesWithCalls: number;
  histogram: Record<string, number>;
  statuses: Record<string, number>;
  byOperation: Record<string, number>;
  runs: {
    claimed: number;
    started: number;
    succeeded: number;
    failed: number;
    cancelled: number;
    skipped: number;
    inFlight: number;
    external: number;
    manual: number;
    reasons: Record<string, number>;
  };
  startAnswers: Record<string, number>;
  externalInserts: number;
  externalRuns: string[];
  stuckAtEnd: number;
  stuckAtEndDetail: string[];
  overdueSeen: number;
  maxOverdueMin: number;
  orphaned: string[];
  dbRows: Record<string, number>;
  pushes: number;
  pushesRefused: number;
  events: string[];
}
