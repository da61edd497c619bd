import { getDb } from "@/lib/db";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** GET /api/auth/sessions: the signed-in user's sessions (where and how each was opened). */
export const GET = route({
  auth: "session",
  handler: async ({ auth }) => {
    const rows = await getDb().session.findMany({
      where: { userId: auth.userId, expiresAt: { gt: new Date() } },
      orderBy: { lastSeenAt: "desc" },
      select: { id: true, method: true, userAgent: true, address: true, createdAt: true, lastSeenAt: true, expiresAt: true },
    });
    return { sessions: rows.map((s) => ({ ...s, current: s.id === auth.sessionId })) };
  },
});
