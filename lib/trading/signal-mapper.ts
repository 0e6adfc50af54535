import { derivedEventId, type ForecastEvent, type SignalEvent } from '../events/index.js';
import { ServiceKey } from '../services.js';
import type { Regime, SignalSettings } from './signal-settings.js';

/** Source of REST forecasts: their signals are informational and never become orders. */
export const API_SOURCE = 'api';

const DEFAULT_MAX_POSITION = 1;
const DEFAULT_MIN_CHANGE = 0.05;

/** Stamps for the signals a mapper builds. */
export interface SignalStamp {
  /** The envelope `source` of the signals, such as `pipeline:default/signal`. */
  readonly source: string;
  readonly now: () => number;
}

/**
 * Maps forecasts to target positions: volatility targeting (target volatility divided by the
 * forecast, capped), scaled by the volatility regime, emitted only when the target moves by
 * at least the minimum change. Keeps the current target of each instrument.
 */
export class SignalMapper {
  private readonly targets = new Map<string, number>();

  constructor(
    private readonly settings: SignalSettings,
    private readonly stamp: SignalStamp,
  ) {}

  /**
   * Returns the signal for a forecast, or null when the target moved less than the minimum
   * change. A forecast from the REST API always gets an informational signal, which leaves the
   * current target alone so that API calls never change what the pipeline trades.
   */
  signalFor(forecast: ForecastEvent): SignalEvent | null {
    const previous = this.targets.get(forecast.instrument) ?? 0;
    const regime = this.regimeOf(forecast.data.volatility);
    const target = this.targetFor(forecast.data.volatility, regime);
    const informational = forecast.source === API_SOURCE;

    if (!informational && Math.abs(target - previous) < (this.settings.minChange ?? DEFAULT_MIN_CHANGE)) {
      return null;
    }

    if (!informational) {
      this.targets.set(forecast.instrument, target);
    }

    return this.buildSignal(forecast, target, previous, regime, informational);
  }

  /** The current target position of an instrument (0 before its first signal). */
  targetOf(instrument: string): number {
    return this.targets.get(instrument) ?? 0;
  }

  private targetFor(volatility: number, regime: Regime | undefined): number {
    const cap = this.settings.maxPosition ?? DEFAULT_MAX_POSITION;
    const size = Math.min(cap, this.settings.targetVolatility / volatility) * (regime?.scale ?? 1);
    const signed = this.settings.direction === 'short' ? -size : size;

    // Rounded so that the printed target and the one orders are computed from agree.
    return Math.round(signed * 1e6) / 1e6 + 0;
  }

  private regimeOf(volatility: number): Regime | undefined {
    return this.settings.regimes?.find((regime) => regime.below === undefined || volatility < regime.below);
  }

  private buildSignal(forecast: ForecastEvent, target: number, previous: number, regime: Regime | undefined, informational: boolean): SignalEvent {
    return {
      id: derivedEventId(forecast.id, 'signal'),
      type: 'signal',
      time: forecast.time,
      ingestTime: this.stamp.now(),
      source: this.stamp.source,
      correlationId: forecast.correlationId,
      instrument: forecast.instrument,
      data: {
        targetPosition: target,
        previousPosition: previous,
        rule: regime === undefined ? 'vol-target' : 'regime',
        forecastVolatility: forecast.data.volatility,
        price: forecast.data.price,
        informational,
        ...(regime === undefined ? {} : { regime: regime.name }),
      },
    };
  }
}

/** Mapper for forecasts asked for over REST, set up by the engine from the pipeline's `signal` settings. */
export const SIGNAL_MAPPER = new ServiceKey<SignalMapper>('signal-mapper');
