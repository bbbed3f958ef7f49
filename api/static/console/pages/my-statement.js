import { get } from "../api.js";
import { h, link, table } from "../dom.js";
import { STATUS } from "./common.js";
import { thisYear } from "./mine.js";

export async function render(main, params) {
  const year = Number(params.get("year")) || thisYear();
  const page = await get("/v1/me/statement", { year, limit: 20, cursor: params.get("cursor") });
  const years = [thisYear(), thisYear() - 1, thisYear() - 2];
  main.append(
    h("h1", {}, `${year} 年积分明细`),
    h("nav", { "aria-label": "年度" }, h("ul", { class: "choices" },
      years.map((y) => h("li", {}, y === year ? h("strong", {}, `${y} 年`) : link(`/console/me/statement?year=${y}`, `${y} 年`))))),
    h("p", { class: "muted" }, `全年 ${page.points} 分，${page.hours} 小时`),
    table("明细", [
      ["title", "活动"], ["date", "日期"], ["hours", "时长"], ["points", "积分"],
      [(i) => STATUS[i.status] || i.status, "状态"], ["reason", "理由"],
    ], page.items, "本年度没有记录"),
    page.next_cursor
      ? link(`/console/me/statement?${new URLSearchParams({ year, cursor: page.next_cursor })}`, "下一页")
      : h("p", { class: "muted" }, "已是最后一页"),
  );
}
