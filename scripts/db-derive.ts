// Writes prisma/postgresql/schema.prisma from prisma/schema.prisma.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { derivePostgresSchema } from "../lib/db/derive-schema";

const root = path.resolve(import.meta.dirname, "..");
const source = readFileSync(path.join(root, "prisma/schema.prisma"), "utf8");
mkdirSync(path.join(root, "prisma/postgresql"), { recursive: true });
writeFileSync(path.join(root, "prisma/postgresql/schema.prisma"), derivePostgresSchema(source));
console.log("wrote prisma/postgresql/schema.prisma");
