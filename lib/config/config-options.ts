import type { Command } from 'commander';
import { FLAG_SETTINGS } from './text-settings.js';

/**
 * Adds `--config FILE` and every configuration flag to a command. Flags get no commander
 * default, so an absent flag leaves the lower layers in charge.
 */
export function addConfigOptions(command: Command): Command {
  command.option('--config <file>', 'YAML configuration file; overrides config/default.yaml, overridden by environment and flags');

  for (const setting of FLAG_SETTINGS) {
    command.option(setting.option, setting.description);
  }

  return command;
}
