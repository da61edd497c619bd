// Derives the PostgreSQL variant of prisma/schema.prisma. Pure, so a test can check the
// committed variant is in sync with the source of truth.
export const DERIVED_HEADER =
  "// GENERATED from prisma/schema.prisma by `npm run db:derive`. Do not edit by hand.\n";

export function derivePostgresSchema(sqliteSchema: string): string {
  const provider = /(datasource\s+db\s*\{[^}]*provider\s*=\s*)"sqlite"/;
  const output = /(generator\s+client\s*\{[^}]*output\s*=\s*)"\.\.\/lib\/generated\/prisma"/;
  if (!provider.test(sqliteSchema) || !output.test(sqliteSchema)) {
    throw new Error("prisma/schema.prisma must declare provider \"sqlite\" and output \"../lib/generated/prisma\"");
  }
  return (
    DERIVED_HEADER +
    sqliteSchema.replace(provider, '$1"postgresql"').replace(output, '$1"../../lib/generated/prisma-pg"')
  );
}
