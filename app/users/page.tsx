"use client";
import { UserTable } from "@/components/users/user-table";
import { useTraceUsers } from "@/components/data/use-resources";
import { IdSearch } from "@/components/ui/id-search";
import { PagedList } from "@/components/ui/paged-list";
import { Empty } from "@/components/ui/states";
import { TimeRangePicker, useRange } from "@/components/ui/time-range";
import { useUrlState } from "@/components/ui/use-url-state";

export default function UsersPage() {
  const { get } = useUrlState();
  const range = useRange();
  const params = { range, q: get("q"), cursor: get("cursor") };
  const query = useTraceUsers(params);
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Users</h1>
          <div className="sub">The users of your agents with a trace in the range, latest first; figures count the range. A user opens as their sessions.</div>
        </div>
      </div>
      <div className="filters">
        <TimeRangePicker />
        <IdSearch label="User id" placeholder="Starts with…" />
      </div>
      <PagedList
        query={query}
        noun="users"
        empty={
          <Empty title={params.q ? "No user id starts with this" : "No users in this time range"}>
            {params.q ? "Widen the time range or clear the search." : "Traces name their user through a user id attribute (user.id, enduser.id, langfuse.user.id, …); see docs/semantic-conventions.md."}
          </Empty>
        }
      >
        {(data, now) => <UserTable items={data.items} now={now} />}
      </PagedList>
    </>
  );
}
