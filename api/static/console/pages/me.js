import { get } from "../api.js";
import { figures, h, link, table } from "../dom.js";
import { me, thisYear } from "./mine.js";

export async function render(main) {
  const member = await me();
  const year = thisYear();
  const [points, account] = await Promise.all([
    get("/v1/me/points", { year }),
    get(`/v1/members/${member.id}/account`),
  ]);
  main.append(
    h("h1", {}, `${member.name}，你好`),
    h("p", { class: "muted" }, `截至 ${points.as_of}`),
    figures([
      [`${year} 年积分`, points.points, "points"],
      [`${year} 年时长`, `${points.hours} 小时`, "hours"],
      [`${year} 年活动`, `${points.activities} 次`, "activities"],
      ["累计积分", points.lifetime_points, "lifetime_points"],
      ["累计时长", `${points.lifetime_hours} 小时`, "lifetime_hours"],
      ["星级", points.star ? "★".repeat(points.star) : "—", "star"],
      ["可兑换积分", account.balance, "balance"],
    ]),
    table("即将过期的积分", [["points", "积分"], ["expires_on", "过期日期"]], account.expiring, "没有即将过期的积分"),
    h("nav", { class: "card", "aria-label": "我的" }, h("ul", { class: "choices" },
      h("li", {}, link("/console/me/statement", "积分明细")),
      h("li", {}, link("/console/me/activities", "报名活动、申报工时")),
      h("li", {}, link("/console/me/rewards", "积分兑换")),
      h("li", {}, link("/console/me/certificates", "志愿服务证明")))),
  );
}
