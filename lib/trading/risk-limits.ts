import * as t from 'io-ts';
import { PositiveInteger, PositiveNumber } from '../events/index.js';

/** Risk limits of the `orders` stage; each one left out is not checked. Amounts are in account currency. */
export const RiskLimits = t.exact(
  t.partial({
    /** Largest absolute position of one instrument, valued at the signal's price. */
    maxPositionNotional: PositiveNumber,
    /** Largest sum of absolute positions over all instruments, each valued at its last price. */
    maxGrossExposure: PositiveNumber,
    maxOrderNotional: PositiveNumber,
    /** Orders of one instrument within any second of event time. */
    maxOrdersPerSecond: PositiveInteger,
    /** Largest distance of the order's price from the instrument's last price, as a fraction (0.05 is 5%). */
    priceBand: PositiveNumber,
    /** When true, every new order is rejected. */
    killSwitch: t.boolean,
  }),
  'RiskLimits',
);
export type RiskLimits = t.TypeOf<typeof RiskLimits>;

/** Names of the risk rules, as they appear in `order.rejected` events and run reports. */
export const RiskRule = {
  killSwitch: 'kill-switch',
  priceBand: 'price-band',
  maxOrderNotional: 'max-order-notional',
  maxPosition: 'max-position',
  maxGrossExposure: 'max-gross-exposure',
  maxOrdersPerSecond: 'max-orders-per-second',
} as const;
export type RiskRule = (typeof RiskRule)[keyof typeof RiskRule];

/** A limit that an order would break: the rule, the limit and the order's value. */
export interface Breach {
  readonly rule: RiskRule;
  readonly limit: number;
  readonly value: number;
  readonly message: string;
}

/** The inputs the rules check for one proposed order. */
export interface OrderCheck {
  readonly instrument: string;
  readonly halted: boolean;
  readonly haltReason?: string;
  /** Limit price for limit orders, the signal's price for market orders. */
  readonly orderPrice: number;
  /** The instrument's price before this signal; absent for its first signal. */
  readonly lastPrice?: number;
  readonly orderNotional: number;
  /** Absolute position after the order, valued at the signal's price. */
  readonly positionNotional: number;
  /** Gross exposure over all instruments after the order. */
  readonly grossExposure: number;
  /** Orders of this instrument already emitted in the second of event time before this one. */
  readonly ordersInLastSecond: number;
}

type Rule = (limits: RiskLimits, check: OrderCheck) => Breach | undefined;

const killSwitch: Rule = (limits, check) => {
  if (limits.killSwitch !== true && !check.halted) {
    return undefined;
  }

  const why = check.halted ? `trading is halted (${check.haltReason ?? 'no reason given'})` : 'killSwitch is set in the pipeline';
  return { rule: RiskRule.killSwitch, limit: 0, value: 1, message: `kill switch is on: ${why}` };
};

const priceBand: Rule = (limits, check) => {
  if (limits.priceBand === undefined || check.lastPrice === undefined || check.lastPrice === 0) {
    return undefined;
  }

  const distance = Math.abs(check.orderPrice - check.lastPrice) / Math.abs(check.lastPrice);

  return distance > limits.priceBand
    ? { rule: RiskRule.priceBand, limit: limits.priceBand, value: distance, message: `order price ${check.orderPrice} is ${fraction(distance)} from the last price ${check.lastPrice}, beyond the band of ${fraction(limits.priceBand)}` }
    : undefined;
};

const maxOrderNotional: Rule = (limits, check) =>
  limits.maxOrderNotional !== undefined && check.orderNotional > limits.maxOrderNotional
    ? { rule: RiskRule.maxOrderNotional, limit: limits.maxOrderNotional, value: check.orderNotional, message: `order notional ${round(check.orderNotional)} is above maxOrderNotional ${limits.maxOrderNotional}` }
    : undefined;

const maxPosition: Rule = (limits, check) =>
  limits.maxPositionNotional !== undefined && check.positionNotional > limits.maxPositionNotional
    ? { rule: RiskRule.maxPosition, limit: limits.maxPositionNotional, value: check.positionNotional, message: `position of ${check.instrument} would be ${round(check.positionNotional)}, above maxPositionNotional ${limits.maxPositionNotional}` }
    : undefined;

const maxGrossExposure: Rule = (limits, check) =>
  limits.maxGrossExposure !== undefined && check.grossExposure > limits.maxGrossExposure
    ? { rule: RiskRule.maxGrossExposure, limit: limits.maxGrossExposure, value: check.grossExposure, message: `gross exposure would be ${round(check.grossExposure)}, above maxGrossExposure ${limits.maxGrossExposure}` }
    : undefined;

const maxOrdersPerSecond: Rule = (limits, check) =>
  limits.maxOrdersPerSecond !== undefined && check.ordersInLastSecond >= limits.maxOrdersPerSecond
    ? { rule: RiskRule.maxOrdersPerSecond, limit: limits.maxOrdersPerSecond, value: check.ordersInLastSecond + 1, message: `order would be number ${check.ordersInLastSecond + 1} of ${check.instrument} within one second, above maxOrdersPerSecond ${limits.maxOrdersPerSecond}` }
    : undefined;

/** Rules in the order they are checked; the first breach rejects the order. */
const RULES: readonly Rule[] = [killSwitch, priceBand, maxOrderNotional, maxPosition, maxGrossExposure, maxOrdersPerSecond];

/** Returns the first limit the order breaks, or undefined when it passes every one. */
export function firstBreach(limits: RiskLimits, check: OrderCheck): Breach | undefined {
  for (const rule of RULES) {
    const breach = rule(limits, check);

    if (breach !== undefined) {
      return breach;
    }
  }

  return undefined;
}

function fraction(value: number): string {
  return `${(value * 100).toFixed(2)}%`;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
