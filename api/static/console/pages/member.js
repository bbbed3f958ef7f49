import { get } from "../api.js";
import { field, figures, h, link, table } from "../dom.js";
import { STATUS, certificateForm, shanghai, years } from "./common.js";
import { manageSections } from "./member-manage.js";

export async function render(main, params, id) {
  const year = params.get("year") || years()[0];
  const member = await get(`/v1/members/${id}`);
  const [points, statement, account] = await Promise.all([
    get(`/v1/members/${id}/points`, { year }),
    get(`/v1/members/${id}/statement`, { year, limit: 100, cursor: params.get("cursor") }),
    get(`/v1/members/${id}/account`),
  ]);
  const community = member.community_id;
  const name = h("h1", {}, member.name);
  const facts = h("p", { class: "muted" });
  const redraw = () => {
    name.textContent = member.name;
    facts.textContent = [member.phone, member.party_member ? "党员" : "群众", member.grid, STATUS[member.status]].filter(Boolean).join(" · ");
  };
  redraw();
  main.append(
    name, facts,
    h("form", { class: "filters", method: "get", action: `/console/members/${id}` },
      h("input", { type: "hidden", name: "community", value: community }),
      field("年度", { tag: "select", name: "year", value: year, options: years().map((y) => [y, `${y} 年`]) }),
      h("button", { type: "submit" }, "查看")),
    figures([
      [`${year} 年积分`, points.points, "points"], [`${year} 年时长`, points.hours, "hours"],
      [`${year} 年活动`, points.activities, "activities"], ["累计积分", points.lifetime_points, "lifetime_points"],
      ["累计时长", points.lifetime_hours, "lifetime_hours"], ["星级", points.star ? "★".repeat(points.star) : "—", "star"],
      ["可兑换积分", account.balance, "balance"],
    ]),
    table(`${year} 年积分明细`, [
      [(i) => link(`/console/activities/${i.activity_id}?community=${community}`, i.title), "活动"],
      ["date", "日期"], ["hours", "时长"], ["points", "积分"], [(i) => STATUS[i.status] || i.status, "状态"],
      ["reason", "理由"],
      [(i) => (i.history && i.history.length > 1 ? i.history.map((e) => `${shanghai(e.recorded_at)} ${e.hours} 小时 ${e.points} 分${e.reason ? `（${e.reason}）` : ""}`).join("；") : "—"), "变更"],
    ], statement.items, "本年度没有记录"),
    statement.next_cursor ? link(`/console/members/${id}?${new URLSearchParams({ community, year, cursor: statement.next_cursor })}`, "明细下一页") : "",
    certificateSection(id),
    await manageSections(member, redraw),
    h("p", { class: "actions" }, link(`/console/members/merge?community=${community}&survivor=${id}`, "把重复记录合并到此人")),
  );
}

function certificateSection(id) {
  return h("section", { class: "card" }, h("h2", {}, "志愿服务证明"), certificateForm(id));
}
