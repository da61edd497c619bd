// A model's family name for grouping: providers answer with dated snapshots ("gpt-4.1-2025-04-14",
// "claude-3-5-sonnet-20241022", Vertex's "claude-3-5-sonnet@20240620"), while a failed call carries the
// alias that was requested ("gpt-4.1"). Steps and detector keys use the family, so that both are one
// step; the span keeps the reported model.
const SNAPSHOT_SUFFIX = /(?:-\d{4}-\d{2}-\d{2}|-\d{8}|@\d{8})$/;

export function modelFamily(model: string): string {
  const family = model.replace(SNAPSHOT_SUFFIX, "");
  return family || model;
}
