// First start with an empty database: a project "default" and one API key, printed once.
import { createApiKey, ensureProject } from "./auth/api-keys";
import type { Db } from "./db";

export interface FirstRunResult {
  projectName: string;
  apiKey: string;
}

export async function bootstrapFirstRun(db: Db): Promise<FirstRunResult | null> {
  if ((await db.project.count()) > 0) return null;
  const project = await ensureProject(db, "default");
  // Two processes starting at once would both see zero projects; only the first key is kept.
  if ((await db.apiKey.count({ where: { projectId: project.id } })) > 0) return null;
  // Exporters need nothing more: a key copied into every service's environment must not read or manage.
  const { key } = await createApiKey(db, project.id, "default", ["ingest"]);
  return { projectName: project.name, apiKey: key };
}

export function firstRunBanner(result: FirstRunResult, publicUrl: string): string {
  return [
    "",
    "  Argus created the project \"default\" and its first API key (shown only once; scope ingest: it sends traces):",
    "",
    `    ${result.apiKey}`,
    "",
    "  Point any OpenTelemetry SDK at Argus with:",
    `    OTEL_EXPORTER_OTLP_ENDPOINT=${publicUrl}`,
    `    OTEL_EXPORTER_OTLP_HEADERS="Authorization=Bearer ${result.apiKey}"`,
    "",
    "  More keys: npm run --silent argus -- keys create --project <name> [--scope ingest,read,admin]",
    "",
  ].join("\n");
}
