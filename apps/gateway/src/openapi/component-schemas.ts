import { z } from 'zod';
import {
  CommandAccepted,
  CommandStatus,
  ProblemBody,
  CURRENCIES,
  Customer,
  DailySalesReport,
  OrderPage,
  OrderSummary,
  ProjectionStatusList,
  type CommandBody,
} from '@tandem/contracts';
import type { SchemaObject } from '@nestjs/swagger';
import { COMMAND_TABLES } from '../commands/command-controllers';

/**
 * Every schema in `components.schemas`, from one zod definition each: command bodies from the command tables of
 * `libs/contracts` (the same schemas the command service validates with), answers from its read models, so docs
 * and validation cannot drift.
 */
function requestSchemas(): Record<string, z.ZodType> {
  const bodies = Object.values(COMMAND_TABLES).flatMap((table) => Object.values(table).map((r) => r.body));
  return Object.fromEntries(bodies.flatMap((body) => (body ? [[body.name, body.schema]] : [])));
}

const RESPONSE_SCHEMAS = {
  CommandAccepted,
  // RFC 9457 problem details, as every Tandem service answers errors (libs/platform/http).
  ProblemDetails: ProblemBody,
  OrderSummary,
  OrderPage,
  Customer,
  DailySalesReport,
  ProjectionStatusList,
  CommandStatus,
} as const;

export type SchemaName = keyof typeof RESPONSE_SCHEMAS;

export function schemaRef(name: SchemaName): { $ref: string } {
  return { $ref: `#/components/schemas/${name}` };
}

/** A command's body, registered under the name its table gives it. */
export function commandBodyRef(body: CommandBody): { $ref: string } {
  return { $ref: `#/components/schemas/${body.name}` };
}

export function componentSchemas(): Record<string, SchemaObject> {
  const schemas: Record<string, SchemaObject> = {};
  for (const [name, schema] of Object.entries(requestSchemas())) {
    schemas[name] = toOpenApi(schema, 'input');
  }
  for (const [name, schema] of Object.entries(RESPONSE_SCHEMAS)) {
    schemas[name] = toOpenApi(schema, 'output');
  }
  // The currency check is a refinement (a lookup), which JSON Schema cannot see: list the accepted codes.
  const currency = schemas['RegisterCustomerRequest']?.properties?.['currency'];
  if (currency && !('$ref' in currency)) {
    currency.enum = Object.keys(CURRENCIES);
    currency.description = 'ISO 4217 code of the currency the customer is billed in';
  }
  return schemas;
}

function toOpenApi(schema: z.ZodType, io: 'input' | 'output'): SchemaObject {
  // zod's OpenAPI 3.0 target yields plain schema objects (nullable, no $schema), the dialect Nest's document uses.
  return z.toJSONSchema(schema, { target: 'openapi-3.0', io, unrepresentable: 'any' }) as SchemaObject;
}
