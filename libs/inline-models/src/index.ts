// Read models that run inline, in the command's write transaction on the write DB, and the queries the query
// service runs on them through its read-only connection. The one library both sides may import (scope:inline):
// the write side applies the definitions, the read side queries their tables, neither imports the other.
export * from './inline-read';
export * from './inline-model-catalog';
export * from './customer-exposure/customer-exposure.model';
export * from './customer-exposure/customer-exposure.query';
