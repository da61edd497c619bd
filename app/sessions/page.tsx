"use client";
import { SessionTable } from "@/components/sessions/session-table";
import { tracesOfHref } from "@/components/sessions/id-links";
import { useTraceSessions } from "@/components/data/use-resources";
import { FilterChip, IdSearch } from "@/components/ui/id-search";
import { PagedList } from "@/components/ui/paged-list";
import { Empty } from "@/components/ui/states";
import { RangeLink, TimeRangePicker, useRange } from "@/components/ui/time-range";
import { useUrlState } from "@/components/ui/use-url-state";

export default function SessionsPage() {
  const { get } = useUrlState();
  const range = useRange();
  const userId = get("userId");
  const params = { range, q: get("q"), userId, cursor: get("cursor") };
  const query = useTraceSessions(params);
  const filtered = Boolean(params.q || userId);
  return (
    <>
      <div className="page-header">
        <div>
          {userId && (
            <div className="small">
              <RangeLink href="/users">← Users</RangeLink>
            </div>
          )}
          <h1>{userId ? "Sessions of a user" : "Sessions"}</h1>
          <div className="sub">
            {userId ? (
              <>
                <span className="mono">{userId}</span> · <RangeLink href={tracesOfHref({ userId })}>all traces of this user</RangeLink>
              </>
            ) : (
              "Conversations with a turn in the range, latest first; figures count every turn."
            )}
          </div>
        </div>
      </div>
      <div className="filters">
        <TimeRangePicker />
        <IdSearch label="Session id" placeholder="Starts with…" />
        <FilterChip label="User" name="userId" />
      </div>
      <PagedList
        query={query}
        noun="sessions"
        empty={
          <Empty title={filtered ? "No session matches these filters" : "No sessions in this time range"}>
            {filtered
              ? "Widen the time range or clear a filter."
              : "Traces join a session through a session id attribute (session.id, gen_ai.conversation.id, langfuse.session.id, …); see docs/semantic-conventions.md."}
          </Empty>
        }
      >
        {(data, now) => <SessionTable items={data.items} now={now} />}
      </PagedList>
    </>
  );
}
