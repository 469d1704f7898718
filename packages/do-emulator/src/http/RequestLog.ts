export interface RequestEntry {
  method: string;
  path: string;
  /**
   * DigitalOcean's API: the spec's operationId. The registry host: its route and method, such as
   * `manifest_head`, `manifest_delete`, `blob_get`, `upload_post`, `tags_get`, `token_get`.
   * Undefined for a path neither knows.
   */
  operationId?: string;
  /** Which of the accepted tokens it carried (-1: none of them), when tokens are configured. */
  tokenIndex?: number;
  /** Response status; 0 for a dropped or unanswered request. */
  status?: number;
  /** When it arrived, on the emulator's clock (epoch ms). */
  at: number;
  /**
   * Its place in the order of arrival over both of the emulator's logs (DigitalOcean's API and
   * the registry host): a manual clock gives many requests the same `at`.
   */
  seq: number;
}

const MAX_ENTRIES = 10_000;

/** POSTs that only read: name validation changes nothing. */
const READ_ONLY_POSTS = new Set([
  'registries_validate_name',
  'registry_validate_name',
]);

/**
 * Counts requests per operation so tests and benchmarks can assert on the calls made to
 * DigitalOcean's API or to the registry host (one log each). Method, path and status only:
 * no header, query or body, so no credential is ever held.
 */
export class RequestLog {
  /**
   * `clock` dates each entry: the emulator's, so a test's clock decides what `at` says.
   * `sequence` numbers it: shared by the two logs, so their entries can be merged in order.
   */
  constructor(
    private readonly clock: () => number = Date.now,
    private readonly sequence: () => number = counter(),
  ) {}

  private entries: RequestEntry[] = [];
  private counts = new Map<string, number>();
  private total = 0;

  record(
    method: string,
    path: string,
    operationId: string | undefined,
  ): RequestEntry {
    const entry: RequestEntry = {
      method,
      path,
      operationId,
      at: this.clock(),
      seq: this.sequence(),
    };
    this.total++;
    const key = operationId ?? `${method} ${path}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    this.entries.push(entry);
    if (this.entries.length > MAX_ENTRIES) this.entries.shift();
    return entry;
  }

  /** Requests for one operation, or all requests. */
  count(operationId?: string): number {
    return operationId ? (this.counts.get(operationId) ?? 0) : this.total;
  }

  /** Requests that could change state, of the recent ones kept in the log. */
  mutating(): RequestEntry[] {
    return this.entries.filter(
      e =>
        e.method !== 'GET' &&
        e.method !== 'HEAD' &&
        !READ_ONLY_POSTS.has(e.operationId ?? ''),
    );
  }

  all(): RequestEntry[] {
    return [...this.entries];
  }

  summary() {
    return {
      total: this.total,
      byOperation: Object.fromEntries([...this.counts.entries()].sort()),
    };
  }

  reset(): void {
    this.entries = [];
    this.counts.clear();
    this.total = 0;
  }
}

/** 1, 2, 3, …: the order of arrival. */
export function counter(): () => number {
  let last = 0;
  return () => ++last;
}
