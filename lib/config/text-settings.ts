/** A setting that can be given as text, on the command line or in the environment. */
export interface TextSetting {
  /** Dotted path in the engine configuration. */
  readonly path: string;
  /** What the value sets and in what unit, for `--help` and the docs. */
  readonly description: string;
}

export interface EnvSetting extends TextSetting {
  readonly variable: string;
}

export interface FlagSetting extends TextSetting {
  /** Commander option text, such as `--port <number>`. */
  readonly option: string;
  /** Key of the parsed option in commander's `opts()`. */
  readonly key: string;
}

/** Environment variables read by the engine. Empty values count as unset. */
export const ENV_SETTINGS: readonly EnvSetting[] = [
  { variable: 'PORT', path: 'server.port', description: 'TCP port of REST, WebSocket and dashboard' },
  { variable: 'HOST', path: 'server.host', description: 'address to listen on' },
  { variable: 'TICKFLOW_CORS_ORIGINS', path: 'server.corsOrigins', description: 'comma-separated origins allowed by CORS' },
  { variable: 'TICKFLOW_API_KEYS', path: 'auth.apiKeys', description: 'comma-separated API keys; when set, clients must send one' },
  { variable: 'TICKFLOW_EVENT_LOG', path: 'eventLog.path', description: 'event log SQLite file' },
  { variable: 'TICKFLOW_MODELS_DIR', path: 'models.dir', description: 'folder of trained models, one subfolder per instrument' },
  { variable: 'TICKFLOW_LOG_LEVEL', path: 'log.level', description: 'fatal, error, warn, info, debug, trace or silent' },
  { variable: 'TICKFLOW_SUMMARY_INTERVAL', path: 'log.summaryIntervalSeconds', description: 'seconds between summary log lines' },
  { variable: 'TICKFLOW_REPLAY_SPEED', path: 'replay.speed', description: 'replay speed: max, or a factor of real time' },
  { variable: 'TICKFLOW_REPLAY_DURATION', path: 'replay.durationSeconds', description: 'seconds the whole replay should take (0: as fast as possible)' },
];

/** Command-line options of `tickflow run` that override configuration settings. */
export const FLAG_SETTINGS: readonly FlagSetting[] = [
  { option: '--port <number>', key: 'port', path: 'server.port', description: 'TCP port of REST, WebSocket and dashboard (default 8080)' },
  { option: '--host <address>', key: 'host', path: 'server.host', description: 'address to listen on (default 127.0.0.1)' },
  { option: '--event-log <file>', key: 'eventLog', path: 'eventLog.path', description: 'event log SQLite file (default data/events.sqlite)' },
  { option: '--models-dir <dir>', key: 'modelsDir', path: 'models.dir', description: 'folder of trained models (default models)' },
  { option: '--log-level <level>', key: 'logLevel', path: 'log.level', description: 'fatal, error, warn, info, debug, trace or silent (default info)' },
  { option: '--replay-speed <factor>', key: 'replaySpeed', path: 'replay.speed', description: 'replay speed: max, or a factor of real time; overrides --replay-duration' },
  { option: '--replay-duration <seconds>', key: 'replayDuration', path: 'replay.durationSeconds', description: 'seconds the whole replay should take, 0 for as fast as possible (default 600)' },
];
