import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { ForecastTiming } from './ports/index.js';

/** What the gateway reports about its sessions when metrics are collected. */
export interface GatewayStats {
  readonly sessions: number;
  readonly subscriptions: number;
  /** Frames waiting in subscription queues, over all sessions. */
  readonly queuedFrames: number;
  /** The fullest queue of any subscription, in frames. */
  readonly maxQueueDepth: number;
  /** Frames dropped so far by each live session, keyed by session id. */
  readonly droppedBySession: ReadonlyMap<string, number>;
}

const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/**
 * The server's Prometheus metrics. Gateway figures are read from the gateway when Prometheus
 * scrapes, so the delivery path only bumps plain numbers.
 */
export class ServerMetrics {
  private readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  private readonly httpDuration: Histogram<'method' | 'route'>;
  private readonly predictDuration: Histogram<'phase'>;
  private readonly droppedFrames: Counter<'policy'>;
  private readonly disconnects: Counter<'reason'>;
  private gatewayStats: () => GatewayStats = emptyStats;

  constructor(registry: Registry) {
    const registers = [registry];

    this.httpRequests = new Counter({ name: 'tickflow_http_requests_total', help: 'HTTP requests answered', labelNames: ['method', 'route', 'status'], registers });
    this.httpDuration = new Histogram({ name: 'tickflow_http_request_duration_seconds', help: 'HTTP request latency', labelNames: ['method', 'route'], buckets: LATENCY_BUCKETS, registers });
    this.predictDuration = new Histogram({ name: 'tickflow_predict_duration_seconds', help: 'REST forecast time by phase (queue, inference, total)', labelNames: ['phase'], buckets: LATENCY_BUCKETS, registers });
    this.droppedFrames = new Counter({ name: 'tickflow_ws_dropped_frames_total', help: 'Frames dropped from full WebSocket subscription queues', labelNames: ['policy'], registers });
    this.disconnects = new Counter({ name: 'tickflow_ws_disconnects_total', help: 'WebSocket sessions closed, by reason', labelNames: ['reason'], registers });
    this.registerGatewayGauges(registry);
  }

  /** Sets where gateway figures are read from at scrape time. */
  readGatewayFrom(stats: () => GatewayStats): void {
    this.gatewayStats = stats;
  }

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    this.httpRequests.inc({ method, route, status: String(status) });
    this.httpDuration.observe({ method, route }, seconds);
  }

  observePredict(timing: ForecastTiming): void {
    this.predictDuration.observe({ phase: 'queue' }, timing.queueMs / 1000);
    this.predictDuration.observe({ phase: 'inference' }, timing.inferenceMs / 1000);
    this.predictDuration.observe({ phase: 'total' }, timing.totalMs / 1000);
  }

  countDropped(policy: string, frames: number): void {
    this.droppedFrames.inc({ policy }, frames);
  }

  countDisconnect(reason: string): void {
    this.disconnects.inc({ reason });
  }

  private registerGatewayGauges(registry: Registry): void {
    const read = (): GatewayStats => this.gatewayStats();
    const registers = [registry];

    gauge(registers, 'tickflow_ws_sessions', 'Open WebSocket sessions', () => read().sessions);
    gauge(registers, 'tickflow_ws_subscriptions', 'Subscriptions of open WebSocket sessions', () => read().subscriptions);
    gauge(registers, 'tickflow_ws_queued_frames', 'Frames waiting in WebSocket subscription queues', () => read().queuedFrames);
    gauge(registers, 'tickflow_ws_max_queue_depth', 'Frames in the fullest WebSocket subscription queue', () => read().maxQueueDepth);

    new Gauge({
      name: 'tickflow_ws_session_dropped_frames',
      help: 'Frames dropped by each open WebSocket session',
      labelNames: ['session'],
      registers,
      collect() {
        this.reset();

        for (const [session, dropped] of read().droppedBySession) {
          this.set({ session }, dropped);
        }
      },
    });
  }
}

function gauge(registers: Registry[], name: string, help: string, value: () => number): void {
  new Gauge({
    name,
    help,
    registers,
    collect() {
      this.set(value());
    },
  });
}

function emptyStats(): GatewayStats {
  return { sessions: 0, subscriptions: 0, queuedFrames: 0, maxQueueDepth: 0, droppedBySession: new Map() };
}
