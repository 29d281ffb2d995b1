// SQL helpers both sides share for the driver's own connection: simple-protocol answers, literal escaping, errors.
export * from './simple-query';
export * from './sql-errors';
export * from './connection-errors';
