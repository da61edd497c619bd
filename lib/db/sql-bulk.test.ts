import { describe, expect, it } from "vitest";
import { SPAN_SCORES } from "./columns";
import { render } from "./sql";
import { insertInto } from "./sql-bulk";

describe("insertInto", () => {
  const rows = [{ seq: 1, projectId: "p", score: 0.5 }, { seq: 2, projectId: "p", score: 0.25 }];

  it("binds a VALUES list on SQLite", () => {
    expect(render(insertInto(SPAN_SCORES, rows), "sqlite")).toEqual({
      text: 'INSERT INTO span_scores ("seq", "projectId", "score") VALUES (?, ?, ?), (?, ?, ?)',
      values: [1, "p", 0.5, 2, "p", 0.25],
    });
  });

  it("binds one array per column on PostgreSQL, a column of one value once", () => {
    expect(render(insertInto(SPAN_SCORES, rows), "postgresql")).toEqual({
      text: 'INSERT INTO span_scores ("seq", "projectId", "score") SELECT u."seq", $1::text, u."score" FROM UNNEST($2::int8[], $3::float8[]) AS u("seq", "score")',
      values: ["p", [1, 2], [0.5, 0.25]],
    });
  });
});
