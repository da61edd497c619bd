"use client";
import { useState, type FormEvent } from "react";
import { useApiMutation, useInvites, useMembers, useSession } from "../data/use-resources";
import type { InviteCreated, Role } from "../data/types";
import { Empty, QueryView } from "../ui/states";
import { CopyButton } from "../ui/copy-button";

const ROLE_HINTS: Record<Role, string> = {
  viewer: "reads traces, anomalies and alerts",
  member: "also acknowledges and resolves alerts, marks anomalies expected",
  owner: "also manages channels, keys, settings and members",
};

export function MembersPanel() {
  const session = useSession();
  const owner = session.data?.role === "owner";
  const members = useMembers();
  const invites = useInvites(owner);
  const [invite, setInvite] = useState<{ email: string; role: Role }>({ email: "", role: "member" });
  const [link, setLink] = useState<InviteCreated | null>(null);
  const create = useApiMutation<typeof invite, InviteCreated>((b) => ({ path: "/api/v1/invites", method: "POST", body: { role: b.role, ...(b.email ? { email: b.email } : {}) } }), [["invites"]]);
  const revoke = useApiMutation<string>((id) => ({ path: `/api/v1/invites/${id}`, method: "DELETE" }), [["invites"]]);
  const setRole = useApiMutation<{ userId: string; role: Role }>((b) => ({ path: `/api/v1/members/${b.userId}`, method: "PATCH", body: { role: b.role } }), [["members"]]);
  const remove = useApiMutation<string>((userId) => ({ path: `/api/v1/members/${userId}`, method: "DELETE" }), [["members"]]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(invite, { onSuccess: (r) => (setLink(r), setInvite({ ...invite, email: "" })) });
  };
  const error = create.error ?? setRole.error ?? remove.error ?? revoke.error;
  return (
    <section className="panel stack">
      <h2 style={{ margin: 0 }}>Members</h2>
      <p className="muted small" style={{ margin: 0 }}>
        Viewers {ROLE_HINTS.viewer}; members {ROLE_HINTS.member}; owners {ROLE_HINTS.owner}.
      </p>
      <QueryView query={members} isEmpty={(d) => d.length === 0} empty={<Empty title="No members" />}>
        {(rows) => (
          <div className="table-wrap">
            <table className="table" aria-label="Members">
              <thead>
                <tr>
                  <th>Email</th>
                  <th>Role</th>
                  <th>Sign-in</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {rows.map((m) => (
                  <tr key={m.userId} data-member={m.email}>
                    <td>
                      {m.email} {m.isAdmin && <span className="badge info">admin</span>}
                    </td>
                    <td>
                      {owner ? (
                        <select className="select" aria-label={`Role of ${m.email}`} value={m.role} onChange={(e) => setRole.mutate({ userId: m.userId, role: e.target.value as Role })}>
                          {(["viewer", "member", "owner"] as const).map((r) => (
                            <option key={r}>{r}</option>
                          ))}
                        </select>
                      ) : (
                        m.role
                      )}
                    </td>
                    <td className="small muted">{m.signIn === "sso" ? "single sign-on" : "password"}</td>
                    <td>
                      {owner && m.userId !== session.data?.user.id && (
                        <button className="btn small danger" onClick={() => window.confirm(`Remove ${m.email} from this project?`) && remove.mutate(m.userId)}>
                          Remove
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </QueryView>
      {error && <div className="notice bad">{error.message}</div>}
      {owner && (
        <>
          <h3 style={{ margin: "8px 0 0" }}>Invite</h3>
          <form className="row" onSubmit={submit}>
            <input className="input" type="email" placeholder="Email (optional)" aria-label="Invitee email" value={invite.email} onChange={(e) => setInvite({ ...invite, email: e.target.value })} />
            <select className="select" aria-label="Invitee role" value={invite.role} onChange={(e) => setInvite({ ...invite, role: e.target.value as Role })}>
              {(["viewer", "member", "owner"] as const).map((r) => (
                <option key={r}>{r}</option>
              ))}
            </select>
            <button className="btn primary" type="submit" disabled={create.isPending}>
              Create invitation link
            </button>
          </form>
          {link && (
            <div className="notice good stack" style={{ gap: 6 }} data-testid="invite-link">
              <strong>{link.mailed ? "Sent by mail. The link, single-use, valid 7 days:" : "Copy this link (shown once, single-use, valid 7 days):"}</strong>
              {link.mailError && <span>{link.mailError}</span>}
              <div className="row">
                <code className="secret" style={{ flex: 1 }}>
                  {link.url}
                </code>
                <CopyButton text={link.url} />
                <button className="btn small" onClick={() => setLink(null)}>
                  Done
                </button>
              </div>
            </div>
          )}
          <QueryView query={invites} isEmpty={(d) => d.length === 0} empty={<p className="muted small">No pending invitations.</p>}>
            {(rows) => (
              <div className="table-wrap">
                <table className="table" aria-label="Pending invitations">
                  <tbody>
                    {rows.map((i) => (
                      <tr key={i.id}>
                        <td>{i.email ?? "anyone with the link"}</td>
                        <td>{i.role}</td>
                        <td className="small muted">expires {new Date(i.expiresAt).toLocaleString()}</td>
                        <td>
                          <button className="btn small" onClick={() => revoke.mutate(i.id)}>
                            Revoke
                          </button>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </QueryView>
        </>
      )}
    </section>
  );
}
