import type * as t from 'io-ts';
import { codecAt, valueFromText } from './codec-shape.js';
import { setAtPath } from './config-layer.js';
import type { ConfigLayer } from './config-layer.js';
import { nearestKey } from './nearest-key.js';
import { ENV_SETTINGS, FLAG_SETTINGS } from './text-settings.js';
import type { TextSetting } from './text-settings.js';

/** Reads the engine settings found in the environment. */
export function readEnvLayer(env: Readonly<Record<string, string | undefined>>, codec: t.Mixed): ConfigLayer {
  const entries = ENV_SETTINGS.map((setting) => ({ setting, text: env[setting.variable], origin: `env ${setting.variable}` }));

  return textLayer('environment', entries, codec);
}

/** Reads the configuration flags from commander's parsed options; other options are ignored. */
export function readFlagLayer(flags: Readonly<Record<string, unknown>>, codec: t.Mixed): ConfigLayer {
  const entries = FLAG_SETTINGS.map((setting) => {
    const value = flags[setting.key];
    const text = typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;

    return { setting, text, origin: `flag ${setting.option.split(' ')[0]}` };
  });

  return textLayer('command line', entries, codec);
}

/**
 * Lists `TICKFLOW_*` variables that set nothing, with the nearest known name. They are
 * warnings, not errors, because other tools may define variables with the same prefix.
 */
export function unknownEnvWarnings(env: Readonly<Record<string, string | undefined>>): string[] {
  const known = ENV_SETTINGS.map((setting) => setting.variable);

  return Object.keys(env)
    .filter((name) => name.startsWith('TICKFLOW_') && !known.includes(name))
    .sort()
    .map((name) => {
      const nearest = nearestKey(name, known);
      return `env ${name} is not a tickflow setting${nearest === undefined ? '' : `; did you mean ${nearest}?`}`;
    });
}

interface TextEntry {
  readonly setting: TextSetting;
  readonly text: string | undefined;
  readonly origin: string;
}

function textLayer(name: string, entries: readonly TextEntry[], codec: t.Mixed): ConfigLayer {
  const values: Record<string, unknown> = {};
  const origins = new Map<string, string>();

  for (const { setting, text, origin } of entries) {
    const settingCodec = codecAt(codec, setting.path);

    if (text === undefined || text === '' || settingCodec === undefined) {
      continue;
    }

    setAtPath(values, setting.path, valueFromText(settingCodec, text));
    origins.set(setting.path, origin);
  }

  return { name, values, origins };
}
