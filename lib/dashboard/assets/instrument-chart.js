/* global window, requestAnimationFrame */

const COLORS = {
  up: '#26a69a',
  down: '#ef5350',
  volatility: '#f0b429',
  signal: '#7e8cf0',
  informational: '#8893a0',
  fill: '#e0e0e0',
};

/** Above this many new points in one frame the series is redrawn whole rather than updated point by point. */
const UPDATE_LIMIT = 50;

/** Event time (UTC milliseconds) to chart time (UTC seconds). */
function chartTime(timeMs) {
  return Math.floor(timeMs / 1000);
}

/**
 * The chart of one instrument: candles in the upper pane with markers for signals, orders and
 * fills, and the forecast volatility in the lower pane. Events may arrive in any order and more
 * than once; drawing waits for the next animation frame, so a burst of history draws once.
 */
export class InstrumentChart {
  constructor(container) {
    const charts = window.LightweightCharts;

    this.chart = charts.createChart(container, {
      autoSize: true,
      layout: { background: { color: '#10151c' }, textColor: '#d5dbe3', panes: { separatorColor: '#2c3744' } },
      grid: { vertLines: { color: '#1c2530' }, horzLines: { color: '#1c2530' } },
      timeScale: { borderColor: '#2c3744' },
      rightPriceScale: { borderColor: '#2c3744' },
    });
    this.candleSeries = this.chart.addSeries(charts.CandlestickSeries, {
      upColor: COLORS.up,
      downColor: COLORS.down,
      borderVisible: false,
      wickUpColor: COLORS.up,
      wickDownColor: COLORS.down,
    }, 0);
    this.volatilitySeries = this.chart.addSeries(charts.LineSeries, {
      color: COLORS.volatility,
      lineWidth: 2,
      priceFormat: { type: 'custom', minMove: 0.0001, formatter: (value) => `${(value * 100).toFixed(1)}%` },
    }, 1);
    this.chart.panes()[1].setHeight(140);
    this.markers = charts.createSeriesMarkers(this.candleSeries, []);
    this.reset();
  }

  /** Forgets every point, for a switch of instrument. */
  reset() {
    this.candles = new PointSet();
    this.volatility = new PointSet();
    this.markerById = new Map();
    this.markerCounts = { signal: 0, order: 0, fill: 0 };
    this.markersChanged = true;
    this.scheduled = false;
    this.candleSeries.setData([]);
    this.volatilitySeries.setData([]);
    this.markers.setMarkers([]);
  }

  /** Adds an event of type bar, forecast, signal, order or fill; other types are ignored. */
  add(event) {
    const time = chartTime(event.time);
    const data = event.data;

    if (event.type === 'bar') {
      this.candles.put({ time, open: data.open, high: data.high, low: data.low, close: data.close });
    } else if (event.type === 'forecast') {
      this.volatility.put({ time, value: data.volatility });
    } else if (event.type === 'signal' || event.type === 'order' || event.type === 'fill') {
      this.addMarker(event, time);
    } else {
      return;
    }

    this.schedule();
  }

  counts() {
    return {
      candles: this.candles.size(),
      forecasts: this.volatility.size(),
      signals: this.markerCounts.signal,
      orders: this.markerCounts.order,
      fills: this.markerCounts.fill,
    };
  }

  addMarker(event, time) {
    if (this.markerById.has(event.id)) {
      return;
    }

    this.markerById.set(event.id, markerOf(event, time));
    this.markerCounts[event.type] += 1;
    this.markersChanged = true;
  }

  schedule() {
    if (!this.scheduled) {
      this.scheduled = true;
      requestAnimationFrame(() => this.draw());
    }
  }

  draw() {
    this.scheduled = false;
    this.candles.drawTo(this.candleSeries);
    this.volatility.drawTo(this.volatilitySeries);

    if (this.markersChanged) {
      const markers = [...this.markerById.values()].sort((a, b) => a.time - b.time);
      this.markers.setMarkers(markers);
      this.markersChanged = false;
    }
  }
}

/** Points of one series by time, with the ones not drawn yet. */
class PointSet {
  constructor() {
    this.byTime = new Map();
    this.pending = [];
    this.lastDrawnTime = -Infinity;
  }

  put(point) {
    this.byTime.set(point.time, point);
    this.pending.push(point);
  }

  size() {
    return this.byTime.size;
  }

  drawTo(series) {
    if (this.pending.length === 0) {
      return;
    }

    const inOrder = this.pending.every((point, index) => point.time >= (index === 0 ? this.lastDrawnTime : this.pending[index - 1].time));

    // series.update only accepts points at or after the last one, so anything else redraws all.
    if (inOrder && this.pending.length <= UPDATE_LIMIT) {
      this.pending.forEach((point) => series.update(point));
    } else {
      series.setData([...this.byTime.values()].sort((a, b) => a.time - b.time));
    }

    this.lastDrawnTime = this.pending.reduce((latest, point) => Math.max(latest, point.time), this.lastDrawnTime);
    this.pending = [];
  }
}

function markerOf(event, time) {
  const data = event.data;

  if (event.type === 'signal') {
    const color = data.informational ? COLORS.informational : COLORS.signal;
    return { time, position: 'aboveBar', shape: 'circle', color, size: 0.6 };
  }

  if (event.type === 'order') {
    const buy = data.side === 'buy';
    return { time, position: buy ? 'belowBar' : 'aboveBar', shape: buy ? 'arrowUp' : 'arrowDown', color: buy ? COLORS.up : COLORS.down };
  }

  return { time, position: 'inBar', shape: 'square', color: COLORS.fill, size: 0.6 };
}
