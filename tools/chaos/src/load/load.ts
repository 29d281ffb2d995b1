import { randomUUID } from 'node:crypto';
import { send, STAFF, type Caller } from './http';
import { SimulatedCustomer, type CommandKind } from './simulated-customer';

/** Every command sent, with every answer it got: what the checker holds the system to. */
export interface CommandRecord {
  phase: string;
  kind: CommandKind | 'Read';
  key: string;
  method: string;
  path: string;
  /** Each attempt's status, or the network error's code. */
  attempts: Array<number | string>;
  /** 'acknowledged' (2xx), 'rejected' (4xx: a final answer), 'unresolved' (5xx or no answer, retries exhausted). */
  outcome: 'acknowledged' | 'rejected' | 'unresolved' | 'pending';
  /** The aggregate and version a 2xx answer named. */
  id?: string;
  version?: number;
  sentAt: number;
  answeredAt?: number;
}

export interface LoadOptions {
  customers: number;
  /** Commands started per second, across all customers (a customer runs one at a time). */
  rate: number;
  /** Reads per second through the gateway, of orders already acknowledged. */
  readRate: number;
  /** How long a command is retried (same key) on a network error or a 5xx before it counts as unresolved. */
  retryForMs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A steady, mixed, bounded command load through the gateway: `rate` commands per second at most, started on idle
 * customers in turn, so at most one command per customer is in flight. Each command has an Idempotency-Key of its
 * own and is retried with that key on a network error or a 5xx, with backoff, for up to `retryForMs`; every answer
 * is recorded. Acknowledged order commands are reported to `onAcknowledged` (the lag probe).
 */
export class Load {
  readonly records: CommandRecord[] = [];
  private readonly customers: SimulatedCustomer[];
  private readonly busy = new Set<SimulatedCustomer>();
  private phase = 'warm-up';
  private running = false;
  private loops: Promise<void>[] = [];
  private inFlight = new Set<Promise<void>>();
  private retryingNow = 0;
  onAcknowledged: (record: CommandRecord) => void = () => undefined;

  constructor(private readonly options: LoadOptions) {
    this.customers = Array.from({ length: options.customers }, (_, i) => new SimulatedCustomer(i + 1));
  }

  /** Commands now being retried after a network error or a 5xx. */
  get retrying(): number {
    return this.retryingNow;
  }

  start(phase: string): void {
    this.phase = phase;
    if (this.running) return;
    this.running = true;
    this.loops = [this.commandLoop(), this.readLoop()];
  }

  /** Stops starting commands and waits for those in flight (their retries included) to end. */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
    await Promise.all([...this.inFlight]);
  }

  of(phase: string): CommandRecord[] {
    return this.records.filter((record) => record.phase === phase);
  }

  private async commandLoop(): Promise<void> {
    const every = 1000 / this.options.rate;
    let turn = 0;
    let next = Date.now();
    while (this.running) {
      let customer: SimulatedCustomer | undefined;
      for (let i = 0; i < this.customers.length && !customer; i++) {
        const candidate = this.customers[(turn + i) % this.customers.length];
        if (candidate && !this.busy.has(candidate)) customer = candidate;
      }
      turn++;
      if (customer) this.track(this.runCommand(customer));
      next += every;
      await sleep(Math.max(0, next - Date.now()));
    }
  }

  private async readLoop(): Promise<void> {
    if (this.options.readRate <= 0) return;
    while (this.running) {
      await sleep(1000 / this.options.readRate);
      const orders = this.customers.flatMap((customer) => customer.knownOrders());
      const orderId = orders[Math.floor(Math.random() * orders.length)];
      if (orderId) this.track(this.execute('Read', 'GET', `/api/orders/${orderId}`, undefined, STAFF));
    }
  }

  private track(work: Promise<unknown>): void {
    const done = work.then(() => undefined);
    this.inFlight.add(done);
    void done.finally(() => this.inFlight.delete(done));
  }

  private async runCommand(customer: SimulatedCustomer): Promise<void> {
    this.busy.add(customer);
    try {
      const planned = customer.next();
      const record = await this.execute(
        planned.kind,
        planned.method,
        planned.path,
        planned.body,
        customer.caller,
      );
      if (record.outcome === 'acknowledged' && record.id !== undefined && record.version !== undefined) {
        planned.acknowledged({ id: record.id, version: record.version });
        this.onAcknowledged(record);
      }
    } finally {
      this.busy.delete(customer);
    }
  }

  private async execute(
    kind: CommandRecord['kind'],
    method: string,
    path: string,
    body: unknown,
    caller: Caller,
  ): Promise<CommandRecord> {
    const key = randomUUID();
    const record: CommandRecord = {
      phase: this.phase,
      kind,
      key,
      method,
      path,
      attempts: [],
      outcome: 'pending',
      sentAt: Date.now(),
    };
    this.records.push(record);
    const headers: Record<string, string> = kind === 'Read' ? {} : { 'idempotency-key': key };
    const giveUpAt = Date.now() + this.options.retryForMs;
    let backoff = 100;
    let retrying = false;
    try {
      for (;;) {
        let status: number | null = null;
        try {
          const answer = await send(method, path, body, caller, headers);
          status = answer.status;
          record.attempts.push(status);
          if (status < 500) {
            record.outcome =
              status < 300 || (kind === 'Read' && status === 404) ? 'acknowledged' : 'rejected';
            const named = answer.body as { id?: unknown; version?: unknown } | undefined;
            if (status < 300 && typeof named?.id === 'string' && typeof named.version === 'number') {
              record.id = named.id;
              record.version = named.version;
            }
            record.answeredAt = Date.now();
            return record;
          }
        } catch (error) {
          const cause = (error as { cause?: { code?: string } }).cause;
          record.attempts.push(cause?.code ?? (error instanceof Error ? error.name : 'error'));
        }
        if (Date.now() > giveUpAt) {
          record.outcome = 'unresolved';
          return record;
        }
        if (!retrying) this.retryingNow++;
        retrying = true;
        await sleep(backoff);
        backoff = Math.min(backoff * 2, 2000);
      }
    } finally {
      if (retrying) this.retryingNow--;
    }
  }
}
