// A community's redemptions on the 积分兑换 page: a status filter, a page of
// them newest first, and a cancellation (with its reason) beside each one made.
import { get, post } from "../api.js";
import { field, h, link, notice, table } from "../dom.js";
import { STATUS, submitter } from "./common.js";

export async function redemptionsSection(place, params) {
  const status = params.get("status") || "";
  const listed = await get(`/v1/communities/${place.id}/redemptions`, { status, limit: 50, cursor: params.get("cursor") });
  const filters = h("form", { class: "filters", method: "get", action: "/console/rewards" },
    h("input", { type: "hidden", name: "community", value: place.id }),
    field("兑换状态", { tag: "select", name: "status", value: status, options: [["", "全部"], ["made", STATUS.made], ["cancelled", STATUS.cancelled]] }),
    h("button", { type: "submit", class: "secondary" }, "筛选"));
  const more = listed.next_cursor
    ? link(`/console/rewards?${new URLSearchParams({ community: place.id, status, cursor: listed.next_cursor })}`, "下一页")
    : "";
  return h("section", { class: "card", "aria-labelledby": "redemptions-title" },
    h("h2", { id: "redemptions-title" }, "兑换记录"), filters,
    table("兑换记录", [
      [(r) => link(`/console/members/${r.member_id}?community=${place.id}`, r.name || r.member_id), "志愿者"],
      [(r) => r.reward || "—", "物品"], ["quantity", "数量"], ["points", "积分"], ["made_on", "兑换日期"],
      [(r) => STATUS[r.status] || r.status, "状态"],
      [(r) => (r.status === "cancelled" ? `${r.cancelled_on}：${r.reason}` : cancelForm(r)), "取消"],
    ], listed.items, status ? "没有这一状态的兑换" : "还没有兑换记录"),
    more);
}

function cancelForm(redemption) {
  const outlet = h("div", { "aria-live": "polite" });
  const who = `${redemption.name || ""} ${redemption.made_on} ${redemption.reward || ""}`.trim();
  const form = h("form", { class: "inline" },
    field(`取消“${who}”的理由`, { name: "reason", required: true, maxlength: 500 }),
    h("button", { type: "submit", class: "secondary" }, "取消并退回积分"));
  submitter(form, outlet, async (data) => {
    const done = await post(`/v1/redemptions/${redemption.id}/cancel`, { reason: data.get("reason") });
    form.replaceWith(notice(`已取消，退回 ${done.points} 分，余额 ${done.balance} 分；库存已恢复。`));
    return null;
  });
  return h("div", {}, form, outlet);
}
