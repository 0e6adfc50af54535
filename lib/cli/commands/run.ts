import type { Command } from 'commander';
import { addConfigOptions, formatConfigProblem, loadConfig, redactConfig } from '../../config/index.js';
import { Engine } from '../../engine/engine.js';
import { createLogger } from '../../observability/logger.js';
import { formatRunReport } from '../../trading/index.js';
import { ExitCode } from '../exit-codes.js';

const DEFAULT_PIPELINE = 'pipelines/default.yaml';

/** Registers `tickflow run`: the engine with REST, WebSocket and the dashboard on one port. */
export function registerRunCommand(program: Command): void {
  const command = program
    .command('run')
    .description('run pipelines with the REST API, the WebSocket gateway and the dashboard on one port')
    .argument('[pipeline...]', `pipeline files to run (default ${DEFAULT_PIPELINE})`);

  addConfigOptions(command).action(async (pipelines: string[], flags: Record<string, unknown>) => {
    process.exitCode = await runEngine(pipelines.length === 0 ? [DEFAULT_PIPELINE] : pipelines, flags);
  });
}

async function runEngine(pipelineFiles: readonly string[], flags: Record<string, unknown>): Promise<number> {
  const loaded = loadConfig({ flags, env: process.env, ...(typeof flags.config === 'string' ? { configFile: flags.config } : {}) });

  if (!loaded.ok) {
    process.stderr.write(`tickflow run: invalid configuration\n${loaded.problems.map((problem) => `  ${formatConfigProblem(problem)}`).join('\n')}\n`);
    return ExitCode.failure;
  }

  const logger = createLogger({ level: loaded.config.log.level });
  logger.info({ files: loaded.files, config: redactConfig(loaded.config) }, 'configuration loaded');

  for (const warning of loaded.warnings) {
    logger.warn(warning);
  }

  let engine: Engine;

  try {
    engine = await Engine.start({ config: loaded.config, pipelineFiles, logger });
  } catch (error) {
    logger.fatal({ err: error }, 'engine failed to start');
    process.stderr.write(`tickflow run: ${error instanceof Error ? error.message : String(error)}\n`);
    return ExitCode.failure;
  }

  engine.report
    .then((report) => process.stdout.write(`\nrun report\n${formatRunReport(report)}\n`))
    .catch((error: unknown) => logger.error({ err: error }, 'run report failed'));

  await untilSignal(engine, logger);
  return ExitCode.ok;
}

/** Waits for SIGINT or SIGTERM, then stops the engine in order; a second signal exits at once. */
function untilSignal(engine: Engine, logger: ReturnType<typeof createLogger>): Promise<void> {
  return new Promise((resolve) => {
    let received = false;

    const onSignal = (signal: NodeJS.Signals): void => {
      if (received) {
        logger.warn({ signal }, 'second signal: exiting without waiting for shutdown');
        process.exit(signal === 'SIGINT' ? 130 : 143);
      }

      received = true;
      logger.info({ signal }, 'signal received: stopping');
      engine
        .stop()
        .catch((error: unknown) => logger.error({ err: error }, 'shutdown failed'))
        .finally(() => {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
          resolve();
        });
    };

    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
