import { getDb } from "@/lib/db";
import { route } from "@/lib/http/route";
import { previewInvite } from "@/lib/teams/invites";

export const dynamic = "force-dynamic";

/** GET /api/invites/{token}: the project and role an invitation link offers (the link is the credential). */
export const GET = route<"none", undefined, undefined, { token: string }>({
  auth: "none",
  handler: async ({ params }) => previewInvite(getDb(), params.token, new Date()),
});
