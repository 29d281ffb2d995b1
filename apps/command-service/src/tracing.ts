// Imported first by main.ts: OpenTelemetry patches `http` and `pg` as they are loaded, so it starts before they are.
import { startTracing } from '@tandem/platform/observability';
import { loadTracingConfig, SERVICE_NAME } from './config';

startTracing(SERVICE_NAME, loadTracingConfig());
