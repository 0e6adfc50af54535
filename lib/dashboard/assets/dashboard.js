/* global window, document, location, fetch, sessionStorage */
import { InstrumentChart } from './instrument-chart.js';
import { TickflowSocket } from './tickflow-socket.js';

const MARKET_TYPES = ['bar', 'forecast', 'signal', 'order', 'fill'];
const REPORT_SUBSCRIPTION = 'report';
const KEY_STORAGE = 'tickflow.apiKey';

/**
 * State the page exposes for tests and for curious users: what is drawn for the current
 * instrument, the frames sent, and the session's drops and lag.
 */
const state = {
  instrument: undefined,
  subscriptionId: undefined,
  connection: 'connecting',
  received: 0,
  dropped: 0,
  lagMs: undefined,
  authRequired: false,
  report: undefined,
  errors: [],
  sent: [],
  candles: 0,
  forecasts: 0,
  signals: 0,
  orders: 0,
  fills: 0,
};
window.__tickflow = state;

const elements = {
  app: document.getElementById('app'),
  picker: document.getElementById('instrument'),
  connection: document.getElementById('connection'),
  lag: document.getElementById('lag'),
  dropped: document.getElementById('dropped'),
  received: document.getElementById('received'),
  authForm: document.getElementById('auth'),
  authMessage: document.getElementById('auth-message'),
  keyInput: document.getElementById('api-key'),
  reportEmpty: document.getElementById('report-empty'),
  reportFields: document.getElementById('report-fields'),
  error: document.getElementById('error'),
};

let subscriptionCount = 0;

async function start() {
  const settings = await loadSettings();
  const chart = new InstrumentChart(document.getElementById('chart'));
  const socket = new TickflowSocket(socketUrl(settings.wsPath), handlersFor(chart));
  const storedKey = sessionStorage.getItem(KEY_STORAGE);

  if (storedKey !== null) {
    socket.key = storedKey;
  }

  settings.instruments.forEach(addInstrumentOption);
  elements.picker.addEventListener('change', () => showInstrument(socket, chart, settings, elements.picker.value));
  elements.authForm.addEventListener('submit', (submit) => {
    submit.preventDefault();
    submitKey(socket);
  });

  socket.subscribe({ id: REPORT_SUBSCRIPTION, types: ['report'], since: 0, policy: { onOverflow: 'keep-latest', key: 'instrument', maxQueue: 16 } });

  const first = location.hash.slice(1) || settings.instruments[0];

  if (first !== undefined) {
    addInstrumentOption(first);
    showInstrument(socket, chart, settings, first);
  }

  socket.connect();
  elements.app.dataset.state = 'ready';
}

async function loadSettings() {
  const response = await fetch('dashboard/config.json');

  if (!response.ok) {
    throw new Error(`dashboard/config.json returned HTTP ${response.status}`);
  }

  return response.json();
}

function socketUrl(path) {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}${path}`;
}

/**
 * Replaces the market subscription with one for the instrument: history from the event log
 * first (`since: 0`), then live events, on a fresh chart.
 */
function showInstrument(socket, chart, settings, instrument) {
  if (state.subscriptionId !== undefined) {
    socket.unsubscribe(state.subscriptionId);
  }

  subscriptionCount += 1;
  state.instrument = instrument;
  state.subscriptionId = `market-${subscriptionCount}`;
  elements.picker.value = instrument;
  chart.reset();
  updateCounts(chart);

  socket.subscribe({
    id: state.subscriptionId,
    types: MARKET_TYPES,
    filter: { instrument },
    since: 0,
    policy: { onOverflow: 'drop-oldest', maxQueue: settings.maxQueue },
  });
}

function handlersFor(chart) {
  return {
    onEvent: (id, event) => eventReceived(chart, id, event),
    onLagged: (_id, dropped) => {
      state.dropped += dropped;
      elements.dropped.textContent = String(state.dropped);
    },
    onAck: () => undefined,
    onError: (frame) => showError(`${frame.code}: ${frame.message}`),
    onStatus: (status) => {
      state.connection = status;
      elements.connection.textContent = status;
    },
    onAuthRequired: (rejected) => askForKey(rejected),
    onSent: (frame) => state.sent.push(frame.op === 'auth' ? { op: 'auth', key: '(hidden)' } : frame),
  };
}

function eventReceived(chart, id, event) {
  state.received += 1;
  state.lagMs = Math.max(0, Date.now() - event.ingestTime);
  elements.received.textContent = String(state.received);
  elements.lag.textContent = formatDuration(state.lagMs);

  if (id === REPORT_SUBSCRIPTION) {
    showReport(event);
    return;
  }

  if (id === state.subscriptionId) {
    chart.add(event);
    updateCounts(chart);
  }
}

function updateCounts(chart) {
  Object.assign(state, chart.counts());

  for (const [name, value] of Object.entries(chart.counts())) {
    elements.app.dataset[name] = String(value);
  }
}

function showReport(event) {
  const data = event.data;
  const rows = [
    ['Instrument', event.instrument],
    ['Trades', data.trades],
    ['P&L', formatFixed(data.pnl, 2)],
    ['Sharpe ratio', formatFixed(data.sharpe, 2)],
    ['Max drawdown', typeof data.maxDrawdown === 'number' ? `${formatFixed(data.maxDrawdown * 100, 2)}%` : undefined],
    ['Turnover', typeof data.turnover === 'number' ? `${formatFixed(data.turnover, 2)}x capital` : undefined],
    ...Object.entries(data.rejectionsByRule ?? {}).map(([rule, count]) => [`Rejected: ${rule}`, count]),
    ['Events in log', data.rowCount],
    ['Head hash', data.headHash === undefined ? undefined : `${data.headHash.slice(0, 12)}...`],
  ];

  state.report = data;
  elements.reportEmpty.hidden = true;
  elements.reportFields.replaceChildren(...rows.filter(([, value]) => value !== undefined).flatMap(([label, value]) => [element('dt', label), element('dd', String(value))]));
}

function askForKey(rejected) {
  state.authRequired = true;
  elements.authMessage.textContent = rejected ? 'The server rejected that API key. Enter another one.' : 'This server requires an API key.';
  elements.authForm.hidden = false;
  elements.keyInput.focus();
}

function submitKey(socket) {
  const key = elements.keyInput.value.trim();

  if (key === '') {
    return;
  }

  sessionStorage.setItem(KEY_STORAGE, key);
  state.authRequired = false;
  elements.authForm.hidden = true;
  elements.keyInput.value = '';
  socket.authenticate(key);
}

function addInstrumentOption(instrument) {
  if ([...elements.picker.options].some((option) => option.value === instrument)) {
    return;
  }

  const option = element('option', instrument);
  option.value = instrument;
  elements.picker.append(option);
}

function showError(message) {
  state.errors.push(message);
  elements.error.textContent = message;
  elements.error.hidden = false;
}

function element(tag, text) {
  const node = document.createElement(tag);
  node.textContent = text;
  return node;
}

/** Formats a number with a fixed count of decimals, as the command-line run report does. */
function formatFixed(value, digits) {
  return typeof value === 'number' ? value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : value;
}


function formatDuration(ms) {
  if (ms < 1000) {
    return `${ms} ms`;
  }

  if (ms < 120000) {
    return `${(ms / 1000).toFixed(1)} s`;
  }

  return `${Math.round(ms / 60000)} min`;
}

start().catch((error) => {
  elements.app.dataset.state = 'failed';
  showError(`dashboard failed to start: ${error.message}`);
});
