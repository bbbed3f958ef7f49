// The signed-in member's own record, read once per page.
import { get, session } from "../api.js";

export async function me() {
  const member = await get(`/v1/members/${session.scope.member_id}`);
  return { id: session.scope.member_id, ...member };
}

export function thisYear() {
  return Number(new Date().toLocaleDateString("sv-SE", { timeZone: "Asia/Shanghai" }).slice(0, 4));
}
