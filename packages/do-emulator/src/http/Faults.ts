/**
 * Faults tests can switch on: added latency, error responses, dropped connections and requests
 * that never get an answer. A rule applies to the next `count` matching requests.
 */
export interface FaultRule {
  /**
   * `error`: answer with `status` instead of handling the request. `drop`: close the connection
   * without handling it. `hang`: never answer. `drop-response`: handle the request (state
   * changes) but close the connection instead of answering, as when the answer is lost.
   * `delay`: handle the request after `delayMs` more on the emulator's `sleep` (a test's
   * `ManualClock` holds the answer until it moves).
   */
  kind: 'error' | 'drop' | 'hang' | 'drop-response' | 'delay';
  /** HTTP status for `error` (default 500). */
  status?: number;
  /** How long `delay` waits. */
  delayMs?: number;
  /** How many matching requests it applies to (default 1). */
  count?: number;
  /** Only requests for this operationId (e.g. `registries_create`); all API requests if absent. */
  operationId?: string;
  /** Only requests with this HTTP method. */
  method?: string;
}

export interface FaultSettings {
  latencyMs?: number;
  rules?: FaultRule[];
}

export class Faults {
  latencyMs = 0;
  private rules: Array<FaultRule & { remaining: number }> = [];

  configure(settings: FaultSettings): void {
    if (settings.latencyMs !== undefined) this.latencyMs = settings.latencyMs;
    for (const rule of settings.rules ?? []) this.add(rule);
  }

  add(rule: FaultRule): void {
    this.rules.push({ ...rule, remaining: rule.count ?? 1 });
  }

  clear(): void {
    this.rules = [];
    this.latencyMs = 0;
  }

  /** The fault to apply to this request, if any; consumes one use of the rule. */
  take(operationId: string | undefined, method: string): FaultRule | undefined {
    const rule = this.rules.find(
      r =>
        r.remaining > 0 &&
        (!r.operationId || r.operationId === operationId) &&
        (!r.method || r.method.toUpperCase() === method.toUpperCase()),
    );
    if (!rule) return undefined;
    rule.remaining--;
    this.rules = this.rules.filter(r => r.remaining > 0);
    return rule;
  }

  pending(): number {
    return this.rules.reduce((sum, r) => sum + r.remaining, 0);
  }
}
