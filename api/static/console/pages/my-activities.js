import { get, post } from "../api.js";
import { field, h, notice, table } from "../dom.js";
import { shanghai, submitter } from "./common.js";
import { me } from "./mine.js";

export async function render(main) {
  const member = await me();
  const now = new Date();
  const monthAgo = new Date(now.getTime() - 31 * 86400000);
  const [upcoming, recent] = await Promise.all([
    get("/v1/activities", { community_id: member.community_id, from: now.toISOString(), limit: 50 }),
    get("/v1/activities", { community_id: member.community_id, from: monthAgo.toISOString(), to: now.toISOString(), limit: 50 }),
  ]);
  const open = upcoming.items.filter((a) => a.status === "scheduled");
  main.append(
    h("h1", {}, "活动"),
    table("可以报名的活动", [
      ["title", "活动"], [(a) => shanghai(a.starts_at), "时间"], [(a) => a.location || "—", "地点"],
      [(a) => signUp(a, member.id), "报名"],
    ], open, "近期没有可报名的活动"),
    claimSection(member.id, recent.items.filter((a) => a.status !== "cancelled")),
  );
}

function signUp(activity, memberId) {
  const outlet = h("span", { "aria-live": "polite" });
  const button = h("button", { type: "button" }, "报名");
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      await post(`/v1/activities/${activity.activity_id || activity.id}/signups`, { member_id: memberId });
      button.replaceWith(notice("已报名"));
    } catch (error) {
      outlet.replaceChildren(notice(error.message, "error"));
      button.disabled = false;
    }
  });
  return h("span", {}, button, outlet);
}

function claimSection(memberId, activities) {
  const outlet = h("div", { "aria-live": "polite" });
  if (!activities.length) return h("section", { class: "card" }, h("h2", {}, "申报工时"), h("p", { class: "empty" }, "最近一个月没有可申报的活动"));
  const form = h("form", { class: "inline" },
    field("活动", { tag: "select", name: "activity_id", options: activities.map((a) => [a.activity_id || a.id, `${a.title}（${shanghai(a.starts_at)}）`]) }),
    field("时长（小时）", { name: "hours", inputmode: "decimal", required: true, pattern: "\\d+(\\.(0|25|5|75))?" }),
    field("说明", { name: "note", maxlength: 200 }),
    h("button", { type: "submit" }, "提交申报"));
  submitter(form, outlet, async (data) => {
    const body = { activity_id: data.get("activity_id"), hours: data.get("hours") };
    if (data.get("note")) body.note = data.get("note");
    await post(`/v1/members/${memberId}/hours-claims`, body);
    form.reset();
    return notice("已提交，等待组织者审核。");
  });
  return h("section", { class: "card" }, h("h2", {}, "申报工时"),
    h("p", { class: "muted" }, "参加了活动却没有签到记录？在这里申报，由组织者审核。"), form, outlet);
}
