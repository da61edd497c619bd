// Generates the Prisma clients for both providers without downloading engines.
// Prisma's CLI wants a schema-engine binary even for `generate`; generation does not use it,
// so we point it at a stub (see docs/architecture.md, "Prisma offline").
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const prismaBin = path.join(root, "node_modules", "prisma", "build", "index.js");
if (!existsSync(prismaBin)) {
  console.log("prisma-generate: prisma CLI not installed yet, skipping");
  process.exit(0);
}
const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: path.join(root, "scripts", "schema-engine-stub.sh"), PRISMA_HIDE_UPDATE_MESSAGE: "1" };
for (const schema of ["prisma/schema.prisma", "prisma/postgresql/schema.prisma"]) {
  if (!existsSync(path.join(root, schema))) continue;
  const r = spawnSync(process.execPath, [prismaBin, "generate", "--schema", schema], { cwd: root, env, stdio: ["ignore", "inherit", "inherit"] });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
