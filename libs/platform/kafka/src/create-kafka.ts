import { Kafka, logLevel, type KafkaConfig, type logCreator } from 'kafkajs';
import type { Logger } from 'pino';

const LEVELS: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

function pinoLogCreator(logger: Logger): logCreator {
  return () =>
    ({ level, log }) => {
      const { message, ...extra } = log;
      logger[LEVELS[level] ?? 'info']({ kafkajs: extra }, message);
    };
}

/** A kafkajs client whose logs go through the service logger. The same code talks to Apache Kafka and the dev broker. */
export function createKafka(options: {
  clientId: string;
  brokers: string[];
  logger: Logger;
  config?: Partial<KafkaConfig>;
}): Kafka {
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    logLevel: logLevel.WARN,
    logCreator: pinoLogCreator(options.logger),
    retry: { initialRetryTime: 100, retries: 8 },
    ...options.config,
  });
}
