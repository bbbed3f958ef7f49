import { get } from "../api.js";
import { h, notice, table } from "../dom.js";
import { shanghai } from "./common.js";

const LABELS = [
  ["teams", "志愿服务队"], ["volunteers", "志愿者"], ["activities", "开展活动"], ["participations", "参与人次"],
  ["hours", "服务时长"], ["points", "积分"], ["units_reported", "双报到单位"], ["members_reported", "双报到党员"],
  ["avg_annual_points", "人均年积分"], ["members_reported_participations", "双报到党员参与人次"],
  ["members_reported_avg_annual_points", "双报到党员人均年积分"],
];

export async function render(main, params, id) {
  const report = await get(`/v1/reports/${id}`);
  const outlet = h("div", { "aria-live": "polite" });
  const verify = h("button", { type: "button" }, "核验（重放事件日志）");
  verify.addEventListener("click", async () => {
    verify.disabled = true;
    const checked = await get(`/v1/reports/${id}/verify`);
    outlet.replaceChildren(notice(checked.matches ? `核验一致：重放到位置 ${checked.position} 的数字和摘要与发布的相同。` : "核验不一致：重放得到的数字或摘要与发布的不同。", checked.matches ? "ok" : "error"));
    verify.disabled = false;
  });
  main.append(
    h("h1", {}, `${report.scope_name || "全部辖区"} · ${report.year} 年度报表`),
    h("p", { class: "muted" }, `编号 ${report.id} · 发布于 ${shanghai(report.published_at)} · 截至 ${report.as_of} · 事件日志位置 ${report.position}`),
    report.revised ? notice("发布后这一年的数字已有变化（见“现在”一列）。", "error") : notice("发布后数字没有变化。"),
    table("报表数字", [["label", "项目"], ["published", "发布时"], ["current", "现在"]],
      // A report published before a figure existed has it null: "未发布".
      LABELS.map(([key, label]) => ({ label, published: report.figures[key] ?? "未发布", current: report.current[key] }))),
    h("p", { class: "muted" }, `摘要 ${report.head_digest}`),
    verify, outlet,
  );
}
