/** The kill switch: while halted, no order passes the risk checks. */
export interface RiskSwitchPort {
  halt(reason: string): void | Promise<void>;
  resume(): void | Promise<void>;
  readonly halted: boolean;
}
