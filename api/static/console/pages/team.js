import { all, get, post, remove } from "../api.js";
import { field, figures, h, link, notice, table } from "../dom.js";
import { problem, submitter, today } from "./common.js";
import { memberSearch } from "./picker.js";

export async function render(main, params, id) {
  const [team, members] = await Promise.all([get(`/v1/teams/${id}`), all(`/v1/teams/${id}/members`)]);
  const community = team.community_id;
  const open = !team.dissolved;
  main.append(
    h("h1", {}, team.name),
    h("p", { class: "muted" }, `成立于 ${team.founded_on}${team.dissolved_on ? ` · 解散于 ${team.dissolved_on}` : ""}`),
    h("p", { class: "actions" }, link(`/console/teams?community=${community}`, "返回队伍列表")),
    figures([["队员", team.members, "members"], [`${team.year} 年活动`, team.activities, "activities"],
      ["参与人次", team.participations, "participations"], ["服务时长", team.hours, "hours"], ["积分", team.points, "points"]]),
    table("队员", [
      [(m) => link(`/console/members/${m.member_id}?community=${community}`, m.name || m.member_id), "志愿者"],
      ["joined_on", "加入日期"], [(m) => m.left_on || "—", "退出日期"],
      [(m) => (open && !m.left_on ? leaveForm(id, m) : ""), "退出"],
    ], members, "还没有队员"),
  );
  if (open) main.append(joinSection(id, community), dissolveSection(id, team));
}

function leaveForm(teamId, member) {
  const outlet = h("div", { "aria-live": "polite" });
  const form = h("form", { class: "inline" },
    field(`${member.name || ""} 的退出日期`, { type: "date", name: "left_on", value: today(), required: true }),
    h("button", { type: "submit", class: "secondary" }, "退出队伍"));
  submitter(form, outlet, async (data) => {
    await remove(`/v1/teams/${teamId}/members/${member.member_id}`, { left_on: data.get("left_on") });
    form.replaceWith(notice(`${member.name || ""} 已于 ${data.get("left_on")} 退出。`));
    return null;
  });
  return h("div", {}, form, outlet);
}

function joinSection(teamId, community) {
  const outlet = h("div", { "aria-live": "polite" });
  const joined = field("加入日期", { type: "date", name: "joined_on", value: today(), required: true });
  const search = memberSearch(community, "查找要加入的志愿者", async (member, button) => {
    outlet.replaceChildren();
    const date = joined.querySelector("input").value;
    button.disabled = true;
    try {
      const done = await post(`/v1/teams/${teamId}/members`, { member_id: member.id, joined_on: date || undefined });
      outlet.append(notice(done.member ? `${member.name} 已于 ${date} 加入。` : `${member.name} 已在队中。`));
      setTimeout(() => location.reload(), 800);
    } catch (error) {
      outlet.append(problem(error));
    } finally {
      button.disabled = false;
    }
  }, "加入队伍");
  return h("section", { class: "card", "aria-labelledby": "join-title" }, h("h2", { id: "join-title" }, "添加队员"), h("div", { class: "narrow" }, joined), search, outlet);
}

function dissolveSection(teamId, team) {
  const outlet = h("div", { "aria-live": "polite" });
  const form = h("form", { class: "inline" },
    field("解散理由", { name: "reason", required: true, maxlength: 500 }),
    field("解散日期", { type: "date", name: "dissolved_on", value: today(), required: true }),
    h("button", { type: "submit", class: "secondary" }, "解散队伍"));
  submitter(form, outlet, async (data) => {
    const done = await post(`/v1/teams/${teamId}/dissolve`, { reason: data.get("reason"), dissolved_on: data.get("dissolved_on") });
    setTimeout(() => location.reload(), 800);
    return notice(`${team.name} 已于 ${done.dissolved_on} 解散。`);
  });
  return h("section", { class: "card", "aria-labelledby": "dissolve-title" }, h("h2", { id: "dissolve-title" }, "解散队伍"), form, outlet);
}
