// Tandem's events for NestJS consumers: a @nestjs/microservices transport over kafkajs (`@tandem/contracts/nest`).
export * from './kafka-event-transport';
export * from './cloud-event-context';
