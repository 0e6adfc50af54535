import type { Logger } from '../observability/logger.js';
import { ServiceKey } from '../services.js';

/**
 * The kill switch that can be thrown while the engine runs (the REST API calls it). While
 * halted, the `orders` stage rejects every new order with rule `kill-switch`.
 */
export class RiskControl {
  private haltReason: string | undefined;

  constructor(private readonly logger?: Logger) {}

  get halted(): boolean {
    return this.haltReason !== undefined;
  }

  /** Why trading was halted, while it is. */
  get reason(): string | undefined {
    return this.haltReason;
  }

  halt(reason: string): void {
    this.haltReason = reason.trim() === '' ? 'halted' : reason;
    this.logger?.warn({ reason: this.haltReason }, 'trading halted: new orders are rejected');
  }

  resume(): void {
    if (this.haltReason !== undefined) {
      this.logger?.info({ reason: this.haltReason }, 'trading resumed');
    }

    this.haltReason = undefined;
  }
}

export const RISK_CONTROL = new ServiceKey<RiskControl>('risk-control');
