import { describeSession } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** Who is signed in, the active project with their role, and the projects they may switch to. */
export const GET = route({
  auth: "session",
  handler: async ({ req, auth }) => describeSession(req, getDb(), auth),
});
