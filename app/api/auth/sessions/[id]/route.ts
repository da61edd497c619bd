import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** DELETE /api/auth/sessions/{id}: signs one of the user's own sessions out, at once. */
export const DELETE = route<"session", undefined, undefined, { id: string }>({
  auth: "session",
  handler: async ({ auth, params }) => {
    const { count } = await getDb().session.deleteMany({ where: { id: params.id, userId: auth.userId } });
    if (count === 0) throw new AppError("not_found", `You have no session with id ${params.id}`);
    return new Response(null, { status: 204 });
  },
});
